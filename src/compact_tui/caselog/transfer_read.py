"""Reading a file to import (:mod:`.transfer`): only a regular file, its size counted as it is
read; a CSV (a sheet as typed, an export of this version or of the one before, each read as it
was written) or a JSON export (version 2, or version 1's bare list); each case as a
:class:`Row`, its values by field.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

from ..record import record
from ..content.model import DATE_FIELDS
from ..errors import UserError
from ..text import csv_unguarded, quoted
from .case_export import CSV_MARK, EXPORT_COLUMNS_V1, FORMAT, VERSION, status_dates

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
_OLD_FORMULA = ("'=", "'+", "'-", "'@")
_MULTILINE = ("reason", "note", "withdrawn_reason", "attachments")


@record
class Row:
    """One case of the file: where it is (``label``: "row 5") and its values by field."""

    number: int
    label: str
    values: dict[str, Any]


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


def _old_status_dates(status: str, timeline: str) -> dict[str, str]:
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
