"""The Southend-on-Sea Compact plugin, proved against its source text (shared/seeds/southend.txt)."""

from __future__ import annotations


import pytest

from compact_tui.content.conformance import ConformanceTests
from compact_tui.content.model import Period

from .seeds import read_seed, squash

COMPACT_ID = "southend"
SEED_NAME = "southend.txt"


class TestConformance(ConformanceTests):
    compact_id = COMPACT_ID


# --- identity -------------------------------------------------------------------------------


def test_identity(compact):
    info = compact.info
    assert info.name == "A Compact for Southend-on-Sea"
    assert info.area == "Southend-on-Sea"
    assert info.status == "adopted"  # "the Compact is approved and signed policy" (2.p5)
    # Southend's own text names no level up; Essex's does (section 2, the District and Borough
    # wide Compacts it complements), so the link is by area, quoted from essex.txt.
    assert (info.parent.area, info.parent.name) == ("Essex", "The Essex Compact")
    assert info.parent.states in " ".join(read_seed("essex.txt").split())
    assert info.localities == ("Southend-on-Sea", "Southend")
    assert info.sides.statutory == "statutory organisations"
    assert info.sides.vcs == "voluntary and community sector"


def test_sides_are_the_texts_own_words(compact, seed):
    assert compact.info.sides.statutory in seed
    assert compact.info.sides.vcs in seed


def test_sections_in_source_order(compact, seed):
    assert [s.ref for s in compact.sections] == [str(n) for n in range(1, 12)]
    assert not any(s.pending for s in compact.sections)
    for section in compact.sections:
        assert f"{section.ref} {section.title}" in seed, section.ref


# --- counts ---------------------------------------------------------------------------------
# Counted by hand from the seed:
#   3 Key Principles: 6 bullets before "Statutory organisations undertake to:" are principles
#     (3.b1-3.b6); then 4 statutory bullets (3.b7-3.b10), 4 VCS bullets (3.b11-3.b14) and
#     1 joint bullet (3.b15): 9 undertakings.
#   5 Shared Principles: numbered 5.1-5.9 = 9 principles (5.6 is one sentence split by a line
#     break, not a list).
#   6 Statutory undertakings: 6.1-6.13 = 13, plus 6.3(a)-(d) = 4 -> 17.
#   7 VCS undertakings: 7.1-7.9 = 9.
#   Undertakings are what a side's list commits to ("Statutory organisations undertake to:",
#   "The undertakings by statutory agencies are set out below." ...); running text that is in
#   no side's list is a provision:
#   8: 8.1 a provision ("particular consideration needs to be given": in neither of the text's lists
#     of principles, Part 3's key ones and Part 5's shared ones), 8.2 a provision (a code
#     "will be developed", no side named), 8.3 a provision (narrative on Black and Minority
#     Ethnic organisations, in no side's list).
#   10: 10.1-10.4 provisions (10.1 "are committed to working together" is in no side's list).
#   11: 11.s1-11.s4 provisions (11.s3 "Those agencies will actively encourage ..." is in no list).
#   Principles 6 + 9 = 15; undertakings 9 + 17 + 9 = 35: statutory 4 + 17 = 21, VCS 4 + 9 = 13,
#   joint 1 (3.b15).

EXPECTED = {
    # section: (principles, undertakings, other clauses)
    "1": (0, 0, 3),
    "2": (0, 0, 4),
    "3": (6, 9, 0),
    "4": (0, 0, 4),
    "5": (9, 0, 0),
    "6": (0, 17, 0),
    "7": (0, 9, 0),
    # 8.1 is in no list of principles (those are Part 3's key principles and Part 5's shared ones)
    "8": (0, 0, 3),
    "9": (0, 0, 4),
    "10": (0, 0, 4),
    "11": (0, 0, 4),
}


@pytest.mark.parametrize("section", sorted(EXPECTED, key=int))
def test_counts_per_section(compact, section):
    clauses = compact.in_section(section)
    principles = sum(c.kind == "principle" for c in clauses)
    undertakings = sum(c.kind == "undertaking" for c in clauses)
    others = len(clauses) - principles - undertakings
    assert (principles, undertakings, others) == EXPECTED[section]


def test_totals(compact):
    # the text's own lists: six key principles (3) and nine shared principles (5.1-5.9)
    assert len(compact.principles) == 6 + 9
    assert len(compact.undertakings) == 35
    assert [sum(c.party == side for c in compact.undertakings) for side in ("statutory", "vcs", "both")] == [
        21, 13, 1]
    assert len(compact.clauses) == 15 + 35 + 26
    assert len(compact.rules) == 2


def test_numbered_clauses_are_all_there(compact):
    refs = {c.ref for c in compact.clauses}
    expected = (
        {f"4.{n}" for n in range(1, 5)}
        | {f"5.{n}" for n in range(1, 10)}
        | {f"6.{n}" for n in range(1, 14)}
        | {f"6.3({x})" for x in "abcd"}
        | {f"7.{n}" for n in range(1, 10)}
        | {f"8.{n}" for n in range(1, 4)}
        | {f"10.{n}" for n in range(1, 5)}
        | {f"3.b{n}" for n in range(1, 16)}
        | {f"9.s{n}" for n in range(1, 5)}
        | {f"11.s{n}" for n in range(1, 5)}
    )
    assert expected <= refs


def test_sides_bound(compact):
    assert {c.party for c in compact.in_section("6")} == {"statutory"}
    assert {c.party for c in compact.in_section("7")} == {"vcs"}
    assert {c.party for c in compact.in_section("5")} == {"both"}
    parties = {c.ref: c.party for c in compact.in_section("3") if c.kind == "undertaking"}
    assert [parties[f"3.b{n}"] for n in range(7, 16)] == ["statutory"] * 4 + ["vcs"] * 4 + ["both"]


# --- verbatim -------------------------------------------------------------------------------


def test_every_clause_is_verbatim(compact, seed):
    for clause in compact.clauses:
        assert squash(clause.text) in seed, clause.ref


@pytest.mark.parametrize(
    "ref, phrase",
    [
        ("3.b1", "A flourishing voluntary and community sector is part of a democratic and healthy society"),
        ("3.b9", "Consult early enough to make a difference"),
        ("3.b14", "Contribute constructively to public policy"),
        ("3.b15", "Work together to improve outcomes for the community."),
        ("4.4", "Whenever statutory agencies develop policies or programmes"),
        ("5.2", "An independent and diverse voluntary and community sector is fundamental"),
        ("5.6", "Voluntary and community organisations are entitled to campaign within the law in order to advance their aims."),
        ("5.9", "will be similarly exempted from such requirements within this Compact."),
        ("6.1", "irrespective of any funding relationship that might exist"),
        ("6.3", "a code of good practice to address principles of fair funding"),
        ("6.3(a)", "the allocation of resources against clear and consistent criteria"),
        ("6.3(d)", "the value of long-term, multi-year funding, where appropriate"),
        ("6.6", "Such consultation should be timely and allow reasonable timescales for response"),
        ("6.12", "To review the operation of the Compact annually in conjunction with the sector."),
        ("7.1", "observe the accounting framework for charities."),
        ("7.4", "members and supporters are informed and consulted"),
        ("7.9", "To review the operation of the Compact annually in conjunction with the statutory agencies."),
        ("8.3", "steps will need to be taken by both statutory agencies and the voluntary and community sector"),
        ("9.s2", "As far as possible disagreements over the application of that framework should be resolved between the parties."),
        ("9.s3", "both parties should seek mediation through a mutually agreed mediator."),
        ("9.s4", "will be monitored for consideration at the annual review meeting."),
        ("10.4", "This meeting will also consider disagreements that have arisen during the year."),
        ("11.s4", "Organisations and departments will be encouraged to nominate a Compact Champion."),
    ],
)
def test_sample_clauses(compact, seed, ref, phrase):
    clause = compact.clause(ref)
    assert clause is not None, ref
    assert phrase in squash(clause.text)
    assert phrase in seed


def test_annual_review_clauses_exist(compact):
    for ref in ("6.12", "7.9", "10.4"):
        clause = compact.clause(ref)
        assert clause is not None, ref
        assert clause.theme == "review"
    assert compact.clause("6.12").party == "statutory"
    assert compact.clause("7.9").party == "vcs"
    assert compact.clause("10.4").party == "both"


# --- rules ----------------------------------------------------------------------------------


def _rule(compact, rule_id):
    rule = next((r for r in compact.rules if r.id == rule_id), None)
    assert rule is not None, rule_id
    return rule


def test_funding_decision_before_period_end(compact, seed):
    rule = _rule(compact, "funding-decision-before-period-end")
    assert rule.ref == "6.3(c)"
    assert rule.applies_to == "funding-change"
    assert rule.type == "deadline"
    assert rule.period is None
    assert (rule.from_field, rule.to_field) == ("notified", "period_end")
    assert rule.exception == ""
    assert not rule.in_writing  # the text does not ask for writing
    assert rule.severity == "warning"  # "normally before the end of the current funding period"
    assert rule.states == compact.clause("6.3(c)").text
    assert squash(rule.states) in seed
    assert "normally before the end of the current funding period" in rule.states
    assert "normally" in rule.note and "warning" in rule.note


def test_annual_review_rule(compact, seed):
    rule = _rule(compact, "annual-review")
    assert rule.ref == "10.4"
    assert rule.applies_to == "annual-review"
    assert rule.type == "recurring"
    assert rule.period == Period(12, "m")
    assert rule.severity == "breach"
    assert rule.exception == ""
    assert not rule.needs_cite
    assert squash(rule.states) in seed
    assert squash(rule.states) in squash(compact.clause("10.4").text)
    assert "annual meeting" in rule.states
    assert "6.12" in rule.note and "7.9" in rule.note


def test_no_invented_rules(compact):
    # Only 6.3(c) and 10.4 state a time; 6.6 asks for "reasonable timescales" with no period.
    assert {r.id for r in compact.rules} == {"funding-decision-before-period-end", "annual-review"}
    assert not compact.rules_for("consultation")


# --- dispute procedure ----------------------------------------------------------------------


def _moves(proc):
    return {(m.from_stage, m.to_stage) for m in proc.moves}


def test_procedure_stages_and_order(compact, seed):
    proc = compact.procedure
    assert proc is not None and not proc.pending
    assert proc.ref == "9"
    assert proc.start == "between-parties"
    assert [s.id for s in proc.stages][:2] == ["between-parties", "mediation"]
    assert proc.stage("between-parties").ref == "9.s2"
    assert proc.stage("mediation").ref == "9.s3"
    for stage in proc.stages:
        if stage.states:
            assert squash(stage.states) in seed, stage.id
        assert stage.wait is None  # the text states no time limits
    assert "annual review" in proc.note and "9.s4" in proc.note


def test_procedure_moves(compact):
    proc = compact.procedure
    assert _moves(proc) == {
        ("between-parties", "resolved-between-parties"),
        ("between-parties", "mediation"),
        ("between-parties", "no-agreement"),  # a reading: no mediator can be agreed
        ("mediation", "resolved-by-mediation"),
        ("mediation", "no-agreement"),
    }
    outcomes = {s.id: s.outcome for s in proc.stages if s.outcome}
    assert outcomes == {
        "resolved-between-parties": "resolved",
        "resolved-by-mediation": "resolved",
        "no-agreement": "no-agreement",
    }


def test_mediation_needs_failed_talks_and_agreed_mediator(compact):
    move = next(m for m in compact.procedure.moves if (m.from_stage, m.to_stage) == ("between-parties", "mediation"))
    assert {c.id for c in move.conditions} == {"resolution-not-possible", "mediator-mutually-agreed"}
    assert {c.ref for c in move.conditions} == {"9.s3"}
    assert all(c.team_size == 0 for c in move.conditions)


def test_first_stage_cannot_skip_mediation(compact):
    proc = compact.procedure
    firsts = {m.to_stage for m in proc.moves_from("between-parties")}
    # Talks between the parties resolve it, go to mediation, or (our reading) end when no
    # mediator can be agreed; never straight to "resolved by mediation".
    assert "resolved-by-mediation" not in firsts
    assert firsts == {"resolved-between-parties", "mediation", "no-agreement"}
    # The text provides no referral elsewhere (not even to the Essex Compact) and no
    # "not a compact matter" ending.
    assert not any(s.outcome in ("referred", "not-compact-matter") for s in proc.stages)
    # No going back from mediation to talks.
    assert ("mediation", "between-parties") not in _moves(proc)


def test_no_mediator_agreed_is_a_reading_shown_as_one(compact, seed):
    # 9.s3: "both parties should seek mediation through a mutually agreed mediator" - and no
    # word on what follows when they cannot agree one.
    proc = compact.procedure
    move = next(m for m in proc.moves if (m.from_stage, m.to_stage) == ("between-parties", "no-agreement"))
    assert move.standing.label == "reading"
    assert "cannot agree a mediator" in move.reading
    assert squash(move.states) in seed
    assert [c.id for c in move.conditions] == ["no-mediator-agreed"]
    assert move.conditions[0].standing.label == "reading"
    # the stated moves stay stated
    stated = next(m for m in proc.moves if (m.from_stage, m.to_stage) == ("between-parties", "mediation"))
    assert stated.standing.label == "stated"


def test_disagreements_kept_for_annual_review(compact):
    clause = compact.clause("9.s4")
    assert clause.kind == "provision"
    assert "annual review meeting" in clause.text
    assert compact.procedure.stage("no-agreement").ref == "9.s4"
