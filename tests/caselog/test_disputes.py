"""A dispute moves only through its compact's own procedure; stages and conditions are read
from the installed plugins, not guessed."""

from __future__ import annotations

import pytest

from .caselog_helpers import counts, d, new
from compact_tui.errors import UserError

# The Essex mediation procedure (shared/seeds/essex.txt, "MEDIATION SERVICE"), written out by
# hand: each step is (stage moved to, conditions confirmed). The complainant "1) Make sure that
# they have full information", "2) Raise the matter with the organisation perceived to be at
# fault", "3) If not satisfied with the outcome of (2), refer the matter to their own
# decision-makers", "4) Subject to (3) and to a decision to pursue the matter, raise the matter
# with the Chair"; the Chair "1) Notify", "2) Assess whether the complaint falls within the terms
# of the Essex Compact", "(a) ... covered ... 3) ... appoint one mediator".
TO_OWN_DECISION_MAKERS = [("raise-with-organisation", ["full-information"]),
                          ("own-decision-makers", ["not-satisfied"])]
CHAIR_CONDITIONS = ["raised-with-other-side", "own-decision-makers-first", "decision-to-pursue"]
TO_ONE_MEDIATOR = [*TO_OWN_DECISION_MAKERS, ("raise-with-chair", CHAIR_CONDITIONS), ("chair-notifies", []),
                   ("chair-assesses", []), ("single-mediator", ["covered-by-compact"])]
# "4) If the matter cannot be resolved ... a team of three mediators ... at least one third sector
# and at least one statutory sector representative"
TEAM_OF_THREE = "team-of-three"
NOT_RESOLVED_BY_ONE = "not-resolved-by-one-mediator"


def walk(log, case_id, steps, on="2026-02-01"):
    for stage, confirm in steps:
        log.advance(case_id, stage, confirm=confirm, on=d(on))


def snapshot(log, case_id):
    case = log.get(case_id)
    return case, counts(log.store)


@pytest.fixture
def essex_case(log):
    return log.log(new("dispute", "essex", "grant withdrawn without notice", opened="2026-01-10",
                       orgs=["Essex CVS"]))


def test_a_new_dispute_starts_at_the_procedures_first_stage(log, essex_case):
    case = log.get(essex_case["id"])
    assert case["stage"] == "full-information" and case["status"] == "open"
    assert [n["stage"] for n in case["next"]] == ["raise-with-organisation"]


def test_a_move_not_allowed_now_is_refused_and_changes_nothing(log, essex_case):
    before = snapshot(log, essex_case["id"])
    with pytest.raises(UserError) as err:
        log.advance(essex_case["id"], "lessons-learnt")  # Chair 8): only after the team reports
    assert "does not allow a move" in str(err.value) and "lessons-learnt" in str(err.value)
    assert snapshot(log, essex_case["id"]) == before


def test_an_unknown_stage_is_refused_and_changes_nothing(log, essex_case):
    before = snapshot(log, essex_case["id"])
    with pytest.raises(UserError, match="is not a stage of Essex Compact's procedure"):
        log.advance(essex_case["id"], "arbitration")
    assert snapshot(log, essex_case["id"]) == before


def test_the_complainant_must_raise_it_with_the_other_side_and_own_decision_makers_first(log, essex_case):
    cid = essex_case["id"]
    walk(log, cid, TO_OWN_DECISION_MAKERS)
    before = snapshot(log, cid)
    with pytest.raises(UserError) as err:
        log.advance(cid, "raise-with-chair")
    assert "[condition raised-with-other-side]" in str(err.value)
    for i in range(1, len(CHAIR_CONDITIONS)):  # every condition is needed, not just some
        with pytest.raises(UserError) as err:
            log.advance(cid, "raise-with-chair", confirm=CHAIR_CONDITIONS[:i])
        assert f"[condition {CHAIR_CONDITIONS[i]}]" in str(err.value)
    assert snapshot(log, cid) == before
    case = log.advance(cid, "raise-with-chair", confirm=CHAIR_CONDITIONS, note="both steps taken")
    assert case["stage"] == "raise-with-chair"
    last = case["events"][-1]
    assert last["action"] == "advanced" and last["detail"]["from"] == "own-decision-makers"
    assert last["detail"]["confirmed"] == sorted(CHAIR_CONDITIONS) and last["note"] == "both steps taken"


@pytest.mark.parametrize("team, refused", [
    (["A:statutory", "B:statutory", "C:statutory"], "voluntary and community"),
    (["A:vcs", "B:vcs", "C:vcs"], "statutory"),
    (["A:statutory", "B:vcs"], "team of 3"),
    (["A:statutory", "B:vcs", "C:vcs", "D:vcs"], "team of 3"),
    (["A:statutory", "B:vcs", "C:nobody"], "NAME:statutory or NAME:vcs"),
])
def test_the_team_of_three_needs_a_member_from_each_sector(log, essex_case, team, refused):
    walk(log, essex_case["id"], TO_ONE_MEDIATOR)
    before = snapshot(log, essex_case["id"])
    with pytest.raises(UserError) as err:
        log.advance(essex_case["id"], TEAM_OF_THREE, confirm=[NOT_RESOLVED_BY_ONE], team=team)
    assert refused in str(err.value)
    assert snapshot(log, essex_case["id"]) == before


def test_two_statutory_and_one_voluntary_member_are_allowed(log, essex_case):
    walk(log, essex_case["id"], TO_ONE_MEDIATOR)
    case = log.advance(essex_case["id"], TEAM_OF_THREE, confirm=[NOT_RESOLVED_BY_ONE],
                       team=["A. Patel:statutory", "B. Jones:statutory", "C. Smith:vcs"])
    assert case["stage"] == TEAM_OF_THREE
    assert case["events"][-1]["detail"]["team"] == [
        {"name": "A. Patel", "sector": "statutory"}, {"name": "B. Jones", "sector": "statutory"},
        {"name": "C. Smith", "sector": "vcs"}]


def test_reaching_an_outcome_closes_the_case(log, essex_case):
    # resolved once the organisation at fault deals with it (complainant step 2)
    walk(log, essex_case["id"], [("raise-with-organisation", ["full-information"]), ("resolved", [])],
         on="2026-03-01")
    case = log.get(essex_case["id"])
    assert case["stage"] == "resolved"
    assert (case["status"], case["outcome"]) == ("closed", "resolved")
    assert case["next"] == [] and case["due"] is None
    before = snapshot(log, essex_case["id"])
    with pytest.raises(UserError, match="has ended"):
        log.advance(essex_case["id"], "full-information")
    with pytest.raises(UserError, match="already closed"):
        log.close(essex_case["id"])
    assert snapshot(log, essex_case["id"]) == before


def test_an_open_dispute_cannot_be_closed_by_hand(log, essex_case):
    with pytest.raises(UserError, match="closes when it reaches an outcome"):
        log.close(essex_case["id"])


def test_only_disputes_have_stages(log):
    meeting = log.log(new("consultation", "essex", start="2026-01-05", end="2026-04-05"))
    with pytest.raises(UserError, match="not a dispute"):
        log.advance(meeting["id"], "resolved")


# -- High Peak: the procedure is 'information pending' ----------------------------------------------

def test_high_peak_dispute_says_the_procedure_is_pending_and_points_nowhere_its_text_does_not(log, registry):
    hp = registry.get("high_peak")
    assert hp.procedure is not None and hp.procedure.pending
    assert hp.info.parent is None  # the text names no compact one level up
    case = log.log(new("dispute", "high_peak", "a disagreement", orgs=["Glossop Community Group"]))
    assert case["stage"] is None
    shown = log.get(case["id"])
    note = shown["procedure_note"]
    assert note == ("High Peak Compact's dispute procedure is 'information pending'; "
                    "its text names no compact one level up.")
    assert shown["next"] == []
    before = snapshot(log, case["id"])
    with pytest.raises(UserError) as err:
        log.advance(case["id"], "resolved")
    assert str(err.value) == note
    assert snapshot(log, case["id"]) == before
