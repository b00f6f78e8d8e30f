"""What ``audit verify``'s replay of each case's story names, from the side of someone who
holds the team's key and writes events the app never would (each forged event sealed on the
chain, its rows written to match, so the story is the only thing wrong); and the lifecycle's
refusals for states only a hand on the file can make."""

from __future__ import annotations

import json
import sqlite3

import pytest

from compact_tui.caselog import lifecycle
from compact_tui.caselog.audit import append_event

from .caselog_helpers import new
from .test_disputes import TO_ONE_MEDIATOR, walk
from .test_lifecycle import forge, row, run, story


def test_a_dispute_forged_as_logged_closed_at_its_first_stage_is_named(log, store, registry):
    """Case 2 is a copy of case 1 (an Essex dispute at its first stage, 'full-information'), but
    logged closed: a dispute is closed only at an outcome, so no version of the app logs it so."""
    log.log(new("dispute", "essex", "Grant dispute", opened="2026-01-05"))
    detail = json.loads(store.one("SELECT detail FROM events WHERE id = 1")["detail"])
    detail["set"].update(status="closed", title="Forged")
    case = dict(store.one("SELECT * FROM cases WHERE id = 1"))
    case.update(id=2, status="closed", title="Forged", created_by="mallory")
    with store.write() as db:
        db.execute(f"INSERT INTO cases ({', '.join(f'{chr(34)}{k}{chr(34)}' for k in case)}) "
                   f"VALUES ({', '.join('?' for _ in case)})", list(case.values()))
        append_event(db, 2, "logged", detail, actor="mallory", happened_on="2026-03-01",
                     at=case["created_at"])
    assert story(store, registry) == [
        "case 2, event 2 (logged): a dispute is closed when, and only when, its stage is an outcome "
        "(stage 'full-information', status 'closed')"]


def test_a_consultation_forged_as_moved_is_named(log, store, registry):
    case_id = log.log(new("consultation", "essex", "Library hours", start="2026-01-05", end="2026-03-30"))["id"]
    forge(store, case_id, "advanced", {"set": {"stage": "resolved"}, "from": None, "confirmed": [], "team": []},
          {"stage": "resolved"})
    assert story(store, registry) == [
        "case 1, event 2 (advanced): it moves a consultation, and only a dispute has stages"]


def test_a_move_the_procedure_allows_but_that_leaves_the_wrong_status_is_named(log, store, registry):
    """Two moves each procedure allows, each leaving the status a move to that stage does not:
    Essex's first move (its condition confirmed) closing the dispute at a stage that is no outcome,
    and Southend's move to 'resolved-between-parties' (an outcome) leaving it open."""
    essex = log.log(new("dispute", "essex", "Grant dispute", opened="2026-01-05"))["id"]
    moved = {"stage": "raise-with-organisation", "status": "closed"}
    forge(store, essex, "advanced", {"set": moved, "from": "full-information", "confirmed": ["full-information"],
                                     "team": []}, moved)
    southend = log.log(new("dispute", "southend", "Hall lease", opened="2026-01-05"))["id"]
    ended = {"stage": "resolved-between-parties", "outcome": "resolved"}
    forge(store, southend, "advanced", {"set": ended, "from": "between-parties", "confirmed": [], "team": []}, ended)
    assert story(store, registry) == [
        "case 1, event 2 (advanced): it moves the dispute to 'raise-with-organisation' but leaves it 'closed'",
        "case 2, event 4 (advanced): it moves the dispute to 'resolved-between-parties' but leaves it 'open'"]


def test_a_file_or_a_note_is_no_change_to_the_case_whatever_its_detail_says(registry):
    """A file attached, or a note, changes nothing about the case: a stray 'set' or 'was' in its
    detail (which nothing reads back into the case) is not taken as a change of status."""
    replay = lifecycle.Replay({c.id: c for c in registry})
    before = {"kind": "consultation", "status": "open", "stage": None, "compact": "essex", "title": "Library"}
    for action in ("attached", "note"):
        assert replay.check(action, 1, before, {"set": {"status": "closed"}, "was": {"title": "Other"},
                                                "attachment": [1, "minutes.pdf", 10, "0" * 64]}) is None


def test_a_status_no_case_can_have_is_named_when_a_change_is_asked(log, db_path, capsys):
    """sqlite3 behind the app's back gives case 1 the status 'archived': each change that would
    alter the case is refused with a sentence that names the status, the change, and where to look."""
    log.log(new("consultation", "essex", "Library hours", start="2026-01-05", end="2026-03-30"))
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("UPDATE cases SET status = 'archived' WHERE id = 1")
    conn.close()
    for args, done in ((("withdraw", "1", "--reason", "duplicate"), "withdrawn"),
                       (("reinstate", "1", "--reason", "not a duplicate"), "reinstated"),
                       (("close", "1"), "closed"), (("reopen", "1"), "reopened")):
        assert run(db_path, capsys, *args) == (
            1, "", f"compact-tui: case 1's status 'archived' is not one a case can have (open, closed or withdrawn), "
                   f"so it cannot be {done}; 'compact-tui audit verify' says more.\n")


def test_a_closed_dispute_not_at_an_outcome_is_reopened_before_it_moves(registry):
    """A dispute closed by hand while its compact's procedure could not be walked (no stage), or at
    a stage that is not an outcome: it cannot move until it is reopened."""
    essex = registry.get("essex")
    for stage in (None, "full-information"):
        assert lifecycle.refusal("advance", row("dispute", "closed", stage), essex) == (
            "case 4 is closed; reopen it ('compact-tui reopen 4') before moving it.")


def forge_logged(log, store, **changes) -> None:
    """Case 2 as a copy of case 1, logged by 'mallory' with ``changes`` to its columns (in the
    event's detail and in its row alike, so only the story is wrong)."""
    detail = json.loads(store.one("SELECT detail FROM events WHERE id = 1")["detail"])
    detail["set"].update(changes)
    case = dict(store.one("SELECT * FROM cases WHERE id = 1"))
    case.update(id=2, created_by="mallory", **changes)
    with store.write() as db:
        db.execute(f"INSERT INTO cases ({', '.join(f'{chr(34)}{k}{chr(34)}' for k in case)}) "
                   f"VALUES ({', '.join('?' for _ in case)})", list(case.values()))
        append_event(db, 2, "logged", detail, actor="mallory", happened_on="2026-03-01",
                     at=case["created_at"])


def test_a_dispute_logged_at_an_outcome_is_a_true_story(log, store, registry):
    """Southend's mediation, logged after it ended: closed at 'resolved-by-mediation' from the start."""
    case = log.log(new("dispute", "southend", "Hall lease", opened="2026-01-05", stage="resolved-by-mediation"))
    assert (case["stage"], case["status"], case["outcome"]) == ("resolved-by-mediation", "closed", "resolved")
    assert story(store, registry) == []


@pytest.mark.parametrize("outcome", [None, ""])
def test_a_dispute_forged_as_logged_at_an_outcome_without_it_is_named(log, store, registry, outcome):
    """A copy of a dispute logged at Southend's outcome 'resolved-by-mediation', its outcome
    cleared (NULL, or an empty text) in its event and its row alike."""
    log.log(new("dispute", "southend", "Hall lease", opened="2026-01-05", stage="resolved-by-mediation"))
    forge_logged(log, store, outcome=outcome)
    assert story(store, registry) == [
        "case 2, event 2 (logged): a new case whose outcome is (none), not 'resolved'"]


def test_a_case_forged_as_logged_with_an_empty_status_is_named(log, store, registry):
    log.log(new("consultation", "essex", "Library hours", start="2026-01-05", end="2026-03-30"))
    forge_logged(log, store, status="")
    assert story(store, registry) == [
        "case 2, event 2 (logged): a new case whose status is (none), not 'open'"]


def test_a_dispute_whose_compact_is_not_installed_cannot_move():
    """The officer's plugin for the case's compact was uninstalled since the dispute was logged."""
    assert lifecycle.refusal("advance", row("dispute", stage="full-information"), None) == (
        "case 4's compact 'essex' is not installed here.")


def test_a_dispute_forged_as_closed_then_moved_is_named_at_each_step(log, store, registry):
    """An Essex dispute at its first stage, forged as closed (only an outcome closes a dispute)
    and then as moved on while still closed: the lifecycle's own refusals, word for word, not the
    procedure's (which would let the move through)."""
    case_id = log.log(new("dispute", "essex", "Grant dispute", opened="2026-01-05"))["id"]
    forge(store, case_id, "closed", {"set": {"status": "closed"}}, {"status": "closed"})
    moved = {"stage": "raise-with-organisation", "stage_since": "2026-03-01"}
    forge(store, case_id, "advanced", {"set": moved, "from": "full-information", "confirmed": ["full-information"],
                                       "team": []}, moved)
    assert story(store, registry) == [
        "case 1, event 2 (closed): case 1 is a dispute: it closes when it reaches an outcome "
        "('compact-tui advance 1 STAGE')",
        "case 1, event 3 (advanced): case 1 is closed; reopen it ('compact-tui reopen 1') before moving it"]


def test_the_team_of_a_move_is_replayed_member_by_member(log, store, registry):
    """An Essex dispute moved to a team of three mediators with one from each sector verifies;
    the same move forged with three from the statutory sector is named, as 'advance' words it."""
    first = log.log(new("dispute", "essex", "Grant dispute", opened="2026-01-05"))["id"]
    walk(log, first, TO_ONE_MEDIATOR)
    log.advance(first, "team-of-three", confirm=["not-resolved-by-one-mediator"],
                team=["A. Patel:statutory", "B. Jones:vcs", "C. Smith:vcs"])
    assert story(store, registry) == []
    second = log.log(new("dispute", "essex", "Hall dispute", opened="2026-01-05"))["id"]
    walk(log, second, TO_ONE_MEDIATOR)
    team = [{"name": n, "sector": "statutory"} for n in ("A. Patel", "B. Jones", "C. Smith")]
    moved = {"stage": "team-of-three", "stage_since": "2026-03-01"}
    forge(store, second, "advanced", {"set": moved, "from": "single-mediator",
                                      "confirmed": ["not-resolved-by-one-mediator"], "team": team}, moved)
    last = store.one("SELECT max(id) AS n FROM events")["n"]
    assert story(store, registry) == [
        f"case 2, event {last} (advanced): the team needs at least 1 member from the voluntary and community "
        f"sector (MS.chair.4)"]


def forge_copy(store, action: str, detail: dict) -> None:
    """Case 2 as a copy of case 1's row, made by ``action`` with ``detail`` (sealed on the chain)."""
    case = dict(store.one("SELECT * FROM cases WHERE id = 1"))
    case.update(id=2, created_by="mallory", owner=detail.get("set", {}).get("owner", "mallory"))
    with store.write() as db:
        db.execute(f"INSERT INTO cases ({', '.join(f'{chr(34)}{k}{chr(34)}' for k in case)}) "
                   f"VALUES ({', '.join('?' for _ in case)})", list(case.values()))
        append_event(db, 2, action, detail, actor="mallory", happened_on="2026-03-01", at=case["created_at"])


@pytest.mark.parametrize("action", ["logged", "imported"])
def test_a_case_whose_first_event_records_nothing_is_named(log, store, registry, action):
    """A row added by hand with an empty first event on the chain: nothing in its row (title,
    kind, compact, dates) was ever recorded, so none of it could be checked against the events."""
    log.log(new("consultation", "essex", "Library hours", start="2026-01-05", end="2026-03-30"))
    forge_copy(store, action, {})
    assert story(store, registry) == [
        f"case 2, event 2 ({action}): a new case whose event records no kind and no compact and no title"]


def test_a_case_whose_first_event_leaves_out_its_title_is_named(log, store, registry):
    log.log(new("consultation", "essex", "Library hours", start="2026-01-05", end="2026-03-30"))
    detail = json.loads(store.one("SELECT detail FROM events WHERE id = 1")["detail"])
    del detail["set"]["title"]
    forge_copy(store, "logged", detail)
    assert story(store, registry) == ["case 2, event 2 (logged): a new case whose event records no title"]
