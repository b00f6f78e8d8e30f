"""What is due or overdue across all cases, overdue first.

Each open case keeps its next date in ``cases.due`` (set whenever it is written), so this is
one indexed query; recurring duties (annual reviews, champions' meetings) come from each
compact's rules and the last case that met them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from ..record import field_values, record
from ..caselog.case_log import last_held
from ..errors import UserError
from ..content.registry import Registry
from ..rules.notice import next_due
from ..caselog.store import Store


@record(frozen=True)
class Deadline:
    due: str | None
    what: str
    compact: str
    case_id: int | None
    title: str
    overdue: bool
    ref: str = ""  # the clause the date comes from, where one does
    confidential: bool = False
    kind: str = ""  # for a duty: the kind of case that meets it
    unchecked: bool = False  # a rule the case cannot be checked against yet (``unchecked_rules``)
    needs: tuple[str, ...] = ()  # for such a rule: what the case would have to record (``rules.notice.NEEDS_WORDS``)
    reading: bool = False  # for such a rule: it is our reading of the text, not stated by it

    def as_dict(self) -> dict[str, Any]:
        return field_values(self)


def deadlines(store: Store, registry: Registry, today: date | None = None, within_days: int = 60,
              limit: int = 200) -> list[Deadline]:
    today = today or date.today()
    horizon = (today + timedelta(days=within_days)).isoformat()
    out: list[Deadline] = []
    rows = store.query(
        "SELECT id, compact, title, due, due_what, confidential FROM cases WHERE status = 'open' "
        "AND due IS NOT NULL AND due <= ? ORDER BY due LIMIT ?", [horizon, limit])
    for r in rows:  # str(): a database edited behind the app's back may hold anything in these columns
        due = str(r["due"])
        out.append(Deadline(due, str(r["due_what"] or ""), str(r["compact"]), r["id"], str(r["title"]),
                            due < today.isoformat(), _ref_in(str(r["due_what"] or "")), bool(r["confidential"])))
    waiting = store.query(
        "SELECT id, compact, title, stage, stage_since, confidential FROM cases WHERE kind = 'dispute' "
        "AND status = 'open' "
        "AND due IS NULL AND stage IS NOT NULL ORDER BY stage_since LIMIT ?", [limit])
    for r in waiting:
        compact = registry.get(r["compact"])
        stage = compact.procedure.stage(r["stage"]) if compact and compact.procedure else None
        title = stage.title if stage else r["stage"]
        out.append(Deadline(None, f"dispute step waiting since {r['stage_since']}: {title} (no time limit stated)",
                            str(r["compact"]), r["id"], str(r["title"]), False, stage.ref if stage else "",
                            bool(r["confidential"])))
    for duty in duties(store, registry, today):
        if duty.due is None or duty.due <= horizon:
            out.append(duty)
    out.sort(key=lambda d: (not d.overdue, d.due is None, d.due or ""))
    return out


def duties(store: Store, registry: Registry, today: date) -> list[Deadline]:
    """Every recurring duty of every compact (an annual review, a champions' meeting), with the
    date it is next due by, whatever the look-ahead: none recorded yet has no date."""
    out: list[Deadline] = []
    for compact in registry:
        for rule in compact.rules:
            if rule.type != "recurring":
                continue
            label = f"{rule.title} ({rule.ref})"
            try:
                last = last_held(store, compact.id, rule)
                due_on = next_due(rule, last) if last else None
            except UserError:  # a stored date nobody could have typed: say so rather than fail the whole list
                out.append(Deadline(None, f"{label}: the last one recorded has a date that cannot be used",
                                    compact.id, None, rule.title, True, rule.ref, kind=rule.applies_to))
                continue
            if last is None or due_on is None:
                out.append(Deadline(None, f"{label}: none recorded yet", compact.id, None, rule.title, True, rule.ref,
                                    kind=rule.applies_to))
                continue
            due = due_on.isoformat()
            out.append(Deadline(due, f"{label}: last on {last}", compact.id, None, rule.title,
                                due < today.isoformat(), rule.ref, kind=rule.applies_to))
    return out


def open_breaches(store: Store, limit: int = 200) -> list[Deadline]:
    """Every breach found in an open case, by the date that would have complied (the
    ``due`` of each item), earliest first: what the Due screen lists beside the dates."""
    rows = store.query(
        "SELECT c.id, c.compact, c.title, c.confidential, f.ref, f.message, f.due FROM findings f "
        "JOIN cases c ON c.id = f.case_id WHERE f.severity = 'breach' AND c.status = 'open' "
        "ORDER BY f.due IS NULL, f.due, c.id LIMIT ?", [limit])
    return [Deadline(None if r["due"] is None else str(r["due"]), str(r["message"]), str(r["compact"]), r["id"],
                     str(r["title"]), False, str(r["ref"] or ""), bool(r["confidential"])) for r in rows]


def unchecked_rules(store: Store, registry: Registry, limit: int = 200) -> list[Deadline]:
    """Every rule not checked on an open case, for want of a date or of whether it was in
    writing: something to fill in (``update``), so the rule can say whether it was broken. The
    ``what`` of each item is the rule's message, naming what it needs and the option that gives it,
    and "(a reading)" where the rule is our reading of the text, as ``log`` and ``case`` print it."""
    from ..caselog.case_log import case_checks

    out: list[Deadline] = []
    for compact in registry:
        for kind in sorted({r.applies_to for r in compact.rules if r.type != "recurring"}):
            rules = [r for r in compact.rules_for(kind) if r.type != "recurring"]
            missing = {f'"{f}" IS NULL' for r in rules for f in (r.from_field, r.to_field) if f}
            missing |= {"in_writing IS NULL" for r in rules if r.in_writing}
            rows = store.query(f"SELECT * FROM cases WHERE compact = ? AND kind = ? AND status = 'open' "
                               f"AND ({' OR '.join(sorted(missing))}) ORDER BY id LIMIT ?", [compact.id, kind, limit])
            for row in rows:
                cites = [c["ref"] for c in store.query("SELECT ref FROM case_cites WHERE case_id = ?", [row["id"]])]
                stored = store.query("SELECT rule_id, ref, severity, message, due FROM findings WHERE case_id = ?",
                                     [row["id"]])
                for check in case_checks(store, compact, row, cites, stored):
                    if check["outcome"] == "unchecked":
                        reading = check["standing"] == "reading"
                        out.append(Deadline(None, check["message"] + (" (a reading)" if reading else ""), compact.id,
                                            row["id"], str(row["title"]), False, check["ref"],
                                            bool(row["confidential"]), unchecked=True,
                                            needs=tuple(check["needs"]), reading=reading))
    return out[:limit]


def _ref_in(what: str) -> str:
    """The clause a case's due date comes from, where the case log names it: ``notice due (4.5)``."""
    if what.startswith("notice due (") and what.endswith(")"):
        return what.removeprefix("notice due (")[:-1]
    return ""
