"""Changing a case, from the officer's side: a line break typed into a one-line field is refused
on update as on log, the day a change happened is the day given, the cited clauses are kept in
the case's own row as on its list, and the notice-by date of a funding change is worked back by
the calendar. Written from what the first mutation campaign found untested (docs/mutation.md)."""

from __future__ import annotations

from datetime import date

import pytest

from compact_tui.caselog.case_log import _minus
from compact_tui.content.model import Period
from compact_tui.errors import UserError

from .caselog_helpers import counts, d, new


@pytest.fixture
def case(log):
    return log.log(new("consultation", "southampton", "Library hours", start="2026-01-05", end="2026-03-30",
                       orgs=["Age UK"]))


def refused(log, case_id, **change) -> str:
    before = counts(log.store), log.get(case_id)
    with pytest.raises(UserError) as err:
        log.update(case_id, **change)
    assert (counts(log.store), log.get(case_id)) == before
    return str(err.value)


def test_a_title_on_two_lines_is_refused_on_update_as_on_log(log, case):
    assert refused(log, case["id"], title="Library hours\nand more") == (
        "the title contains a control character (U+000A); type plain text.")


def test_an_organisation_on_two_lines_is_refused_on_update(log, case):
    assert refused(log, case["id"], parties=["Age UK", "Carers\nForum"]) == (
        "an organisation's name contains a control character (U+000A); type plain text.")


def test_a_note_on_several_lines_is_taken(log, case):
    changed = log.update(case["id"], title="Library opening hours", note="agreed at the forum\nsee minutes")
    assert changed["events"][-1]["note"] == "agreed at the forum\nsee minutes"


def test_the_day_a_change_happened_is_the_day_given(log, case):
    changed = log.update(case["id"], title="Library opening hours", on=d("2026-02-03"))
    assert changed["events"][-1]["happened_on"] == "2026-02-03"
    reopened_from = log.close(case["id"], on=d("2026-04-01"))
    assert reopened_from["events"][-1]["happened_on"] == "2026-04-01"
    reopened = log.reopen(case["id"], note="closed too soon", on=d("2026-04-02"))
    assert (reopened["events"][-1]["happened_on"], reopened["events"][-1]["note"]) == ("2026-04-02", "closed too soon")


def test_the_cited_clauses_are_kept_in_the_cases_own_row(log, case):
    log.update(case["id"], cites=["2.4", "4.5"])
    assert log.row(case["id"])["cites"] == "2.4 4.5"
    assert log.get(case["id"])["cites"] == ["2.4", "4.5"]


def test_a_change_of_parties_replaces_the_list(log, case):
    changed = log.update(case["id"], parties=["Carers Forum", "Age UK", " Carers Forum "])
    assert changed["parties"] == ["Carers Forum", "Age UK"]
    assert log.row(case["id"])["parties"] == "Carers Forum; Age UK"


@pytest.mark.parametrize("day, period, latest", [
    ("2026-04-30", Period(3, "m"), "2026-01-31"),   # 31 January + 3 months is 30 April; 1 February is 1 May
    ("2026-05-31", Period(3, "m"), "2026-02-28"),   # 28 February + 3 months is 28 May; 1 March is 1 June
    ("2026-06-01", Period(2, "w"), "2026-05-18"),
    ("2026-06-01", Period(10, "d"), "2026-05-22"),
    ("2026-01-05", Period(1, "wd"), "2026-01-04"),  # Sunday: one working day on is Monday 5th; Monday 5th gives 6th
    ("2026-12-29", Period(1, "wd"), "2026-12-28"),  # Boxing Day's substitute: its next working day is the 29th
    ("2026-12-30", Period(2, "wd"), "2026-12-28"),
])
def test_the_latest_notice_date_for_a_period_is_worked_back_by_the_calendar(day, period, latest):
    assert _minus(date.fromisoformat(day), period) == date.fromisoformat(latest)


def test_a_funding_change_with_only_its_effective_date_is_due_its_notice(log):
    case = log.log(new("funding-change", "southampton", "grant ending", effective="2026-04-30"))
    assert (case["due"], case["due_what"]) == ("2026-01-31", "notice due (4.5)")
    told = log.update(case["id"], dates={"notified": d("2026-01-20")})
    assert (told["due"], told["due_what"]) == ("2026-04-30", "funding change takes effect")


def test_a_note_too_long_is_named_on_update(log, case):
    assert refused(log, case["id"], title="Library opening hours", note="x" * 10_001) == (
        "the note is 10001 characters long; the most is 10000.")


def test_no_parties_given_to_a_case_with_none_is_nothing_to_change(log):
    bare = log.log(new("note", "essex", "a note with no parties"))
    assert refused(log, bare["id"], parties=[]) == ("nothing to change: give a date, --reason, --cite, --title, "
                                                   "--party, --compact, or another field.")


def test_a_stored_citing_meeting_reads_its_rule_as_applying(log):
    log.log(new("meeting", "essex", "first report", on="2025-01-10", cites=["MS.complaints.p2"]))
    second = log.log(new("meeting", "essex", "second report", on="2025-12-01", cites=["MS.complaints.p2"]))
    outcomes = {c["ref"]: c["outcome"] for c in log.get(second["id"])["checks"]}
    assert outcomes == {"MS.complaints.p2": "met", "MS.panel.p2": "not-applicable"}
