"""Apply a compact's notice rules to a case and say what is wrong, under which clause, and
what date would have complied.

The engine knows three shapes of rule (see :class:`~compact_tui.content.model.NoticeRule`); the
periods and clauses come from the plugins. A compact with no rule for a kind of case yields
no finding, and ``Compact.rules_for`` lets the caller say so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date

from .dates import add_period, describe_gap, stored_date
from ..content.model import Compact, NoticeRule


@dataclass(frozen=True)
class Finding:
    rule_id: str
    ref: str
    severity: str  # breach or warning
    message: str
    due: str | None  # the date that would have complied, ISO

    def as_dict(self) -> dict:
        return asdict(self)


def _date(case: dict, field: str) -> date | None:
    value = case.get(field)
    if not value:
        return None
    return value if isinstance(value, date) else stored_date(value, f"the {field} date")


#: ``previous(rule, case) -> date or None``: the last occurrence before this case, for
#: recurring rules. The case log answers it from the database.
PreviousOccurrence = Callable[[NoticeRule, dict], "date | None"]


def evaluate(compact: Compact, case: dict, previous: PreviousOccurrence | None = None) -> list[Finding]:
    """Every finding the compact's rules make about ``case`` (a dict of its fields)."""
    findings: list[Finding] = []
    cites = set(case.get("cites") or ())
    for rule in compact.rules_for(case["kind"]):
        if rule.type == "minimum-period":
            findings += _minimum_period(compact, rule, case)
        elif rule.type == "deadline":
            findings += _deadline(compact, rule, case)
        elif rule.type == "recurring" and previous is not None:
            if rule.needs_cite and rule.ref not in cites:
                continue
            findings += _recurring(compact, rule, case, previous)
    return findings


def _label(compact: Compact, rule: NoticeRule) -> str:
    return f"{compact.info.name} {rule.ref}"


def _minimum_period(compact: Compact, rule: NoticeRule, case: dict) -> list[Finding]:
    start, end = _date(case, rule.from_field), _date(case, rule.to_field)
    out: list[Finding] = []
    if start is None or rule.period is None:
        return out
    if rule.in_writing and case.get("in_writing") == 0:
        out.append(Finding(rule.id, rule.ref, rule.severity,
                           f"{_label(compact, rule)}: {rule.title}: it must be in writing, and this was not.",
                           None))
    if end is None:
        return out
    due = add_period(start, rule.period)
    if end >= due:
        return out
    if rule.exception and (case.get("reason") or "").strip():
        return out  # the allowed exception, with its recorded reason
    why = f"{describe_gap(start, end)} given, {rule.period.describe()} owed"
    tail = f"; compliant date {due.isoformat()}"
    if rule.exception:
        tail += f" (unless {rule.exception}: record a reason)"
    out.append(Finding(rule.id, rule.ref, rule.severity, f"{_label(compact, rule)}: {why}{tail}.", due.isoformat()))
    return out


def _deadline(compact: Compact, rule: NoticeRule, case: dict) -> list[Finding]:
    happened, limit = _date(case, rule.from_field), _date(case, rule.to_field)
    if happened is None or limit is None:
        return []
    if rule.period is not None:
        limit = add_period(limit, rule.period)
    if happened <= limit:
        return []
    if rule.exception and (case.get("reason") or "").strip():
        return []
    late = describe_gap(limit, happened)
    return [Finding(rule.id, rule.ref, rule.severity,
                    f"{_label(compact, rule)}: {rule.title}: {late} late; it was due by {limit.isoformat()}.",
                    limit.isoformat())]


def _recurring(compact: Compact, rule: NoticeRule, case: dict, previous: PreviousOccurrence) -> list[Finding]:
    held = _date(case, "on") or _date(case, "opened")
    before = previous(rule, case)
    if held is None or before is None or rule.period is None:
        return []
    due = add_period(before, rule.period)
    if held <= due:
        return []
    return [Finding(rule.id, rule.ref, rule.severity,
                    f"{_label(compact, rule)}: {rule.title}: held {describe_gap(before, held)} after the last "
                    f"one ({before.isoformat()}); due every {rule.period.describe()}, by {due.isoformat()}.",
                    due.isoformat())]


def with_standing(compact: Compact | None, finding: dict) -> dict:
    """A finding (as a dict) with its rule's standing beside it: whether the source states the
    rule and its severity, or they are our reading, and why. A reading is shown as one."""
    rule = next((r for r in compact.rules if r.id == finding.get("rule_id")), None) if compact else None
    if rule is None:  # a rule the installed compact no longer has
        return {**finding, "standing": "unknown", "states": "", "reading": "",
                "severity_standing": "unknown", "severity_reading": ""}
    return {**finding, "standing": rule.standing.label, "states": rule.states, "reading": rule.reading,
            "severity_standing": rule.severity_standing.label, "severity_reading": rule.severity_reading}


def next_due(rule: NoticeRule, last: date) -> date:
    """When a recurring duty last done on ``last`` is next due."""
    assert rule.period is not None
    return add_period(last, rule.period)
