"""The cases list knows each case's worst finding and filters by it (issue 12, part 4);
open breaches are listed by the date that would have complied. Expected findings worked out
by hand from the texts: Southampton 4.5, "at least three months notice in writing" (a breach:
notice on 2026-11-01 complies with a change from 2027-02-01); Southend 6.3(c), "normally
before the end of the current funding period" (a warning)."""

from __future__ import annotations

from compact_tui.caselog.case_log import CaseFilter
from compact_tui.due.deadlines import open_breaches

from .caselog_helpers import new


def test_worst_finding_filter_and_open_breaches(log):
    breach = log.log(new("funding-change", "southampton", "Youth grant cut", notified="2026-11-01",
                         effective="2026-12-01"))["id"]
    warning = log.log(new("funding-change", "southend", "Late decision", notified="2026-05-10",
                          period_end="2026-03-31"))["id"]
    clean = log.log(new("note", "essex", "Met the CVS"))["id"]
    assert {r["id"]: r["finding"] for r in log.list()} == {breach: "breach", warning: "warning", clean: None}
    assert [r["id"] for r in log.list(CaseFilter.parse("finding:breach"))] == [breach]
    assert [r["id"] for r in log.list(CaseFilter.parse("finding:warning"))] == [warning]
    assert log.list(CaseFilter.parse("finding:nonsense")) == []
    assert [(b.case_id, b.due, b.ref) for b in open_breaches(log.store)] == [(breach, "2027-02-01", "4.5")]
    log.close(breach)
    assert open_breaches(log.store) == []


def test_the_list_says_which_marks_are_our_reading_of_the_text(log):
    """Southend 6.3(c)'s rule is our reading of what a code still to be written "will promote";
    Southampton 4.5 and Southend 10.4 are stated. A case's mark is a reading only where every
    finding of its worst severity is one: a stated breach beside a reading warning is not."""
    reading = log.log(new("funding-change", "southend", "Late decision", notified="2026-05-10",
                          period_end="2026-03-31"))["id"]
    stated = log.log(new("funding-change", "southampton", "Youth grant cut", notified="2026-11-01",
                         effective="2026-12-01"))["id"]
    clean = log.log(new("note", "essex", "Met the CVS"))["id"]
    assert [(r["id"], r["finding"], r["finding_reading"]) for r in log.list(sort="oldest")] == [
        (reading, "warning", True), (stated, "breach", False), (clean, None, False)]
    log.store.db.conn.execute("UPDATE findings SET rule_id = 'gone' WHERE case_id = ?", [reading])
    assert log.list(sort="oldest")[0]["finding_reading"] is False  # a rule no longer installed: not called one

