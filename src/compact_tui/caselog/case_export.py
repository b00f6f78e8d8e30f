"""Taking cases out (``export``): every case, or one compact's, with all it carries.

Two formats, both read back by ``import`` (:mod:`compact_tui.transfer`) as the same cases:

- **JSON**: a document that says what it is, ``{"format": "compact-tui cases", "version": 2,
  "written_by": "compact-tui 0.1.0", "cases": [...]}``, each case with every field as stored,
  its findings, the list of its attachments and its whole timeline. Version 1 (the releases
  before) was the bare list of cases.
- **CSV**: one row per case, the columns of :data:`EXPORT_COLUMNS`; the last, ``format``, says
  ``compact-tui cases 2`` on every row the export wrote. Every cell goes through
  :func:`~compact_tui.text.csv_guarded`: no cell is read as a formula, an officer's own
  leading ``'`` is doubled so ``import`` can take off exactly the one the export added, and a
  line break stays a line break inside one quoted cell.

The fields and their meaning are listed in the README ("Files compact-tui writes").
"""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING, Any

from ..content.model import DATE_FIELDS
from ..errors import UserError
from ..text import csv_guarded, quoted, serialised

if TYPE_CHECKING:
    from .case_log import CaseLog

#: What the JSON export calls itself, and the version of its fields (the README lists them).
FORMAT, VERSION = "compact-tui cases", 2
#: The ``format`` cell of every row a CSV export writes.
CSV_MARK = f"{FORMAT} {VERSION}"
#: The columns of an exported CSV, in order.
EXPORT_COLUMNS = ("id", "compact", "kind", "title", "status", "stage", "stage_since", "outcome", *DATE_FIELDS,
                  "parties", "cites", "reason", "note", "in_writing", "confidential", "owner", "due", "due_what",
                  "closed_on", "withdrawn_on", "withdrawn_reason", "attachments", "findings", "timeline", "format")
#: The columns of the CSV export before version 2 (no ``format`` column): ``import`` reads such
#: a file as those releases wrote it.
EXPORT_COLUMNS_V1 = ("id", "compact", "kind", "title", "status", "stage", "stage_since", "outcome", *DATE_FIELDS,
                     "parties", "cites", "reason", "in_writing", "confidential", "owner", "due", "due_what",
                     "findings", "timeline")
#: Text a case may hold on several lines: kept so in a CSV cell.
MULTILINE = ("reason", "note", "withdrawn_reason", "attachments", "findings", "timeline")


def export_cases(log: CaseLog, fmt: str, compact: str | None = None) -> str:
    """Every case (or one compact's) with its timeline, as ``json`` or ``csv``."""
    if fmt not in ("csv", "json"):
        raise UserError(f"cannot export as {quoted(fmt)} (choose csv or json).")
    if compact is not None:
        log.registry.require(compact)
    sql, params = "SELECT id FROM cases", list[str]()
    if compact is not None:
        sql, params = sql + " WHERE compact = ?", [compact]
    cases = [exported(log.get(r["id"])) for r in log.store.query(sql + " ORDER BY id", params)]
    if fmt == "json":
        document = {"format": FORMAT, "version": VERSION, "written_by": f"compact-tui {_version()}",
                    "compact": compact, "cases": cases}
        return serialised(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for case in cases:
        writer.writerow([csv_guarded(_csv_value(case, c), lines=c in MULTILINE) for c in EXPORT_COLUMNS])
    return out.getvalue()


def exported(case: dict[str, Any]) -> dict[str, Any]:
    """A case (as :meth:`CaseLog.get` gives it) as the export writes it."""
    keep = ("id", "compact", "kind", "title", "status", "stage", "stage_since", "outcome", *DATE_FIELDS, "parties",
            "cites", "reason", "in_writing", "confidential", "owner", "due", "due_what", "findings",
            "created_by", "created_at", "updated_at")
    out = {k: case.get(k) for k in keep}
    out["in_writing"] = None if case["in_writing"] is None else bool(case["in_writing"])
    out["note"] = first_note(case)
    out["findings"] = [{k: f.get(k) for k in ("rule_id", "ref", "severity", "message", "due", "standing",
                                              "severity_standing")} for f in case["findings"]]
    out |= status_dates(case)
    out["attachments"] = attachments(case)
    out["timeline"] = [{k: e[k] for k in ("id", "at", "happened_on", "actor", "action", "note", "detail")}
                       for e in case["events"]]
    return out


def first_note(case: dict[str, Any]) -> str:
    """The note the case was logged with (the note of the event that made it), without the
    line an import puts first ("Imported from kept.csv, row 2.")."""
    events = case["events"]
    if not events or events[0]["action"] not in ("logged", "imported"):
        return ""
    note = events[0]["note"] or ""
    if events[0]["action"] == "imported" and note.startswith("Imported from "):
        note = note.partition("\n")[2]
    return note


def status_dates(case: dict[str, Any]) -> dict[str, Any]:
    """When a closed case was closed, and when and why a withdrawn one was withdrawn (from its
    timeline: the last event that gave it that status)."""
    out: dict[str, Any] = {"closed_on": None, "withdrawn_on": None, "withdrawn_reason": None}
    if case["status"] == "closed" and case.get("kind") == "dispute" and case.get("stage"):
        return out | {"closed_on": case.get("stage_since")}  # closed by reaching an outcome, that day
    for event in reversed(case["events"]):
        detail = event["detail"] if isinstance(event["detail"], dict) else {}
        status = (detail.get("set") or {}).get("status") if isinstance(detail.get("set"), dict) else None
        if status == case["status"] == "closed":
            out["closed_on"] = event["happened_on"]
            break
        if status == case["status"] == "withdrawn":
            out["withdrawn_on"] = event["happened_on"]
            out["withdrawn_reason"] = detail.get("reason") or event["note"]
            break
    return out


def attachments(case: dict[str, Any]) -> list[dict[str, Any]]:
    """The files kept with the case (name, size, SHA-256), and those it listed when it was
    imported whose bytes stayed in the case log it came from (``kept`` false)."""
    out = [{"name": a["name"], "size": a["size"], "sha256": a["sha256"], "kept": True} for a in case["attachments"]]
    kept = {a["sha256"] for a in out}
    for event in case["events"]:
        detail = event["detail"] if isinstance(event["detail"], dict) else {}
        source = detail.get("source") if event["action"] == "imported" else None
        for a in (source or {}).get("attachments") or []:
            if isinstance(a, dict) and a.get("sha256") not in kept:
                out.append({"name": a.get("name"), "size": a.get("size"), "sha256": a.get("sha256"), "kept": False})
    return out


def _csv_value(case: dict[str, Any], column: str) -> object:
    if column == "format":
        return CSV_MARK
    value: Any = case.get(column)
    if column == "parties":
        return "; ".join(value)
    if column == "cites":
        return " ".join(value)
    if column in ("in_writing", "confidential"):
        return "" if value is None else ("yes" if value else "no")
    if column == "findings":
        return " | ".join(f"{f['severity']} {f['ref']}{reading_mark(f)}: {f['message']}" for f in value)
    if column == "attachments":
        return "\n".join(attachment_line(a) for a in value)
    if column == "timeline":
        return " | ".join(f"{e['happened_on']} {e['action']} by {e['actor']}" + (f": {e['note']}" if e["note"] else "")
                          for e in value)
    return value


def reading_mark(finding: dict[str, Any]) -> str:
    """" (a reading)" after a finding whose rule or severity is our reading of the text, not
    stated by it, as ``case N`` and the annual report mark it; else nothing."""
    return " (a reading)" if "reading" in (finding.get("standing"), finding.get("severity_standing")) else ""


def attachment_line(a: dict[str, Any]) -> str:
    """One attachment in the CSV's ``attachments`` cell (one a line): ``12 bytes, sha256 ...: name``."""
    return f"{a['size']} bytes, sha256 {a['sha256']}: {a['name']}"


def _version() -> str:
    from .. import __version__

    return __version__
