"""The Compact for Havering plugin, proved against its source text (shared/seeds/havering.txt)."""

from __future__ import annotations

from datetime import date

import pytest

from compact_tui.content.conformance import ConformanceTests
from compact_tui.content.model import Period

from .seeds import squash

COMPACT_ID = "havering"
SEED_NAME = "havering.txt"
SEED_REPAIRS = {"**": ""}  # the extraction's bold markers


class TestConformance(ConformanceTests):
    compact_id = COMPACT_ID


# --- identity -------------------------------------------------------------------------------


def test_identity(compact):
    info = compact.info
    assert info.name == "Compact for Havering"
    assert info.status == "draft"  # "Draft December 2009" on the title page
    # the title page's "Draft December 2009", and the last line: "All responses must be received by
    # Sunday 7th March 2010"
    assert info.revision == "Draft December 2009, for consultation: all responses by Sunday 7th March 2010"
    assert info.parent is None  # the text names no compact one level up
    assert info.localities == ("Havering",)
    # the title page: "Local Public Bodies working together in partnership with the
    # Voluntary and Community Sector"
    assert info.sides.statutory == "Public Bodies"
    assert info.sides.vcs == "Voluntary and Community Sector"


def test_sections_in_source_order(compact):
    assert [s.ref for s in compact.sections] == [
        "1", "2", "3", "4", "4.1", "4.2", "4.3", "5", "5.1", "5.2", "5.3", "5.4", "6", "7", "8", "A", "G"]
    assert not any(s.pending for s in compact.sections)
    assert compact.section("5.3").title == "Compact Champions"
    assert compact.section("6").title == "Resolving Disagreements"


# --- counts ---------------------------------------------------------------------------------
# Counted by hand from the seed. Principles are what the text calls principles; undertakings are
# what a side's list commits to; the rest (purpose, narrative, the past-tense 3.p4, 8.p2 which
# repeats 5.4.1, the rows of the resourcing table in 8) are provisions.
#   2:   five bold "Shared principles" bullets (Partnership, Mutual value and respect,
#        Interdependence, Equality of opportunity, Building sustainable, cohesive communities)
#        = 5 principles; the purpose paragraph and the three means after "We will achieve this
#        by;" = 4 provisions.
#   The side lists, 33 undertakings:
#   4.1: 9 bullets after "Together we will;" (both)
#   4.2: 7 bullets after "We will;" (public bodies; the page footer between bullets 3 and 4 is not one)
#   4.3: 5 bullets after "We will;" (the VCS)
#   5.2: 3 bullets after "Public Bodies partners agree to:" + 2 after "Voluntary and Community
#        Sector partners agree to:"
#   7:   4 bullets for the public bodies + 3 for the VCS
#   9 + 7 + 5 + 5 + 7 = 33.
#   Provisions: 1: 5 (+ 1 procedure); 3: 3; 5.1: 1; 5.2: 1 (the lead paragraph); 5.3: 6;
#   5.4: 6 (5.4.1-5.4.3 and the conference's three purposes); 6: 2 (+ 1 procedure);
#   7: 5 (+ 1 procedure); 8: 6 (two paragraphs, four table rows); A: 1; G: 14 definitions.

PRINCIPLES = {"2": 5}
UNDERTAKINGS = {"4.1": 9, "4.2": 7, "4.3": 5, "5.2": 5, "7": 7}
#: Undertakings per side, from the side lists above.
SIDES = {"both": 9, "statutory": 7 + 3 + 4, "vcs": 5 + 2 + 3}
OTHER = {  # provisions, procedure clauses and definitions per section
    "1": {"provision": 5, "procedure": 1},
    "2": {"provision": 4},
    "3": {"provision": 3},
    "5.1": {"provision": 1},
    "5.2": {"provision": 1},
    "5.3": {"provision": 6},
    "5.4": {"provision": 6},
    "6": {"provision": 2, "procedure": 1},
    "7": {"provision": 5, "procedure": 1},
    "8": {"provision": 6},
    "A": {"provision": 1},
    "G": {"definition": 14},
}


def test_counts_per_section(compact):
    for section in compact.sections:
        clauses = compact.in_section(section.ref)
        assert sum(c.kind == "principle" for c in clauses) == PRINCIPLES.get(section.ref, 0), section.ref
        assert sum(c.kind == "undertaking" for c in clauses) == UNDERTAKINGS.get(section.ref, 0), section.ref
        for kind in ("provision", "procedure", "definition"):
            expected = OTHER.get(section.ref, {}).get(kind, 0)
            assert sum(c.kind == kind for c in clauses) == expected, (section.ref, kind)


def test_totals(compact):
    assert len(compact.principles) == 5
    assert len(compact.undertakings) == 33
    for side, n in SIDES.items():
        assert sum(c.party == side for c in compact.undertakings) == n, side
    assert len(compact.rules) == 3
    assert not compact.in_section("4") and not compact.in_section("5")  # headings only


def test_sides_of_commitments(compact):
    assert {c.party for c in compact.in_section("4.1")} == {"both"}
    assert {c.party for c in compact.in_section("4.2")} == {"statutory"}
    assert {c.party for c in compact.in_section("4.3")} == {"vcs"}
    assert [compact.clause(f"5.2.b{i}").party for i in range(1, 6)] == ["statutory"] * 3 + ["vcs"] * 2
    assert [compact.clause(f"7.p6.b{i}").party for i in range(1, 5)] == ["statutory"] * 4
    assert [compact.clause(f"7.p7.b{i}").party for i in range(1, 4)] == ["vcs"] * 3
    assert [compact.clause(f"8.t{i}").party for i in range(1, 5)] == ["both", "statutory", "both", "vcs"]
    assert {c.party for c in compact.principles} == {"both"}


def test_generated_refs_keep_source_order(compact):
    refs = [c.ref for c in compact.in_section("7")]
    assert refs == ["7.p1", "7.p2", "7.p3", "7.p4", "7.p5a", "7.p5b",
                    "7.p6.b1", "7.p6.b2", "7.p6.b3", "7.p6.b4", "7.p7.b1", "7.p7.b2", "7.p7.b3"]
    assert [c.ref for c in compact.in_section("2")] == [
        "2", "2.1", "2.2", "2.3", "2.b1", "2.b2", "2.b3", "2.b4", "2.b5"]
    assert [c.ref for c in compact.in_section("5.4")] == [
        "5.4.1", "5.4.2", "5.4.2.b1", "5.4.2.b2", "5.4.2.b3", "5.4.3"]


# --- verbatim against the seed -------------------------------------------------------------


def test_every_clause_text_is_in_the_seed(compact, seed):
    for clause in compact.clauses:
        for part in clause.text.split("\n"):  # table rows and the glossary's two paragraphs
            if part.strip():
                assert squash(part) in seed, clause.ref


@pytest.mark.parametrize("ref, phrase", [
    ("1.p4a", "The status of the Compact is voluntary and not legally binding."),
    ("1.p4b", "to make the Compact work and not leave it prematurely"),
    ("1.p6", "a three-step process is recommended for solving disputes"),
    ("2", "open, transparent and fair working practices"),
    ("2.2", "Widening the local community's influence on decision-making processes"),
    ("2.b3", "Interdependence - we accept that we need to rely on each other"),
    ("2.b5", "Building sustainable, cohesive communities"),
    ("3.p4", "All HSP partners agreed to ensure the Compact became a significant part"),
    ("4.1.b1", "Work together to meet the needs of the people of Havering"),
    ("4.1.b3", "Participate in reviews of the Compact."),
    ("4.1.b9", "promote equality and social inclusion"),
    ("4.2.b1", "including a right to campaign on issues"),
    ("4.2.b3", "Ensure that the Compact is adopted by all the public bodies at all levels"),
    ("4.2.b4", "Promote a strong and effective infrastructure"),
    ("4.2.b7", "Allow genuine and early involvement in decision making"),
    ("4.3.b1", "Recognise the breadth of obligations of public bodies"),
    ("4.3.b5", "Designate a named point of contact on matters that concern the Compact."),
    ("5.1", "The Havering Codes of Good Practice were reviewed in 2008 and adopted."),
    ("5.2", "they are committed to a 'Compact way of working'"),
    ("5.2.b2", "using briefing sessions, newsletters or bulletins."),
    ("5.2.b5", "HAVCO will publicise progress made on the Compact"),
    ("5.3.p1", "larger Voluntary Organisations signed up to the Compact should have a Compact Champion."),
    ("5.3.p3", "To attend or be represented at quarterly meetings of the Compact steering group."),
    ("5.3.p5", "to challenge instances of non-compliance"),
    ("5.4.1", "one representative (with a reserve deputy) will be appointed by the HSP"),
    ("5.4.2", "will organise an annual conference every twelve months"),
    ("5.4.2.b1", "annual monitoring report on the implementation of the Compact"),
    ("5.4.3", "(d) What, if any, broader strategic issues were uncovered."),
    ("6.s1", "committed to resolving disagreements, conflicts and complaints"),
    ("6.s3", "using the dispute resolution process outlined separately."),
    ("7.p3", "Particular emphasis will be given to raise awareness within smaller voluntary organisations"),
    ("7.p5a", "Members of the Compact Steering Group will act as Compact Champions"),
    ("7.p5b", "issues that cannot be resolved in the course of normal business."),
    ("7.p6.b4", "Carry equal weight in joint decision-making."),
    ("7.p7.b2", "Havering Council for Voluntary Services will publicise progress"),
    ("8.p3", "as a central point of contact and address for Compact matters and correspondence"),
    ("8.t2", "To share the costs of Local Compact development and Partnership Building"),
    ("8.t4", "To provide a package of support in kind"),
    ("A.p1", "open throughout the year to all sections of the community"),
    ("G.d14", "The standard for grant funding is three years."),
])
def test_sample_clauses_verbatim(compact, seed, ref, phrase):
    clause = compact.clause(ref)
    assert clause is not None, ref
    assert phrase in clause.text
    assert squash(phrase) in seed


def test_narrative_and_contacts_left_out(compact):
    texts = " ".join(c.text for c in compact.clauses)
    assert "initiated in 2003" not in texts  # history (1, paragraph 2)
    assert "What wording should appear here?" not in texts  # drafting comment in 8
    assert "01708" not in texts  # telephone numbers of Appendix A and B
    assert "Sunday 7th March 2010" not in texts  # the draft's consultation deadline


# --- rules ----------------------------------------------------------------------------------


def _rule(compact, rule_id):
    found = next((r for r in compact.rules if r.id == rule_id), None)
    assert found is not None, rule_id
    return found


def test_annual_conference_rule(compact, seed):
    rule = _rule(compact, "annual-conference")
    assert rule.ref == "5.4.2"
    assert rule.applies_to == "meeting"
    assert rule.type == "recurring"
    assert rule.period == Period(12, "m")
    assert rule.needs_cite is True
    assert rule.severity == "breach"
    assert "organise an annual conference every twelve months" in rule.states
    assert squash(rule.states) in seed


def test_champions_quarterly_rule(compact, seed):
    rule = _rule(compact, "champions-quarterly")
    assert rule.ref == "5.3.p3"
    assert compact.clause(rule.ref).section == "5.3"
    assert rule.applies_to == "meeting"
    assert rule.type == "recurring"
    assert rule.period == Period(3, "m")
    assert rule.needs_cite is True
    # a role, not a duty: the rule is a reading, and so is its severity (a warning)
    assert rule.standing.label == "reading" and rule.severity_standing.label == "reading"
    assert rule.severity == "warning" and rule.severity_states == ""
    assert rule.states == "To attend or be represented at quarterly meetings of the Compact steering group."
    assert squash(rule.states) in seed


def test_annual_review_rule(compact, seed):
    rule = _rule(compact, "annual-review")
    assert rule.ref == "5.4.2.b1"
    assert rule.applies_to == "annual-review"
    assert rule.type == "recurring"
    assert rule.period == Period(12, "m")
    assert "annual monitoring report" in rule.states
    assert squash(rule.states) in seed


def test_no_invented_rules(compact):
    # the text states no consultation period and no notice of funding changes
    assert {r.id for r in compact.rules} == {"annual-conference", "champions-quarterly", "annual-review"}
    assert not compact.rules_for("consultation")
    assert not compact.rules_for("funding-change")
    assert all(r.exception == "" for r in compact.rules)


def test_meeting_rules_are_told_apart_by_citation(compact):
    meeting_rules = {r.ref for r in compact.rules_for("meeting")}
    assert meeting_rules == {"5.4.2", "5.3.p3"}


def test_recurring_rules_fall_due(compact):
    from compact_tui.rules.notice import next_due

    assert next_due(_rule(compact, "champions-quarterly"), date(2024, 1, 15)) == date(2024, 4, 15)
    assert next_due(_rule(compact, "annual-conference"), date(2024, 1, 15)) == date(2025, 1, 15)


# --- dispute procedure ----------------------------------------------------------------------


def test_procedure_is_outlined_separately_with_no_steps(compact, seed):
    # 1.p6: "a three-step process is recommended for solving disputes"; 6.s3: "... using the dispute
    # resolution process outlined separately." The steps are in another document, not this text.
    proc = compact.procedure
    assert proc is not None
    assert proc.elsewhere and not proc.pending and not proc.walkable
    assert proc.stages == () and proc.moves == ()
    assert proc.ref == "6"
    assert proc.states == ("As far as possible, difficulties will be resolved between the parties using the "
                           "dispute resolution process outlined separately.")
    assert squash(proc.states) in seed
    assert "Outlined separately (not in this text)" in proc.note
    assert "closed by hand" in proc.note
