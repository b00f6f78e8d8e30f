"""A dispute moves only through its compact's own procedure; stages and conditions are read
from the installed plugins, not guessed."""

from __future__ import annotations

from collections import deque

import pytest

from .caselog_helpers import counts, d, new
from compact_tui.errors import UserError


def path_to(proc, target):
    """The moves from the procedure's start to ``target``, shortest first."""
    queue, seen = deque([(proc.start, [])]), {proc.start}
    while queue:
        stage, moves = queue.popleft()
        if stage == target:
            return moves
        for m in proc.moves_from(stage):
            if m.to_stage not in seen:
                seen.add(m.to_stage)
                queue.append((m.to_stage, [*moves, m]))
    raise AssertionError(f"{target} cannot be reached from {proc.start}")


def satisfy(move):
    """Arguments for advance() that meet every condition of ``move``."""
    confirm, team = [], []
    for c in move.conditions:
        if c.team_size:
            team = [f"Statutory {i}:statutory" for i in range(c.team_size - 1)] + ["Voluntary:vcs"]
        else:
            confirm.append(c.id)
    return {"confirm": confirm, "team": team}


def walk(log, case_id, moves, on="2026-02-01"):
    for m in moves:
        log.advance(case_id, m.to_stage, on=d(on), **satisfy(m))


def snapshot(log, case_id):
    case = log.get(case_id)
    return case, counts(log.store)


@pytest.fixture
def essex(registry):
    proc = registry.get("essex").procedure
    assert proc is not None and not proc.pending
    return proc


@pytest.fixture
def essex_case(log):
    return log.log(new("dispute", "essex", "grant withdrawn without notice", opened="2026-01-10",
                       orgs=["Essex CVS"]))


def _move_with(proc, *words):
    """The move nearest the start whose conditions' ids contain each of ``words``."""
    found = [m for m in proc.moves if all(any(w in c.id for c in m.conditions) for w in words)]
    assert found, words
    return min(found, key=lambda m: len(path_to(proc, m.from_stage)))


def test_a_new_dispute_starts_at_the_procedures_first_stage(log, essex, essex_case):
    case = log.get(essex_case["id"])
    assert case["stage"] == essex.start and case["status"] == "open"
    assert [n["stage"] for n in case["next"]] == [m.to_stage for m in essex.moves_from(essex.start)]


def test_a_move_not_allowed_now_is_refused_and_changes_nothing(log, essex, essex_case):
    allowed = {m.to_stage for m in essex.moves_from(essex.start)}
    elsewhere = next(s.id for s in essex.stages if s.id not in allowed and s.id != essex.start and s.outcome)
    before = snapshot(log, essex_case["id"])
    with pytest.raises(UserError) as err:
        log.advance(essex_case["id"], elsewhere)
    assert "does not allow a move" in str(err.value) and elsewhere in str(err.value)
    assert snapshot(log, essex_case["id"]) == before


def test_an_unknown_stage_is_refused_and_changes_nothing(log, essex_case):
    before = snapshot(log, essex_case["id"])
    with pytest.raises(UserError, match="is not a stage of Essex Compact's procedure"):
        log.advance(essex_case["id"], "arbitration")
    assert snapshot(log, essex_case["id"]) == before


def test_the_complainant_must_raise_it_with_the_other_side_and_own_decision_makers_first(log, essex, essex_case):
    move = _move_with(essex, "other-side", "own-decision")
    walk(log, essex_case["id"], path_to(essex, move.from_stage))
    cid = essex_case["id"]
    ids = [c.id for c in move.conditions]
    before = snapshot(log, cid)
    with pytest.raises(UserError) as err:
        log.advance(cid, move.to_stage)
    assert f"[condition {ids[0]}]" in str(err.value)
    for i in range(1, len(ids)):  # every condition is needed, not just some
        with pytest.raises(UserError) as err:
            log.advance(cid, move.to_stage, confirm=ids[:i])
        assert f"[condition {ids[i]}]" in str(err.value)
    assert snapshot(log, cid) == before
    case = log.advance(cid, move.to_stage, confirm=ids, note="both steps taken")
    assert case["stage"] == move.to_stage
    last = case["events"][-1]
    assert last["action"] == "advanced" and last["detail"]["from"] == move.from_stage
    assert last["detail"]["confirmed"] == sorted(ids) and last["note"] == "both steps taken"


@pytest.mark.parametrize("team, refused", [
    (["A:statutory", "B:statutory", "C:statutory"], "voluntary and community"),
    (["A:vcs", "B:vcs", "C:vcs"], "statutory"),
    (["A:statutory", "B:vcs"], "team of 3"),
    (["A:statutory", "B:vcs", "C:vcs", "D:vcs"], "team of 3"),
    (["A:statutory", "B:vcs", "C:nobody"], "NAME:statutory or NAME:vcs"),
])
def test_the_team_of_three_needs_a_member_from_each_sector(log, essex, essex_case, team, refused):
    move = _move_with(essex, "team")
    team_cond = next(c for c in move.conditions if c.team_size)
    assert (team_cond.team_size, team_cond.min_per_sector) == (3, 1)
    walk(log, essex_case["id"], path_to(essex, move.from_stage))
    others = [c.id for c in move.conditions if not c.team_size]
    before = snapshot(log, essex_case["id"])
    with pytest.raises(UserError) as err:
        log.advance(essex_case["id"], move.to_stage, confirm=others, team=team)
    assert refused in str(err.value)
    assert snapshot(log, essex_case["id"]) == before


def test_two_statutory_and_one_voluntary_member_are_allowed(log, essex, essex_case):
    move = _move_with(essex, "team")
    walk(log, essex_case["id"], path_to(essex, move.from_stage))
    others = [c.id for c in move.conditions if not c.team_size]
    case = log.advance(essex_case["id"], move.to_stage, confirm=others,
                       team=["A. Patel:statutory", "B. Jones:statutory", "C. Smith:vcs"])
    assert case["stage"] == move.to_stage
    assert case["events"][-1]["detail"]["team"] == [
        {"name": "A. Patel", "sector": "statutory"}, {"name": "B. Jones", "sector": "statutory"},
        {"name": "C. Smith", "sector": "vcs"}]


def test_reaching_an_outcome_closes_the_case(log, essex, essex_case):
    resolved = next(s for s in essex.stages if s.outcome == "resolved")
    walk(log, essex_case["id"], path_to(essex, resolved.id), on="2026-03-01")
    case = log.get(essex_case["id"])
    assert case["stage"] == resolved.id
    assert (case["status"], case["outcome"]) == ("closed", "resolved")
    assert case["next"] == [] and case["due"] is None
    before = snapshot(log, essex_case["id"])
    with pytest.raises(UserError, match="has ended"):
        log.advance(essex_case["id"], essex.start)
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

def test_high_peak_dispute_says_the_procedure_is_pending_and_points_up(log, registry):
    hp = registry.get("high_peak")
    assert hp.procedure is not None and hp.procedure.pending
    assert hp.info.parent and registry.get(hp.info.parent) is None  # Derbyshire is not installed
    case = log.log(new("dispute", "high_peak", "a disagreement", orgs=["Glossop Community Group"]))
    assert case["stage"] is None
    shown = log.get(case["id"])
    note = shown["procedure_note"]
    assert "pending" in note and "Derbyshire" in note and "not installed" in note
    assert shown["next"] == []
    before = snapshot(log, case["id"])
    with pytest.raises(UserError) as err:
        log.advance(case["id"], "resolved")
    assert str(err.value) == note
    assert snapshot(log, case["id"]) == before
