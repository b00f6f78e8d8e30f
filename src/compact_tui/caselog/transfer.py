"""Bringing in the logs officers already keep, and cases exported from another case log (``import``).

Reading is in :mod:`.transfer_read`, checking in :mod:`.transfer_check`; this module runs an
import and writes it.

**What it reads.** A regular file of up to :data:`MAX_BYTES`, counted as it is read
(:func:`~compact_tui.files.read_regular_file`). Either a CSV whose first row names its columns
(each header matched to a field of a case, :data:`COLUMNS`, case and spacing ignored; a header
it does not know is an error naming it), or a JSON export (:mod:`compact_tui.case_export`:
version 2, and the bare list of cases version 1 wrote).

A CSV row is read as its file was written. A row whose ``format`` cell says ``compact-tui
cases 2`` was written by the export: exactly one leading ``'`` is taken off each cell (the
export doubles an officer's own, :func:`~compact_tui.text.csv_guarded`) and line breaks are
kept. A file with the columns of the export before version 2 is read as those releases wrote
it (a ``'`` before ``=``, ``+``, ``-`` or ``@`` taken off; ``\\x0a`` read as a line break). Any
other sheet is read as typed: an officer's own ``'`` stays.

**How it checks.** Each row becomes a :class:`~compact_tui.caselog.NewCase` and goes through
:meth:`CaseLog.prepare <compact_tui.caselog.CaseLog.prepare>`, the very check ``log`` makes, so
there is no second validator; a row sees the rows above it as ``log`` would have (an annual
review measured from the one before it in the file). Every bad row is listed by its number
(the header is row 1, as a spreadsheet numbers them) and nothing is written. Doubtful rows are
warned about (:func:`doubts`): the same case twice in the file, a case already in the case log,
an ``opened`` date in the future, a stage or status dated before the case opened or in the
future; ``strict`` makes each warning a problem. All of this is done before the write lock is
taken; if the case log changed meanwhile (its last event is not the one seen), the rows are
checked again under the lock, so no row is written against a case log it was not checked on.

**How it writes.** All rows in one transaction, or none: each case with an ``imported`` event
naming the file (and its SHA-256) and the row, then, for a case closed or withdrawn in the
file, a ``closed`` or ``withdrawn`` event on the day the file says (with the outcome or the
reason), so its timeline tells how it got there; the lifecycle (:mod:`.lifecycle`) is asked
first, as ``close`` and ``withdraw`` ask it. The list of files attached to a case in
the case log it came from is kept on the ``imported`` event. ``dry_run`` checks and writes
nothing.
"""

from __future__ import annotations

import hashlib
import os
from datetime import date
from pathlib import Path
from typing import Any

from ..record import field, record
from ..errors import UserError
from .case_export import export_cases  # noqa: F401  (import and export named side by side, as before)
from .case_log import CaseLog
from .connection import Connection
from .transfer_check import Planned, _plan
from .transfer_read import read_file, read_rows

#: Warnings listed one by one; past this many, how many more.
SHOWN_WARNINGS = 20

@record
class ImportResult:
    rows: int
    ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    findings: int = 0
    written: bool = False
    #: How the rows were checked: before the write lock ("before"), or again under it because
    #: the case log changed meanwhile ("again").
    checked: str = "before"


class _Rollback(Exception):
    pass


def import_file(log: CaseLog, path: str | os.PathLike[str], compact: str | None = None, *, dry_run: bool = False, strict: bool = False,
                short_years: bool = False, today: date | None = None) -> ImportResult:
    """Import every case of the file at ``path``, or none (see the module's words)."""
    path = Path(path)
    today = today or date.today()
    data = read_file(path)
    digest = hashlib.sha256(data).hexdigest()
    rows = read_rows(path, data.decode("utf-8-sig"))
    if compact is not None:
        log.registry.require(compact)
    elif any(not r.values.get("compact") for r in rows):
        raise UserError("say which compact the cases are under (--compact ID), or give a compact column.")
    source = {"file": path.name, "sha256": digest}
    seen = _last_event(log)
    result = ImportResult(rows=len(rows))
    plan, result.errors, result.warnings = _plan(log, rows, compact, today, short_years)
    if result.errors or (strict and result.warnings):
        if strict and not result.errors:
            result.errors = [f"{w} (--strict)" for w in result.warnings]
        return result
    if dry_run:
        result.findings = sum(len(p.prepared.findings) for p in plan)
        return result
    try:
        with log.store.write() as db:
            if _last_event(log) != seen:  # someone wrote meanwhile: check again, under the lock
                result.checked = "again"
                plan, result.errors, result.warnings = _plan(log, rows, compact, today, short_years)
                if result.errors or (strict and result.warnings):
                    raise _Rollback
            for planned in plan:
                result.ids.append(_write(log, db, planned, source))
                result.findings += len(planned.prepared.findings)
    except _Rollback:
        result.ids = []
        return result
    result.written = True
    return result


#: The name the earlier releases gave it: a CSV is still what most officers import.
import_csv = import_file


def _last_event(log: CaseLog) -> int:
    row = log.store.one("SELECT coalesce(max(id), 0) AS n FROM events")
    assert row is not None  # an aggregate with no GROUP BY gives one row, always
    return int(row["n"])


# -- writing ---------------------------------------------------------------------------------

def _write(log: CaseLog, db: Connection, planned: Planned, source: dict[str, str]) -> int:
    """One planned case inside the caller's transaction: its ``imported`` event, then the
    ``closed`` or ``withdrawn`` one that gives it the status it has in the file (written as
    ``close`` and ``withdraw`` write them)."""
    prepared, row = planned.prepared, planned.row
    said = f"Imported from {source['file']}, {row.label}."
    prepared.note = said + (f"\n{prepared.note}" if prepared.note else "")
    detail: dict[str, Any] = {**source, "row": row.number}
    if planned.attachments:
        detail["attachments"] = planned.attachments
    case = prepared.case
    if case["status"] == "closed" and case["kind"] != "dispute" and planned.outcome:
        case["outcome"] = planned.outcome  # a record closed as it is logged (a meeting), with an outcome
    case_id = log.insert(db, prepared, "imported", detail)
    state = {"id": case_id, **case}
    on = date.fromisoformat(planned.status_on or case["on"] or case["opened"])
    if planned.status == "closed" and case["status"] != "closed":
        changes = {"status": "closed", "outcome": planned.outcome, "due": None, "due_what": None}
        log._set_status(db, state, "closed", changes, "", on)
        state.update(changes)
    if planned.status == "withdrawn":
        log.write_withdrawn(db, state, planned.withdrawn_reason, on)
    return case_id
