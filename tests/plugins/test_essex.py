"""The Essex Compact plugin, proved against its source text (shared/seeds/essex.txt)."""

from __future__ import annotations

import re

import pytest

from compact_tui.content.check import check_procedure
from compact_tui.content.conformance import ConformanceTests
from compact_tui.content.model import Period


COMPACT_ID = "essex"
SEED_NAME = "essex.txt"


def squash(text: str) -> str:
    return " ".join(text.split())


def squash_seed(raw: str) -> str:
    """The seed with only its extraction damage repaired, as the plugin repairs it: running
    page headers ("The Essex Compact" on a line of its own) dropped, Markdown bold and italic
    markers removed, list dashes removed; then whitespace squashed."""
    text = re.sub(r"\n[ \t]*The Essex Compact[ \t]*\n", "\n", raw)
    text = text.replace("**", "").replace("*'", "'").replace("'*", "'")
    text = re.sub(r"(?m)^[ \t]*- ", "", text)
    return squash(text)


class TestConformance(ConformanceTests):
    compact_id = COMPACT_ID


# --- identity -------------------------------------------------------------------------------


def test_identity(compact, raw_seed):
    info = compact.info
    assert info.name == "Essex Compact"
    assert info.area == "Essex"
    assert info.status == "adopted"
    assert info.revision == "Revised Spring 2017"
    # Essex section 2 states the link up, by area: "this compact refers to the national one".
    assert (info.parent.area, info.parent.name) == ("England", "the National Compact")
    assert info.parent.states in " ".join(raw_seed.split())
    # The text names no districts individually; Southend-on-Sea has its own compact one level down.
    assert info.localities == ("Essex",)
    assert info.sides.statutory == "Statutory Sector"
    assert info.sides.vcs == "Voluntary and Community Sector"
    assert "Parish and town councils" in info.summary


def test_sections_in_source_order(compact):
    assert [s.ref for s in compact.sections] == [
        "1", "2", "3", "4", "5", "6", "7",
        "MS.purpose", "MS.vision", "MS.principles", "MS.terms", "MS.panel",
        "MS.complainant", "MS.chair", "MS.complaints", "SV",
    ]
    assert not any(s.pending for s in compact.sections)
    assert compact.section("7").title == "Making It Work"
    assert compact.section("5").title == "Undertakings by Statutory Sector"


# --- counts ---------------------------------------------------------------------------------
# Counted by hand from the seed, one per "- " bullet under each heading:
#   3 Shared Principles: 11 bullets ("voluntary action ..." to "Parish and town councils ...")
#   MS PRINCIPLES: 6 bullets (Wholehearted support, Trust, Taking responsibility, Freedom to
#     choose, Open-mindedness, Goodwill)                              -> 17 principles
#   4 both: 10 bullets ("All partner organisations ..." to "Recognise the added value ...")
#   5 statutory: 10 bullets ("recognise and support the independence ..." to "support and
#     actively develop policies ...")
#   6 VCS: 8 bullets ("will maintain high standards ..." to "put in place policies ...")
#   7 Making It Work: 4 bullets, "agreed on and committed to by all partners" -> 32 undertakings


def test_principle_counts(compact):
    assert len(compact.principles) == 17
    by_section = {}
    for c in compact.principles:
        by_section[c.section] = by_section.get(c.section, 0) + 1
    assert by_section == {"3": 11, "MS.principles": 6}
    assert all(c.party == "both" for c in compact.principles)


def test_undertaking_counts(compact):
    assert len(compact.undertakings) == 32
    counts = {}
    for c in compact.undertakings:
        counts[(c.section, c.party)] = counts.get((c.section, c.party), 0) + 1
    assert counts == {("4", "both"): 10, ("5", "statutory"): 10, ("6", "vcs"): 8, ("7", "both"): 4}


def test_generated_refs_are_contiguous(compact):
    for section, n in (("3", 11), ("4", 10), ("5", 10), ("6", 8), ("7", 4), ("MS.principles", 6)):
        refs = [c.ref for c in compact.in_section(section) if c.kind in ("principle", "undertaking")]
        assert refs == [f"{section}.b{i}" for i in range(1, n + 1)], section


def test_other_clauses(compact):
    assert [c.ref for c in compact.in_section("2")] == [f"2.p{i}" for i in range(1, 8)]
    assert [c.ref for c in compact.in_section("MS.complainant")] == [
        "MS.complainant", "MS.complainant.1", "MS.complainant.2", "MS.complainant.3", "MS.complainant.4"]
    assert [c.ref for c in compact.in_section("MS.chair")] == [
        "MS.chair", "MS.chair.1", "MS.chair.2", "MS.chair.2(a)", "MS.chair.2(b)", "MS.chair.2(c)",
        "MS.chair.3", "MS.chair.4", "MS.chair.5", "MS.chair.6", "MS.chair.7", "MS.chair.8"]
    assert all(c.kind == "procedure" for c in compact.in_section("MS.chair"))
    assert [c.kind for c in compact.in_section("MS.terms")] == ["definition", "definition"]
    assert [c.ref for c in compact.in_section("SV")] == [f"SV.p{i}" for i in range(1, 7)]
    assert compact.clause("ms.chair.2b") is compact.clause("MS.chair.2(b)")


# --- verbatim against the seed --------------------------------------------------------------


def test_every_clause_text_is_in_the_seed(compact, seed):
    for clause in compact.clauses:
        assert squash(clause.text) in seed, clause.ref


@pytest.mark.parametrize("ref, phrase", [
    ("1", "literally incalculable contribution"),
    ("2.p6", "move to the next “level up” only if the local compact does not cover the matter in question"),
    ("3.b9", "entitled to campaign within the law to advance their aims"),
    ("3.b11", "Parish and town councils are recognised as an important part of the statutory sector"),
    ("4.b1", "All partner organisations will appoint a Compact Champion"),
    ("4.b4", "Respect the confidentiality of information provided by partners from other sectors"),
    ("5.b1", "irrespective of any funding relationship that might exist"),
    ("5.b5", "allow reasonable timescales for response"),
    ("5.b8", "undertake regular mapping exercises with the VCS"),
    ("6.b2", "observe the appropriate guidance from the Charity Commission"),
    ("6.b8", "put in place policies for promoting best practice and equality of opportunity"),
    ("7.b2", "to review in partnership the operation and implementation of the Essex Compact annually"),
    ("7.b4", "to promote awareness of the Compact Mediation Process"),
    ("MS.purpose.p2", "when one partner believes the Compact has been breached by another partner"),
    ("MS.principles.b2", "the ECMS can only be activated if the complainant has tried such a route"),
    ("MS.principles.b4", "Freedom to choose whether to pursue the matter through other channels, including legal"),
    ("MS.terms.b2", "without the power to impose a settlement"),
    ("MS.panel.p1", "an excess of only one person from either sector"),
    ("MS.panel.p2", "this position shall be elected annually"),
    ("MS.complainant.3", "refer the matter to their own decision-makers"),
    ("MS.chair.4", "at least one third sector and at least one statutory sector representative"),
    ("MS.chair.8", "may also comment publicly, but without breaching confidentiality"),
    ("MS.complaints.p2", "will report at least annually to the Essex Compact Forum"),
    ("SV.p1", "the additional benefit to the community from a commissioning/procurement process"),
    ("SV.p3", "placing a duty upon all public authorities to consider, at pre-procurement stage"),
])
def test_sample_clauses(compact, seed, ref, phrase):
    clause = compact.clause(ref)
    assert clause is not None, ref
    assert phrase in squash(clause.text)
    assert phrase in seed


def test_clause_sides_and_kinds(compact):
    assert compact.clause("2.p6").kind == "provision"  # the "most local compact first" rule
    assert compact.clause("2.p1").kind == "definition"
    assert compact.clause("5.b5").theme == "consultation"
    assert compact.clause("5.b2").theme == "funding"
    assert compact.clause("6.b1").party == "vcs"
    assert compact.clause("MS.principles.b1").text.startswith("Wholehearted support")  # bold markers gone


def test_stage_and_rule_texts_are_in_the_seed(compact, seed):
    for stage in compact.procedure.stages:
        if stage.states:
            assert squash(stage.states) in seed, stage.id
    for rule in compact.rules:
        assert squash(rule.states) in seed, rule.id


# --- rules ----------------------------------------------------------------------------------


def test_rules_are_exactly_these(compact):
    assert sorted(r.id for r in compact.rules) == [
        "annual-review", "mediation-report-to-forum", "panel-chair-elected-annually"]
    # No consultation or funding notice period is stated anywhere in the text.
    assert compact.rules_for("consultation") == []
    assert compact.rules_for("funding-change") == []


def test_annual_review_rule(compact):
    rule = next(r for r in compact.rules if r.id == "annual-review")
    assert rule.ref == "7.b2"
    assert rule.applies_to == "annual-review"
    assert rule.type == "recurring"
    assert rule.period == Period(12, "m")
    assert rule.severity == "breach"
    assert not rule.needs_cite
    assert rule.exception == ""
    assert "review in partnership the operation and implementation of the Essex Compact annually" in rule.states
    assert "publish a report" in rule.states


def test_mediation_report_rule(compact):
    rule = next(r for r in compact.rules if r.id == "mediation-report-to-forum")
    assert rule.ref == "MS.complaints.p2"
    assert rule.applies_to == "meeting"
    assert rule.type == "recurring"
    assert rule.period == Period(12, "m")
    assert rule.needs_cite
    assert "at least annually to the Essex Compact Forum" in rule.states


def test_panel_chair_elected_annually_rule(compact, seed):
    # MS.panel.p2: "... and this position shall be elected annually."
    rule = next(r for r in compact.rules if r.id == "panel-chair-elected-annually")
    assert rule.ref == "MS.panel.p2"
    assert rule.applies_to == "meeting" and rule.needs_cite
    assert rule.type == "recurring" and rule.period == Period(12, "m")
    assert rule.severity == "breach" and rule.severity_states == "this position shall be elected annually"
    assert rule.standing.label == "stated"
    assert "this position shall be elected annually" in rule.states
    assert squash(rule.states) in seed


# --- dispute procedure ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def proc(compact):
    return compact.procedure


def _move(proc, a, b):
    found = [m for m in proc.moves if m.from_stage == a and m.to_stage == b]
    assert len(found) <= 1
    return found[0] if found else None


def _targets(proc, a):
    return {m.to_stage for m in proc.moves_from(a)}


def test_procedure_passes_check(compact, proc):
    assert not proc.pending
    assert check_procedure(proc, compact) == []
    assert proc.start == "full-information"


def test_complainant_stages_in_order(proc):
    ids = [s.id for s in proc.stages]
    order = ["full-information", "raise-with-organisation", "own-decision-makers", "raise-with-chair"]
    assert ids[:4] == order
    assert [proc.stage(i).ref for i in order] == [
        "MS.complainant.1", "MS.complainant.2", "MS.complainant.3", "MS.complainant.4"]
    for a, b in zip(order, order[1:]):
        assert _move(proc, a, b) is not None, (a, b)
    assert _move(proc, "raise-with-chair", "chair-notifies") is not None
    assert _move(proc, "chair-notifies", "chair-assesses") is not None


def test_move_to_chair_needs_own_routes_first(proc):
    move = _move(proc, "own-decision-makers", "raise-with-chair")
    conds = {c.id: c.ref for c in move.conditions}
    # each condition names the clause its quoted words are in: "the ECMS can only be activated if the
    # complainant has tried such a route" is the second principle; "Subject to (3)" opens stage 4
    assert conds["raised-with-other-side"] == "MS.principles.b2"
    assert conds["own-decision-makers-first"] == "MS.complainant.4"
    assert conds["decision-to-pursue"] == "MS.complainant.4"
    # The only way to the Chair is through the complainant's own stages.
    into_chair = [m.from_stage for m in proc.moves if m.to_stage == "raise-with-chair"]
    assert into_chair == ["own-decision-makers"]
    assert {c.id for c in _move(proc, "raise-with-organisation", "own-decision-makers").conditions} == {
        "not-satisfied"}


def test_chair_three_assessment_outcomes(proc):
    assert _targets(proc, "chair-assesses") == {"single-mediator", "referred-other-compact", "not-compact-matter"}
    assert [c.ref for c in _move(proc, "chair-assesses", "single-mediator").conditions] == ["MS.chair.2(a)"]
    referral = _move(proc, "chair-assesses", "referred-other-compact")
    assert {c.id for c in referral.conditions} == {"relevant-to-another-compact", "complainant-agrees-referral"}
    assert proc.stage("referred-other-compact").outcome == "referred"
    assert proc.stage("referred-other-compact").ref == "MS.chair.2(b)"
    assert proc.stage("not-compact-matter").outcome == "not-compact-matter"
    assert proc.stage("not-compact-matter").ref == "MS.chair.2(c)"
    assert proc.stage("single-mediator").ref == "MS.chair.3"


def test_single_mediator_then_team_of_three(proc):
    assert _targets(proc, "single-mediator") == {"resolved", "team-of-three"}
    assert proc.stage("resolved").outcome == "resolved"
    move = _move(proc, "single-mediator", "team-of-three")
    team = [c for c in move.conditions if c.team_size]
    assert len(team) == 1
    assert team[0].id == "team-of-three"
    assert team[0].team_size == 3
    assert team[0].min_per_sector == 1
    assert team[0].ref == "MS.chair.4"
    # Every move into the team of three needs the team condition.
    for m in proc.moves:
        if m.to_stage == "team-of-three":
            assert any(c.team_size == 3 and c.min_per_sector == 1 for c in m.conditions), m.from_stage


def test_no_shortcut_to_team_of_three(proc):
    assert _move(proc, "full-information", "team-of-three") is None
    assert _move(proc, "raise-with-chair", "team-of-three") is None
    assert _move(proc, "chair-assesses", "team-of-three") is None
    assert {m.from_stage for m in proc.moves if m.to_stage == "team-of-three"} == {
        "single-mediator", "steering-group-considers"}


def test_report_and_steering_group(proc):
    assert _move(proc, "team-of-three", "team-report") is not None
    assert proc.stage("team-report").ref == "MS.chair.5"
    assert _targets(proc, "team-report") == {"solution-agreed", "steering-group-considers", "lessons-learnt"}
    assert _targets(proc, "steering-group-considers") == {"team-of-three", "lessons-learnt"}
    assert proc.stage("steering-group-considers").ref == "MS.chair.6"
    assert _targets(proc, "solution-agreed") == {"resolved", "steering-group-compliance"}
    assert _targets(proc, "steering-group-compliance") == {"resolved", "chair-assesses"}
    assert proc.stage("steering-group-compliance").ref == "MS.chair.7"
    lessons = proc.stage("lessons-learnt")
    assert lessons.outcome == "no-agreement" and lessons.ref == "MS.chair.8"
    assert "comment publicly" in lessons.states


def test_outcomes_and_no_waits(proc):
    ends = {s.id: s.outcome for s in proc.stages if s.outcome}
    assert ends == {"resolved": "resolved", "referred-other-compact": "referred",
                    "not-compact-matter": "not-compact-matter", "lessons-learnt": "no-agreement",
                    "not-pursued": "no-agreement"}
    assert all(s.wait is None for s in proc.stages)  # the text states no time limits
