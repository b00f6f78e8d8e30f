"""``check_compact`` and ``check_procedure`` on content made in code: each problem is caught, once,
and names the plugin, the item by its reference or id and its 1-based position. (Content from TOML,
with file and line: tests/core/test_authoring.py.)"""

from __future__ import annotations

import pytest

from compact_tui.record import replace
from compact_tui.content.check import check_compact, check_procedure
from compact_tui.content.model import (
    Clause,
    Compact,
    CompactInfo,
    Condition,
    DisputeProcedure,
    Move,
    NoticeRule,
    Period,
    Section,
    Stage,
)

INFO = CompactInfo(id="testshire", name="Testshire Compact", area="Testshire", status="draft")
CLAUSES = [
    Clause("1.1", "principle", "both", "independence", "The sector is independent.", "1"),
    Clause("2.1", "undertaking", "statutory", "funding", "Give three months' notice.", "2"),
    Clause("2.2", "undertaking", "vcs", "consultation", "Respond to consultations.", "2"),
]
RULE = NoticeRule(id="notice", ref="2.1", applies_to="funding-change", type="minimum-period",
                  title="Three months' notice", period=Period(3, "m"), from_field="notified",
                  to_field="effective", states="Give three months' notice",
                  severity_states="Give three months' notice")
SAYS = "Talk it through, then mediate."
PROCEDURE = DisputeProcedure(
    start="talk",
    stages=(Stage("talk", "Talk it through", states=SAYS), Stage("mediate", "Mediation", states=SAYS),
            Stage("resolved", "Resolved", outcome="resolved", states=SAYS),
            Stage("stuck", "No agreement", outcome="no-agreement", reading="The text names no end.")),
    moves=(Move("talk", "resolved", states=SAYS), Move("talk", "mediate", states=SAYS),
           Move("mediate", "resolved", states=SAYS), Move("mediate", "stuck", reading="The text names no end.")),
    states=SAYS,
)


def stage(stage_id: str, title: str, **kw) -> Stage:
    """A stage the text states (the checks below are about shape, not standing)."""
    return Stage(stage_id, title, **{"states": SAYS, **kw})


def move(frm: str, to: str, **kw) -> Move:
    return Move(frm, to, **{"states": SAYS, **kw})


def make(clauses=None, rules=None, procedure=PROCEDURE) -> Compact:
    return Compact(info=INFO, sections=[Section("1", "Principles"), Section("2", "Funding")],
                   clauses=list(CLAUSES if clauses is None else clauses),
                   rules=list([RULE] if rules is None else rules), procedure=procedure, plugin="testshire")


def one_problem(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


def test_a_sound_compact_has_no_problems():
    assert check_compact(make()) == []


P = "plugin 'testshire': "


def test_a_duplicate_ref_is_reported_once_at_the_repeat_naming_the_first():
    dup = replace(CLAUSES[2], ref="2.1")
    assert check_compact(make(clauses=[*CLAUSES[:2], dup])) == [
        P + "clause 2.1 (clauses #3): reference '2.1' is already used by #2"]


def test_duplicate_refs_are_caught_however_they_are_written():
    dup = replace(CLAUSES[2], ref="2.1.")
    assert check_compact(make(clauses=[*CLAUSES[:2], dup])) == [
        P + "clause 2.1. (clauses #3): reference '2.1.' is already used by #2"]


def test_unknown_side_names_the_clause_and_suggests():
    bad = replace(CLAUSES[1], party="statuary")
    assert check_compact(make(clauses=[CLAUSES[0], bad, CLAUSES[2]])) == [
        P + "clause 2.1 (clauses #2): unknown party 'statuary' (did you mean 'statutory'?) "
            "(known: statutory, vcs, both)"]


def test_unknown_kind_and_theme_name_the_clause():
    bad = replace(CLAUSES[2], kind="promise", theme="fundng")
    assert check_compact(make(clauses=[*CLAUSES[:2], bad])) == [
        P + "clause 2.2 (clauses #3): unknown kind 'promise' (known: principle, undertaking, provision, "
            "procedure, definition)",
        P + "clause 2.2 (clauses #3): unknown theme 'fundng' (did you mean 'funding'?) (known: independence, "
            "funding, consultation, policy, services, equality, volunteering, partnership, communication, "
            "information, capacity, accountability, representation, review, disputes, governance, general)"]


def test_clause_in_a_section_that_does_not_exist():
    bad = replace(CLAUSES[2], section="9")
    assert check_compact(make(clauses=[*CLAUSES[:2], bad])) == [
        P + "clause 2.2 (clauses #3): section '9' is not among the [[sections]]"]


def test_clause_without_text_or_theme():
    bad = replace(CLAUSES[2], text="  ", theme="")
    assert check_compact(make(clauses=[*CLAUSES[:2], bad])) == [
        P + "clause 2.2 (clauses #3): missing 'theme'", P + "clause 2.2 (clauses #3): missing 'text'"]


def test_a_field_of_the_wrong_type_is_named():
    bad = replace(CLAUSES[0], text=42)
    assert check_compact(make(clauses=[bad, *CLAUSES[1:]])) == [
        P + "clause 1.1 (clauses #1): 'text' must be text, not a number"]


def test_rule_citing_a_missing_clause_names_the_rule_and_ref():
    assert check_compact(make(rules=[replace(RULE, ref="2.3")])) == [
        P + "rule notice (rules #1): cites '2.3', which is not a clause of this compact"]


def test_rule_with_no_period_or_a_zero_one():
    assert check_compact(make(rules=[replace(RULE, period=None)])) == [
        P + "rule notice (rules #1): a minimum-period rule needs a 'period'"]
    assert check_compact(make(rules=[replace(RULE, period=Period(0, "m"))])) == [
        P + "rule notice (rules #1): a minimum-period rule needs a period of more than 0"]


def test_a_period_that_is_not_one():
    assert check_compact(make(rules=[replace(RULE, period="3 months")])) == [
        P + "rule notice (rules #1): 'period' '3 months' is not a period such as 12w, 3m, 10d or 5wd"]


def test_recurring_rule_needs_a_period_too():
    rule = replace(RULE, type="recurring", period=None, from_field="", to_field="")
    assert check_compact(make(rules=[rule])) == [P + "rule notice (rules #1): a recurring rule needs a 'period'"]


@pytest.mark.parametrize("field, label", [("from_field", "from"), ("to_field", "to")])
def test_rule_with_bad_from_or_to(field, label):
    assert check_compact(make(rules=[replace(RULE, **{field: "yesterday"})])) == [
        P + f"rule notice (rules #1): unknown {label} 'yesterday' (known: opened, start, end, notified, "
            "effective, period_end, on)"]


def test_rule_of_unknown_type_kind_or_severity():
    rule = replace(RULE, type="reminder", applies_to="party", severity="fatal")
    assert check_compact(make(rules=[rule])) == [
        P + "rule notice (rules #1): unknown applies_to 'party' (known: consultation, funding-change, dispute, "
            "champion, signatory, meeting, annual-review, note)",
        P + "rule notice (rules #1): unknown type 'reminder' (known: minimum-period, deadline, recurring)",
        P + "rule notice (rules #1): unknown severity 'fatal' (known: breach, warning)"]


def test_duplicate_rule_ids():
    assert check_compact(make(rules=[RULE, replace(RULE, ref="2.2")])) == [
        P + "rule notice (rules #2): id 'notice' is already used by #1"]


def with_procedure(**changes) -> DisputeProcedure:
    return replace(PROCEDURE, **changes)


def test_a_sound_procedure_has_no_problems():
    assert check_procedure(PROCEDURE) == []


def test_unreachable_stage_is_named():
    proc = with_procedure(stages=(*PROCEDURE.stages, stage("appeal", "Appeal")),
                          moves=(*PROCEDURE.moves, move("appeal", "resolved")))
    assert check_procedure(proc) == ["procedure: stage appeal (procedure.stages #5): cannot be reached from 'talk'"]


def test_stage_with_no_path_to_an_outcome_is_named():
    proc = with_procedure(stages=(*PROCEDURE.stages, stage("limbo", "Waiting")),
                          moves=(*PROCEDURE.moves, move("talk", "limbo")))
    assert check_procedure(proc) == [
        "procedure: stage limbo (procedure.stages #5): no path from it reaches an outcome"]


def test_a_loop_with_no_way_out_is_caught_at_each_stage():
    proc = with_procedure(stages=(*PROCEDURE.stages, stage("a", "A"), stage("b", "B")),
                          moves=(*PROCEDURE.moves, move("talk", "a"), move("a", "b"), move("b", "a")))
    assert check_procedure(proc) == ["procedure: stage a (procedure.stages #5): no path from it reaches an outcome",
                                     "procedure: stage b (procedure.stages #6): no path from it reaches an outcome"]


def test_outcome_stage_with_moves_out_is_named():
    proc = with_procedure(moves=(*PROCEDURE.moves, move("resolved", "talk")))
    assert check_procedure(proc) == [
        "procedure: stage resolved (procedure.stages #3): ends the dispute (it has an outcome) but has moves out of it"]


def test_move_to_a_missing_stage_is_named_with_its_1_based_position():
    proc = with_procedure(moves=(*PROCEDURE.moves, move("mediate", "tribunal")))
    assert check_procedure(proc) == [
        "procedure: move mediate -> tribunal (procedure.moves #5): 'to' names 'tribunal', which is not a stage"]


def test_start_that_is_not_a_stage():
    assert check_procedure(with_procedure(start="tlak")) == [
        "procedure: procedure: start stage 'tlak' is not a stage (did you mean 'talk'?)"]


def test_unknown_outcome_and_duplicate_stage_ids():
    stages = (*PROCEDURE.stages[:3], stage("stuck", "No agreement", outcome="gave-up"), stage("stuck", "Again"))
    assert check_procedure(with_procedure(stages=stages)) == [
        "procedure: stage stuck (procedure.stages #4): unknown outcome 'gave-up' "
        "(known: resolved, referred, not-compact-matter, no-agreement)",
        "procedure: stage stuck (procedure.stages #5): stage id 'stuck' is already used by #4"]


def test_procedure_with_no_outcome_at_all():
    proc = DisputeProcedure(start="talk", stages=(stage("talk", "Talk"),), states=SAYS)
    assert check_procedure(proc) == ["procedure: procedure: no stage ends the dispute (give at least one an outcome)"]


def test_impossible_team_condition_is_named_by_its_move():
    team = Condition("team", "A team of two, two from each sector", team_size=2, min_per_sector=2, states=SAYS)
    moves = (PROCEDURE.moves[0], move("talk", "mediate", conditions=(team,)), *PROCEDURE.moves[2:])
    assert check_procedure(with_procedure(moves=moves)) == [
        "procedure: condition team (procedure.moves #2, condition #1): a team of 2 cannot have 2 from each sector"]


def test_possible_team_condition_passes():
    team = Condition("team", "A team of three, one from each sector", team_size=3, min_per_sector=1, states=SAYS)
    moves = (PROCEDURE.moves[0], move("talk", "mediate", conditions=(team,)), *PROCEDURE.moves[2:])
    assert check_procedure(with_procedure(moves=moves)) == []


def test_stage_citing_a_missing_clause_is_named():
    stages = (replace(PROCEDURE.stages[0], ref="9.1"), *PROCEDURE.stages[1:])
    assert check_compact(make(procedure=with_procedure(stages=stages))) == [
        P + "stage talk (procedure.stages #1): cites '9.1', which is not a clause of this compact"]


def test_pending_procedure_must_have_no_stages():
    assert check_procedure(DisputeProcedure(start="", pending=True, states="Information pending")) == []
    assert check_procedure(replace(PROCEDURE, pending=True)) == [
        "procedure: procedure: marked pending but has stages or moves"]


def test_compact_identity_problems():
    compact = make()
    compact.info = replace(INFO, id="Test Shire", name="")
    assert check_compact(compact) == [P + "compact: missing 'name'",
                                      P + "compact: id 'Test Shire' must be lower-case with no spaces"]


# -- standing: stated with the text's words, or a reading with its reason ----------------------

UNSOURCED = "neither quotes the text that states it ('states') nor says why it is a reading ('reading')"


def test_a_stage_move_or_condition_without_standing_is_named():
    bare = Condition("agreed", "Is the mediator agreed?")
    proc = with_procedure(stages=(Stage("talk", "Talk it through"), *PROCEDURE.stages[1:]),
                          moves=(move("talk", "resolved"), Move("talk", "mediate", conditions=(bare,)),
                                 *PROCEDURE.moves[2:]))
    assert check_procedure(proc) == [
        f"procedure: stage talk (procedure.stages #1): {UNSOURCED}",
        f"procedure: move talk -> mediate (procedure.moves #2): {UNSOURCED}",
        f"procedure: condition agreed (procedure.moves #2, condition #1): {UNSOURCED}",
    ]


def test_a_procedure_outlined_elsewhere_has_no_stages():
    elsewhere = DisputeProcedure(start="", elsewhere=True, states="the process outlined separately")
    assert check_procedure(elsewhere) == []
    assert not elsewhere.walkable
    problems = check_procedure(replace(PROCEDURE, elsewhere=True))
    assert problems == ["procedure: procedure: marked outlined elsewhere but has stages or moves"]


@pytest.mark.parametrize("words, qualifier", [
    ("Where it is appropriate, conduct 12-week formal written consultations.", "Where it is appropriate"),
    ("Inform organisations about future funding, normally before the end of the funding period.", "normally"),
    ("Where appropriate, give three months' notice.", "Where appropriate"),
])
def test_a_qualified_rule_must_be_a_warning(words, qualifier):
    rule = replace(RULE, states=words, severity_states="")
    assert check_compact(make(rules=[rule])) == [
        P + f"rule notice (rules #1): its words say {qualifier.lower()!r}, so its severity must be warning, "
            "not breach"]
    warning = replace(rule, severity="warning")
    assert check_compact(make(rules=[warning])) == []
    assert warning.severity_standing.states == qualifier  # the qualifier, as the text has it


def test_an_unqualified_warning_must_say_why():
    rule = replace(RULE, severity="warning", severity_states="")
    assert check_compact(make(rules=[rule])) == [
        P + "rule notice (rules #1): its severity (warning) is not set by its words: quote the words that "
            "set it ('severity_states') or say why it is a reading ('severity_reading')"]
    read = replace(rule, severity_reading="The text says 'should', which we read as advice.")
    assert check_compact(make(rules=[read])) == []
    assert read.severity_standing.label == "reading"


def test_a_rule_without_standing_is_named():
    problems = check_compact(make(rules=[replace(RULE, states="", severity_states="")]))
    assert problems[0] == P + f"rule notice (rules #1): {UNSOURCED}"
