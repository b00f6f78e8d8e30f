"""Apply a compact's notice rules to a case: every rule of the case's compact and kind is
accounted for, as broken (a breach or a warning, with its clause and the date that would have
complied), met, a noted exception the text allows (with the reason recorded), not checked (with
the date it needs and the option that supplies it), or not applying to this case.

The engine knows three shapes of rule (see :class:`~compact_tui.content.model.NoticeRule`); the
periods and clauses come from the plugins. :func:`account` gives one :class:`RuleCheck` per
rule (two where a rule is broken twice: too short and not in writing); :func:`evaluate` gives
the broken ones as :class:`Finding` s, which the case log stores.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from ..record import field, field_values, record
from .dates import add_period, describe_gap, stored_date
from ..content.model import Compact, NoticeRule
from ..text import cut

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    #: ``previous(rule, case) -> date or None``: the last occurrence before this case, for
    #: recurring rules. The case log answers it from the database.
    PreviousOccurrence = Callable[[NoticeRule, dict[str, Any]], date | None]

#: What became of one rule on one case. ``breach`` and ``warning`` are findings (a rule broken);
#: ``exception`` is the text's own exception, taken with the reason recorded; ``unchecked`` is a
#: rule that needs something the case does not record; ``not-applicable`` a recurring rule that
#: counts only cases citing its clause, on a case that does not cite it.
OUTCOMES = ("breach", "warning", "exception", "met", "unchecked", "not-applicable")
BROKEN = ("breach", "warning")

#: Each thing a rule may need, in words.
NEEDS_WORDS = {
    "start": "the date the consultation starts",
    "end": "the date the consultation closes",
    "notified": "the date notice was given",
    "effective": "the date the change takes effect",
    "period_end": "the end of the current funding period",
    "on": "the date it happened",
    "opened": "the date the case opened",
    "in_writing": "whether it was given in writing",
}

#: How the command line supplies each (``log`` and ``update``); the app's form has its own labels.
OPTIONS = {"start": "--start", "end": "--end", "notified": "--notified", "effective": "--effective",
           "period_end": "--period-end", "on": "--on", "opened": "--opened",
           "in_writing": "--in-writing or --verbal"}


@record(frozen=True)
class Finding:
    """A rule broken: what the ``findings`` table holds for a case."""

    rule_id: str
    ref: str
    severity: str  # breach or warning
    message: str
    due: str | None  # the date that would have complied, ISO

    def as_dict(self) -> dict[str, Any]:
        return field_values(self)


@record(frozen=True)
class RuleCheck:
    """What one rule made of one case: its ``outcome`` (one of :data:`OUTCOMES`) and why."""

    rule_id: str
    ref: str
    outcome: str
    message: str
    due: str | None = None  # for a broken rule, the date that would have complied
    needs: tuple[str, ...] = ()  # unchecked: what the case would have to record (keys of NEEDS_WORDS)
    reason: str = ""  # an exception: the reason recorded
    allows: str = ""  # an exception: the text's words that allow it

    @property
    def broken(self) -> bool:
        return self.outcome in BROKEN

    def finding(self) -> Finding:
        return Finding(self.rule_id, self.ref, self.outcome, self.message, self.due)

    def as_dict(self) -> dict[str, Any]:
        out = field_values(self)
        out["needs"] = list(self.needs)
        return out


def _date(case: dict[str, Any], name: str) -> date | None:
    value = case.get(name)
    if not value:
        return None
    return value if isinstance(value, date) else stored_date(value, f"the {name} date")


def account(compact: Compact, case: dict[str, Any], previous: PreviousOccurrence | None = None) -> list[RuleCheck]:
    """Every rule of the compact for ``case``'s kind, and what it made of the case (a dict of its
    fields; ``cites`` a list of references)."""
    out: list[RuleCheck] = []
    for rule in compact.rules_for(case["kind"]):
        if rule.type == "minimum-period":
            out += _minimum_period(compact, rule, case)
        elif rule.type == "deadline":
            out += _deadline(compact, rule, case)
        elif rule.type == "recurring":
            out += _recurring(compact, rule, case, previous)
    return out


def evaluate(compact: Compact, case: dict[str, Any], previous: PreviousOccurrence | None = None) -> list[Finding]:
    """The rules ``case`` breaks: the findings the case log stores."""
    return [c.finding() for c in account(compact, case, previous) if c.broken]


def rule_needs(rule: NoticeRule) -> tuple[str, ...]:
    """What a case must record for ``rule`` to be checked: its dates (keys of
    :data:`NEEDS_WORDS`), ``in_writing`` where the text asks for writing, ``cite`` where only
    cases citing the rule's clause count, and ``previous`` for a recurring rule (an earlier case)."""
    if rule.type == "recurring":
        return (("cite",) if rule.needs_cite else ()) + ("previous",)
    return tuple(f for f in (rule.from_field, rule.to_field) if f) + (("in_writing",) if rule.in_writing else ())


def needs_writing(compact: Compact, kind: str) -> bool:
    """Whether a rule of ``compact`` for this kind of case asks for notice in writing."""
    return any(r.in_writing for r in compact.rules_for(kind))


def a_kind(kind: str) -> str:
    """A kind of case in words, with its article: ``a funding change``, ``an annual review``."""
    words = kind.replace("-", " ")
    return f"{'an' if words[:1] in ('a', 'e', 'i', 'o', 'u') else 'a'} {words}"


def no_rule_for(name: str, kind: str) -> str:
    """What a result says where the compact has no notice rule for this kind of case."""
    return f"{name} states no notice rule for {a_kind(kind)}."


def label(compact: Compact, rule: NoticeRule) -> str:
    """How a message names a rule: the compact's name and the clause."""
    return f"{compact.info.name} {rule.ref}"


def needs_phrase(needs: tuple[str, ...], supply: Mapping[str, str] = OPTIONS) -> str:
    """``the end of the current funding period (--period-end)``: what a rule needs, and how to
    give it (``supply``: the command line's options, or a form's field labels)."""
    parts = [f"{NEEDS_WORDS.get(n, n)} ({supply[n]})" if n in supply else NEEDS_WORDS.get(n, n) for n in needs]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def unchecked_message(name: str, needs: tuple[str, ...], supply: Mapping[str, str] = OPTIONS) -> str:
    """The message of a rule not checked: ``Southend 6.3(c) not checked: needs ...``."""
    return f"{name} not checked: needs {needs_phrase(needs, supply)}."


def _unchecked(compact: Compact, rule: NoticeRule, needs: tuple[str, ...]) -> RuleCheck:
    return RuleCheck(rule.id, rule.ref, "unchecked", unchecked_message(label(compact, rule), needs), needs=needs)


def _reason(case: dict[str, Any]) -> str:
    return (case.get("reason") or "").strip()


def _allowed(compact: Compact, rule: NoticeRule, case: dict[str, Any], wrong: list[str]) -> RuleCheck | None:
    """The text's own exception, where it allows one and the case records a reason: ``wrong``
    (what would otherwise be broken) becomes a noted exception, shown with the reason."""
    reason = _reason(case)
    if not rule.exception or not reason:
        return None
    what = "an explanation" if rule.exception_asks == "explanation" else "the exceptional circumstances"
    message = (f"{label(compact, rule)}: noted exception: {'; '.join(wrong)}. The text allows it "
               f"('{rule.exception}'); {what} recorded: {cut(reason, 200)}")
    return RuleCheck(rule.id, rule.ref, "exception", message, reason=reason, allows=rule.exception)


def _unless(rule: NoticeRule) -> str:
    """What a broken rule's message adds where the text allows an exception."""
    if not rule.exception:
        return ""
    if rule.exception_asks == "explanation":
        return f"; no explanation is recorded, and the text asks for one ('{rule.exception}'): record it as the reason"
    return f" (the text allows an exception: '{rule.exception}'; record the circumstances as the reason)"


def _minimum_period(compact: Compact, rule: NoticeRule, case: dict[str, Any]) -> list[RuleCheck]:
    start, end = _date(case, rule.from_field), _date(case, rule.to_field)
    name = label(compact, rule)
    verbal = rule.in_writing and case.get("in_writing") == 0
    dates_missing = tuple(f for f, d in ((rule.from_field, start), (rule.to_field, end)) if d is None)
    writing_missing = ("in_writing",) if rule.in_writing and case.get("in_writing") is None else ()
    due = add_period(start, rule.period) if start is not None and rule.period is not None else None
    short = due is not None and end is not None and end < due
    gap = (f"{describe_gap(start, end)} given, {rule.period.describe()} owed"
           if due and start and end and rule.period else "")
    wrong = ([gap] if short else []) + (["not in writing"] if verbal else [])
    allowed = _allowed(compact, rule, case, wrong) if wrong else None
    out: list[RuleCheck] = [allowed] if allowed is not None else []
    if allowed is None and verbal:
        what = ("not in writing" if rule.exception_asks == "explanation" and rule.exception
                else f"{rule.title}: it must be in writing, and this was not")
        out.append(RuleCheck(rule.id, rule.ref, rule.severity, f"{name}: {what}{_unless(rule)}.", None))
    if allowed is None and short and due is not None:
        out.append(RuleCheck(rule.id, rule.ref, rule.severity,
                             f"{name}: {gap}{_unless(rule)}; compliant date {due.isoformat()}.", due.isoformat()))
    needs = dates_missing + ((writing_missing) if not short else ())
    if needs:
        so_far = f" Checked so far: {gap}." if gap and not short else ""
        out.append(RuleCheck(rule.id, rule.ref, "unchecked", unchecked_message(name, needs) + so_far, needs=needs))
    if not out:
        out.append(RuleCheck(rule.id, rule.ref, "met",
                             f"{name}: met: {gap}" + ("; in writing." if rule.in_writing else ".")))
    return out


def _deadline(compact: Compact, rule: NoticeRule, case: dict[str, Any]) -> list[RuleCheck]:
    happened, limit = _date(case, rule.from_field), _date(case, rule.to_field)
    needs = tuple(f for f, d in ((rule.from_field, happened), (rule.to_field, limit)) if d is None)
    if needs or happened is None or limit is None:
        return [_unchecked(compact, rule, needs)]
    if rule.period is not None:
        limit = add_period(limit, rule.period)
    name = label(compact, rule)
    if happened <= limit:
        return [RuleCheck(rule.id, rule.ref, "met", f"{name}: met: {NEEDS_WORDS[rule.from_field]} "
                          f"({happened.isoformat()}) is on or before {limit.isoformat()}.")]
    late = f"{describe_gap(limit, happened)} late; it was due by {limit.isoformat()}"
    allowed = _allowed(compact, rule, case, [late])
    if allowed is not None:
        return [allowed]
    return [RuleCheck(rule.id, rule.ref, rule.severity, f"{name}: {rule.title}: {late}{_unless(rule)}.",
                      limit.isoformat())]


def _recurring(compact: Compact, rule: NoticeRule, case: dict[str, Any],
               previous: PreviousOccurrence | None) -> list[RuleCheck]:
    name = label(compact, rule)
    if rule.needs_cite and rule.ref not in set(case.get("cites") or ()):
        return [RuleCheck(rule.id, rule.ref, "not-applicable",
                          f"{name}: does not apply: it counts only a {rule.applies_to} citing {rule.ref}, and this "
                          f"one does not (--cite {rule.ref} if it is one).")]
    held = _date(case, "on") or _date(case, "opened")
    before = previous(rule, case) if previous is not None and held is not None else None
    if held is None or before is None or rule.period is None:
        kind = f"{rule.applies_to}{f' citing {rule.ref}' if rule.needs_cite else ''}"
        return [RuleCheck(rule.id, rule.ref, "unchecked",
                          f"{name} not checked: needs an earlier {kind} under this compact to measure from "
                          f"(none is recorded before this one; log it, with --on, if it was held).",
                          needs=("previous",))]
    due = add_period(before, rule.period)
    gap = f"held {describe_gap(before, held)} after the last one ({before.isoformat()})"
    if held <= due:
        return [RuleCheck(rule.id, rule.ref, "met", f"{name}: met: {gap}; due every {rule.period.describe()}.")]
    return [RuleCheck(rule.id, rule.ref, rule.severity,
                      f"{name}: {rule.title}: {gap}; due every {rule.period.describe()}, by {due.isoformat()}.",
                      due.isoformat())]


def reconcile(checks: list[RuleCheck], stored: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The account of a stored case: its stored findings (the record of what was broken when it
    was last written) stand for their rules; every other rule as it reads now."""
    by_rule: dict[str, list[dict[str, Any]]] = {}
    for f in stored:
        by_rule.setdefault(f["rule_id"], []).append(f)
    out: list[dict[str, Any]] = []
    done: set[str] = set()
    for check in checks:
        if check.rule_id not in by_rule:
            out.append(check.as_dict())
            continue
        if check.rule_id not in done:
            done.add(check.rule_id)
            out += [RuleCheck(f["rule_id"], f["ref"], f["severity"], f["message"], f["due"]).as_dict()
                    for f in by_rule[check.rule_id]]
        if check.outcome == "unchecked":  # the part of a broken rule that could not be checked
            out.append(check.as_dict())
    for rule_id, found in by_rule.items():  # a rule the installed compact no longer has
        if rule_id not in done:
            out += [RuleCheck(f["rule_id"], f["ref"], f["severity"], f["message"], f["due"]).as_dict() for f in found]
    return out


def with_standing(compact: Compact | None, finding: dict[str, Any]) -> dict[str, Any]:
    """A finding or check (as a dict) with its rule's standing beside it: whether the source
    states the rule and its severity, or they are our reading, and why. A reading is shown as one."""
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
