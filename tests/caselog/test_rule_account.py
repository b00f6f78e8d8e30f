"""Every notice rule of a case's compact and kind is accounted for: broken, met, a noted
exception the text allows, not checked (with what it needs and the option that gives it), or
not applying. Expected messages are written out by hand from the seed texts' words."""

from __future__ import annotations

from .caselog_helpers import new

SOUTHEND = "A Compact for Southend-on-Sea"
#: Southampton 2.4: "... conduct 12-week formal written consultations, with clear explanations for
#: shorter time-frames or a more informal approach."
EXPLAINED = "with clear explanations for shorter time-frames or a more informal approach"
#: Southampton 4.5: "Give at least three months notice in writing ... apart from in exceptional circumstances"
EXCEPTIONAL = "apart from in exceptional circumstances"


def account(case):
    return [(c["ref"], c["outcome"], c["message"]) for c in case["checks"]]


# -- the case: a Southend funding change with no funding period end ------------------------

def test_a_southend_funding_change_without_the_period_end_says_6_3_c_was_not_checked(log):
    # Age UK Southend told on 2 March 2026 of a change taking effect six weeks later, 13 April
    case = log.log(new("funding-change", "southend", "Age UK Southend grant", notified="2026-03-02",
                       effective="2026-04-13", orgs=["Age UK Southend"]))
    assert case["findings"] == []
    assert account(case) == [("6.3(c)", "unchecked", f"{SOUTHEND} 6.3(c) not checked: needs the end of the "
                                                     f"current funding period (--period-end).")]
    [check] = case["checks"]
    assert check["needs"] == ["period_end"]
    assert check["standing"] == "reading"  # the text says what a code to be written "will promote"
    assert log.get(case["id"])["checks"] == case["checks"]


def test_with_the_period_end_after_the_notice_6_3_c_is_a_warning(log):
    case = log.log(new("funding-change", "southend", notified="2026-04-01", effective="2026-05-13",
                       period_end="2026-03-31"))
    expected = (f"{SOUTHEND} 6.3(c): Future funding made known before the end of the current funding period "
                f"(normally): 1 day late; it was due by 2026-03-31.")
    assert account(case) == [("6.3(c)", "warning", expected)]


def test_6_3_c_allows_no_exception_so_a_reason_silences_nothing(log):
    # "normally before the end of the current funding period": no words for an exception, so a
    # reason typed in changes nothing
    case = log.log(new("funding-change", "southend", notified="2026-04-01", period_end="2026-03-31",
                       reason="exceptional circumstances: the council set its budget late"))
    expected = (f"{SOUTHEND} 6.3(c): Future funding made known before the end of the current funding period "
                f"(normally): 1 day late; it was due by 2026-03-31.")
    assert account(case) == [("6.3(c)", "warning", expected)]
    assert [(f["ref"], f["severity"], f["message"]) for f in case["findings"]] == [("6.3(c)", "warning", expected)]
    assert [(f["ref"], f["severity"]) for f in log.get(case["id"])["findings"]] == [("6.3(c)", "warning")]


def test_6_3_c_met(log):
    case = log.log(new("funding-change", "southend", notified="2026-03-31", period_end="2026-03-31"))
    assert account(case) == [("6.3(c)", "met", f"{SOUTHEND} 6.3(c): met: the date notice was given (2026-03-31) "
                                                "is on or before 2026-03-31.")]


def test_update_adds_the_period_end_and_the_rule_is_checked(log):
    case = log.log(new("funding-change", "southend", notified="2026-04-01", effective="2026-05-13"))
    assert [c["outcome"] for c in case["checks"]] == ["unchecked"]
    from datetime import date

    changed = log.update(case["id"], dates={"period_end": date(2026, 3, 31)})
    assert [(c["ref"], c["outcome"]) for c in changed["checks"]] == [("6.3(c)", "warning")]
    assert [(f["ref"], f["severity"]) for f in changed["findings"]] == [("6.3(c)", "warning")]


# -- Southampton 4.5: "apart from in exceptional circumstances" covers the whole instruction -------

def test_4_5_verbal_short_notice_with_the_circumstances_recorded_is_a_noted_exception(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-31", effective="2026-03-14",
                       in_writing=False, reason="the funder withdrew at a week's notice"))
    assert case["findings"] == []
    assert account(case) == [("4.5", "exception",
                              f"Southampton Compact 4.5: noted exception: 6 weeks given, 3 months owed; not in "
                              f"writing. The text allows it ('{EXCEPTIONAL}'); the exceptional circumstances "
                              f"recorded: the funder withdrew at a week's notice")]
    assert case["checks"][0]["reason"] == "the funder withdrew at a week's notice"
    assert case["checks"][0]["allows"] == EXCEPTIONAL


def test_4_5_verbal_notice_without_a_reason_is_a_breach_that_names_the_exception(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-01", effective="2026-12-31",
                       in_writing=False))
    assert account(case) == [("4.5", "breach",
                              "Southampton Compact 4.5: At least three months' written notice of changing or ending "
                              "funding or other support: it must be in writing, and this was not (the text allows "
                              f"an exception: '{EXCEPTIONAL}'; record the circumstances as the reason).")]


def test_4_5_short_notice_without_a_reason_is_a_breach_with_the_compliant_date(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-31", effective="2026-04-29",
                       in_writing=True))
    assert account(case) == [("4.5", "breach",
                              "Southampton Compact 4.5: 12 weeks 4 days given, 3 months owed (the text allows an "
                              f"exception: '{EXCEPTIONAL}'; record the circumstances as the reason); compliant "
                              "date 2026-04-30.")]


def test_4_5_met_in_writing(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-31", effective="2026-04-30",
                       in_writing=True))
    assert account(case) == [("4.5", "met", "Southampton Compact 4.5: met: 12 weeks 5 days given, 3 months owed; "
                                            "in writing.")]


def test_4_5_with_writing_not_recorded_is_not_checked_and_says_what_was(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-31", effective="2026-04-30"))
    assert account(case) == [("4.5", "unchecked",
                              "Southampton Compact 4.5 not checked: needs whether it was given in writing "
                              "(--in-writing or --verbal). Checked so far: 12 weeks 5 days given, 3 months owed.")]


def test_4_5_with_no_dates_needs_both(log):
    case = log.log(new("funding-change", "southampton", in_writing=True))
    assert account(case) == [("4.5", "unchecked",
                              "Southampton Compact 4.5 not checked: needs the date notice was given (--notified) and "
                              "the date the change takes effect (--effective).")]


# -- Southampton 2.4: the text asks only for an explanation; the explanation is what is checked ---

def test_2_4_a_12_week_verbal_consultation_with_the_explanation_is_a_noted_exception(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-03-30", in_writing=False,
                       reason="drop-in sessions, as the residents asked"))
    assert case["findings"] == []
    assert account(case) == [("2.4", "exception",
                              f"Southampton Compact 2.4: noted exception: not in writing. The text allows it "
                              f"('{EXPLAINED}'); an explanation recorded: drop-in sessions, as the residents asked")]


def test_2_4_a_verbal_consultation_without_the_explanation_warns_that_it_is_missing(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-03-30", in_writing=False))
    assert account(case) == [("2.4", "warning",
                              "Southampton Compact 2.4: not in writing; no explanation is recorded, and the text "
                              f"asks for one ('{EXPLAINED}'): record it as the reason.")]


def test_2_4_a_short_consultation_without_the_explanation(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-03-02", in_writing=True))
    assert account(case) == [("2.4", "warning",
                              "Southampton Compact 2.4: 8 weeks given, 12 weeks owed; no explanation is recorded, and "
                              f"the text asks for one ('{EXPLAINED}'): record it as the reason; compliant date "
                              "2026-03-30.")]


def test_2_4_a_short_consultation_with_the_explanation(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-03-02", in_writing=True,
                       reason="the budget decision is due on 10 March"))
    assert account(case) == [("2.4", "exception",
                              "Southampton Compact 2.4: noted exception: 8 weeks given, 12 weeks owed. The text allows "
                              f"it ('{EXPLAINED}'); an explanation recorded: the budget decision is due on 10 March")]


# -- recurring rules -------------------------------------------------------------------------------

def test_the_first_annual_review_is_not_checked_for_want_of_an_earlier_one(log):
    case = log.log(new("annual-review", "southend", "review 2025", on="2025-01-15"))
    assert account(case) == [("10.4", "unchecked",
                              f"{SOUTHEND} 10.4 not checked: needs an earlier annual-review under this compact to "
                              "measure from (none is recorded before this one; log it, with --on, if it was held).")]


def test_an_annual_review_in_time_is_met(log):
    log.log(new("annual-review", "southend", "review 2025", on="2025-01-15"))
    case = log.log(new("annual-review", "southend", "review 2026", on="2026-01-10"))
    assert account(case) == [("10.4", "met", f"{SOUTHEND} 10.4: met: held 51 weeks 3 days after the last one "
                                             "(2025-01-15); due every 12 months.")]


def test_a_havering_meeting_citing_neither_rule_is_outside_both(log):
    case = log.log(new("meeting", "havering", "coffee morning", on="2026-03-01"))
    assert account(case) == [
        ("5.4.2", "not-applicable", "Compact for Havering 5.4.2: does not apply: it counts only a meeting citing "
                                    "5.4.2, and this one does not (--cite 5.4.2 if it is one)."),
        ("5.3.p3", "not-applicable", "Compact for Havering 5.3.p3: does not apply: it counts only a meeting citing "
                                     "5.3.p3, and this one does not (--cite 5.3.p3 if it is one)."),
    ]


def test_a_compact_with_no_rule_for_the_kind_accounts_for_none(log):
    case = log.log(new("consultation", "southend", start="2026-01-05", end="2026-01-06"))
    assert case["checks"] == [] and case["findings"] == []


# -- the annual report and what is due count what was not checked, and the noted exceptions ------

def test_the_annual_report_counts_every_rule_and_lists_exceptions_and_unchecked(log, store, registry):
    from compact_tui.report import annual_report, render_markdown

    unchecked = log.log(new("funding-change", "southend", "no period end", notified="2026-03-02",
                            effective="2026-04-13"))
    log.log(new("funding-change", "southend", "late", notified="2026-04-01", period_end="2026-03-31"))
    log.log(new("funding-change", "southend", "in time", notified="2026-03-01", period_end="2026-03-31"))
    report = annual_report(store, registry, "southend", 2026)
    assert report["rule_checks"] == {"breach": 0, "warning": 1, "exception": 0, "met": 1, "unchecked": 1,
                                     "not-applicable": 0}
    assert report["unchecked"] == [{"case_id": unchecked["id"], "ref": "6.3(c)", "needs": "period_end",
                                    "message": f"{SOUTHEND} 6.3(c) not checked: needs the end of the current "
                                               "funding period (--period-end).", "standing": "reading"}]
    assert report["exceptions"] == []
    text = render_markdown(report)
    assert ("Each notice rule of the compact, on each case of the year it applies to: 1 broken (above), 1 met, "
            "0 noted exceptions the text allows, 1 not checked (what each needs is below) and 0 not applying "
            "(a meeting that does not cite the rule's clause).") in text
    assert (f"- case {unchecked['id']}, 6.3(c): {SOUTHEND} 6.3(c) not checked: needs the end of the current "
            "funding period (--period-end). (a reading)") in text


def test_the_annual_report_counts_a_noted_exception_with_its_reason(log, store, registry):
    from compact_tui.report import annual_report

    case = log.log(new("funding-change", "southampton", notified="2026-01-31", effective="2026-03-14",
                       in_writing=True, reason="the funder withdrew at a week's notice"))
    report = annual_report(store, registry, "southampton", 2026)
    assert report["rule_checks"]["exception"] == 1
    assert report["exceptions"] == [{
        "case_id": case["id"], "ref": "4.5", "reason": "the funder withdrew at a week's notice",
        "message": "Southampton Compact 4.5: noted exception: 6 weeks given, 3 months owed. The text allows it "
                   f"('{EXCEPTIONAL}'); the exceptional circumstances recorded: the funder withdrew at a week's "
                   "notice", "standing": "stated"}]  # 4.5: "Give at least three months notice in writing"


def test_what_is_due_lists_each_rule_not_checked_until_its_date_is_given(log, store, registry):
    from datetime import date

    from compact_tui.due.deadlines import unchecked_rules

    case = log.log(new("funding-change", "southend", "Age UK Southend grant", notified="2026-03-02",
                       effective="2026-04-13"))
    [item] = unchecked_rules(store, registry)
    assert (item.case_id, item.ref, item.what) == (case["id"], "6.3(c)", f"{SOUTHEND} 6.3(c) not checked: needs "
                                                                         "the end of the current funding period "
                                                                         "(--period-end). (a reading)")
    log.update(case["id"], dates={"period_end": date(2026, 3, 31)})
    assert unchecked_rules(store, registry) == []
