"""The Southampton Compact plugin, proved against its source text (shared/seeds/southampton.txt)."""

from __future__ import annotations

import re

import pytest

from compact_tui.content.conformance import ConformanceTests
from compact_tui.content.model import Period

from .seeds import squash

COMPACT_ID = "southampton"
SEED_NAME = "southampton.txt"


class TestConformance(ConformanceTests):
    compact_id = COMPACT_ID


# --- identity -------------------------------------------------------------------------------


def test_identity(compact):
    info = compact.info
    assert info.name == "Southampton Compact"
    assert info.status == "adopted"  # the text nowhere calls itself a draft
    assert info.parent is None  # the text names no compact one level up
    assert info.localities == ("Southampton",)
    assert info.sides.statutory == "Public Bodies and Agencies"
    assert info.sides.vcs == "VCS"


def test_sections_in_source_order(compact):
    assert [s.ref for s in compact.sections] == ["intro", "1", "2", "3", "4", "5", "6"]
    assert not any(s.pending for s in compact.sections)
    assert compact.section("3").title == "Responsive and high-quality programmes and services"
    assert compact.section("6").title == "Dispute Resolution"


# --- counts ---------------------------------------------------------------------------------
# Counted by hand from the seed: every numbered paragraph "N.M" in sections 1-5 is one
# undertaking, under either "Undertakings for Public Bodies and Agencies" or "Undertakings
# for the (local) VCS". Section 3 also has one unnumbered paragraph between 3.11 and 3.12
# ("Demonstrate how funding arrangements ...") under the Public Bodies heading: 3.11.b1.
#   1: 1.1-1.5 statutory (5), 1.6-1.7 VCS (2)             = 7
#   2: 2.1-2.6 statutory (6), 2.7-2.9 VCS (3)             = 9
#   3: 3.1-3.13 + 3.11.b1 statutory (14), 3.14-3.20 VCS (7)  = 21
#   4: 4.1-4.5 statutory (5), 4.6-4.9 VCS (4)             = 9
#   5: 5.1-5.3 statutory (3), 5.4-5.5 VCS (2)             = 5
# The text states no shared principles (the five theme titles are section headings).
# Other clauses: the introduction's paragraph (intro.p1, provision) and the three
# sentences of section 6 (6.s1-6.s3, procedure).

EXPECTED = {
    # section: (principles, statutory undertakings, vcs undertakings, other clauses)
    "intro": (0, 0, 0, 1),
    "1": (0, 5, 2, 0),
    "2": (0, 6, 3, 0),
    "3": (0, 14, 7, 0),
    "4": (0, 5, 4, 0),
    "5": (0, 3, 2, 0),
    "6": (0, 0, 0, 3),
}


@pytest.mark.parametrize("section", sorted(EXPECTED))
def test_counts_per_section(compact, section):
    clauses = compact.in_section(section)
    principles = [c for c in clauses if c.kind == "principle"]
    statutory = [c for c in clauses if c.kind == "undertaking" and c.party == "statutory"]
    vcs = [c for c in clauses if c.kind == "undertaking" and c.party == "vcs"]
    joint = [c for c in clauses if c.kind == "undertaking" and c.party == "both"]
    other = [c for c in clauses if c.kind not in ("principle", "undertaking")]
    assert joint == []
    assert (len(principles), len(statutory), len(vcs), len(other)) == EXPECTED[section]


def test_totals(compact):
    assert len(compact.principles) == 0
    assert len(compact.undertakings) == 51
    assert len(compact.clauses) == 55
    assert len(compact.rules) == 2


def test_every_numbered_paragraph_of_the_seed_is_a_clause(compact, seed):
    numbered = set(re.findall(r"(?:^| )(\d\.\d+) [A-Z]", seed))
    assert len(numbered) == 50
    assert numbered <= {c.ref for c in compact.clauses}


# --- verbatim -------------------------------------------------------------------------------


def test_every_clause_is_verbatim_from_the_seed(compact, seed):
    for clause in compact.clauses:
        assert squash(clause.text) in seed, clause.ref


SAMPLES = [
    ("intro.p1", "provision", "both", "aims to build on existing good practice in Southampton"),
    ("1.1", "undertaking", "statutory", "including their right to campaign, regardless of any relationship"),
    ("1.5", "undertaking", "statutory", "enabling greater access to state owned premises and resources"),
    ("1.6", "undertaking", "vcs", "When campaigning or advocating, ensure that robust evidence is provided"),
    ("2.4", "undertaking", "statutory", "conduct 12-week formal written consultations"),
    ("2.6", "undertaking", "statutory", "particularly on small organisations"),
    ("2.7", "undertaking", "vcs", "Promote and respond to Southampton Connect partner consultations"),
    ("3.11.b1", "undertaking", "statutory", "allow smaller and specialist providers to play a greater part"),
    ("3.10", "undertaking", "statutory", "Payment in advance of expenditure should be considered in the first instance."),
    ("3.12", "undertaking", "statutory", "Apply the Compact when distributing European funding."),
    ("3.15", "undertaking", "vcs", "giving funders early notice of significant changes in circumstances"),
    ("3.20", "undertaking", "vcs", "there are competing demands for public spending"),
    ("4.1", "undertaking", "statutory", "agree with the VCS a timetable of actions to improve performance"),
    ("4.5", "undertaking", "statutory", "Give at least three months notice in writing"),
    ("4.9", "undertaking", "vcs", "Give early notice of any potential issues, including budget and delivery problems."),
    ("5.3", "undertaking", "statutory", "In accordance with the Equality Act 2010"),
    ("5.5", "undertaking", "vcs", "such as through funding bids"),
    ("6.s1", "procedure", "both", "resolved by negotiation and discussion between those involved"),
    ("6.s2", "procedure", "both", "The national organisation, Compact Voice, may be able to help"),
    ("6.s3", "procedure", "both", "or the relevant ombudsman may be used"),
]


@pytest.mark.parametrize("ref,kind,party,phrase", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_sample_clauses(compact, seed, ref, kind, party, phrase):
    clause = compact.clause(ref)
    assert clause is not None, ref
    assert (clause.kind, clause.party) == (kind, party)
    assert phrase in clause.text
    assert squash(clause.text) in seed


def test_whole_text_of_key_clauses(compact, seed):
    assert compact.clause("4.5").text == (
        "Give at least three months notice in writing when changing or ending a funding "
        "relationship or other support, apart from in exceptional circumstances, and provide a "
        "clear rationale for why the decision has been taken.")
    assert compact.clause("3.11.b1").text == (
        "Demonstrate how funding arrangements and financial support can allow smaller and "
        "specialist providers to play a greater part.")
    # 3.11.b1 sits between 3.11 and 3.12, in source order
    refs = [c.ref for c in compact.in_section("3")]
    assert refs.index("3.11.b1") == refs.index("3.11") + 1 == refs.index("3.12") - 1


# --- rules ----------------------------------------------------------------------------------


def _rule(compact, rule_id):
    rule = next((r for r in compact.rules if r.id == rule_id), None)
    assert rule is not None, rule_id
    return rule


def test_rule_consultation_12_weeks(compact, seed):
    rule = _rule(compact, "consultation-12-weeks")
    assert rule.ref == "2.4"
    assert rule.applies_to == "consultation"
    assert rule.type == "minimum-period"
    assert rule.period == Period(12, "w")
    assert (rule.from_field, rule.to_field) == ("start", "end")
    assert rule.in_writing is True
    # 2.4 "with clear explanations for shorter time-frames or a more informal approach": the text
    # asks only for an explanation, which covers a shorter time and a more informal (not written) one
    assert rule.exception == "with clear explanations for shorter time-frames or a more informal approach"
    assert rule.exception_asks == "explanation"
    # "Where it is appropriate, and enables meaningful engagement": a warning, not a breach
    assert rule.severity == "warning"
    assert rule.severity_states == "Where it is appropriate"
    assert rule.states.startswith("Where it is appropriate, and enables meaningful engagement, conduct 12-week")
    assert rule.states in compact.clause("2.4").text
    assert rule.states in seed


def test_rule_funding_notice_3_months(compact, seed):
    rule = _rule(compact, "funding-notice-3-months")
    assert rule.ref == "4.5"
    assert rule.applies_to == "funding-change"
    assert rule.type == "minimum-period"
    assert rule.period == Period(3, "m")
    assert (rule.from_field, rule.to_field) == ("notified", "effective")
    assert rule.in_writing is True
    # 4.5 "apart from in exceptional circumstances" covers the whole instruction: three months, in writing
    assert rule.exception == "apart from in exceptional circumstances"
    assert rule.exception_asks == "circumstances"
    assert rule.severity == "breach"
    assert rule.states == compact.clause("4.5").text
    assert rule.states in seed


def test_no_other_rules(compact):
    # the only periods the text states are 2.4's 12 weeks and 4.5's three months
    assert sorted(r.id for r in compact.rules) == ["consultation-12-weeks", "funding-notice-3-months"]


# --- dispute procedure ----------------------------------------------------------------------


def test_procedure_stages_in_order(compact):
    proc = compact.procedure
    assert proc is not None and not proc.pending
    assert proc.ref == "6"
    assert proc.start == "negotiation"
    assert [s.id for s in proc.stages] == [
        "negotiation", "compact-voice",
        "resolved-by-negotiation", "resolved-with-compact-voice",
        "referred-mechanism", "referred-ombudsman", "no-agreement",
    ]
    assert [proc.stage(i).ref for i in ("negotiation", "compact-voice", "referred-mechanism")] == [
        "6.s1", "6.s2", "6.s3"]
    # the text gives no time limits
    assert all(s.wait is None for s in proc.stages)


def test_procedure_outcomes(compact):
    proc = compact.procedure
    outcomes = {s.id: s.outcome for s in proc.stages}
    assert outcomes == {
        "negotiation": "", "compact-voice": "",
        "resolved-by-negotiation": "resolved", "resolved-with-compact-voice": "resolved",
        "referred-mechanism": "referred", "referred-ombudsman": "referred",
        "no-agreement": "no-agreement",
    }


def _targets(proc, stage_id):
    return {m.to_stage for m in proc.moves_from(stage_id)}


def _move(proc, src, dst):
    move = next((m for m in proc.moves_from(src) if m.to_stage == dst), None)
    assert move is not None, f"{src} -> {dst}"
    return move


def test_procedure_moves(compact):
    proc = compact.procedure
    assert _targets(proc, "negotiation") == {
        "resolved-by-negotiation", "compact-voice", "referred-mechanism", "referred-ombudsman", "no-agreement"}
    assert _targets(proc, "compact-voice") == {
        "resolved-with-compact-voice", "referred-mechanism", "referred-ombudsman", "no-agreement"}


def test_compact_voice_is_optional_and_skipping_it_is_a_reading(compact, seed):
    # 6.s2: Compact Voice "may be able to help if this process doesn't work": offered, not required
    proc = compact.procedure
    for target in ("referred-mechanism", "referred-ombudsman", "no-agreement"):
        move = _move(proc, "negotiation", target)
        assert move.standing.label == "reading", target
        assert [c.id for c in move.conditions][0] == "negotiation-failed"
    assert "may be able to help" in _move(proc, "negotiation", "referred-mechanism").reading
    assert squash(_move(proc, "negotiation", "referred-mechanism").states) in seed
    assert _move(proc, "negotiation", "compact-voice").standing.label == "stated"
    assert "optional" in proc.stage("compact-voice").title


def test_procedure_conditions(compact):
    proc = compact.procedure
    to_cv = _move(proc, "negotiation", "compact-voice")
    assert [(c.id, c.ref) for c in to_cv.conditions] == [("negotiation-failed", "6.s2")]
    mech = _move(proc, "compact-voice", "referred-mechanism")
    assert [c.id for c in mech.conditions] == ["compact-voice-failed", "mechanism-exists"]
    omb = _move(proc, "compact-voice", "referred-ombudsman")
    assert [c.id for c in omb.conditions] == ["compact-voice-failed", "ombudsman-relevant"]
    assert all(c.ref == "6.s3" for c in mech.conditions + omb.conditions)
    assert not _move(proc, "negotiation", "resolved-by-negotiation").conditions


def test_wrong_moves_do_not_exist(compact):
    proc = compact.procedure
    # no going back from Compact Voice to negotiation, and nothing leaves an ending
    assert "negotiation" not in _targets(proc, "compact-voice")
    assert "resolved-with-compact-voice" not in _targets(proc, "negotiation")
    for stage in proc.stages:
        if stage.outcome:
            assert proc.moves_from(stage.id) == ()
