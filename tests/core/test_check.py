"""``check_compact`` and ``check_procedure``: each problem is caught and names its clause or stage."""

from __future__ import annotations

from dataclasses import replace

import pytest

from compact_tui.check import check_compact, check_procedure
from compact_tui.model import (
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
                  to_field="effective", source="Give three months' notice")
PROCEDURE = DisputeProcedure(
    start="talk",
    stages=(Stage("talk", "Talk it through"), Stage("mediate", "Mediation"),
            Stage("resolved", "Resolved", outcome="resolved"), Stage("stuck", "No agreement", outcome="no-agreement")),
    moves=(Move("talk", "resolved"), Move("talk", "mediate"), Move("mediate", "resolved"), Move("mediate", "stuck")),
)


def make(clauses=None, rules=None, procedure=PROCEDURE) -> Compact:
    return Compact(info=INFO, sections=[Section("1", "Principles"), Section("2", "Funding")],
                   clauses=list(CLAUSES if clauses is None else clauses),
                   rules=list([RULE] if rules is None else rules), procedure=procedure)


def one_problem(problems: list[str]) -> str:
    assert len(problems) == 1, problems
    return problems[0]


def test_a_sound_compact_has_no_problems():
    assert check_compact(make()) == []


def test_duplicate_refs_name_the_clause():
    dup = replace(CLAUSES[2], ref="2.1")
    problems = check_compact(make(clauses=[*CLAUSES[:2], dup]))
    assert problems == ["clause 2.1: reference is not unique"] * 2


def test_duplicate_refs_are_caught_however_they_are_written():
    dup = replace(CLAUSES[2], ref="2.1.")
    assert "reference is not unique" in check_compact(make(clauses=[*CLAUSES[:2], dup]))[0]


def test_unknown_side_names_the_clause():
    bad = replace(CLAUSES[1], party="council")
    problem = one_problem(check_compact(make(clauses=[CLAUSES[0], bad, CLAUSES[2]])))
    assert problem.startswith("clause 2.1: unknown side 'council'")
    assert "statutory, vcs, both" in problem


def test_unknown_kind_names_the_clause():
    bad = replace(CLAUSES[2], kind="promise")
    problem = one_problem(check_compact(make(clauses=[*CLAUSES[:2], bad])))
    assert problem.startswith("clause 2.2: unknown kind 'promise'")


def test_clause_in_a_section_that_does_not_exist():
    bad = replace(CLAUSES[2], section="9")
    assert one_problem(check_compact(make(clauses=[*CLAUSES[:2], bad]))) == (
        "clause 2.2: section '9' is not among the sections")


def test_clause_without_text_or_theme():
    bad = replace(CLAUSES[2], text="  ", theme="")
    assert check_compact(make(clauses=[*CLAUSES[:2], bad])) == [
        "clause 2.2: has no theme", "clause 2.2: has no text"]


def test_rule_citing_a_missing_clause_names_the_rule_and_ref():
    problem = one_problem(check_compact(make(rules=[replace(RULE, ref="4.5")])))
    assert problem == "rule notice: cites '4.5', which is not a clause of this compact"


@pytest.mark.parametrize("period", [None, Period(0, "m")])
def test_rule_with_bad_period(period):
    problem = one_problem(check_compact(make(rules=[replace(RULE, period=period)])))
    assert problem == "rule notice: a minimum-period rule needs a positive period"


def test_recurring_rule_needs_a_period_too():
    rule = replace(RULE, type="recurring", period=None, from_field="", to_field="")
    assert one_problem(check_compact(make(rules=[rule]))) == "rule notice: a recurring rule needs a positive period"


@pytest.mark.parametrize("field, label", [("from_field", "from"), ("to_field", "to")])
def test_rule_with_bad_from_or_to(field, label):
    problem = one_problem(check_compact(make(rules=[replace(RULE, **{field: "yesterday"})])))
    assert problem.startswith(f"rule notice: '{label}' must be one of opened, start")


def test_rule_of_unknown_type_kind_or_severity():
    rule = replace(RULE, type="reminder", applies_to="party", severity="fatal")
    problems = check_compact(make(rules=[rule]))
    assert "rule notice: applies to unknown case kind 'party'" in problems
    assert any(p.startswith("rule notice: unknown type 'reminder'") for p in problems)
    assert "rule notice: severity must be breach or warning" in problems


def test_duplicate_rule_ids():
    problems = check_compact(make(rules=[RULE, replace(RULE, ref="2.2")]))
    assert problems == ["rule notice: id is not unique"] * 2


def with_procedure(**changes) -> DisputeProcedure:
    return replace(PROCEDURE, **changes)


def test_a_sound_procedure_has_no_problems():
    assert check_procedure(PROCEDURE) == []


def test_unreachable_stage_is_named():
    proc = with_procedure(stages=(*PROCEDURE.stages, Stage("appeal", "Appeal")),
                          moves=(*PROCEDURE.moves, Move("appeal", "resolved")))
    assert one_problem(check_procedure(proc)) == "stage appeal: cannot be reached from 'talk'"


def test_stage_with_no_path_to_an_outcome_is_named():
    proc = with_procedure(stages=(*PROCEDURE.stages, Stage("limbo", "Waiting")),
                          moves=(*PROCEDURE.moves, Move("talk", "limbo")))
    assert one_problem(check_procedure(proc)) == "stage limbo: no path from it reaches an outcome"


def test_a_loop_with_no_way_out_is_caught_at_each_stage():
    proc = with_procedure(stages=(*PROCEDURE.stages, Stage("a", "A"), Stage("b", "B")),
                          moves=(*PROCEDURE.moves, Move("talk", "a"), Move("a", "b"), Move("b", "a")))
    assert check_procedure(proc) == ["stage a: no path from it reaches an outcome",
                                     "stage b: no path from it reaches an outcome"]


def test_outcome_stage_with_moves_out_is_named():
    proc = with_procedure(moves=(*PROCEDURE.moves, Move("resolved", "talk")))
    assert one_problem(check_procedure(proc)) == "stage resolved: ends the dispute but has moves out of it"


def test_move_to_a_missing_stage_is_named():
    proc = with_procedure(moves=(*PROCEDURE.moves, Move("mediate", "tribunal")))
    assert one_problem(check_procedure(proc)) == "move 4 (mediate -> tribunal): 'tribunal' is not a stage"


def test_start_that_is_not_a_stage():
    assert check_procedure(with_procedure(start="begin")) == ["procedure: start stage 'begin' is not a stage"]


def test_unknown_outcome_and_duplicate_stage_ids():
    stages = (*PROCEDURE.stages[:3], Stage("stuck", "No agreement", outcome="gave-up"), Stage("stuck", "Again"))
    problems = check_procedure(with_procedure(stages=stages))
    assert "stage stuck: id used 2 times" in problems
    assert any(p.startswith("stage stuck: unknown outcome 'gave-up'") for p in problems)


def test_procedure_with_no_outcome_at_all():
    proc = DisputeProcedure(start="talk", stages=(Stage("talk", "Talk"),))
    assert "procedure: no stage ends the dispute (give at least one an outcome)" in check_procedure(proc)


def test_impossible_team_condition_is_named_by_its_move():
    team = Condition("team", "A team of two, two from each sector", team_size=2, min_per_sector=2)
    moves = (PROCEDURE.moves[0], Move("talk", "mediate", conditions=(team,)), *PROCEDURE.moves[2:])
    assert one_problem(check_procedure(with_procedure(moves=moves))) == (
        "move talk -> mediate: team of 2 cannot have 2 from each sector")


def test_possible_team_condition_passes():
    team = Condition("team", "A team of three, one from each sector", team_size=3, min_per_sector=1)
    moves = (PROCEDURE.moves[0], Move("talk", "mediate", conditions=(team,)), *PROCEDURE.moves[2:])
    assert check_procedure(with_procedure(moves=moves)) == []


def test_stage_citing_a_missing_clause_is_named():
    stages = (replace(PROCEDURE.stages[0], ref="9.1"), *PROCEDURE.stages[1:])
    problems = check_compact(make(procedure=with_procedure(stages=stages)))
    assert problems == ["stage talk: cites '9.1', which is not a clause of this compact"]


def test_pending_procedure_must_have_no_stages():
    assert check_procedure(DisputeProcedure(start="", pending=True)) == []
    assert check_procedure(replace(PROCEDURE, pending=True)) == ["procedure: marked pending but has stages"]


def test_compact_identity_problems():
    compact = make()
    compact.info = replace(INFO, id="Test Shire", name="")
    problems = check_compact(compact)
    assert "compact id 'Test Shire' must be lower-case with no spaces" in problems
    assert "[compact] name is empty" in problems
