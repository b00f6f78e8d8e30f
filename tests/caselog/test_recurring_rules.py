"""Recurring duties that count only the meetings citing their clause (Essex, Havering): a meeting
that does not cite the clause is outside the rule and is not counted as the last one held; a
meeting citing it and held late is a finding, word for word; and changing a meeting (its date, or
citing the clause) is judged again.

From the seed texts: Essex's Steering Group "will report at least annually to the Essex Compact
Forum on mediation conducted and lessons to be learnt from it" (MS.complaints.p2); Havering's
Champions are "To attend or be represented at quarterly meetings of the Compact steering group"
(5.3.p3) and its Steering Group "will organise an annual conference every twelve months" (5.4.2)."""

from __future__ import annotations

from .caselog_helpers import d, new

ESSEX_REPORT = ("Essex Compact MS.complaints.p2: Steering Group reports at least annually to the Essex Compact "
                "Forum on mediation conducted and lessons learnt")
HAVERING_QUARTERLY = ("Compact for Havering 5.3.p3: Compact steering group meets quarterly, with the Compact "
                      "Champions attending or represented")


def meeting(log, compact, on, *cites, title="a meeting"):
    return log.log(new("meeting", compact, title, on=on, cites=list(cites)))


def findings(case) -> list[tuple]:
    return [(f["ref"], f["severity"], f["message"], f["due"]) for f in case["findings"]]


def stored(log, case_id) -> list[tuple]:
    return findings(log.get(case_id))


def outcome(case, ref) -> str:
    return next(c["outcome"] for c in case["checks"] if c["ref"] == ref)


def test_a_report_to_the_forum_a_year_and_three_weeks_after_the_last_is_a_breach(log):
    meeting(log, "essex", "2025-01-10", "MS.complaints.p2")
    late = meeting(log, "essex", "2026-02-01", "MS.complaints.p2")
    # 10 January 2025 to 1 February 2026: 387 days, 55 weeks 2 days; due 12 months on, 10 January 2026
    expected = [("MS.complaints.p2", "breach",
                 f"{ESSEX_REPORT}: held 55 weeks 2 days after the last one (2025-01-10); due every 12 months, "
                 f"by 2026-01-10.", "2026-01-10")]
    assert findings(late) == expected
    assert stored(log, late["id"]) == expected


def test_a_report_on_the_day_a_year_on_is_in_time_and_one_a_day_later_is_not(log):
    meeting(log, "essex", "2025-01-10", "MS.complaints.p2")
    on_time = meeting(log, "essex", "2026-01-10", "MS.complaints.p2")
    assert findings(on_time) == [] and outcome(on_time, "MS.complaints.p2") == "met"
    day_late = meeting(log, "essex", "2027-01-11", "MS.complaints.p2")
    assert findings(day_late) == [("MS.complaints.p2", "breach",
                                   f"{ESSEX_REPORT}: held 52 weeks 2 days after the last one (2026-01-10); "
                                   f"due every 12 months, by 2027-01-10.", "2027-01-10")]


def test_a_meeting_that_does_not_cite_the_clause_is_no_finding_however_late(log):
    meeting(log, "essex", "2023-01-10", "MS.complaints.p2")
    other = meeting(log, "essex", "2026-02-01", title="a forum meeting on something else")
    assert findings(other) == [] and stored(log, other["id"]) == []
    assert outcome(other, "MS.complaints.p2") == "not-applicable"


def test_a_meeting_that_does_not_cite_the_clause_is_not_counted_as_the_last_one_held(log):
    meeting(log, "essex", "2025-01-10", "MS.complaints.p2")
    meeting(log, "essex", "2025-12-01")  # the Forum met, but heard no report on mediation
    late = meeting(log, "essex", "2026-02-01", "MS.complaints.p2")
    assert [(f["ref"], f["due"]) for f in late["findings"]] == [("MS.complaints.p2", "2026-01-10")]


def test_a_meeting_citing_the_other_essex_clause_counts_only_for_that_one(log):
    meeting(log, "essex", "2025-01-10", "MS.panel.p2")   # the Chair of the Panel elected
    late = meeting(log, "essex", "2026-02-01", "MS.complaints.p2", "MS.panel.p2")
    assert [(f["ref"], f["due"]) for f in late["findings"]] == [("MS.panel.p2", "2026-01-10")]
    assert outcome(late, "MS.complaints.p2") == "unchecked"  # no earlier report to measure from


def test_changing_a_citing_meetings_date_to_a_late_one_gives_the_finding(log):
    meeting(log, "essex", "2025-01-10", "MS.complaints.p2")
    report = meeting(log, "essex", "2025-06-01", "MS.complaints.p2")
    assert findings(report) == []
    changed = log.update(report["id"], dates={"on": d("2026-02-01")})
    expected = [("MS.complaints.p2", "breach",
                 f"{ESSEX_REPORT}: held 55 weeks 2 days after the last one (2025-01-10); due every 12 months, "
                 f"by 2026-01-10.", "2026-01-10")]
    assert findings(changed) == expected and stored(log, report["id"]) == expected
    back = log.update(report["id"], dates={"on": d("2025-12-01")})
    assert findings(back) == []


def test_citing_the_clause_on_a_late_meeting_later_gives_the_finding(log):
    meeting(log, "essex", "2025-01-10", "MS.complaints.p2")
    forum = meeting(log, "essex", "2026-02-01")
    assert findings(forum) == []
    changed = log.update(forum["id"], cites=["MS.complaints.p2"])
    assert [(f["ref"], f["severity"], f["due"]) for f in changed["findings"]] == [
        ("MS.complaints.p2", "breach", "2026-01-10")]


def test_a_withdrawn_meeting_is_not_the_last_one_held(log):
    first = meeting(log, "essex", "2025-01-10", "MS.complaints.p2")
    in_time = meeting(log, "essex", "2025-12-01", "MS.complaints.p2", title="logged by mistake")
    log.withdraw(in_time["id"], "it was the Steering Group's own meeting, not the Forum's")
    late = meeting(log, "essex", "2026-02-01", "MS.complaints.p2")
    assert [(f["ref"], f["due"]) for f in late["findings"]] == [("MS.complaints.p2", "2026-01-10")]
    assert first["findings"] == []


def test_a_meeting_held_after_this_one_is_not_the_one_before_it(log):
    meeting(log, "essex", "2026-06-01", "MS.complaints.p2")
    earlier = meeting(log, "essex", "2025-01-10", "MS.complaints.p2")  # logged later, held earlier
    assert findings(earlier) == [] and outcome(earlier, "MS.complaints.p2") == "unchecked"


def test_a_report_to_the_forum_under_another_compact_does_not_count(log):
    meeting(log, "essex", "2025-01-10", "MS.complaints.p2")
    meeting(log, "havering", "2025-12-01", "5.4.2")
    late = meeting(log, "essex", "2026-02-01", "MS.complaints.p2")
    assert [(f["ref"], f["due"]) for f in late["findings"]] == [("MS.complaints.p2", "2026-01-10")]


# -- Havering: quarterly, and the annual conference -------------------------------------------------

def test_havering_quarterly_meeting_a_day_late_is_a_warning(log):
    meeting(log, "havering", "2026-01-05", "5.3.p3")
    # 5 January to 6 April 2026: 91 days, 13 weeks exactly; 3 months on from 5 January is 5 April
    late = meeting(log, "havering", "2026-04-06", "5.3.p3")
    assert findings(late) == [("5.3.p3", "warning",
                               f"{HAVERING_QUARTERLY}: held 13 weeks after the last one (2026-01-05); due every "
                               f"3 months, by 2026-04-05.", "2026-04-05")]


def test_havering_quarterly_meeting_on_the_day_is_met(log):
    meeting(log, "havering", "2026-01-05", "5.3.p3")
    on_time = meeting(log, "havering", "2026-04-05", "5.3.p3")
    assert findings(on_time) == [] and outcome(on_time, "5.3.p3") == "met"


def test_a_havering_meeting_not_citing_5_3_p3_is_not_counted_nor_judged(log):
    meeting(log, "havering", "2026-01-05", "5.3.p3")
    meeting(log, "havering", "2026-03-01", "5.4.2")   # the annual conference, not a steering group meeting
    late = meeting(log, "havering", "2026-05-01", "5.3.p3")
    assert [(f["ref"], f["due"]) for f in late["findings"]] == [("5.3.p3", "2026-04-05")]


def test_havering_annual_conference_late_is_a_breach(log):
    meeting(log, "havering", "2025-03-01", "5.4.2")
    late = meeting(log, "havering", "2026-03-02", "5.4.2")  # 366 days: 52 weeks 2 days
    assert findings(late) == [("5.4.2", "breach",
                               "Compact for Havering 5.4.2: An annual conference every twelve months: held 52 weeks "
                               "2 days after the last one (2025-03-01); due every 12 months, by 2026-03-01.",
                               "2026-03-01")]
