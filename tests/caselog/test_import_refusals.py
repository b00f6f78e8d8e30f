"""The case log's own refusals on the way in, as an officer bringing a spreadsheet in meets them:
each sentence in full, the row named, and nothing written. Also a dispute brought in at an outcome
(closed, as it ended), and a case moved to the compact it should have been logged under."""

from __future__ import annotations

import csv
from datetime import date

import pytest

from compact_tui.caselog.case_log import NewCase
from compact_tui.caselog.transfer import import_csv
from compact_tui.errors import UserError

from .caselog_helpers import counts, d, new

KINDS = "consultation, funding-change, dispute, champion, signatory, meeting, annual-review, note"
OUTCOME_RULE = "a dispute is closed when, and only when, its stage is an outcome"


def bring_in(log, tmp_path, header, *rows, compact="essex"):
    path = tmp_path / "cases.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([header, *rows])
    before = counts(log.store)
    result = import_csv(log, path, compact)
    if result.errors:
        assert counts(log.store) == before  # all or nothing
    return result


@pytest.mark.parametrize("row, sentence", [
    (["A memo", "memo", "", "", ""], f"'memo' is not a kind of case (kinds: {KINDS})."),
    (["Ended, but not at an outcome", "dispute", "closed", "full-information", ""],
     f"{OUTCOME_RULE} (stage 'full-information', status 'closed')."),
    (["Closed with no stage given", "dispute", "closed", "", ""],
     f"{OUTCOME_RULE} (stage 'full-information', status 'closed')."),
    (["Open at an outcome", "dispute", "open", "resolved", ""], f"{OUTCOME_RULE} (stage 'resolved', status 'open')."),
    (["A stage no procedure has", "dispute", "", "arbitration", ""],
     "'arbitration' is not a stage of Essex Compact's procedure."),
    (["A meeting at a stage", "meeting", "", "resolved", "2026-01-10"], "only a dispute has a stage, not a meeting."),
    (["Pending", "consultation", "pending", "", ""], "the status 'pending' is not open, closed or withdrawn."),
    # a withdrawn case comes in withdrawn (issue 18), with the reason it was withdrawn
    (["Withdrawn on the way in", "consultation", "withdrawn", "", ""],
     "a withdrawn case needs the reason it was withdrawn (withdrawn_reason)."),
])
def test_a_row_the_case_log_refuses_is_named_and_nothing_is_written(log, tmp_path, row, sentence):
    header = ["title", "kind", "status", "stage", "on"]
    result = bring_in(log, tmp_path, header, ["A good row", "note", "", "", ""], row)
    assert result.errors == [f"row 3: {sentence}"]
    assert (result.written, result.ids, counts(log.store)["cases"]) == (False, [], 0)


def test_a_stage_under_a_compact_with_no_procedure_to_walk_is_refused(log, tmp_path):
    result = bring_in(log, tmp_path, ["title", "kind", "stage"], ["A disagreement", "dispute", "resolved"],
                      compact="havering")
    assert result.errors == ["row 2: 'resolved' is not a stage of Compact for Havering's procedure."]


def test_a_dispute_brought_in_at_an_outcome_is_closed_with_it(log, tmp_path):
    result = bring_in(log, tmp_path, ["title", "kind", "opened", "stage", "stage_since"],
                      ["Settled last year", "dispute", "2025-03-01", "not-pursued", "2025-06-01"])
    assert result.errors == []
    case = log.get(result.ids[0])
    assert (case["status"], case["stage"], case["stage_since"], case["outcome"], case["due"]) == (
        "closed", "not-pursued", "2025-06-01", "no-agreement", None)
    assert case["next"] == []
    assert case["events"][0]["action"] == "imported"


def test_a_dispute_brought_in_part_way_keeps_its_stage_and_moves_on_from_there(log, tmp_path):
    result = bring_in(log, tmp_path, ["title", "kind", "opened", "stage", "status"],
                      ["With the Chair", "dispute", "2025-03-01", "raise-with-chair", "open"])
    case = log.get(result.ids[0])
    assert (case["status"], case["stage"], case["stage_since"], case["outcome"]) == (
        "open", "raise-with-chair", "2025-03-01", None)
    assert [n["stage"] for n in case["next"]] == ["chair-notifies"]


def test_a_date_a_case_does_not_carry_is_refused_by_log_and_update(log):
    with pytest.raises(UserError) as err:
        log.log(NewCase(kind="note", compact="essex", title="x", dates={"deadline": date(2026, 1, 5)}))
    assert str(err.value) == "'deadline' is not a date a case carries."
    case = log.log(new("note", "essex", "a note"))
    before = counts(log.store)
    with pytest.raises(UserError) as err:
        log.update(case["id"], dates={"deadline": date(2026, 1, 5)})
    assert str(err.value) == "'deadline' is not a date a case carries."
    assert counts(log.store) == before


def test_a_date_outside_the_range_is_refused_by_name(log):
    with pytest.raises(UserError) as err:
        log.log(new("meeting", "essex", "a meeting", on="2201-01-01"))
    assert str(err.value) == "the on date 2201-01-01 is outside the dates the case log takes (1900-01-01 to 2200-12-31)."
    assert counts(log.store)["cases"] == 0


# -- a case moved to the compact it should have been logged under --------------------------------

def test_a_dispute_at_its_first_stage_moves_to_the_new_compacts_first_stage(log):
    case = log.log(new("dispute", "essex", "logged under the county", opened="2026-01-10"))
    moved = log.update(case["id"], compact="southend")
    assert (moved["compact"], moved["stage"], moved["stage_since"], moved["status"]) == (
        "southend", "between-parties", "2026-01-10", "open")
    assert moved["events"][-1]["detail"]["was"] == {"compact": "essex", "stage": "full-information",
                                                    "stage_since": "2026-01-10"}


def test_a_dispute_moved_to_a_compact_whose_procedure_is_pending_has_no_stage(log):
    case = log.log(new("dispute", "essex", "logged under the county", opened="2026-01-10"))
    moved = log.update(case["id"], compact="high_peak")
    assert (moved["stage"], moved["stage_since"], moved["next"]) == (None, None, [])
    assert moved["procedure_note"].startswith("High Peak Compact's dispute procedure is 'information pending'")


def test_a_dispute_past_its_first_stage_stays_where_it_is(log):
    case = log.log(new("dispute", "essex", "well under way", opened="2026-01-10"))
    log.advance(case["id"], "raise-with-organisation", confirm=["full-information"], on=d("2026-01-20"))
    before = counts(log.store), log.get(case["id"])
    with pytest.raises(UserError) as err:
        log.update(case["id"], compact="southend")
    assert str(err.value) == (f"case {case['id']} is a dispute already past its first stage under its compact; "
                              f"withdraw it ('compact-tui withdraw {case['id']} --reason ...') and log it again "
                              f"under the other compact.")
    assert (counts(log.store), log.get(case["id"])) == before


def test_a_case_citing_a_clause_the_other_compact_lacks_cannot_move(log):
    case = log.log(new("meeting", "essex", "a forum meeting", on="2026-01-10", cites=["MS.complaints.p2"]))
    with pytest.raises(UserError) as err:
        log.update(case["id"], compact="havering")
    assert str(err.value) == ("Compact for Havering has no clause 'MS.complaints.p2', which this case cites; it "
                              "cannot move there citing it (withdraw it and log it again, citing that compact's "
                              "own clauses).")


def test_a_consultation_moved_is_judged_by_the_rules_of_its_new_compact(log):
    case = log.log(new("consultation", "havering", "Library hours", start="2026-01-05", end="2026-03-29"))
    assert case["findings"] == []  # Havering states no 12-week rule
    moved = log.update(case["id"], compact="southampton")
    assert [(f["ref"], f["severity"], f["due"]) for f in moved["findings"]] == [("2.4", "warning", "2026-03-30")]
