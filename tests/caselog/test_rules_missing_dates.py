"""Cases with a date still missing: what is checked, what is not, and what the officer is asked
for, word for word; and the parts of the rule engine no installed compact reaches on its own (a
deadline with a period of grace, a finding whose rule the compact no longer has, a form's own
labels). Expected messages are written out by hand from the compacts' rule titles and the
seed texts."""

from __future__ import annotations

from datetime import date

from compact_tui.record import replace
from compact_tui.content.model import Period
from compact_tui.rules.notice import account, needs_phrase, needs_writing, reconcile, rule_needs, with_standing

from .caselog_helpers import new

SOUTHEND = "A Compact for Southend-on-Sea"
CIRCUMSTANCES = ("(the text allows an exception: 'apart from in exceptional circumstances'; record the circumstances "
                 "as the reason)")


def checks(case):
    return [(c["ref"], c["outcome"], c["message"]) for c in case["checks"]]


def test_a_consultation_with_a_start_and_no_end_yet(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", in_writing=True))
    assert case["findings"] == []
    assert checks(case) == [("2.4", "unchecked", "Southampton Compact 2.4 not checked: needs the date the consultation "
                                                 "closes (--end).")]
    assert case["checks"][0]["needs"] == ["end"]


def test_a_consultation_with_a_start_only_and_the_writing_not_recorded(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05"))
    assert checks(case) == [("2.4", "unchecked", "Southampton Compact 2.4 not checked: needs the date the consultation "
                                                 "closes (--end) and whether it was given in writing (--in-writing or "
                                                 "--verbal).")]


def test_a_consultation_with_an_end_only(log):
    case = log.log(new("consultation", "southampton", end="2026-03-30", in_writing=True))
    assert checks(case) == [("2.4", "unchecked", "Southampton Compact 2.4 not checked: needs the date the consultation "
                                                 "starts (--start).")]


def test_a_short_consultation_is_a_warning_whether_or_not_the_writing_is_known(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-03-02"))
    assert [(c["ref"], c["outcome"], c["due"]) for c in case["checks"]] == [("2.4", "warning", "2026-03-30")]


def test_a_consultation_of_exactly_twelve_weeks_in_writing_is_met(log):
    case = log.log(new("consultation", "southampton", start="2026-01-05", end="2026-03-30", in_writing=True))
    assert checks(case) == [("2.4", "met", "Southampton Compact 2.4: met: 12 weeks given, 12 weeks owed; in writing.")]


def test_a_funding_change_with_nothing_recorded_yet_asks_for_all_three(log):
    case = log.log(new("funding-change", "southampton"))
    assert checks(case) == [("4.5", "unchecked",
                             "Southampton Compact 4.5 not checked: needs the date notice was given (--notified), the "
                             "date the change takes effect (--effective) and whether it was given in writing "
                             "(--in-writing or --verbal).")]


def test_a_funding_change_with_the_effective_date_only(log):
    case = log.log(new("funding-change", "southampton", effective="2026-06-01", in_writing=True))
    assert checks(case) == [("4.5", "unchecked", "Southampton Compact 4.5 not checked: needs the date notice was "
                                                 "given (--notified).")]


def test_verbal_notice_with_the_effective_date_still_missing_is_a_breach_and_the_rest_unchecked(log):
    case = log.log(new("funding-change", "southampton", notified="2026-01-05", in_writing=False))
    assert checks(case) == [
        ("4.5", "breach", "Southampton Compact 4.5: At least three months' written notice of changing or ending funding "
                          f"or other support: it must be in writing, and this was not {CIRCUMSTANCES}."),
        ("4.5", "unchecked", "Southampton Compact 4.5 not checked: needs the date the change takes effect "
                             "(--effective).")]
    assert [(f["ref"], f["severity"], f["due"]) for f in case["findings"]] == [("4.5", "breach", None)]


def test_southend_with_the_period_end_only(log):
    case = log.log(new("funding-change", "southend", period_end="2026-03-31"))
    assert checks(case) == [("6.3(c)", "unchecked", f"{SOUTHEND} 6.3(c) not checked: needs the date notice was given "
                                                    f"(--notified).")]


def test_a_change_with_no_dates_for_the_recurring_rule_is_asked_for_the_earlier_one(log):
    case = log.log(new("annual-review", "southend", on="2026-01-10"))
    assert checks(case) == [("10.4", "unchecked", f"{SOUTHEND} 10.4 not checked: needs an earlier annual-review under "
                                                  "this compact to measure from (none is recorded before this one; log "
                                                  "it, with --on, if it was held).")]
    assert case["checks"][0]["needs"] == ["previous"]


def test_a_rule_for_citing_meetings_on_a_meeting_not_citing_it(log):
    case = log.log(new("meeting", "essex", on="2026-01-10", cites=["MS.panel.p2"]))
    assert ("MS.complaints.p2", "not-applicable",
            "Essex Compact MS.complaints.p2: does not apply: it counts only a meeting citing MS.complaints.p2, and "
            "this one does not (--cite MS.complaints.p2 if it is one).") in checks(case)
    assert ("MS.panel.p2", "unchecked",
            "Essex Compact MS.panel.p2 not checked: needs an earlier meeting citing MS.panel.p2 under this compact to "
            "measure from (none is recorded before this one; log it, with --on, if it was held).") in checks(case)


# -- what no installed compact reaches on its own --------------------------------------------------

def test_a_deadline_with_a_period_of_grace_is_measured_from_its_end(registry):
    southend = registry.get("southend")
    rule = next(r for r in southend.rules if r.ref == "6.3(c)")
    graced = replace(southend, rules=tuple(replace(r, period=Period(1, "m")) if r is rule else r
                                           for r in southend.rules))
    case = {"kind": "funding-change", "notified": "2026-04-30", "period_end": "2026-03-31"}
    assert [(c.outcome, c.message) for c in account(graced, case)] == [
        ("met", f"{SOUTHEND} 6.3(c): met: the date notice was given (2026-04-30) is on or before 2026-04-30.")]
    late = {**case, "notified": "2026-05-01"}
    assert [(c.outcome, c.message, c.due) for c in account(graced, late)] == [
        ("warning", f"{SOUTHEND} 6.3(c): Future funding made known before the end of the current funding period "
                    f"(normally): 1 day late; it was due by 2026-04-30.", "2026-04-30")]


def test_what_each_shape_of_rule_needs(registry):
    by_ref = {r.ref: r for c in registry for r in c.rules}
    assert rule_needs(by_ref["4.5"]) == ("notified", "effective", "in_writing")
    assert rule_needs(by_ref["6.3(c)"]) == ("notified", "period_end")
    assert rule_needs(by_ref["MS.complaints.p2"]) == ("cite", "previous")
    assert rule_needs(by_ref["10.4"]) == ("previous",)


def test_the_forms_ask_whether_notice_was_in_writing_only_where_a_rule_of_that_kind_asks_for_it(registry):
    """Southampton's 2.4 (consultations) and 4.5 (funding changes) ask for writing; its meetings,
    and no kind of Essex case, do: the quick-log and edit forms ask only for the first two."""
    southampton, essex = registry.get("southampton"), registry.get("essex")
    assert [kind for kind in ("consultation", "funding-change", "meeting", "dispute")
            if needs_writing(southampton, kind)] == ["consultation", "funding-change"]
    assert [kind for kind in ("consultation", "funding-change", "meeting", "dispute")
            if needs_writing(essex, kind)] == []


def test_what_a_rule_needs_in_a_forms_own_words():
    labels = {"end": "Closes on", "in_writing": "In writing"}
    assert needs_phrase(("end",), labels) == "the date the consultation closes (Closes on)"
    assert needs_phrase(("start", "end"), labels) == ("the date the consultation starts and the date the consultation "
                                                      "closes (Closes on)")
    assert needs_phrase(("start", "end", "in_writing"), labels) == (
        "the date the consultation starts, the date the consultation closes (Closes on) and whether it was given in "
        "writing (In writing)")


def test_a_stored_finding_stands_for_its_rule_and_one_the_compact_no_longer_has_is_kept(registry):
    southampton = registry.get("southampton")
    now = account(southampton, {"kind": "funding-change", "notified": "2026-01-31", "effective": "2026-04-30"})
    assert [c.outcome for c in now] == ["unchecked"]
    stored = [{"rule_id": "funding-notice-3-months", "ref": "4.5", "severity": "breach", "message": "as stored",
               "due": "2026-04-30"},
              {"rule_id": "retired-rule", "ref": "9.9", "severity": "warning", "message": "an older rule",
               "due": "2025-12-01"}]
    out = reconcile(now, stored)
    assert [(c["rule_id"], c["outcome"], c["message"]) for c in out] == [
        ("funding-notice-3-months", "breach", "as stored"),
        ("funding-notice-3-months", "unchecked", now[0].message),  # the part it could not check
        ("retired-rule", "warning", "an older rule")]
    assert (out[0]["due"], out[2]["due"]) == ("2026-04-30", "2025-12-01")
    assert (with_standing(southampton, out[2])["standing"], with_standing(southampton, out[2])["severity_standing"]) \
        == ("unknown", "unknown")
    assert with_standing(None, out[0])["standing"] == "unknown"
    assert with_standing(southampton, out[0])["standing"] in ("stated", "reading")


def test_a_met_rule_with_no_stored_finding_reads_as_it_does_now(registry):
    southampton = registry.get("southampton")
    now = account(southampton, {"kind": "consultation", "start": date(2026, 1, 5), "end": date(2026, 3, 30),
                                "in_writing": 1})
    assert [(c["outcome"], c["message"]) for c in reconcile(now, [])] == [
        ("met", "Southampton Compact 2.4: met: 12 weeks given, 12 weeks owed; in writing.")]


def test_evaluate_gives_the_broken_rules_as_findings(registry):
    from compact_tui.rules.notice import Finding, evaluate

    southampton = registry.get("southampton")
    short = {"kind": "consultation", "start": "2026-01-05", "end": "2026-03-02", "in_writing": 1}
    assert evaluate(southampton, short) == [Finding(
        "consultation-12-weeks", "2.4", "warning",
        "Southampton Compact 2.4: 8 weeks given, 12 weeks owed; no explanation is recorded, and the text asks for one "
        "('with clear explanations for shorter time-frames or a more informal approach'): record it as the reason; "
        "compliant date 2026-03-30.", "2026-03-30")]
    assert evaluate(southampton, {**short, "end": "2026-03-30"}) == []
