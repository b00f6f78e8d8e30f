"""What is due, sent where an officer will see it: an iCalendar file and a plain-text digest.

Both take the list :func:`compact_tui.deadlines.deadlines` returns (and the rules not checked:
:mod:`compact_tui.due.unchecked`). The calendar has one
all-day event per item that is due or overdue, on its date, and says what the case says:
the date named as ``case N`` names it (``Due: 2027-02-01, funding change takes effect``), and
every finding of the case as ``case N`` prints it (``BREACH: Southampton Compact 4.5: ...;
compliant date 2027-03-01``); the summary starts with ``BREACH`` or ``WARNING`` when the case
has one. A duty never recorded has no date, so it sits on the day the file is written. A
dispute waiting at a step with no time limit is not due, so it is in the digest but not
the calendar.

Each event's UID is stable (the case and what is due, or the compact and the clause), so
importing a newer file updates the events instead of adding copies. Its SEQUENCE is worked
out from the case log, not the clock, so two files written from the same case log carry the
same numbers and every change raises them: for a case, twice the number of its events, plus
one once it is overdue; for a duty, the same from the last event of the cases that meet it.

What a calendar may still hold is sent again for :data:`KEEP_DAYS` days after it changed
(the case's events say what it was): an event the case no longer has (closed, withdrawn, or
waiting on something else now) is sent cancelled (``STATUS:CANCELLED``), and one that moved
past the look-ahead is sent with its new date.

Confidential cases are named only by number unless the officer asks for their titles: a
calendar and a cron mail travel further than the terminal.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ..record import record
from ..caselog.store import Store
from ..content.registry import Registry
from ..rules.dates import stored_date
from ..rules.notice import with_standing
from ..text import one_line
from . import unchecked as not_checked
from .deadlines import Deadline, _ref_in, duties

#: How long an event that changed is sent again (cancelled, or moved past the look-ahead): a
#: calendar that imported a file in that time hears of the change from any file written in it.
KEEP_DAYS = 90
_INDENT = " " * 14


def is_due(item: Deadline) -> bool:
    """Due or overdue (a waiting dispute, with no date and nothing late, is neither)."""
    return item.overdue or item.due is not None


def uid(item: Deadline) -> str:
    """The event's stable identity: the same case and the same thing due give the same UID."""
    if item.case_id is not None:
        return case_uid(item.case_id, item.what)
    return f"duty-{_slug(item.compact)}-{_slug(item.ref or item.title)}@compact-tui"


def case_uid(case_id: int, what: str) -> str:
    what = what.split(":")[0] if what.startswith("dispute step") else what
    return f"case-{case_id}-{_slug(what)}@compact-tui"


def title(item: Deadline, include_confidential: bool = False) -> str:
    if item.case_id is None:
        return item.title
    return "(confidential)" if item.confidential and not include_confidential else item.title


def clause_words(registry: Registry, item: Deadline, limit: int = 300) -> str:
    """``4.5: "Give a minimum of three months' notice ..."`` for the item's clause, if it has one."""
    compact = registry.get(item.compact)
    clause = compact.clause(item.ref) if compact and item.ref else None
    if clause is None:
        return item.ref
    text = " ".join(clause.text.split())
    return f'{clause.ref}: "{text[:limit]}{"..." if len(text) > limit else ""}"'


def compact_name(registry: Registry, compact_id: str) -> str:
    compact = registry.get(compact_id)
    return compact.info.name if compact else compact_id


@record
class Ended:
    """An event a case had and has no longer: its UID, the date it was on, when it ended and why."""

    uid: str
    what: str
    due: str
    on: str
    at: str
    why: str


@record
class _History:
    """What the case log says about the calendar, read once for one file."""

    events: dict[int, int]            # case id -> how many events it has
    findings: dict[int, list[dict[str, Any]]]   # case id -> its findings, as ``case N`` shows them
    duty_last: dict[tuple[str, str], int]  # (compact, kind) -> the last event id of its cases
    ended: dict[int, list[Ended]]      # case id -> events it no longer has, changed recently
    moved: dict[int, set[str]]         # case id -> UIDs whose date changed recently
    recent_kinds: set[tuple[str, str]]  # (compact, kind) of cases changed recently


def to_ics(items: list[Deadline], registry: Registry, *, store: Store, today: date, within_days: int = 60,
           now: datetime | None = None, include_confidential: bool = False,
           unchecked: Sequence[Deadline] = ()) -> str:
    """An iCalendar document (RFC 5545): one event per item due or overdue, each moved or cancelled
    one of the last :data:`KEEP_DAYS` days, and the rules ``unchecked``, as the modules say."""
    from icalendar import Calendar, Event

    now = now or datetime.now(timezone.utc)
    horizon = today + timedelta(days=within_days)
    history = _read_history(store, registry, items, today)
    shown = [i for i in items if is_due(i)]
    shown += _moved(store, registry, history, {uid(i) for i in shown}, today)
    cal = Calendar()
    cal.add("prodid", "-//compact-tui//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Compact deadlines")
    live = {uid(i) for i in shown}
    lines_unchecked = not_checked.by_case(unchecked)
    for item in shown:
        day = stored_date(item.due, f"the due date of {uid(item)}") if item.due else today
        event = _event(Event, uid(item), day, now, _sequence(item, history))
        findings = history.findings.get(item.case_id, []) if item.case_id is not None else []
        event.add("summary", one_line(_summary(item, registry, findings, include_confidential)))
        event.add("description", _description(item, registry, findings, include_confidential,
                                              lines_unchecked.get(item.case_id or 0, [])))
        event.add("categories", ["Compact", "overdue" if item.overdue else "due"])
        event.add("status", "CONFIRMED")
        cal.add_component(event)
    if unchecked:
        cal.add_component(not_checked.event(_event(Event, not_checked.UID, today, now, not_checked.sequence(store)),
                                            unchecked, include_confidential))
    for case_id, ended in sorted(history.ended.items()):
        row = store.one("SELECT title, confidential FROM cases WHERE id = ?", [case_id]) or {}
        name = "(confidential)" if row.get("confidential") and not include_confidential else str(row.get("title"))
        for gone in ended:
            if gone.uid in live:
                continue
            try:
                day = stored_date(gone.due, f"the due date of {gone.uid}")
            except Exception:
                continue
            if day > stored_date(gone.on, "the day it changed") + timedelta(days=within_days) and day > horizon:
                continue  # never within a look-ahead: no calendar can hold it
            event = _event(Event, gone.uid, day, now, 2 * history.events.get(case_id, 0) + 1)
            event.add("summary", one_line(f"CANCELLED: {gone.what} - case {case_id}: {name}"))
            event.add("description", "\n".join([f"Case {case_id}: {one_line(name)}",
                                                f"No longer due: {one_line(gone.why)}",
                                                f"See it: compact-tui case {case_id}"]))
            event.add("categories", ["Compact", "cancelled"])
            event.add("status", "CANCELLED")
            cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics.decode("utf-8")


def _event(Event: Any, event_uid: str, day: date, now: datetime, sequence: int) -> Any:
    event = Event()
    event.add("uid", event_uid)
    event.add("dtstamp", now)
    event.add("sequence", sequence)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    return event


def _sequence(item: Deadline, history: _History) -> int:
    """Twice the number of the case's events (for a duty: the last event id of the cases that
    meet it), plus one once it is overdue: the same case log gives the same number, and every
    event, and the day it became overdue, raises it."""
    base = history.events.get(item.case_id, 0) if item.case_id is not None else \
        history.duty_last.get((item.compact, item.kind), 0)
    return 2 * base + (1 if item.overdue else 0)


def _summary(item: Deadline, registry: Registry, findings: list[dict[str, Any]], include_confidential: bool) -> str:
    flags = []
    if item.overdue:
        flags.append("OVERDUE")
    for severity in ("breach", "warning"):
        refs = [f["ref"] for f in findings if f["severity"] == severity]
        if refs:
            flags.append(f"{severity.upper()} {', '.join(dict.fromkeys(refs))}")
            break
    head = ", ".join(flags) + ": " if flags else ""
    if item.case_id is None:
        return f"{head}{item.what} - {compact_name(registry, item.compact)}"
    return f"{head}{item.what} - case {item.case_id}: {title(item, include_confidential)}"


def date_line(item: Deadline) -> str:
    """The event's date, named for what it is, in ``case N``'s words for a case."""
    if item.case_id is not None:
        return f"Due: {item.due}, {item.what}"
    if item.due is None:
        return "No date: none recorded yet (shown on the day this file was written)"
    return f"Due by: {item.due} (the last day that meets the clause)"


def finding_line(finding: dict[str, Any]) -> str:
    """A finding as ``case N`` prints it."""
    reading = " (reading)" if "reading" in (finding["standing"], finding["severity_standing"]) else ""
    return f"{one_line(finding['severity']).upper()}{reading}: {one_line(finding['message'])}"


def _description(item: Deadline, registry: Registry, findings: list[dict[str, Any]], include_confidential: bool,
                 unchecked: list[str]) -> str:
    lines = []
    if item.case_id is not None:
        lines.append(f"Case {item.case_id}: {one_line(title(item, include_confidential))}")
    lines.append(f"Compact: {one_line(compact_name(registry, item.compact))}")
    lines.append(one_line(date_line(item)))
    lines += [finding_line(f) for f in findings]
    lines += unchecked  # each rule of the case not checked, as ``case N`` prints it
    if item.ref:
        lines.append(f"Clause {one_line(clause_words(registry, item))}")
    if item.case_id is None:
        lines.append(f"What: {one_line(item.what)}")
    else:
        lines.append(f"See it: compact-tui case {item.case_id}")
    return "\n".join(lines)


# -- what the case log says about the calendar ----------------------------------------------

def _read_history(store: Store, registry: Registry, items: list[Deadline], today: date) -> _History:
    cutoff = (today - timedelta(days=KEEP_DAYS)).isoformat()
    recent = _recently_changed(store, cutoff)
    case_ids = sorted({i.case_id for i in items if i.case_id is not None} | recent)
    ids = json.dumps(case_ids)
    counts = {r["case_id"]: r["n"] for r in store.query(
        "SELECT case_id, count(*) AS n FROM events WHERE case_id IN (SELECT value FROM json_each(?)) "
        "GROUP BY case_id", [ids])}
    findings: dict[int, list[dict[str, Any]]] = {}
    for r in store.query("SELECT f.case_id, f.rule_id, f.ref, f.severity, f.message, f.due, c.compact FROM findings f "
                         "JOIN cases c ON c.id = f.case_id WHERE f.case_id IN (SELECT value FROM json_each(?)) "
                         "ORDER BY f.case_id, f.id", [ids]):
        compact = registry.get(str(r.pop("compact")))
        findings.setdefault(r.pop("case_id"), []).append(with_standing(compact, r))
    duty_last = {}
    for item in items:
        if item.case_id is None and item.kind:
            duty_last[(item.compact, item.kind)] = _last_event(store, item.compact, item.kind)
    ended, moved = {}, {}
    kinds = {(str(r["compact"]), str(r["kind"])) for r in store.query(
        "SELECT DISTINCT compact, kind FROM cases WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(recent))])}
    for case_id in sorted(recent):
        if counts.get(case_id, 0) < 2:  # only the event that made it: nothing it had has ended or moved
            continue
        row = store.one("SELECT compact, kind, status, due, due_what FROM cases WHERE id = ?", [case_id])
        if row is None:
            continue
        gone, changed = _fold(store, case_id, row, cutoff)
        if gone:
            ended[case_id] = gone
        if changed:
            moved[case_id] = changed
    return _History(counts, findings, duty_last, ended, moved, kinds)


def _recently_changed(store: Store, cutoff: str) -> set[int]:
    """The cases with an event since ``cutoff`` (events are read newest first, and only so far)."""
    out = set()
    for case_id, at in store.db.execute("SELECT case_id, at FROM events ORDER BY id DESC"):
        if str(at) < cutoff:
            break
        if case_id is not None:
            out.add(case_id)
    return out


def _last_event(store: Store, compact: str, kind: str) -> int:
    row = store.one("SELECT max(e.id) AS n FROM events e WHERE e.case_id IN "
                    "(SELECT id FROM cases WHERE compact = ? AND kind = ?)", [compact, kind])
    return int(row["n"] or 0) if row else 0


def _fold(store: Store, case_id: int, row: dict[str, Any], cutoff: str) -> tuple[list[Ended], set[str]]:
    """Replay a case's events for what it was due on: the events it had and has no longer
    (ended since ``cutoff``), and the UIDs whose date changed since then."""
    due = what = status = None
    dates: dict[str, list[tuple[str, str]]] = {}  # uid -> (date, at) each time it was set
    ended: dict[str, Ended] = {}
    for e in store.query("SELECT at, happened_on, action, detail FROM events WHERE case_id = ? ORDER BY id",
                         [case_id]):
        try:
            changes = json.loads(e["detail"]).get("set") or {}
        except (TypeError, ValueError, AttributeError):
            continue
        if not isinstance(changes, dict) or not ({"due", "due_what", "status"} & set(changes)):
            continue
        before = (due, what)
        due, what = changes.get("due", due), changes.get("due_what", what)
        status = changes.get("status", status)
        if before[0] and before[1] and (due, what) != before:
            old = case_uid(case_id, str(before[1]))
            if not (what and case_uid(case_id, str(what)) == old and due):
                ended[old] = Ended(old, str(before[1]), str(before[0]), str(e["happened_on"]), str(e["at"]),
                                   _why(e["action"], status, what, due, e["happened_on"]))
        if due and what:
            key = case_uid(case_id, str(what))
            ended.pop(key, None)
            dates.setdefault(key, []).append((str(due), str(e["at"])))
    gone = [g for g in ended.values() if g.at >= cutoff]
    moved = {key for key, seen in dates.items()
             if len({d for d, _ in seen}) > 1 and seen[-1][1] >= cutoff}
    return gone, moved


def _why(action: str, status: object, what: object, due: object, on: object) -> str:
    if status == "withdrawn":
        return f"the case was withdrawn on {on}."
    if status == "closed":
        return f"the case was closed on {on}."
    if what and due:
        return f"the case now waits on this instead: {what}, {due}."
    return f"nothing is due on the case since {on} ({action})."


def _moved(store: Store, registry: Registry, history: _History, live: set[str], today: date) -> list[Deadline]:
    """Events that moved past the look-ahead recently, with their new dates: a calendar may
    hold them at the old one."""
    out = []
    for case_id, uids in sorted(history.moved.items()):
        row = store.one("SELECT id, compact, title, due, due_what, confidential, status FROM cases WHERE id = ?",
                        [case_id])
        if row is None or row["status"] != "open" or not row["due"] or not row["due_what"]:
            continue
        item = Deadline(str(row["due"]), str(row["due_what"]), str(row["compact"]), case_id, str(row["title"]),
                        str(row["due"]) < today.isoformat(), _ref_in(str(row["due_what"])), bool(row["confidential"]))
        if uid(item) in uids and uid(item) not in live:
            out.append(item)
    for duty in duties(store, registry, today):
        if (duty.compact, duty.kind) in history.recent_kinds and duty.due and uid(duty) not in live:
            out.append(duty)
            history.duty_last[(duty.compact, duty.kind)] = _last_event(store, duty.compact, duty.kind)
    return out


def digest(items: list[Deadline], registry: Registry, *, today: date, within_days: int,
           include_confidential: bool = False, unchecked: Sequence[Deadline] = ()) -> str:
    """A plain-text digest for a cron mail; empty when nothing is due or overdue and no rule
    is left ``unchecked`` (so cron, which mails only what a job prints, sends nothing)."""
    overdue = [i for i in items if i.overdue]
    due = [i for i in items if not i.overdue and i.due is not None]
    waiting = [i for i in items if not is_due(i)]
    if not overdue and not due and not unchecked:
        return ""
    horizon = today + timedelta(days=within_days)
    counts = [f"{len(overdue)} overdue", f"{len(due)} due by {horizon.isoformat()}"]
    counts += [f"{len(waiting)} dispute{'s' if len(waiting) != 1 else ''} waiting"] if waiting else []
    counts += [not_checked.count_words(unchecked)] if unchecked else []
    out = [f"Compact deadlines on {today.isoformat()}: {', '.join(counts)}.", ""]
    for heading, group in (("OVERDUE", overdue), (f"DUE BY {horizon.isoformat()}", due),
                           ("WAITING (no time limit stated)", waiting)):
        if not group:
            continue
        out.append(heading)
        for item in group:
            out.extend(_digest_item(item, registry, include_confidential))
        out.append("")
    out += not_checked.digest_section(unchecked, include_confidential)
    out.append("compact-tui deadlines lists these; 'compact-tui case ID' shows a case.")
    if unchecked:
        out.append("'compact-tui update ID' gives a case what a rule needs to be checked.")
    return "\n".join(out) + "\n"


def _digest_item(item: Deadline, registry: Registry, include_confidential: bool) -> list[str]:
    when = item.due or "no date"
    name = compact_name(registry, item.compact)
    if item.case_id is not None:
        head = f"  {when:<10}  case {item.case_id}: {title(item, include_confidential)}"
    else:
        head = f"  {when:<10}  {name}"
    what = one_line(item.what) + (f" ({one_line(name)})" if item.case_id is not None else "")
    lines = [one_line(head), *textwrap.wrap(what, 78, initial_indent=_INDENT, subsequent_indent=_INDENT)]
    if item.ref:
        lines += textwrap.wrap("clause " + one_line(clause_words(registry, item, limit=120)), 78,
                               initial_indent=_INDENT, subsequent_indent=_INDENT + "  ")
    return lines


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"
