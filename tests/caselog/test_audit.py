"""The hash-chained timeline: verify finds an edited or deleted row and says which."""

from __future__ import annotations

import sqlite3

import pytest

from compact_tui.audit import verify
from compact_tui.cli import main

from .caselog_helpers import new


@pytest.fixture
def seeded(log, store):
    """Three cases, five events: ids 1..5."""
    a = log.log(new("consultation", "southampton", "first", start="2026-01-05", end="2026-03-30"))
    log.note(a["id"], "a first note")
    b = log.log(new("dispute", "essex", "second", opened="2026-01-10"))
    log.note(b["id"], "a second note")
    log.log(new("meeting", "essex", "third", on="2026-02-01"))
    assert store.one("SELECT count(*) AS n FROM events")["n"] == 5
    return store


def tamper(db_path, sql, params=()):
    """Change the file behind the app's back, as someone with sqlite3 could."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(sql, params)
    conn.close()


def test_a_fresh_log_verifies(seeded):
    result = verify(seeded.db)
    assert result.ok and result.problems == []
    assert (result.events, result.cases) == (5, 3)


def test_an_empty_log_verifies(store):
    assert verify(store.db).ok


def test_an_edited_event_is_reported_with_its_id(seeded, db_path):
    tamper(db_path, "UPDATE events SET note = 'nothing happened' WHERE id = 2")
    problems = verify(seeded.db).problems
    assert problems == ["event 2 (case 1) was edited"]


def test_an_edited_event_date_is_reported(seeded, db_path):
    tamper(db_path, "UPDATE events SET happened_on = '2020-01-01' WHERE id = 4")
    assert any(p.startswith("event 4 ") and "edited" in p for p in verify(seeded.db).problems)


def test_a_deleted_middle_event_is_reported(seeded, db_path):
    tamper(db_path, "DELETE FROM events WHERE id = 3")
    problems = verify(seeded.db).problems
    assert "event 3 deleted" in problems
    assert any("event 4" in p and "does not follow" in p for p in problems)


def test_a_deleted_last_event_is_reported(seeded, db_path):
    tamper(db_path, "DELETE FROM events WHERE id = 5")
    problems = verify(seeded.db).problems
    assert any("should end at event 5 but ends at 4" in p for p in problems)
    assert "case 3 has no events (it was inserted by hand, or its events deleted)" in problems


def test_an_edited_case_title_is_reported(seeded, db_path):
    tamper(db_path, "UPDATE cases SET title = 'something else' WHERE id = 2")
    assert verify(seeded.db).problems == ["case 2: title differs from what its events recorded"]


def test_a_case_closed_by_hand_is_reported(seeded, db_path):
    tamper(db_path, "UPDATE cases SET status = 'closed' WHERE id = 1")
    assert verify(seeded.db).problems == ["case 1: status differs from what its events recorded"]


def test_changes_through_the_log_keep_the_chain_whole(log, seeded):
    dispute = log.log(new("dispute", "essex", "to advance", opened="2026-01-10"))
    stage = log.get(dispute["id"])["next"][0]
    log.advance(dispute["id"], stage["stage"], confirm=[c["id"] for c in stage["conditions"]])
    log.close(1, note="done")
    result = verify(seeded.db)
    assert result.ok, result.problems
    assert result.events == 8


def test_cli_audit_verify_says_ok_then_names_the_problem(seeded, db_path, capsys):
    assert main(["--db", str(db_path), "audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("OK: 5 events and 3 cases check out.")
    tamper(db_path, "UPDATE events SET actor = 'someone else' WHERE id = 1")
    assert main(["--db", str(db_path), "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "1 problem found:" in out and "event 1 (case 1) was edited" in out
    assert main(["--db", str(db_path), "audit", "verify", "--json"]) == 1
    assert '"ok": false' in capsys.readouterr().out
