"""Checking the rows of a file to import (:mod:`.transfer`), before anything is locked: each
row as ``log`` checks a case (:meth:`CaseLog.prepare`, the rows above it seen as logged), and
asked of the lifecycle if the file closes or withdraws it; then what is doubtful about the rows
that pass (:func:`doubts`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, TypedDict

from ..record import record
from ..content.model import DATE_FIELDS
from ..errors import UserError
from ..content.model import NoticeRule
from ..rules.dates import parse_date, stored_date
from ..text import check_text, quoted
from .case_log import CaseLog, NewCase, Prepared, last_held
from .transfer_read import Row

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..rules.notice import PreviousOccurrence

_YES, _NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
_ATTACHMENT = re.compile(r"(\d+) bytes, sha256 ([0-9a-f]{64}): (.+)")


class Attachment(TypedDict):
    """A file a case had in the case log it came from: recorded in its ``imported`` event."""

    name: str
    size: int
    sha256: str


@record
class Planned:
    """A row checked and worked out, ready to be written."""

    row: Row
    prepared: Prepared
    status: str
    outcome: str | None
    status_on: str | None
    withdrawn_reason: str
    attachments: list[Attachment]


def _plan(log: CaseLog, rows: list[Row], compact: str | None, today: date,
          short_years: bool) -> tuple[list[Planned], list[str], list[str]]:
    """Every row checked as ``log`` checks a case (the rows above it seen as logged), and the
    doubtful ones warned about: the plan, the problems (``row N: ...``) and the warnings. Reads
    the case log, writes nothing."""
    plan: list[Planned] = []
    errors: list[str] = []
    above = _Above(log)
    for row in rows:
        try:
            planned = plan_row(log, row, compact, today, short_years, above.previous)
        except UserError as exc:
            errors.append(f"{row.label}: {exc}")
            continue
        above.add(planned)
        plan.append(planned)
    return plan, errors, ([] if errors else doubts(log, plan, today))


def plan_row(log: CaseLog, row: Row, compact: str | None, today: date, short_years: bool,
             previous: Callable[[str], PreviousOccurrence] | None = None) -> Planned:
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


def new_case(values: Mapping[str, Any], compact: str | None, today: date, short_years: bool = False) -> NewCase:
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


def _date(value: object, today: date, short_years: bool, what: str) -> date:
    return parse_date(_text(value), today, what, short_years=short_years, how_to_fix=(
        "save the sheet with four-figure years (in LibreOffice or Excel: format the column as a date "
        "DD/MM/YYYY, then save as CSV again), or import with --short-years to read it as"))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _list(value: object, separators: str) -> list[str]:
    if isinstance(value, list):
        return [_text(v).strip() for v in value if _text(v).strip()]
    text = _text(value)
    for sep in separators[1:]:
        text = text.replace(sep, separators[0])
    return [p.strip() for p in text.split(separators[0]) if p.strip()]


def _yes_no(value: object, column: str) -> bool | None:
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


def _attachments(value: object) -> list[Attachment]:
    """The files a case had in the case log it came from: a JSON list, or a CSV cell of lines."""
    if not value:
        return []
    items: list[Any] = value if isinstance(value, list) else [
        line for line in _text(value).splitlines() if line.strip()]
    out: list[Attachment] = []
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

    def __init__(self, log: CaseLog) -> None:
        self.log = log
        self.held: dict[tuple[str, str], list[tuple[str, set[str]]]] = {}

    def add(self, planned: Planned) -> None:
        case = planned.prepared.case
        if planned.status != "withdrawn":
            self.held.setdefault((case["compact"], case["kind"]), []).append(
                (case["on"] or case["opened"], set(planned.prepared.cites)))

    def previous(self, compact_id: str) -> PreviousOccurrence:
        def previous(rule: NoticeRule, case: dict[str, Any]) -> date | None:
            before: str = case.get("on") or case["opened"]  # every case prepare checks has its opened date
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
    first: dict[tuple[object, ...], str] = {}
    existing = _existing(log, plan)
    already: list[tuple[str, int]] = []
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


def _identity(case: Mapping[str, Any]) -> tuple[object, ...]:
    return tuple(case.get(k) or "" for k in _SAME)


def _existing(log: CaseLog, plan: list[Planned]) -> dict[tuple[object, ...], list[int]]:
    titles = json.dumps(sorted({p.prepared.case["title"] for p in plan}))
    cols = ", ".join(f'"{c}"' for c in _SAME)
    rows = log.store.query(f"SELECT id, {cols} FROM cases WHERE title IN (SELECT value FROM json_each(?)) "
                           f"ORDER BY id", [titles])
    out: dict[tuple[object, ...], list[int]] = {}
    for r in rows:
        out.setdefault(_identity(r), []).append(r["id"])
    return out


def _implausible(p: Planned, today: date) -> list[str]:
    case, now = p.prepared.case, today.isoformat()
    out: list[str] = []
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


def _lifecycle_refusal(log: CaseLog, planned: Planned) -> str | None:
    """Whether the lifecycle lets a new case in the state ``prepare`` gave it be closed or
    withdrawn as the file says (the same question ``close`` and ``withdraw`` ask)."""
    from . import lifecycle

    case: dict[str, Any] = {"id": "(new)", **planned.prepared.case}
    compact = log.registry.get(case["compact"])
    if planned.status == "closed" and case["status"] != "closed":
        why = lifecycle.refusal("close", case, compact, log.registry)
        if why:
            return why
        case["status"] = "closed"
    if planned.status == "withdrawn":
        return lifecycle.refusal("withdraw", case, compact, log.registry)
    return None
