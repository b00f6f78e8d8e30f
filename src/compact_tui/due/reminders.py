"""What is due, sent where an officer will see it: an iCalendar file and a plain-text digest.

Both take the list :func:`compact_tui.due.deadlines.deadlines` returns. The calendar has one
all-day event per item that is due or overdue, on its compliant date (the last day that
still meets the clause); a duty never recorded has no date, so it sits on the day the file
is written. Each event's UID is stable (the case and what is due, or the compact and the
clause), so importing a newer file updates the events instead of adding copies, and its
SEQUENCE grows with the time the file was written. A dispute waiting at a step with no time
limit is not due, so it is in the digest but not the calendar.

Confidential cases are named only by number unless the officer asks for their titles: a
calendar and a cron mail travel further than the terminal.
"""

from __future__ import annotations

import re
import textwrap
from datetime import date, datetime, timedelta, timezone

from ..rules.dates import stored_date
from .deadlines import Deadline
from ..content.registry import Registry
from ..text import one_line

#: SEQUENCE is the number of minutes from this moment to the file's writing: a later file
#: always carries a higher SEQUENCE, which is what calendars compare on re-import.
_EPOCH = datetime(2024, 1, 1, tzinfo=timezone.utc)
_INDENT = " " * 14


def is_due(item: Deadline) -> bool:
    """Due or overdue (a waiting dispute, with no date and nothing late, is neither)."""
    return item.overdue or item.due is not None


def uid(item: Deadline) -> str:
    """The event's stable identity: the same case and the same thing due give the same UID."""
    if item.case_id is not None:
        what = item.what.split(":")[0] if item.what.startswith("dispute step") else item.what
        return f"case-{item.case_id}-{_slug(what)}@compact-tui"
    return f"duty-{_slug(item.compact)}-{_slug(item.ref or item.title)}@compact-tui"


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


def to_ics(items: list[Deadline], registry: Registry, *, today: date, now: datetime | None = None,
           include_confidential: bool = False) -> str:
    """An iCalendar document (RFC 5545) with one event per item that is due or overdue."""
    from icalendar import Calendar, Event

    now = now or datetime.now(timezone.utc)
    sequence = max(0, int((now - _EPOCH).total_seconds() // 60))
    cal = Calendar()
    cal.add("prodid", "-//compact-tui//deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Compact deadlines")
    for item in items:
        if not is_due(item):
            continue
        day = stored_date(item.due, f"the due date of {uid(item)}") if item.due else today
        event = Event()
        event.add("uid", uid(item))
        event.add("dtstamp", now)
        event.add("sequence", sequence)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", one_line(_summary(item, registry, include_confidential)))
        event.add("description", _description(item, registry, include_confidential))
        event.add("categories", ["Compact", "overdue" if item.overdue else "due"])
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    ics: bytes = cal.to_ical()
    return ics.decode("utf-8")


def _summary(item: Deadline, registry: Registry, include_confidential: bool) -> str:
    late = "OVERDUE: " if item.overdue else ""
    if item.case_id is None:
        return f"{late}{item.what} - {compact_name(registry, item.compact)}"
    return f"{late}{item.what} - case {item.case_id}: {title(item, include_confidential)}"


def _description(item: Deadline, registry: Registry, include_confidential: bool) -> str:
    lines = []
    if item.case_id is not None:
        lines.append(f"Case {item.case_id}: {one_line(title(item, include_confidential))}")
    lines.append(f"Compact: {one_line(compact_name(registry, item.compact))}")
    if item.ref:
        lines.append(f"Clause {one_line(clause_words(registry, item))}")
    lines.append(f"Compliant date: {item.due}" if item.due else "No date: none recorded yet")
    lines.append(f"What: {one_line(item.what)}")
    if item.case_id is not None:
        lines.append(f"See it: compact-tui case {item.case_id}")
    return "\n".join(lines)


def digest(items: list[Deadline], registry: Registry, *, today: date, within_days: int,
           include_confidential: bool = False) -> str:
    """A plain-text digest for a cron mail; empty when nothing is due or overdue (so cron,
    which mails only what a job prints, sends nothing)."""
    overdue = [i for i in items if i.overdue]
    due = [i for i in items if not i.overdue and i.due is not None]
    waiting = [i for i in items if not is_due(i)]
    if not overdue and not due:
        return ""
    horizon = today + timedelta(days=within_days)
    out = [f"Compact deadlines on {today.isoformat()}: {len(overdue)} overdue, {len(due)} due by "
           f"{horizon.isoformat()}" + (f", {len(waiting)} dispute{'s' if len(waiting) != 1 else ''} waiting." if waiting
                                        else "."), ""]
    for heading, group in (("OVERDUE", overdue), (f"DUE BY {horizon.isoformat()}", due),
                           ("WAITING (no time limit stated)", waiting)):
        if not group:
            continue
        out.append(heading)
        for item in group:
            out.extend(_digest_item(item, registry, include_confidential))
        out.append("")
    out.append("compact-tui deadlines lists these; 'compact-tui case ID' shows a case.")
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
