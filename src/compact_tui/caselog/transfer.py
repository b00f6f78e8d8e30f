"""Bringing in the logs officers already keep, and cases exported from another case log (``import``).

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

# long: reading (CSV, JSON) and planning an import go to modules of their own once issue 24's pending commit lands
from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..content.model import DATE_FIELDS
from ..errors import UserError
from ..rules.dates import parse_date, stored_date
from ..text import check_text, csv_unguarded, quoted
from .case_export import CSV_MARK, EXPORT_COLUMNS_V1, FORMAT, VERSION, export_cases, status_dates  # noqa: F401
from .case_log import CaseLog, NewCase, Prepared, last_held

#: Header (lower case, spaces and hyphens as ``_``) -> the field of a case it fills.
COLUMNS: dict[str, str] = {
    "title": "title", "kind": "kind", "compact": "compact",
    **{f: f for f in DATE_FIELDS}, "stage_since": "stage_since",
    "parties": "parties", "organisations": "parties", "orgs": "parties",
    "cites": "cites", "clauses_cited": "cites", "clauses": "cites",
    "reason": "reason", "note": "note", "confidential": "confidential", "in_writing": "in_writing",
    "owner": "owner", "status": "status", "stage": "stage", "outcome": "outcome",
    "closed_on": "closed_on", "withdrawn_on": "withdrawn_on", "withdrawn_reason": "withdrawn_reason",
    "attachments": "attachments", "format": "format",
}
#: Columns an export carries that compact-tui works out itself: known, so an export can be
#: imported again, and not read (the case's id, its findings and due date come from its rules).
WORKED_OUT = ("id", "due", "due_what", "findings", "timeline", "created_by", "created_at", "updated_at")
#: The largest file import reads.
MAX_BYTES = 50 * 1024 * 1024
#: Warnings listed one by one; past this many, how many more.
SHOWN_WARNINGS = 20

_YES, _NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
_OLD_FORMULA = ("'=", "'+", "'-", "'@")
_MULTILINE = ("reason", "note", "withdrawn_reason", "attachments")
_ATTACHMENT = re.compile(r"(\d+) bytes, sha256 ([0-9a-f]{64}): (.+)")


@dataclass
class Row:
    """One case of the file: where it is (``label``: "row 5") and its values by field."""

    number: int
    label: str
    values: dict


@dataclass
class Planned:
    """A row checked and worked out, ready to be written."""

    row: Row
    prepared: Prepared
    status: str
    outcome: str | None
    status_on: str | None
    withdrawn_reason: str
    attachments: list[dict]


@dataclass
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


def import_file(log: CaseLog, path, compact: str | None = None, *, dry_run: bool = False, strict: bool = False,
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
    plan = _plan(log, rows, compact, today, short_years, result)
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
                result.errors, result.warnings, result.checked = [], [], "again"
                plan = _plan(log, rows, compact, today, short_years, result)
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
    return log.store.one("SELECT coalesce(max(id), 0) AS n FROM events")["n"]


# -- reading --------------------------------------------------------------------------------

def read_file(path: Path) -> bytes:
    """The file's bytes: a regular file only, of up to :data:`MAX_BYTES`, counted as it is read."""
    from ..files import NotRegular, TooLarge, read_regular_file

    try:
        data = read_regular_file(path, MAX_BYTES)
        data.decode("utf-8-sig")
        return data
    except FileNotFoundError:
        raise UserError(f"there is no file {path}.") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder, not a CSV file.") from None
    except NotRegular as exc:
        raise UserError(f"{path} is {exc.kind}, not a file saved on disk; import reads only a saved file "
                        f"(save the sheet as CSV first).") from None
    except TooLarge:
        raise UserError(f"{path} is larger than {MAX_BYTES // (1024 * 1024)} MB, the most import reads "
                        f"(split it into parts).") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text: save it from the spreadsheet as 'CSV UTF-8'.") from None
    except OSError as exc:
        raise UserError(f"cannot read {path}: {exc.strerror or exc}.") from None


def read_rows(path: Path, text: str) -> list[Row]:
    """The cases of a CSV or JSON file, each with where it is in the file."""
    if text.lstrip()[:1] in ("[", "{"):
        return json_rows(path, text)
    return csv_rows(path, text)


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows that are not blank, each with its row number (header = 1)."""
    return _csv_records(path, read_file(path).decode("utf-8-sig"))


def _csv_records(path: Path, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UserError(f"{path} is not a CSV file the import can read ({exc}).") from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise UserError(f"{path} is empty: its first row should name the columns (title, kind, ...).")
    rows, number = [], 2
    for record in records[1:]:
        if any(cell.strip() for cell in record):
            rows.append((number, record))
        number += 1
    return records[0], rows


def csv_rows(path: Path, text: str) -> list[Row]:
    header, records = _csv_records(path, text)
    fields = match_headers(header)
    old_export = [_key(h) for h in header] == list(EXPORT_COLUMNS_V1)
    timeline = EXPORT_COLUMNS_V1.index("timeline")
    out = []
    for number, cells in records:
        label = f"row {number}"
        if len(cells) > len(fields):
            out.append(Row(number, label, {"_error": f"it has {len(cells)} cells but the header names "
                                                     f"{len(fields)} columns."}))
            continue
        raw = {f: c for f, c in zip(fields, cells) if f is not None}
        mark = raw.pop("format", "").strip()
        if mark == CSV_MARK:  # written by the export: one ' off each cell, line breaks kept
            values = {f: csv_unguarded(c) for f, c in raw.items()}
        elif mark:
            values = {"_error": f"its format cell says {quoted(mark)}; this compact-tui reads {quoted(CSV_MARK)} "
                                f"(a newer compact-tui wrote it?)."}
        elif old_export:  # the export before version 2
            values = {f: _old_cell(f, c) for f, c in raw.items()}
            if len(cells) > timeline:
                values |= _old_status_dates(values.get("status", ""), cells[timeline])
        else:  # a sheet: as typed
            values = {f: c.strip() for f, c in raw.items()}
        out.append(Row(number, label, values))
    return out


def _old_cell(field_name: str, text: str) -> str:
    text = text.strip()
    text = text[1:] if text.startswith(_OLD_FORMULA) else text
    return text.replace("\\x0a", "\n").replace("\\x09", "\t") if field_name in _MULTILINE else text


def _old_status_dates(status: str, timeline: str) -> dict:
    """When (and, if withdrawn, why) a case in a CSV export before version 2 reached its status,
    from its timeline cell (``2026-01-08 withdrawn by jo: logged twice | ...``)."""
    for entry in reversed(timeline.split(" | ")):
        match = re.fullmatch(r"(\d{4}-\d{2}-\d{2}) (closed|withdrawn|advanced|logged|imported) by .*?(?:: (.*))?",
                             entry.strip(), re.DOTALL)
        if match and match.group(2) == status == "withdrawn":
            return {"withdrawn_on": match.group(1), "withdrawn_reason": _old_cell("reason", match.group(3) or "")}
        if match and status == "closed" and match.group(2) in ("closed", "advanced", "logged", "imported"):
            return {"closed_on": match.group(1)}
    return {}


def json_rows(path: Path, text: str) -> list[Row]:
    """The cases of a JSON export: ``{"format": "compact-tui cases", "version": 2, "cases": [...]}``,
    or version 1's bare list of cases."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise UserError(f"{path} is not JSON the import can read ({exc}).") from None
    if isinstance(document, dict):
        if document.get("format") != FORMAT:
            raise UserError(f"{path} is JSON but not a compact-tui cases export (its format is "
                            f"{quoted(document.get('format'))}, not {quoted(FORMAT)}).")
        version = document.get("version")
        if not isinstance(version, int) or not 1 <= version <= VERSION:
            shown = version if isinstance(version, int) else quoted(version)
            raise UserError(f"{path} is a cases export of version {shown}; this compact-tui reads "
                            f"versions 1 to {VERSION} (a newer compact-tui wrote it: update this one).")
        cases = document.get("cases")
    else:
        cases = document  # version 1: the bare list
    if not isinstance(cases, list):
        raise UserError(f"{path} has no list of cases.")
    out = []
    for n, case in enumerate(cases, start=1):
        label = f"case {n} (id {case.get('id')} in the file)" if isinstance(case, dict) else f"case {n}"
        if not isinstance(case, dict):
            out.append(Row(n, label, {"_error": "it is not a case (a JSON object)."}))
            continue
        values = {k: v for k, v in case.items() if k in COLUMNS.values()}
        if "withdrawn_reason" not in case and isinstance(case.get("timeline"), list):  # version 1
            values |= {k: v for k, v in status_dates({"status": case.get("status"), "events": [
                e for e in case["timeline"] if isinstance(e, dict) and "detail" in e]}).items() if v}
        out.append(Row(n, label, values))
    return out


def match_headers(header: list[str]) -> list[str | None]:
    """The field each column fills (None for a column compact-tui works out itself)."""
    fields: list[str | None] = []
    for name in header:
        key = _key(name)
        if key in COLUMNS:
            field_name = COLUMNS[key]
            if field_name in fields:
                raise UserError(f"the column {quoted(name)} fills {field_name}, which another column fills already.")
            fields.append(field_name)
        elif key in WORKED_OUT:
            fields.append(None)
        else:
            known = ", ".join(sorted({*COLUMNS, *WORKED_OUT}))
            raise UserError(f"the column {quoted(name)} is not one import knows (known: {known}).")
    for needed in ("title", "kind"):
        if needed not in fields:
            raise UserError(f"the file has no {needed} column; each case needs one.")
    return fields


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


# -- checking -------------------------------------------------------------------------------

def _plan(log: CaseLog, rows: list[Row], compact: str | None, today: date, short_years: bool,
          result: ImportResult) -> list[Planned]:
    """Every row checked as ``log`` checks a case (the rows above it seen as logged), and the
    doubtful ones warned about; reads the case log, writes nothing."""
    plan: list[Planned] = []
    above = _Above(log)
    for row in rows:
        try:
            planned = plan_row(log, row, compact, today, short_years, above.previous)
        except UserError as exc:
            result.errors.append(f"{row.label}: {exc}")
            continue
        above.add(planned)
        plan.append(planned)
    if not result.errors:
        result.warnings = doubts(log, plan, today)
    return plan


def plan_row(log: CaseLog, row: Row, compact: str | None, today: date, short_years: bool,
             previous=None) -> Planned:
    v = row.values
    if "_error" in v:
        raise UserError(v["_error"])
    new = new_case(v, compact, today, short_years)
    given = _text(v.get("status")).strip().lower()
    status = given or "open"
    if status not in ("open", "closed", "withdrawn"):
        raise UserError(f"the status {quoted(v.get('status'))} is not open, closed or withdrawn.")
    # a dispute's status follows its stage (prepare checks the two agree); any other case is
    # brought in open (a record such as a meeting closed, as 'log' does, unless the file says
    # open) and then closed or withdrawn by an event of its own
    if new.kind == "dispute":  # as the file says, or as its stage has it
        new.status = given if given in ("open", "closed") else None
    else:
        new.status = "open" if given == "open" else None
    prepared = log.prepare(new, today, previous=previous)
    outcome = check_text(_text(v.get("outcome")), "the outcome", 200, single_line=True, required=False) or None
    reason = check_text(_text(v.get("withdrawn_reason")), "the withdrawn_reason", 2000, required=False)
    if status == "withdrawn" and not reason.strip():
        raise UserError("a withdrawn case needs the reason it was withdrawn (withdrawn_reason).")
    when = v.get("withdrawn_on") if status == "withdrawn" else v.get("closed_on") if status == "closed" else None
    status_on = _date(when, today, short_years, f"the {status}_on column").isoformat() if when else None
    planned = Planned(row, prepared, status, outcome, status_on, reason, _attachments(v.get("attachments")))
    why = _lifecycle_refusal(log, planned)
    if why:
        raise UserError(why)
    return planned


def new_case(values: dict, compact: str | None, today: date, short_years: bool = False) -> NewCase:
    """One row as the case ``log`` would be given."""
    dates = {f: _date(values[f], today, short_years, f"the {f} column") for f in DATE_FIELDS if values.get(f)}
    new = NewCase(kind=_text(values.get("kind")).strip(), compact=_text(values.get("compact")).strip() or compact,
                  title=_text(values.get("title")), dates=dates,
                  orgs=_list(values.get("parties"), ";"), cites=_list(values.get("cites"), " ,;"),
                  reason=_text(values.get("reason")), note=_text(values.get("note")),
                  confidential=bool(_yes_no(values.get("confidential"), "confidential")),
                  in_writing=_yes_no(values.get("in_writing"), "in_writing"),
                  owner=_text(values.get("owner")) or None, stage=_text(values.get("stage")) or None)
    if values.get("stage_since"):
        new.stage_since = _date(values["stage_since"], today, short_years, "the stage_since column")
    return new


def _date(value, today: date, short_years: bool, what: str) -> date:
    return parse_date(_text(value), today, what, short_years=short_years, how_to_fix=(
        "save the sheet with four-figure years (in LibreOffice or Excel: format the column as a date "
        "DD/MM/YYYY, then save as CSV again), or import with --short-years to read it as"))


def _text(value) -> str:
    return "" if value is None else str(value)


def _list(value, separators: str) -> list[str]:
    if isinstance(value, list):
        return [_text(v).strip() for v in value if _text(v).strip()]
    text = _text(value)
    for sep in separators[1:]:
        text = text.replace(sep, separators[0])
    return [p.strip() for p in text.split(separators[0]) if p.strip()]


def _yes_no(value, column: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = _text(value).strip()
    if not text:
        return None
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    raise UserError(f"the {column} column says {quoted(text)}; use yes or no (or leave it empty).")


def _attachments(value) -> list[dict]:
    """The files a case had in the case log it came from: a JSON list, or a CSV cell of lines."""
    if not value:
        return []
    items = value if isinstance(value, list) else [
        line for line in _text(value).splitlines() if line.strip()]
    out = []
    for item in items:
        if isinstance(item, str):
            match = _ATTACHMENT.fullmatch(item.strip())
            if match is None:
                raise UserError(f"the attachments cell has {quoted(item)}; each line should read "
                                f"'SIZE bytes, sha256 HEX: NAME', as the export writes it.")
            item = {"size": int(match.group(1)), "sha256": match.group(2), "name": match.group(3)}
        if not isinstance(item, dict) or not isinstance(item.get("size"), int) or \
                not re.fullmatch(r"[0-9a-f]{64}", _text(item.get("sha256"))):
            raise UserError(f"an attachment is listed as {quoted(item)}, not as a name, size and SHA-256.")
        out.append({"name": check_text(_text(item.get("name")), "an attachment's name", 255, single_line=True),
                    "size": item["size"], "sha256": item["sha256"]})
    return out


class _Above:
    """The rows above the one being checked, as ``last_held`` would see them had they been
    logged: so a recurring duty (an annual review) is measured from the one before it, in the
    case log or higher in the file."""

    def __init__(self, log: CaseLog):
        self.log = log
        self.held: dict[tuple[str, str], list[tuple[str, set]]] = {}

    def add(self, planned: Planned) -> None:
        case = planned.prepared.case
        if planned.status != "withdrawn":
            self.held.setdefault((case["compact"], case["kind"]), []).append(
                (case["on"] or case["opened"], set(planned.prepared.cites)))

    def previous(self, compact_id: str) -> Callable:
        def previous(rule, case) -> date | None:
            before = case.get("on") or case.get("opened")
            best = last_held(self.log.store, compact_id, rule, before=before)
            for held, cites in self.held.get((compact_id, rule.applies_to), ()):
                if (not rule.needs_cite or rule.ref in cites) and held < before:
                    day = stored_date(held, "a date higher in the file")
                    best = day if best is None or day > best else best
            return best
        return previous


def doubts(log: CaseLog, plan: list[Planned], today: date) -> list[str]:
    """What is doubtful about rows that can be imported: the same case twice in the file, a
    case already in the case log, dates that cannot be right (issue 18: all were taken without
    a word)."""
    out: list[str] = []
    first: dict[tuple, str] = {}
    existing = _existing(log, plan)
    already = []
    for p in plan:
        key, label = _identity(p.prepared.case), p.row.label
        if key in first:
            out.append(f"{label} is the same case as {first[key]} (same compact, kind, title, dates and parties).")
        else:
            first[key] = label
        if key in existing:
            already.append((label, existing[key][0]))
        out += [f"{label}: {w}" for w in _implausible(p, today)]
    if already and len(already) == len(plan):
        ids = sorted({i for key in map(_identity, (p.prepared.case for p in plan)) for i in existing[key]})
        out.insert(0, f"every row is already in the case log (cases {ids[0]} to {ids[-1]}, the same compact, kind, "
                      f"title, dates and parties): was this file imported before?")
    else:
        out += [f"{label} is already in the case log as case {case_id} (same compact, kind, title, dates and "
                f"parties)." for label, case_id in already]
    return out


_SAME = ("compact", "kind", "title", *DATE_FIELDS, "parties")


def _identity(case: dict) -> tuple:
    return tuple(case.get(k) or "" for k in _SAME)


def _existing(log: CaseLog, plan: list[Planned]) -> dict[tuple, list[int]]:
    titles = json.dumps(sorted({p.prepared.case["title"] for p in plan}))
    cols = ", ".join(f'"{c}"' for c in _SAME)
    rows = log.store.query(f"SELECT id, {cols} FROM cases WHERE title IN (SELECT value FROM json_each(?)) "
                           f"ORDER BY id", [titles])
    out: dict[tuple, list[int]] = {}
    for r in rows:
        out.setdefault(_identity(r), []).append(r["id"])
    return out


def _implausible(p: Planned, today: date) -> list[str]:
    case, now = p.prepared.case, today.isoformat()
    out = []
    if case["opened"] > now:
        out.append(f"opened {case['opened']} is after today ({now}).")
    since = case.get("stage_since")
    if since and since < case["opened"]:
        out.append(f"stage_since {since} is before the case opened ({case['opened']}).")
    if since and since > now:
        out.append(f"stage_since {since} is after today ({now}).")
    if p.status_on and p.status_on < case["opened"]:
        out.append(f"{p.status}_on {p.status_on} is before the case opened ({case['opened']}).")
    if p.status_on and p.status_on > now:
        out.append(f"{p.status}_on {p.status_on} is after today ({now}).")
    return out


# -- writing --------------------------------------------------------------------------------

def _write(log: CaseLog, db, planned: Planned, source: dict) -> int:
    """One planned case inside the caller's transaction: its ``imported`` event, then the
    ``closed`` or ``withdrawn`` one that gives it the status it has in the file (written as
    ``close`` and ``withdraw`` write them)."""
    prepared, row = planned.prepared, planned.row
    said = f"Imported from {source['file']}, {row.label}."
    prepared.note = said + (f"\n{prepared.note}" if prepared.note else "")
    detail = {**source, "row": row.number}
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


def _lifecycle_refusal(log: CaseLog, planned: Planned) -> str | None:
    """Whether the lifecycle lets a new case in the state ``prepare`` gave it be closed or
    withdrawn as the file says (the same question ``close`` and ``withdraw`` ask)."""
    from . import lifecycle

    case = {"id": "(new)", **planned.prepared.case}
    compact = log.registry.get(case["compact"])
    if planned.status == "closed" and case["status"] != "closed":
        why = lifecycle.refusal("close", case, compact, log.registry)
        if why:
            return why
        case["status"] = "closed"
    if planned.status == "withdrawn":
        return lifecycle.refusal("withdraw", case, compact, log.registry)
    return None
