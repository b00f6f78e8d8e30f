"""When a recurring duty was last met, read once for many cases: the annual report asks it of
every case of a year (530 times for Essex's 2025 on the benchmark's seed), and
``case_reads.last_held`` is one query each time.

:func:`previous_for` reads, once per recurring rule, the cases that could answer any of the
asks: those dated from the earliest case asked about up to the latest, and the two last before
that (two, so that one left out as the case asking still leaves the right answer). Each ask is
then a lookup among them. It answers exactly what ``last_held`` answers (the tests compare the
two); an ask it was not prepared for (a date outside what it read, a date stored as something
other than text) is passed to ``last_held`` itself.
"""

from __future__ import annotations

from bisect import bisect_left
from datetime import date
from typing import Any

from ..content.model import Compact, NoticeRule
from ..rules.dates import stored_date
from .case_reads import last_held
from .store import Store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..rules.notice import PreviousOccurrence

#: What :func:`_read` read for one rule: the dates (sorted) and ids of its cases, and the lowest and
#: highest dates asked about.
_Read = tuple[list[str], list[int], str, str]


def previous_for(store: Store, compact: Compact, rows: list[dict[str, Any]]) -> PreviousOccurrence:
    """A ``previous(rule, case)`` (``rules.notice.PreviousOccurrence``) for the cases ``rows``
    of ``compact`` (rows of ``cases``): the last case meeting ``rule`` before ``case``, other
    than ``case`` itself, as ``case_reads.last_held`` gives it."""
    read: dict[str, _Read | None] = {}  # rule id -> (dates, ids, lowest, highest) or None

    def previous(rule: NoticeRule, case: dict[str, Any]) -> date | None:
        before = case.get("on") or case.get("opened")
        if rule.id not in read:
            asked = [b for b in (r.get("on") or r.get("opened") for r in rows if r.get("kind") == rule.applies_to)
                     if isinstance(b, str)]
            read[rule.id] = _read(store, compact.id, rule, min(asked), max(asked)) if asked else None
        found = read[rule.id]
        if found is None or not isinstance(before, str) or not found[2] <= before <= found[3]:
            return last_held(store, compact.id, rule, before=before, exclude=case.get("id"))
        dates, ids = found[0], found[1]
        at = bisect_left(dates, before) - 1
        while at >= 0 and ids[at] == case.get("id"):
            at -= 1
        last = dates[at] if at >= 0 else None
        return stored_date(last, "a previous case's date") if last else None

    return previous


def _read(store: Store, compact_id: str, rule: NoticeRule, lowest: str, highest: str) -> _Read | None:
    """The dates (sorted) and ids of the cases meeting ``rule`` dated from ``lowest`` to before
    ``highest``, and the two last before ``lowest``; None if a date is stored as other than text
    (which SQLite and Python order differently: ``last_held`` answers those)."""
    where = "compact = ? AND kind = ? AND status != 'withdrawn'"
    params: list[object] = [compact_id, rule.applies_to]
    if rule.needs_cite:
        where += " AND id IN (SELECT case_id FROM case_cites WHERE ref = ?)"
        params.append(rule.ref)
    held = 'coalesce("on", opened)'
    below = store.query(f"SELECT {held} AS d, id FROM cases WHERE {where} AND {held} < ? "
                        f"ORDER BY d DESC LIMIT 2", [*params, lowest])
    within = store.query(f"SELECT {held} AS d, id FROM cases WHERE {where} AND {held} >= ? AND {held} < ?",
                         [*params, lowest, highest])
    found = [(r["d"], r["id"]) for r in [*below, *within]]
    if not all(isinstance(d, str) for d, _ in found):
        return None
    found.sort()
    return [d for d, _ in found], [i for _, i in found], lowest, highest
