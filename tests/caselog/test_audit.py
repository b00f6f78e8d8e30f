"""The keyed, hash-chained timeline covers every table a user's record lives in: each change
made with sqlite3 behind the app's back is named by ``audit verify`` (the table, the row,
what differs), and an untouched file verifies."""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from compact_tui.caselog import orgs
from compact_tui.caselog.audit import GENESIS, verify
from compact_tui.cli import main

from .caselog_helpers import d, new, tamper


@pytest.fixture
def seeded(log, store, registry):
    """Two organisations (one signed), five cases, nine events: ids 1..9.

    Case 1 is a Southampton consultation of two weeks citing 2.4: a warning (its source text:
    "Where it is appropriate, and enables meaningful engagement, conduct 12-week formal written
    consultations")."""
    orgs.add_org(store, "Age UK", "vcs")                        # event 1
    orgs.sign(store, registry, "Age UK", "southampton", d("2025-01-01"))  # event 2
    a = log.log(new("consultation", "southampton", "first", start="2026-01-05", end="2026-01-19",
                    cites=["2.4"], orgs=["Age UK", "Carers Forum"]))  # event 3
    log.note(a["id"], "a first note")                           # event 4
    b = log.log(new("dispute", "essex", "second", opened="2026-01-10"))  # event 5
    log.note(b["id"], "a second note")                          # event 6
    log.log(new("meeting", "essex", "third", on="2026-02-01"))  # event 7
    orgs.add_org(store, "Essex CVS", "vcs")                     # event 8
    orgs.set_champion(store, "Essex CVS", "Pat Jones")          # event 9
    assert store.one("SELECT count(*) AS n FROM events")["n"] == 9
    assert store.one("SELECT severity FROM findings WHERE case_id = 1")["severity"] == "warning"
    return store


def audit(db_path, capsys, *extra) -> tuple[int, str]:
    code = main(["--db", str(db_path), "audit", "verify", *extra])
    return code, capsys.readouterr().out


def test_a_fresh_log_verifies(seeded, db_path, capsys):
    result = verify(seeded.db)
    assert result.ok and result.problems == []
    assert (result.events, result.cases) == (9, 3)
    assert audit(db_path, capsys) == (0, "OK: 9 events and 3 cases check out, each event a change its case could take then, and so does the "
                                        "file itself.\n")


def test_an_empty_log_verifies(store):
    assert verify(store.db).ok


# Each change the issue lists, made with sqlite3; each named by the CLI with exit 1.
TAMPERS = {
    "a case row deleted, its events kept": (
        "DELETE FROM cases WHERE id = 3", "cases row 3: deleted, though its events remain"),
    "a case's end date edited": (
        "UPDATE cases SET \"end\" = '2026-04-01' WHERE id = 1",
        "cases row 1: end is '2026-04-01', its events recorded '2026-01-19'"),
    "a case's due date edited": (
        "UPDATE cases SET due = '2027-01-01' WHERE id = 1",
        "cases row 1: due is '2027-01-01', its events recorded '2026-01-19'"),
    "a case's reason edited": (
        "UPDATE cases SET reason = 'urgent, agreed with the forum' WHERE id = 1",
        "cases row 1: reason is 'urgent, agreed with the forum', its events recorded ''"),
    "a case's status edited": (
        "UPDATE cases SET status = 'closed' WHERE id = 2",
        "cases row 2: status is 'closed', its events recorded 'open'"),
    "a case's logged date edited": (
        "UPDATE cases SET created_at = '2025-12-01T09:00:00+00:00' WHERE id = 2",
        "cases row 2: created_at is '2025-12-01T09:00:00+00:00', its events recorded"),
    "a case added by hand": (
        "INSERT INTO cases (compact, kind, title, opened, created_by, created_at, updated_at) "
        "VALUES ('essex', 'note', 'forged', '2026-01-01', 'x', 'x', 'x')",
        "cases row 4: no event made it (added by hand, or its events deleted)"),
    "the WARNING finding deleted": (
        "DELETE FROM findings WHERE case_id = 1",
        "findings: case 1's warning of rule consultation-12-weeks (2.4) was deleted (its events record it)"),
    "the WARNING finding turned into a breach": (
        "UPDATE findings SET severity = 'breach' WHERE case_id = 1",
        "findings row 1 (case 1, rule consultation-12-weeks): severity is 'breach', its events recorded 'warning'"),
    "a party renamed": (
        "UPDATE case_parties SET name = 'Someone Else' WHERE case_id = 1 AND name = 'Carers Forum'",
        "case_parties: case 1 has party 'Someone Else', which its events do not record"),
    "a party removed": (
        "DELETE FROM case_parties WHERE case_id = 1 AND name = 'Age UK'",
        "case_parties: case 1's party 'Age UK' was removed (its events record it)"),
    "the parties column edited": (
        "UPDATE cases SET parties = 'Someone Else' WHERE id = 1",
        "cases row 1: parties is 'Someone Else', its events recorded 'Age UK; Carers Forum'"),
    "a cited clause added": (
        "INSERT INTO case_cites (case_id, ref) VALUES (2, '7.b2')",
        "case_cites: case 2 has cited clause '7.b2', which its events do not record"),
    "a cited clause removed": (
        "DELETE FROM case_cites WHERE case_id = 1",
        "case_cites: case 1's cited clause '2.4' was removed (its events record it)"),
    "an organisation added": (
        "INSERT INTO organisations (name, side, created_at) VALUES ('Shadow Trust', 'vcs', 'now')",
        "organisations row 3 ('Shadow Trust'): no event added it (added by hand)"),
    "an organisation's side edited": (
        "UPDATE organisations SET side = 'statutory' WHERE id = 1",
        "organisations row 1 ('Age UK'): side is 'statutory', its events recorded 'vcs'"),
    "a champion changed": (
        "UPDATE organisations SET champion = 'Nobody' WHERE id = 2",
        "organisations row 2 ('Essex CVS'): champion is 'Nobody', its events recorded 'Pat Jones'"),
    "a signature added": (
        "INSERT INTO signatures (organisation_id, compact, signed_on) VALUES (2, 'essex', '2024-01-01')",
        "signatures row (organisation 2, essex): no event recorded it (added by hand)"),
    "a signature's date edited": (
        "UPDATE signatures SET signed_on = '2020-01-01'",
        "signatures row (organisation 1, southampton): signed_on is '2020-01-01', its events recorded '2025-01-01'"),
    "a signature deleted": (
        "DELETE FROM signatures",
        "signatures row (organisation 1, southampton): deleted, though its events record it"),
    "an event's note edited": (
        "UPDATE events SET note = 'nothing happened' WHERE id = 4",
        "events row 4 (case 1) was edited, or its hash was not made with this chain's key"),
    "a middle event deleted": (
        "DELETE FROM events WHERE id = 6", "events row 6 deleted"),
    "the head moved": (
        "UPDATE chain_head SET last_event_id = 8",
        "chain_head: the timeline should end at event 8 but ends at 9"),
}


@pytest.mark.parametrize("change", list(TAMPERS))
def test_each_change_behind_the_apps_back_is_named(change, seeded, db_path, capsys):
    sql, expected = TAMPERS[change]
    tamper(db_path, sql)
    code, out = audit(db_path, capsys)
    assert code == 1
    assert any(line.strip().startswith(f"- {expected}") for line in out.splitlines()), out


def delete_the_last_event_and_move_the_head_back(db_path, last: int) -> None:
    """Delete event ``last`` and point the chain's head at the one before, so the chain alone
    ends cleanly."""
    conn = sqlite3.connect(db_path)
    before = conn.execute("SELECT hash FROM events WHERE id = ?", [last - 1]).fetchone()[0]
    conn.close()
    tamper(db_path, "DELETE FROM events WHERE id = ?", [last])
    tamper(db_path, "UPDATE chain_head SET last_event_id = ?, last_hash = ?", [last - 1, before])


def test_the_last_event_deleted_and_the_head_moved_back_to_match(seeded, db_path, capsys):
    """The chain alone ends cleanly at event 8; what event 9 made (the champion) is left over."""
    delete_the_last_event_and_move_the_head_back(db_path, 9)
    code, out = audit(db_path, capsys)
    assert code == 1
    assert "organisations row 2 ('Essex CVS'): champion is 'Pat Jones', its events recorded ''" in out


def test_the_last_case_event_deleted_and_the_head_moved_back(log, seeded, db_path, capsys):
    log.close(1, note="the last word")  # event 10, on case 1
    delete_the_last_event_and_move_the_head_back(db_path, 10)
    code, out = audit(db_path, capsys)
    assert code == 1 and "cases row 1: status is 'closed', its events recorded 'open'" in out


def _rehash(db_path, make_hash):
    """Re-compute every event's hash with ``make_hash(prev, fields)``, then the head."""
    conn = sqlite3.connect(db_path)
    prev = GENESIS
    rows = conn.execute("SELECT id, case_id, at, happened_on, actor, action, detail, note FROM events ORDER BY id")
    for row in rows.fetchall():
        digest = make_hash(prev, list(row))
        conn.execute("UPDATE events SET prev_hash = ?, hash = ? WHERE id = ?", [prev, digest, row[0]])
        prev = digest
    conn.execute("UPDATE chain_head SET last_hash = ?", [prev])
    conn.commit()
    conn.close()


def test_an_event_edited_and_the_whole_chain_rehashed_without_the_key_fails(seeded, db_path, capsys):
    """What anyone with the file could do before the chain was keyed: plain SHA-256 again."""
    tamper(db_path, "UPDATE events SET happened_on = '2025-06-01' WHERE id = 4")

    def sha256(prev, fields):
        body = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256((prev + body).encode()).hexdigest()

    _rehash(db_path, sha256)
    code, out = audit(db_path, capsys)
    assert code == 1
    assert "events row 1 (case None) was edited, or its hash was not made with this chain's key" in out


def test_a_chain_rehashed_with_another_key_fails(seeded, db_path, capsys):
    from compact_tui.caselog.audit import event_hash

    other = bytes(range(32))
    _rehash(db_path, lambda prev, fields: event_hash(other, prev, fields))
    code, out = audit(db_path, capsys)
    assert code == 1 and "its hash was not made with this chain's key" in out


def test_a_nul_smuggled_between_two_fields_is_caught(seeded, db_path, capsys):
    """Moving text from one field to the next across a NUL would keep the joined message the
    same; verify refuses any event holding a NUL, so the hash cannot be kept that way."""
    from compact_tui.caselog.audit import event_hash
    from compact_tui.caselog.chain_key import load_key

    conn = sqlite3.connect(db_path)
    actor, action, note = conn.execute("SELECT actor, action, note FROM events WHERE id = 4").fetchone()
    conn.close()
    tamper(db_path, "UPDATE events SET actor = ?, note = ? WHERE id = 4", [actor + "\0" + action, note])
    _rehash(db_path, lambda prev, fields: event_hash(load_key(), prev, fields))
    code, out = audit(db_path, capsys)
    assert code == 1 and "events row 4 (case 1) holds a NUL character, which no event may" in out


def test_a_published_head_proves_a_prefix_and_a_rewrite_breaks_it(log, seeded, db_path, capsys):
    assert main(["--db", str(db_path), "audit", "head"]) == 0
    out = capsys.readouterr().out
    published = out.split()[1]
    count, digest = published.split(":")
    assert count == "9" and len(digest) == 64
    log.note(1, "later work")  # the timeline grows: the published head is still its prefix
    assert audit(db_path, capsys, "--head", published)[0] == 0
    # someone with the key and the file rewrites event 4 and re-seals the chain: it verifies...
    from compact_tui.caselog.audit import event_hash
    from compact_tui.caselog.chain_key import load_key

    key = load_key()
    tamper(db_path, "UPDATE events SET note = 'rewritten' WHERE id = 4")
    _rehash(db_path, lambda prev, fields: event_hash(key, prev, fields))
    assert audit(db_path, capsys)[0] == 0
    # ...but no longer starts with the head published before
    code, out = audit(db_path, capsys, "--head", published)
    assert code == 1
    assert f"the published head {published} is not part of today's timeline: event 9's hash is now" in out


def test_a_published_head_beyond_the_end_is_reported(seeded, db_path, capsys):
    code, out = audit(db_path, capsys, "--head", "12:" + "a" * 64)
    assert code == 1 and "it has only 9 events (events were removed)" in out


def test_a_head_that_is_not_one_is_a_sentence(seeded, db_path, capsys):
    assert main(["--db", str(db_path), "audit", "verify", "--head", "nine"]) == 1
    assert "is not a published head: give it as N:HASH" in capsys.readouterr().err


def test_changes_through_the_app_keep_every_table_whole(log, seeded, registry):
    dispute = log.log(new("dispute", "essex", "to advance", opened="2026-01-10"))
    stage = log.get(dispute["id"])["next"][0]
    log.advance(dispute["id"], stage["stage"], confirm=[c["id"] for c in stage["conditions"]])
    log.update(1, dates={"end": d("2026-04-06")}, cites=["3.1"], reason="moved")
    log.close(1, note="done")
    log.log(new("signatory", "essex", "signs", on="2026-03-01", orgs=["Essex CVS"]))
    orgs.sign(seeded, registry, "Age UK", "essex", d("2026-03-02"))
    result = verify(seeded.db)
    assert result.ok, result.problems
    assert result.events == 15


def test_the_json_says_ok_then_not(seeded, db_path, capsys):
    code, out = audit(db_path, capsys, "--json")
    assert code == 0 and json.loads(out)["ok"] is True
    tamper(db_path, "UPDATE events SET actor = 'someone else' WHERE id = 1")
    code, out = audit(db_path, capsys, "--json")
    assert code == 1
    data = json.loads(out)
    assert data["ok"] is False and data["problems"][0].startswith("events row 1 ")
