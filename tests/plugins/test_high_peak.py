"""The High Peak Compact plugin, proved against its source text (shared/seeds/high_peak.txt).

The text is the Compact Steering Group's first working draft (2003). Its bullets and paragraphs
carry no numbers, so the plugin gives generated references (bN for the bullets or list lines of
a section in the text's order, pN for its paragraphs of running text); several sections are
still "Information pending", and so is the dispute procedure.
"""

from __future__ import annotations


import pytest

from compact_tui.content.conformance import ConformanceTests
from compact_tui.content.model import Period


COMPACT_ID = "high_peak"
SEED_NAME = "high_peak.txt"

# The one repair the plugin makes to the text (a word split lost in extraction, 7.2.b9).
SEED_REPAIRS = {"aneffective": "an effective"}


def squash_seed(text: str) -> str:
    """Whitespace collapsed and list marks (the text's "·" and "*") dropped."""
    return " ".join(text.replace("·", " ").replace("*", " ").split())


def _between(raw: str, start: str, end: str, after: str = "") -> list[str]:
    """The lines of the seed after ``start`` (itself found after ``after``) and before ``end``."""
    begin = raw.index(start, raw.index(after) if after else 0) + len(start)
    stop = raw.index(end, begin)
    return raw[begin:stop].splitlines()


def _bullets(lines: list[str]) -> list[str]:
    """The texts of the non-empty "·" bullets among ``lines``, squashed."""
    out = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("·") and squash_seed(stripped):
            out.append(squash_seed(stripped))
    return out


def _texts(compact, refs) -> list[str]:
    return [squash_seed(compact.clause(r).text) for r in refs]


class TestConformance(ConformanceTests):
    compact_id = COMPACT_ID


# --- identity -------------------------------------------------------------------------------


def test_identity(compact):
    info = compact.info
    # the text's own name for it: "Once the High Peak Compact has been published" (5), "an agreed
    # High Peak Compact ready for publication by March 2004"; it never says "High Peak Compact"
    assert info.name == "High Peak Compact"
    assert info.area == "High Peak"
    assert info.status == "working-draft"
    assert "first working draft" in info.revision.lower() and "2003" in info.revision
    assert info.localities == ("High Peak",)  # Chapel-en-le-Frith is only where the meeting was
    assert info.source == "shared/seeds/high_peak.txt"


def test_side_words_are_the_glossary_terms(compact, seed):
    sides = compact.info.sides
    assert (sides.statutory, sides.vcs) == ("SOs", "VCOs")
    sos, vcos = compact.clause("A1.1.SOs"), compact.clause("A1.1.VCOs")
    assert (sos.kind, sos.party) == ("definition", "statutory")
    assert (vcos.kind, vcos.party) == ("definition", "vcs")
    assert sos.text.startswith("SOs\nStatutory Organisations\n")
    assert "High Peak Borough Council, Derbyshire County Council, Primary Care Trusts" in sos.text
    assert vcos.text.startswith("VCOs\nVoluntary and Community Organisations\n")
    assert "operational in the High Peak area" in vcos.text
    assert squash_seed(sos.text) in seed and squash_seed(vcos.text) in seed


def test_no_parent_because_the_text_states_none(compact, registry):
    """Derbyshire's Compact only "used to help inform the July meeting": not a level up."""
    assert compact.info.parent is None
    assert registry.above(compact) == (None, "")


def test_sections_in_source_order(compact):
    assert [s.ref for s in compact.sections] == [
        "1", "2", "3", "4", "5", "6", "7", "7.1", "7.2", "7.3", "8", "9", "10",
        "A1", "A1.1", "A1.2", "A2", "A3", "A4"]
    titles = {s.ref: s.title for s in compact.sections}
    assert titles["6"] == "Recognising Difference"
    assert titles["7"] == "Undertakings by organisations adopting the Local Compact"
    assert titles["7.1"] == "Funding and Capacity Building"
    assert titles["7.2"] == "Communication and Consultation"
    assert titles["7.3"] == "Supporting Volunteering"
    assert titles["8"] == "Resolution of Disputes"
    assert titles["9"] == "Implementation, Monitoring and Evaluation"
    assert titles["10"] == "Action Plan with Timelines"
    assert titles["A1.2"] == "Terms of reference of the Steering Group"


# --- pending --------------------------------------------------------------------------------

PENDING = ["6", "8", "9", "10", "A2"]


def test_pending_sections_are_exactly_those_the_text_says(compact, raw_seed):
    assert [s.ref for s in compact.sections if s.pending] == PENDING
    # the text says "Information pending" five times: sections 6, 8, 9, 10 and Appendix 2
    assert raw_seed.count("Information pending") == len(PENDING)


@pytest.mark.parametrize("ref", PENDING)
def test_pending_section_has_no_clauses_and_points_nowhere_the_text_does_not(compact, ref):
    section = compact.section(ref)
    assert section.pending
    assert compact.in_section(ref) == []
    assert "Information pending" in section.note
    assert "Derbyshire" not in section.note and "level up" not in section.note


def test_procedure_is_pending(compact):
    proc = compact.procedure
    assert proc is not None
    assert proc.pending is True
    assert proc.ref == "8"
    assert proc.stages == () and proc.moves == ()
    assert "Information pending" in proc.note
    assert "Derbyshire" not in proc.note and "level up" not in proc.note


# --- counts ---------------------------------------------------------------------------------
# Counted by hand from the seed (line numbers as in `cat -n`):
#   1: paragraphs of running text p1-p6; p1 (purpose), p2 (what is a Compact), p4 (not legally
#      binding) and p6 (Derbyshire Compact, Steering Group, Working Parties) are provisions;
#      p3 (1998 history) and p5 (the unfinished "A Compact is") are not clauses       -> 4 other
#   2: three bullets after "If a good effective local Compact is achieved it will:" and the
#      closing paragraph: provisions                                                   -> 4 other
#   3: "Shared Values and Principles": 41 "·" bullets. b1-b9 "benefit the VCOs", b10-b17
#      "benefit SOs" (17 provisions), b18-b32 the "elements" local Compacts frequently contain
#      (15 provisions), b33-b41 the statements of value (9 principles: what the section calls
#      its values and principles); b36's eight starred needs are inside b36, so their own
#      clauses 3.b36(a)-(h) are provisions (8), counted once as principles, in b36; and the
#      paragraph "In this way, the Compact acknowledges..." closing the benefits (1 provision)
#                                                            -> 9 principles, 41 other
#   4: "Broader Aims": ten list lines after "We want to work to a process that is;": aims,
#      not principles or values                                                    -> 10 other
#   5: the lead-in paragraph, seven bullets, the closing paragraph: provisions      -> 9 other
#   7.1: "SOs undertake to:" 7 bullets; "VCOs undertake to:" 4 bullets              -> 7 SO, 4 VCO
#   7.2: "SOs undertake to:" 13 bullets, two of them "Jointly" (annual review, wider
#        strategies); "VCOs undertake to:" 4 bullets with text (one empty bullet not counted),
#        two of them "Jointly"                                      -> 11 SO, 2 VCO, 4 joint
#   7.3: "SOs undertake to:" 7 bullets, two "Jointly" (publicise volunteers, directing
#        clients); "VCOs undertake to:" 8 bullets, two "Jointly"       -> 5 SO, 6 VCO, 4 joint
#   A1.1: two glossary terms (definitions)                                          -> 2 other
#   A1.2: eleven bullets, the lettered "a)" sub-item, the closing paragraph         -> 13 other
#   Pending (6, 8, 9, 10, A2) and narrative-only (7, A1, A3, A4) sections: nothing.

EXPECTED = {
    # section: (principles, SO undertakings, VCO undertakings, joint undertakings, other clauses)
    "1": (0, 0, 0, 0, 4),
    "2": (0, 0, 0, 0, 4),
    "3": (9, 0, 0, 0, 41),
    "4": (0, 0, 0, 0, 10),
    "5": (0, 0, 0, 0, 9),
    "6": (0, 0, 0, 0, 0),
    "7": (0, 0, 0, 0, 0),
    "7.1": (0, 7, 4, 0, 0),
    "7.2": (0, 11, 2, 4, 0),
    "7.3": (0, 5, 6, 4, 0),
    "8": (0, 0, 0, 0, 0),
    "9": (0, 0, 0, 0, 0),
    "10": (0, 0, 0, 0, 0),
    "A1": (0, 0, 0, 0, 0),
    "A1.1": (0, 0, 0, 0, 2),
    "A1.2": (0, 0, 0, 0, 13),
    "A2": (0, 0, 0, 0, 0),
    "A3": (0, 0, 0, 0, 0),
    "A4": (0, 0, 0, 0, 0),
}


@pytest.mark.parametrize("section", list(EXPECTED))
def test_counts_per_section(compact, section):
    clauses = compact.in_section(section)
    principles = [c for c in clauses if c.kind == "principle"]
    undertakings = [c for c in clauses if c.kind == "undertaking"]
    counts = (
        len(principles),
        sum(c.party == "statutory" for c in undertakings),
        sum(c.party == "vcs" for c in undertakings),
        sum(c.party == "both" for c in undertakings),
        len(clauses) - len(principles) - len(undertakings),
    )
    assert counts == EXPECTED[section]


def test_totals(compact):
    assert len(compact.principles) == 9  # 3.b33-3.b41, the values 3.b36 lists counted once
    assert len(compact.undertakings) == 43
    assert len(compact.clauses) == 135
    assert [r.id for r in compact.rules] == ["annual-review"]
    assert all(c.section in EXPECTED for c in compact.clauses)


# --- verbatim -------------------------------------------------------------------------------


def test_every_clause_is_verbatim_from_the_seed(compact, seed):
    for clause in compact.clauses:
        assert squash_seed(clause.text) in seed, clause.ref


def test_section_2_bullets_in_order(compact, raw_seed):
    lines = _between(raw_seed, "it will:", "A local compact will help")
    assert _texts(compact, [f"2.b{i}" for i in range(1, 4)]) == _bullets(lines)


def test_section_3_bullets_in_order(compact, raw_seed):
    lines = _between(raw_seed, "3.   Shared Values and Principles", "4. Broader Aims")
    bullets = _bullets(lines)
    assert len(bullets) == 41
    texts = _texts(compact, [f"3.b{i}" for i in range(1, 42)])
    # 3.b36 carries its starred list of needs after the bullet's own words
    assert texts[35].startswith(bullets[35]) and texts[35].endswith("consistency accountability")
    assert texts[:35] + texts[36:] == bullets[:35] + bullets[36:]


def test_section_3_starred_needs(compact, raw_seed):
    lines = _between(raw_seed, "the two sectors all share a need for", "· Policies and services")
    stars = [line.strip() for line in lines if line.strip() and line.strip() != "*"]
    assert stars == ["openness", "integrity", "honesty", "leadership",
                     "objectivity", "equality", "consistency", "accountability"]
    assert [compact.clause(f"3.b36({x})").text for x in "abcdefgh"] == stars


def test_section_4_lines_in_order(compact, raw_seed):
    lines = _between(raw_seed, "We want to work to a process that is;", "5. Success Measures")
    items = [squash_seed(line) for line in lines if line.strip()]
    assert len(items) == 10
    assert _texts(compact, [f"4.b{i}" for i in range(1, 11)]) == items


def test_section_5_bullets_in_order(compact, raw_seed):
    lines = _between(raw_seed, "5. Success Measures", "6. Recognising Difference")
    assert _texts(compact, [f"5.b{i}" for i in range(1, 8)]) == _bullets(lines)


@pytest.mark.parametrize("sub,start,end,n_so,n_all", [
    ("7.1", "Funding and Capacity Building", "Communication and Consultation", 7, 11),
    ("7.2", "Communication and Consultation", "Supporting Volunteering", 13, 17),
    ("7.3", "Supporting Volunteering", "8. Resolution of Disputes", 7, 15),
])
def test_section_7_bullets_in_order_and_by_list(compact, raw_seed, sub, start, end, n_so, n_all):
    lines = _between(raw_seed, start, end, after="7.   Undertakings")
    text = "\n".join(lines)
    so_part, vco_part = text.split("VCOs undertake to:")
    assert "SOs undertake to:" in so_part
    so, vco = _bullets(so_part.splitlines()), _bullets(vco_part.splitlines())
    assert (len(so), len(so) + len(vco)) == (n_so, n_all)
    assert _texts(compact, [f"{sub}.b{i}" for i in range(1, n_all + 1)]) == so + vco
    # "Jointly" binds both sides, whichever list; otherwise the list's own side
    for i, bullet in enumerate(so + vco, start=1):
        clause = compact.clause(f"{sub}.b{i}")
        expected = "both" if bullet.lower().startswith("jointly") else (
            "statutory" if i <= n_so else "vcs")
        assert clause.party == expected, clause.ref
        assert clause.kind == "undertaking"


def test_terms_of_reference_in_order(compact, raw_seed):
    lines = _between(raw_seed, "Terms of reference of the Steering Group", "The Steering group will be meeting")
    bullets = _bullets(lines)
    assert len(bullets) == 11
    assert _texts(compact, [f"A1.2.b{i}" for i in range(1, 12)]) == bullets
    assert compact.clause("A1.2.b8(a)").text == "an annual report with recommendations, and"


SAMPLES = [
    ("1.p1", "provision", "both", "The aim of this Local Compact is to enable VCOs and SOs to develop good working relationships."),
    ("1.p4", "provision", "both", "A compact is not legally binding"),
    ("1.p6", "provision", "both", "In February 2003 Derbyshire County Council published a Compact"),
    ("2.b3", "provision", "both", "so that their energies and resources are not wasted"),
    ("3.b1", "provision", "both", "Sorting out key longstanding issues between the VCOs and SOs"),
    ("3.b17", "provision", "both", "Enabling best use of resources and services"),
    ("3.p3", "provision", "both", "the Compact acknowledges the importance of VCOs"),
    ("3.b32", "provision", "both", "a system for dealing with disputes over the Compact"),
    ("3.b33", "principle", "both", "Voluntary action is an essential part of a democratic society"),
    ("3.b39", "principle", "both", "VCOs should be free to campaign, within the law"),
    ("3.b41", "principle", "both", "fully endorse the value of a diverse community"),
    ("4.b5", "provision", "both", "encourages innovation and some risk taking"),
    ("4.b10", "provision", "both", "encourages transparency and accountability"),
    ("5.p1", "provision", "both", "we will need to measure how successful it is"),
    ("5.p2", "provision", "both", "firm criteria for some of these indicators will need to be developed"),
    ("7.1.b1", "undertaking", "statutory", "This support to include funding (where possible) and help in kind."),
    ("7.1.b3", "undertaking", "statutory", "giving precise information on timing and other conditions"),
    ("7.1.b9", "undertaking", "vcs", "work in partnership with SOs"),
    ("7.1.b11", "undertaking", "vcs", "out of the hands of the local authority"),
    ("7.2.b2", "undertaking", "statutory", "no duplication of requests"),
    ("7.2.b5", "undertaking", "statutory", "consideration is given to VCOs on Committee Reports"),
    ("7.2.b9", "undertaking", "statutory", "Work with VCOs to deliver an effective information/advice service."),
    ("7.2.b13", "undertaking", "statutory", "adopt the Compact logo"),
    ("7.2.b14", "undertaking", "vcs", "genuine commitment to engage VCOs"),
    ("7.2.b17", "undertaking", "vcs", "adopt the Compact logo"),
    ("7.3.b5", "undertaking", "statutory", "a means into paid work"),
    ("7.3.b11", "undertaking", "vcs", "Consider developing a time bank."),
    ("7.3.b15", "undertaking", "both", "directing clients between sectors"),
    ("A1.2.b5", "provision", "both", "Seek to resolve disputes"),
    ("A1.2.p1", "provision", "both", "ready for publication by March 2004"),
]


@pytest.mark.parametrize("ref,kind,party,phrase", SAMPLES, ids=[s[0] for s in SAMPLES])
def test_sample_clauses(compact, seed, ref, kind, party, phrase):
    clause = compact.clause(ref)
    assert clause is not None, ref
    assert (clause.kind, clause.party) == (kind, party)
    assert phrase in clause.text
    assert squash_seed(clause.text) in seed


def test_near_duplicates_are_kept_and_noted(compact):
    assert compact.clause("3.b2").text == compact.clause("3.b11").text
    assert compact.clause("7.2.b13").text == compact.clause("7.2.b17").text
    assert compact.clause("7.2.b13").party == "statutory"
    assert compact.clause("7.2.b17").party == "vcs"
    repeated = {"3.b2": "Near-duplicate of 3.b1", "3.b4": "Near-duplicate of 3.b3", "3.b13": "Near-duplicate of 3.b12",
                "7.2.b15": "Repeats 7.2.b6", "7.2.b16": "Repeats 7.2.b11", "7.3.b14": "Repeats 7.3.b2",
                "7.3.b15": "Repeats 7.3.b6", "A1.2.b4": "Near-duplicate of A1.2.b2",
                "A1.2.b6": "Near-duplicate of A1.2.b5", "A1.2.b10": "Repeats A1.2.b8(a)",
                "A1.2.b11": "Near-duplicate of A1.2.b9"}
    for ref, says in repeated.items():
        assert says in compact.clause(ref).note, ref


def test_excluded_text_is_not_a_clause(compact):
    texts = " ".join(c.text for c in compact.clauses)
    assert "The original Compact was published in 1998" not in texts  # 1.p3, history
    assert "Dynamic and Diverse" not in texts  # Appendix 3, figures
    assert "01663" not in texts  # Appendix 4, contacts
    assert compact.clause("1.p3") is None and compact.clause("1.p5") is None


# --- success measures ---------------------------------------------------------------------


def test_success_measures_are_review_provisions_with_countability(compact):
    measures = [compact.clause(f"5.b{i}") for i in range(1, 8)]
    for clause in measures:
        assert (clause.kind, clause.party, clause.theme) == ("provision", "both", "review")
    assert [c.note.split(":")[0] for c in measures] == [
        "Countable", "Not countable from cases", "Not countable from cases", "Not countable from cases",
        "Countable", "Not countable from cases", "Countable"]
    assert "signatories" in compact.clause("5.b1").note
    assert "dispute cases" in compact.clause("5.b5").note
    assert "annual-review cases" in compact.clause("5.b7").note


# --- rules ----------------------------------------------------------------------------------


def test_annual_review_rule(compact, seed):
    rule = next(r for r in compact.rules if r.id == "annual-review")
    assert rule.ref == "7.2.b6"
    assert rule.applies_to == "annual-review"
    assert rule.type == "recurring"
    assert rule.period == Period(12, "m")
    assert rule.severity == "breach"
    assert rule.needs_cite is False
    assert (rule.from_field, rule.to_field, rule.exception) == ("", "", "")
    assert rule.states == "Jointly co-ordinate an annual review of the Compact process."
    assert rule.states == compact.clause("7.2.b6").text
    assert rule.states in seed
    # 7.2.b6 is the first occurrence; 7.2.b15 repeats it in the VCOs' list
    assert seed.index(rule.states) < seed.index("Jointly co-ordinate an annual review of the Compact process Jointly")
    assert compact.clause("7.2.b6").party == "both"
    assert compact.clause("7.2.b15").party == "both"
    # the Steering Group's annual report and meeting support it, in the reading
    assert "annual report" in rule.note and "annual meeting" in rule.note
    assert "A1.2.b8" in rule.note


def test_no_invented_rules(compact):
    # "over the next three months" (A1.2.p1) is the Steering Group's plan, not a rule about cases;
    # the text states no consultation or funding notice period.
    assert [r.id for r in compact.rules] == ["annual-review"]
    assert not compact.rules_for("consultation")
    assert not compact.rules_for("funding-change")
    assert not compact.rules_for("meeting")
