"""The compacts' own rules, applied through CaseLog.log on a real database with the real plugins."""

from __future__ import annotations

import pytest

from .caselog_helpers import new


def _refs(case):
    return [(f["ref"], f["severity"], f["due"]) for f in case["findings"]]


def _stored(log, case_id):
    return [(f["ref"], f["severity"], f["due"]) for f in log.get(case_id)["findings"]]


# -- Southampton 2.4: consultations run 12 weeks, or the shorter time is explained ---------------

def test_southampton_short_consultation_without_reason_is_a_warning(log):
    # 2.4 begins "Where it is appropriate, and enables meaningful engagement": a warning, not a breach
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-03-29"))
    assert _refs(case) == [("2.4", "warning", "2026-03-30")]
    assert _stored(log, case["id"]) == [("2.4", "warning", "2026-03-30")]
    message = case["findings"][0]["message"]
    assert "11 weeks 6 days given, 12 weeks owed" in message and "2026-03-30" in message


def test_southampton_short_consultation_with_reason_is_no_finding(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-02-02",
                       reason="urgent budget decision; explained in the consultation paper"))
    assert case["findings"] == []
    assert log.get(case["id"])["reason"].startswith("urgent budget decision")


def test_southampton_reason_of_spaces_is_not_a_reason(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-02-02", reason="   "))
    assert _refs(case) == [("2.4", "warning", "2026-03-30")]


def test_southampton_exactly_12_weeks_is_no_finding(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-03-30"))
    assert case["findings"] == []
    assert _stored(log, case["id"]) == []


# -- Southampton 4.5: three months' written notice of ending funding -----------------------------

def test_southampton_funding_short_notice_is_a_breach_with_the_compliant_date(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-31", effective="2026-04-29"))
    assert _refs(case) == [("4.5", "breach", "2026-04-30")]
    assert "exceptional circumstances" in case["findings"][0]["message"]


def test_southampton_funding_exactly_three_months_is_no_finding(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-31", effective="2026-04-30"))
    assert case["findings"] == []


def test_southampton_funding_leap_year_month_end(log):
    short = log.log(new("funding-change", "southampton", notified="2023-11-30", effective="2024-02-28"))
    enough = log.log(new("funding-change", "southampton", notified="2023-11-30", effective="2024-02-29"))
    assert _refs(short) == [("4.5", "breach", "2024-02-29")]
    assert enough["findings"] == []


def test_southampton_exceptional_circumstances_need_a_recorded_reason(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-31", effective="2026-02-28",
                       reason="exceptional circumstances: the funder withdrew at a week's notice"))
    assert case["findings"] == []


def test_southampton_notice_not_in_writing_is_a_finding(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-01", effective="2026-12-31",
                       in_writing=False))
    assert [(f["ref"], f["severity"]) for f in case["findings"]] == [("4.5", "breach")]
    assert "in writing" in case["findings"][0]["message"]
    written = log.log(new("funding-change", "southampton", notified="2026-01-01", effective="2026-12-31",
                          in_writing=True))
    assert written["findings"] == []


# -- Southend 6.3(c): future funding made known before the end of the funding period --------------

def test_southend_funding_decision_after_period_end_is_a_warning(log):
    case = log.log(new("funding-change", "southend", notified="2026-04-01", period_end="2026-03-31"))
    assert _refs(case) == [("6.3(c)", "warning", "2026-03-31")]
    assert "1 day late" in case["findings"][0]["message"]


def test_southend_funding_decision_on_the_day_is_no_finding(log):
    case = log.log(new("funding-change", "southend", notified="2026-03-31", period_end="2026-03-31"))
    assert case["findings"] == []


# -- annual reviews, due within 12 months of the one before --------------------------------------

#: The clause each compact's yearly review comes from, by hand from the seed texts: Southend
#: 10.4 "an annual meeting ... to review the operation of the Compact"; Essex (section 7, second
#: bullet) "to review ... the Essex Compact annually"; Havering 5.4.2 "the Compact Steering
#: Group's ... annual monitoring report"; High Peak 7.2 "Jointly co-ordinate an annual review".
REVIEW_CLAUSE = {"southend": "10.4", "essex": "7.b2", "havering": "5.4.2.b1", "high_peak": "7.2.b6"}
REVIEWERS = list(REVIEW_CLAUSE)


@pytest.mark.parametrize("compact_id", REVIEWERS)
def test_annual_review_13_months_later_is_a_finding(log, compact_id):
    first = log.log(new("annual-review", compact_id, "review 2025", on="2025-01-15"))
    assert first["findings"] == []  # nothing before it to measure from
    second = log.log(new("annual-review", compact_id, "review 2026", on="2026-02-15"))
    assert _refs(second) == [(REVIEW_CLAUSE[compact_id], "breach", "2026-01-15")]
    assert _stored(log, second["id"]) == [(REVIEW_CLAUSE[compact_id], "breach", "2026-01-15")]


@pytest.mark.parametrize("compact_id", REVIEWERS)
def test_annual_review_12_months_later_is_no_finding(log, compact_id):
    log.log(new("annual-review", compact_id, "review 2025", on="2025-01-15"))
    second = log.log(new("annual-review", compact_id, "review 2026", on="2026-01-15"))
    assert second["findings"] == []


def test_annual_reviews_of_another_compact_do_not_count(log):
    log.log(new("annual-review", "essex", "Essex review", on="2025-12-01"))
    log.log(new("annual-review", "southend", "Southend review", on="2025-01-15"))
    late = log.log(new("annual-review", "southend", "Southend review", on="2026-02-15"))
    assert [f["ref"] for f in late["findings"]] == ["10.4"]


# -- Havering: the Compact steering group meets quarterly, champions attending -------------------

#: Havering 5.3, a champion's role: "To attend or be represented at quarterly meetings of the
#: Compact steering group." (the third paragraph of 5.3, so 5.3.p3)
QUARTERLY = "5.3.p3"


def test_havering_quarterly_meetings_four_months_apart_are_a_finding(log):
    log.log(new("meeting", "havering", "steering group", on="2026-01-10", cites=[QUARTERLY]))
    late = log.log(new("meeting", "havering", "steering group", on="2026-05-10", cites=[QUARTERLY]))
    # the text sets no duty to hold the meetings: a missed quarter is a warning (our reading)
    assert _refs(late) == [(QUARTERLY, "warning", "2026-04-10")]


def test_havering_quarterly_meetings_three_months_apart_are_no_finding(log):
    log.log(new("meeting", "havering", "steering group", on="2026-01-10", cites=[QUARTERLY]))
    on_time = log.log(new("meeting", "havering", "steering group", on="2026-04-10", cites=[QUARTERLY]))
    assert on_time["findings"] == []


def test_havering_meetings_not_citing_the_rule_yield_no_finding_and_do_not_count(log):
    first = log.log(new("meeting", "havering", "other meeting", on="2026-01-10"))
    second = log.log(new("meeting", "havering", "other meeting", on="2026-05-10"))
    assert first["findings"] == [] and second["findings"] == []
    # a meeting that does not cite the rule does not stand in for a quarterly one
    log.log(new("meeting", "havering", "steering group", on="2026-01-10", cites=[QUARTERLY]))
    log.log(new("meeting", "havering", "a coffee morning", on="2026-03-01"))
    late = log.log(new("meeting", "havering", "steering group", on="2026-05-10", cites=[QUARTERLY]))
    assert [f["ref"] for f in late["findings"]] == [QUARTERLY]


# -- no rule, no finding ----------------------------------------------------------------------------

@pytest.mark.parametrize("compact_id, kind, dates", [
    ("essex", "consultation", {"start": "2026-01-05", "end": "2026-01-12"}),
    ("high_peak", "funding-change", {"notified": "2026-01-31", "effective": "2026-02-01"}),
    ("southend", "consultation", {"start": "2026-01-05", "end": "2026-01-06"}),
])
def test_a_compact_with_no_rule_for_a_kind_yields_no_finding(log, registry, compact_id, kind, dates):
    assert registry.get(compact_id).rules_for(kind) == []
    case = log.log(new(kind, compact_id, **dates))
    assert case["findings"] == []


def test_findings_are_kept_per_case(log):
    bad = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-01-19"))
    good = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-04-30"))
    assert len(log.get(bad["id"])["findings"]) == 1
    assert log.get(good["id"])["findings"] == []
