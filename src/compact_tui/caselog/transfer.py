"""Bringing in the logs officers already keep (``import``), and taking cases out (``export``).

**Import** reads a CSV file whose first row names its columns. Each header is matched to a
field of a case (:data:`COLUMNS`, case and spacing ignored); a header it does not know is an
error naming it. Each row becomes a :class:`~compact_tui.caselog.case_log.NewCase` and goes through
:meth:`CaseLog.prepare <compact_tui.caselog.case_log.CaseLog.prepare>`, the very check ``log`` makes, so
there is no second validator. All rows are written in one transaction, each with an
``imported`` event naming the file and the row, or none is: every bad row is listed by its
number (the header is row 1, as a spreadsheet numbers them) and nothing is written. Rows are
checked in order inside that transaction, so a row sees the rows above it as ``log`` would
have (an annual review measured from the one before it in the file). ``dry_run`` does all of
this and then rolls it back.

**Export** writes every case (or one compact's) with its parties, cited clauses, findings
and timeline: JSON exactly as stored, or CSV through :func:`~compact_tui.text.csv_cell` (so
no cell is read as a formula). The CSV's columns are ones import knows, so an export can be
imported into another case log: the same cases, their rules applied again, each with a new
timeline that starts with its ``imported`` event (the old timeline is in the export).
What a CSV cell cannot carry exactly: a line break in a reason or note is written as the
visible ``\\x0a`` (the text boundary's one-line rule) and read back as a line break, and a
text starting with ``'`` then ``=``, ``+``, ``-`` or ``@`` loses that ``'`` on the way back.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .case_log import CaseLog, NewCase
from ..errors import UserError
from ..content.model import DATE_FIELDS
from ..text import csv_cell, quoted, serialised

#: Header (lower case, spaces and hyphens as ``_``) -> the field of a case it fills.
COLUMNS: dict[str, str] = {
    "title": "title", "kind": "kind", "compact": "compact",
    **{f: f for f in DATE_FIELDS}, "stage_since": "stage_since",
    "parties": "parties", "organisations": "parties", "orgs": "parties",
    "cites": "cites", "clauses_cited": "cites", "clauses": "cites",
    "reason": "reason", "note": "note", "confidential": "confidential", "in_writing": "in_writing",
    "owner": "owner", "status": "status", "stage": "stage",
}
#: Columns an export carries that compact-tui works out itself: known, so an export can be
#: imported again, and not read (the case's id, its findings and due date come from its rules).
WORKED_OUT = ("id", "outcome", "due", "due_what", "findings", "timeline", "created_by", "created_at", "updated_at")
#: The columns of an exported CSV, in order.
EXPORT_COLUMNS = ("id", "compact", "kind", "title", "status", "stage", "stage_since", "outcome", *DATE_FIELDS,
                  "parties", "cites", "reason", "in_writing", "confidential", "owner", "due", "due_what",
                  "findings", "timeline")
#: The largest file import reads.
MAX_BYTES = 50 * 1024 * 1024

_YES, _NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
_FORMULA = ("'=", "'+", "'-", "'@")


@dataclass
class ImportResult:
    rows: int
    ids: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    findings: int = 0
    written: bool = False


class _Rollback(Exception):
    pass


def import_csv(log: CaseLog, path, compact: str | None = None, *, dry_run: bool = False,
               today: date | None = None) -> ImportResult:
    """Import every row of the CSV file ``path`` as a case, or none (see the module's words)."""
    path = Path(path)
    today = today or date.today()
    header, rows = read_csv(path)
    fields = match_headers(header)
    if compact is None and "compact" not in fields:
        raise UserError("say which compact the cases are under (--compact ID), or give a compact column.")
    if compact is not None:
        log.registry.require(compact)
    result = ImportResult(rows=len(rows))
    try:
        with log.store.write() as db:
            for number, cells in rows:
                try:
                    new = new_case(fields, cells, compact, today)
                    prepared = log.prepare(new, today)
                except UserError as exc:
                    result.errors.append(f"row {number}: {exc}")
                    continue
                if not result.errors:
                    said = f"Imported from {path.name}, row {number}."
                    prepared.note = said + (f"\n{prepared.note}" if prepared.note else "")
                    result.ids.append(log.insert(db, prepared, "imported", {"file": path.name, "row": number}))
                    result.findings += len(prepared.findings)
            if result.errors or dry_run:
                raise _Rollback
    except _Rollback:
        if result.errors:
            result.ids = []
        return result
    result.written = True
    return result


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the rows that are not blank, each with its row number (header = 1)."""
    from ..files import NotRegular, TooLarge, read_regular_file

    try:
        text = read_regular_file(path, MAX_BYTES).decode("utf-8-sig")
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
    try:
        records = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise UserError(f"{path} is not a CSV file the import can read ({exc}).") from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise UserError(f"{path} is empty: its first row should name the columns (title, kind, ...).")
    rows = [(n, r) for n, r in enumerate(records[1:], start=2) if any(cell.strip() for cell in r)]
    return records[0], rows


def match_headers(header: list[str]) -> list[str | None]:
    """The field each column fills (None for a column compact-tui works out itself)."""
    fields: list[str | None] = []
    for name in header:
        key = "_".join(name.strip().lower().replace("-", " ").split())
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


def new_case(fields: list[str | None], cells: list[str], compact: str | None, today: date) -> NewCase:
    """One row as the case ``log`` would be given."""
    from ..rules.dates import parse_date

    if len(cells) > len(fields):
        raise UserError(f"it has {len(cells)} cells but the header names {len(fields)} columns.")
    values = {f: _cell(c) for f, c in zip(fields, cells) if f is not None}
    dates = {f: parse_date(values[f], today, f"the {f} column") for f in DATE_FIELDS if values.get(f)}
    new = NewCase(kind=values.get("kind", ""), compact=values.get("compact") or compact,
                  title=values.get("title", ""), dates=dates,
                  orgs=[p.strip() for p in values.get("parties", "").split(";") if p.strip()],
                  cites=values.get("cites", "").replace(",", " ").replace(";", " ").split(),
                  reason=_lines(values.get("reason", "")), note=_lines(values.get("note", "")),
                  confidential=bool(_yes_no(values.get("confidential", ""), "confidential")),
                  in_writing=_yes_no(values.get("in_writing", ""), "in_writing"),
                  owner=values.get("owner") or None, status=values.get("status") or None,
                  stage=values.get("stage") or None)
    if values.get("stage_since"):
        new.stage_since = parse_date(values["stage_since"], today, "the stage_since column")
    return new


def _cell(text: str) -> str:
    """A cell as typed: a spreadsheet's (or our export's) ``'`` before a formula sign dropped."""
    text = text.strip()
    return text[1:] if text.startswith(_FORMULA) else text


def _lines(text: str) -> str:
    return text.replace("\\x0a", "\n").replace("\\x09", "\t")


def _yes_no(text: str, column: str) -> bool | None:
    if not text:
        return None
    if text.lower() in _YES:
        return True
    if text.lower() in _NO:
        return False
    raise UserError(f"the {column} column says {quoted(text)}; use yes or no (or leave it empty).")


# -- export ---------------------------------------------------------------------------------

def export_cases(log: CaseLog, fmt: str, compact: str | None = None) -> str:
    """Every case (or one compact's) with its timeline, as ``json`` or ``csv``."""
    if fmt not in ("csv", "json"):
        raise UserError(f"cannot export as {quoted(fmt)} (choose csv or json).")
    if compact is not None:
        log.registry.require(compact)
    sql, params = "SELECT id FROM cases", []
    if compact is not None:
        sql, params = sql + " WHERE compact = ?", [compact]
    cases = [_exported(log.get(r["id"])) for r in log.store.query(sql + " ORDER BY id", params)]
    if fmt == "json":
        return serialised(json.dumps(cases, indent=2, ensure_ascii=False)) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for case in cases:
        writer.writerow([csv_cell(_csv_value(case, c)) for c in EXPORT_COLUMNS])
    return out.getvalue()


def _exported(case: dict) -> dict:
    keep = ("id", "compact", "kind", "title", "status", "stage", "stage_since", "outcome", *DATE_FIELDS, "parties",
            "cites", "reason", "in_writing", "confidential", "owner", "due", "due_what", "findings",
            "created_by", "created_at", "updated_at")
    out = {k: case.get(k) for k in keep}
    out["in_writing"] = None if case["in_writing"] is None else bool(case["in_writing"])
    out["timeline"] = [{k: e[k] for k in ("id", "at", "happened_on", "actor", "action", "note", "detail")}
                       for e in case["events"]]
    out["attachments"] = case.get("attachments", [])  # name, size, SHA-256; 'compact-tui attachment' gets each
    return out


def _csv_value(case: dict, column: str):
    value = case.get(column)
    if column == "parties":
        return "; ".join(value)
    if column == "cites":
        return " ".join(value)
    if column in ("in_writing", "confidential"):
        return "" if value is None else ("yes" if value else "no")
    if column == "findings":
        return " | ".join(f"{f['severity']} {f['ref']}: {f['message']}" for f in value)
    if column == "timeline":
        return " | ".join(f"{e['happened_on']} {e['action']} by {e['actor']}" + (f": {e['note']}" if e["note"] else "")
                          for e in value)
    return value
