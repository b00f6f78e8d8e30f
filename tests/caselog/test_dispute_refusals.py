"""What an officer is told, word for word, when a dispute cannot move: the moves allowed now,
the stages there are, the condition not yet met, the team that is not right, and where to turn
when the compact has no procedure to walk. Every expectation is written out by hand from the
compacts' texts (shared/seeds) as their plugins encode them."""

from __future__ import annotations

import pytest

from compact_tui.record import replace
from compact_tui.rules import disputes
from compact_tui.caselog.case_log import CaseLog
from compact_tui.rules.disputes import TeamMember
from compact_tui.errors import UserError
from compact_tui.content.model import ParentLink
from compact_tui.content.plugins import load_registry

from .caselog_helpers import counts, new
from .test_disputes import TO_ONE_MEDIATOR, TO_OWN_DECISION_MAKERS, walk

ESSEX_STAGES = ("full-information, raise-with-organisation, own-decision-makers, raise-with-chair, chair-notifies, "
                "chair-assesses, single-mediator, team-of-three, team-report, solution-agreed, "
                "steering-group-considers, steering-group-compliance, resolved, referred-other-compact, "
                "not-compact-matter, lessons-learnt, not-pursued")
# MS.chair.4, as the plugin puts the question of the team-of-three condition
TEAM_QUESTION = ("A team of three mediators (which may or may not include the original one), including at least "
                 "one third sector and at least one statutory sector representative")


@pytest.fixture
def essex_case(log):
    return log.log(new("dispute", "essex", "grant withdrawn without notice", opened="2026-01-10",
                       orgs=["Essex CVS"]))


def refused(log, case_id, to_stage, **kw) -> str:
    before = counts(log.store), log.get(case_id)
    with pytest.raises(UserError) as err:
        log.advance(case_id, to_stage, **kw)
    assert (counts(log.store), log.get(case_id)) == before  # a refusal changes nothing
    return str(err.value)


def test_a_move_not_allowed_now_lists_the_one_move_there_is(log, essex_case):
    assert refused(log, essex_case["id"], "lessons-learnt") == (
        "Essex Compact's procedure does not allow a move from 'full-information' to 'lessons-learnt' "
        "(allowed now: raise-with-organisation).")


def test_a_move_not_allowed_now_lists_every_move_there_is_in_the_procedures_order(log, essex_case):
    walk(log, essex_case["id"], [("raise-with-organisation", ["full-information"])])
    assert refused(log, essex_case["id"], "raise-with-chair") == (
        "Essex Compact's procedure does not allow a move from 'raise-with-organisation' to 'raise-with-chair' "
        "(allowed now: resolved, own-decision-makers).")


def test_a_move_to_the_stage_it_is_at_is_refused(log, essex_case):
    assert refused(log, essex_case["id"], "full-information") == (
        "Essex Compact's procedure does not allow a move from 'full-information' to 'full-information' "
        "(allowed now: raise-with-organisation).")


def test_an_unknown_stage_is_named_with_every_stage_there_is(log, essex_case):
    assert refused(log, essex_case["id"], "arbitration") == (
        f"'arbitration' is not a stage of Essex Compact's procedure (stages: {ESSEX_STAGES}).")


def test_an_ended_dispute_says_where_it_ended(log, essex_case):
    walk(log, essex_case["id"], [*TO_OWN_DECISION_MAKERS, ("not-pursued", [])])
    assert refused(log, essex_case["id"], "raise-with-chair") == (
        "the dispute has ended at 'Not pursued: no decision to take the matter further' (no-agreement); "
        "it cannot move on.")


def test_a_condition_not_confirmed_is_asked_in_the_compacts_words(log, essex_case):
    assert refused(log, essex_case["id"], "raise-with-organisation") == (
        "not yet confirmed (MS.complainant.1): Has the complainant made sure they have full information and are "
        "confident of their ground? [condition full-information]")


def test_confirming_another_condition_does_not_stand_for_the_one_asked(log, essex_case):
    assert refused(log, essex_case["id"], "raise-with-organisation", confirm=["not-satisfied"]).endswith(
        "[condition full-information]")


def test_a_move_with_no_condition_needs_none(log, essex_case):
    walk(log, essex_case["id"], [("raise-with-organisation", ["full-information"])])
    case = log.advance(essex_case["id"], "resolved")  # satisfied with the organisation's own processes
    assert (case["stage"], case["status"], case["outcome"]) == ("resolved", "closed", "resolved")


@pytest.mark.parametrize("team, message", [
    (["A:statutory", "B:vcs"], f"this move needs a team of 3 (MS.chair.4), 2 named: {TEAM_QUESTION}"),
    ([], f"this move needs a team of 3 (MS.chair.4), 0 named: {TEAM_QUESTION}"),
    (["A:statutory", "B:vcs", "C:vcs", "D:statutory"], f"this move needs a team of 3 (MS.chair.4), 4 named: "
                                                       f"{TEAM_QUESTION}"),
    (["A:statutory", "B:statutory", "C:statutory"],
     "the team needs at least 1 member from the voluntary and community sector (MS.chair.4)."),
    (["A:vcs", "B:vcs", "C:vcs"], "the team needs at least 1 member from the statutory sector (MS.chair.4)."),
])
def test_the_team_of_three_refusals_in_full(log, essex_case, team, message):
    walk(log, essex_case["id"], TO_ONE_MEDIATOR)
    assert refused(log, essex_case["id"], "team-of-three", confirm=["not-resolved-by-one-mediator"],
                   team=team) == message


def test_one_of_each_sector_and_a_third_of_either_is_a_team(log, essex_case):
    walk(log, essex_case["id"], TO_ONE_MEDIATOR)
    case = log.advance(essex_case["id"], "team-of-three", confirm=["not-resolved-by-one-mediator"],
                       team=["A:vcs", "B:statutory", "C:vcs"])
    assert case["stage"] == "team-of-three"


def test_the_team_is_checked_only_after_the_condition_before_it(log, essex_case):
    walk(log, essex_case["id"], TO_ONE_MEDIATOR)
    assert refused(log, essex_case["id"], "team-of-three", team=["A:statutory", "B:vcs", "C:vcs"]) == (
        "not yet confirmed (MS.chair.4): Has the single mediator been unable to resolve the matter at this "
        "level? [condition not-resolved-by-one-mediator]")


@pytest.mark.parametrize("text, member", [
    ("Jane Smith:vcs", TeamMember("Jane Smith", "vcs")),
    (" A. Patel : Statutory ", TeamMember("A. Patel", "statutory")),
    ("Lee: Lee:vcs", TeamMember("Lee: Lee", "vcs")),   # the last colon divides
])
def test_a_team_member_as_typed(text, member):
    assert TeamMember.parse(text) == member


@pytest.mark.parametrize("text", ["Jane Smith", ":vcs", "   :statutory", "Jane:council", "Jane:"])
def test_a_team_member_not_as_asked_is_refused_in_full(log, essex_case, text):
    walk(log, essex_case["id"], TO_ONE_MEDIATOR)
    assert refused(log, essex_case["id"], "team-of-three", confirm=["not-resolved-by-one-mediator"],
                   team=["A:statutory", text]) == (
        f"a team member '{text}' should be NAME:statutory or NAME:vcs.")


def test_moves_from_a_stage_and_from_nowhere(registry):
    essex = registry.get("essex")
    assert [m.to_stage for m in disputes.moves_from(essex, "team-report")] == [
        "solution-agreed", "steering-group-considers", "lessons-learnt"]
    assert disputes.moves_from(essex, None) == ()
    assert disputes.moves_from(registry.get("high_peak"), "anything") == ()
    assert disputes.moves_from(registry.get("havering"), "anything") == ()


# -- no procedure to walk: where to turn --------------------------------------------------------

HIGH_PEAK_PENDING = "High Peak Compact's dispute procedure is 'information pending'"


def test_havering_says_its_procedure_is_outlined_elsewhere_in_its_own_words(log):
    case = log.log(new("dispute", "havering", "a disagreement", orgs=["Havering Volunteer Centre"]))
    note = ("Compact for Havering's dispute procedure is outlined separately, not in this text: 6.s3 says 'As far as "
            "possible, difficulties will be resolved between the parties using the dispute resolution process "
            "outlined separately.'. Log the dispute, note what happens and close it by hand.")
    assert log.get(case["id"])["procedure_note"] == note
    assert refused(log, case["id"], "resolved") == note


def test_a_pending_procedure_turns_one_level_up_to_the_installed_compact_an_officer_names(store):
    log = CaseLog(store, load_registry(hierarchy={"high_peak": "Essex"}), actor="tester")
    case = log.log(new("dispute", "high_peak", "a disagreement", orgs=["Glossop Community Group"]))
    note = f"{HIGH_PEAK_PENDING}; turn one level up, to Essex Compact ('compact-tui show essex')."
    assert log.get(case["id"])["procedure_note"] == note
    assert refused(log, case["id"], "resolved") == note


def test_a_pending_procedure_turns_one_level_up_to_an_area_no_installed_compact_covers(store):
    log = CaseLog(store, load_registry(hierarchy={"high_peak": "Derbyshire"}), actor="tester")
    case = log.log(new("dispute", "high_peak", "a disagreement", orgs=["Glossop Community Group"]))
    assert log.get(case["id"])["procedure_note"] == (
        f"{HIGH_PEAK_PENDING}; turn one level up, to the compact for Derbyshire (not installed here).")


def test_without_the_registry_the_compacts_own_link_is_named(registry):
    high_peak = registry.get("high_peak")
    named = replace(high_peak, info=replace(high_peak.info, parent=ParentLink(area="Derbyshire",
                                                                               name="the Derbyshire Compact")))
    unnamed = replace(high_peak, info=replace(high_peak.info, parent=ParentLink(area="Derbyshire")))
    assert disputes.refusal(named, None, "resolved", set(), []) == (
        f"{HIGH_PEAK_PENDING}; turn one level up, to the Derbyshire Compact.")
    assert disputes.refusal(unnamed, None, "resolved", set(), []) == (
        f"{HIGH_PEAK_PENDING}; turn one level up, to the compact for Derbyshire.")
    assert disputes.pending_message(high_peak) == f"{HIGH_PEAK_PENDING}; its text names no compact one level up."


def test_a_compact_with_no_procedure_at_all_says_it_states_none(registry):
    essex = registry.get("essex")
    bare = replace(essex, procedure=None)
    # Essex's own text names the National Compact one level up (its [compact.parent], area England)
    assert disputes.pending_message(bare) == ("Essex Compact states no dispute procedure; turn one level up, to "
                                              "the National Compact.")
    assert disputes.pending_message(bare, registry) == ("Essex Compact states no dispute procedure; turn one "
                                                        "level up, to the National Compact "
                                                        "(not installed here).")


# -- the procedure's own answers, asked directly (as the replay in audit verify asks them) -----------

def test_a_dispute_at_an_outcome_cannot_move_on_whatever_asks(registry):
    essex = registry.get("essex")
    assert disputes.refusal(essex, "resolved", "full-information", set(), []) == (
        "the dispute has ended at 'Resolved' (resolved); it cannot move on.")


def test_a_dispute_with_no_stage_has_no_move(registry):
    essex = registry.get("essex")
    assert disputes.refusal(essex, None, "resolved", set(), []) == (
        "Essex Compact's procedure does not allow a move from 'None' to 'resolved' (allowed now: none).")


def test_a_procedure_that_cannot_be_walked_offers_no_move_even_if_it_lists_some(registry):
    essex = registry.get("essex")
    pending = replace(essex, procedure=replace(essex.procedure, pending=True))
    assert disputes.moves_from(pending, "full-information") == ()
    assert [m.to_stage for m in disputes.moves_from(essex, "full-information")] == ["raise-with-organisation"]


def test_a_procedure_outlined_elsewhere_without_its_words_says_so_without_quoting(registry):
    havering = registry.get("havering")
    silent = replace(havering, procedure=replace(havering.procedure, states=""))
    assert disputes.pending_message(silent) == (
        "Compact for Havering's dispute procedure is outlined separately, not in this text. Log the dispute, note "
        "what happens and close it by hand.")


def test_a_condition_with_no_clause_and_a_team_of_two_from_each_side(registry):
    essex = registry.get("essex")
    [move] = [m for m in essex.procedure.moves if (m.from_stage, m.to_stage) == ("single-mediator", "team-of-three")]
    unreferenced = replace(move, conditions=(replace(move.conditions[0], ref=""),))
    assert disputes.unmet(unreferenced, set(), []) == (
        "not yet confirmed: Has the single mediator been unable to resolve the matter at this level? "
        "[condition not-resolved-by-one-mediator]")
    two_each = replace(move, conditions=(replace(move.conditions[1], team_size=4, min_per_sector=2),))
    team = [TeamMember("A", "statutory"), TeamMember("B", "statutory"), TeamMember("C", "vcs"), TeamMember("D", "vcs")]
    assert disputes.unmet(two_each, set(), team) is None
    lopsided = [TeamMember("A", "statutory"), TeamMember("B", "statutory"), TeamMember("C", "statutory"),
                TeamMember("D", "vcs")]
    assert disputes.unmet(two_each, set(), lopsided) == (
        "the team needs at least 2 members from the voluntary and community sector (MS.chair.4).")
