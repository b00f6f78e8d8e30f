"""The rules not checked on open cases, in the calendar file and the digest.

A rule is not checked when its case lacks a date or fact it needs (a Southend funding change
with no funding period end cannot be held to 6.3(c)). :func:`compact_tui.due.deadlines.unchecked_rules`
lists them; ``deadlines`` prints them and the Due screen shows them, and so do the calendar and
the digest, so that no officer reads silence as compliance:

- the calendar has one event, :data:`UID`, on the day the file is written, counting them and
  naming each (its case and the rule's own message); each case's own event (a date that is due)
  also carries the line ``case N`` prints for each of its rules not checked. The event keeps its
  UID and moves to the day of each new file, its SEQUENCE twice the case log's last event (any
  write raises it); a calendar that imported a file with none keeps the last one, on the day of
  that file, saying what was not checked then.
- the digest has a section of them, and counts them in its first line.

Confidential cases are named only by number unless asked, as everywhere in these two.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from ..caselog.store import Store
from ..text import one_line
from .deadlines import Deadline

UID = "not-checked@compact-tui"
_INDENT = " " * 14


def _title(item: Deadline, include_confidential: bool) -> str:
    return "(confidential)" if item.confidential and not include_confidential else item.title


def count_words(unchecked: Sequence[Deadline]) -> str:
    """``1 rule not checked`` / ``2 rules not checked``."""
    return f"{len(unchecked)} rule{'' if len(unchecked) == 1 else 's'} not checked"


def summary(unchecked: Sequence[Deadline]) -> str:
    where = "an open case" if len({u.case_id for u in unchecked}) == 1 else "open cases"
    rules = f"{len(unchecked)} rule{'' if len(unchecked) == 1 else 's'}"
    return f"NOT CHECKED: {rules} on {where} (a date or fact each needs is not recorded)"


def description(unchecked: Sequence[Deadline], include_confidential: bool) -> str:
    """Each rule under its case, in the words ``case N`` uses, and how to give what it needs."""
    lines: list[str] = []
    for item in unchecked:
        lines.append(f"Case {item.case_id}: {one_line(_title(item, include_confidential))}")
        lines.append(f"  {one_line(item.what)}")
    lines.append("Give what each needs with: compact-tui update ID")
    return "\n".join(lines)


def event(event: Any, unchecked: Sequence[Deadline], include_confidential: bool) -> Any:
    """The calendar's one event for them, given the event with its UID, date and SEQUENCE."""
    event.add("summary", one_line(summary(unchecked)))
    event.add("description", description(unchecked, include_confidential))
    event.add("categories", ["Compact", "not checked"])
    event.add("status", "CONFIRMED")
    return event


def sequence(store: Store) -> int:
    """Twice the case log's last event id: the same log gives the same number, every write raises it."""
    row = store.one("SELECT max(id) AS n FROM events")
    return 2 * int(row["n"] or 0) if row else 0


def by_case(unchecked: Sequence[Deadline]) -> dict[int, list[str]]:
    """Case id -> the lines ``case N`` prints for each of its rules not checked."""
    out: dict[int, list[str]] = {}
    for item in unchecked:
        if item.case_id is not None:
            out.setdefault(item.case_id, []).append(one_line(item.what))
    return out


def digest_section(unchecked: Sequence[Deadline], include_confidential: bool) -> list[str]:
    """The digest's section: each case and, under it, each of its rules not checked."""
    if not unchecked:
        return []
    out = ["NOT CHECKED (a date or fact each rule needs is not recorded)"]
    for item in unchecked:
        out.append(one_line(f"  {'-':<10}  case {item.case_id}: {_title(item, include_confidential)}"))
        out += textwrap.wrap(one_line(item.what), 78, initial_indent=_INDENT, subsequent_indent=_INDENT)
    return [*out, ""]
