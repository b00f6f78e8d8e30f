"""``audit verify`` from the attacker's side, its list of problems checked to be exact: what was
changed is named once, and nothing untouched is named at all. The tamperings here are the ones
the first audit tests left out: a forged finding, a deleted organisation, a deleted chain head,
an event of a kind this version does not know, the wrong key (at verify and at append), a
damaged file, and the owner of a case that was never handed on."""

from __future__ import annotations

import sqlite3

import pytest

from compact_tui.caselog import orgs
from compact_tui.caselog.audit import GENESIS, event_hash, verify
from compact_tui.caselog.chain_key import KEY_ENV, key_id, load_key, new_key_text
from compact_tui.errors import UserError

from .caselog_helpers import counts, new
from .test_audit import seeded, tamper  # noqa: F401  (the same nine events, ids 1..9)

# Case 1: a Southampton consultation of two weeks (5 to 19 January 2026) citing 2.4, whose text reads
# "conduct 12-week formal written consultations, with clear explanations for shorter time-frames or a
# more informal approach": no explanation is recorded, so the finding says it is missing.
CASE_1_FINDING = ("Southampton Compact 2.4: 2 weeks given, 12 weeks owed; no explanation is recorded, and the "
                  "text asks for one ('with clear explanations for shorter time-frames or a more informal "
                  "approach'): record it as the reason; compliant date 2026-03-30.")


@pytest.fixture(autouse=True)
def _a_clock_that_ticks(monkeypatch):
    """Each event a second after the one before (the real clock gives events made in the same
    second the same time, and a deleted event's time then cannot be told from the one before)."""
    from datetime import datetime, timedelta, timezone

    from compact_tui.caselog import audit, case_log

    ticks = iter(range(1, 10_000))
    start = datetime(2026, 2, 1, 9, 0, tzinfo=timezone.utc)

    def tick() -> str:
        return (start + timedelta(seconds=next(ticks))).isoformat(timespec="seconds")

    monkeypatch.setattr(audit, "now", tick)
    monkeypatch.setattr(orgs, "now", tick)
    monkeypatch.setattr(case_log, "_now", tick)


def problems(store, **kw) -> list[str]:
    return verify(store.db, **kw).problems


def event_at(db_path, event_id: int) -> str:
    conn = sqlite3.connect(db_path)
    at = conn.execute("SELECT at FROM events WHERE id = ?", [event_id]).fetchone()[0]
    conn.close()
    return at


def test_the_stored_finding_reads_compact_and_clause_first(seeded):
    assert [tuple(r.values()) for r in seeded.query("SELECT compact, rule_id, ref, severity, message, due "
                                                   "FROM findings")] == [
        ("southampton", "consultation-12-weeks", "2.4", "warning", CASE_1_FINDING, "2026-03-30")]
    assert problems(seeded) == []


# -- each tampering, and the whole list verify gives for it -------------------------------------

EXACT = {
    "a case's end date edited": (
        "UPDATE cases SET \"end\" = '2026-04-01' WHERE id = 1",
        ["cases row 1: end is '2026-04-01', its events recorded '2026-01-19'"]),
    "a forged finding on a case that has none": (
        "INSERT INTO findings (case_id, compact, rule_id, ref, severity, message, due) VALUES "
        "(2, 'essex', 'annual-review', '7.b2', 'breach', 'Essex Compact 7.b2: forged.', '2026-01-01')",
        ["findings row 2 (case 2): a breach of rule annual-review that its events do not record"]),
    "a second, forged finding beside a true one": (
        "INSERT INTO findings (case_id, compact, rule_id, ref, severity, message, due) VALUES "
        "(1, 'southampton', 'funding-notice-3-months', '4.5', 'breach', 'forged', NULL)",
        ["findings row 2 (case 1): a breach of rule funding-notice-3-months that its events do not record"]),
    "a finding's message edited": (
        "UPDATE findings SET message = 'Southampton Compact 2.4: all well.' WHERE id = 1",
        [f"findings row 1 (case 1, rule consultation-12-weeks): message is 'Southampton Compact 2.4: all well.', "
         f"its events recorded {CASE_1_FINDING!r}"]),
    "a finding's message and due date edited": (
        "UPDATE findings SET message = 'moved', due = '2026-01-19' WHERE id = 1",
        [f"findings row 1 (case 1, rule consultation-12-weeks): message is 'moved', its events recorded "
         f"{CASE_1_FINDING!r}",
         "findings row 1 (case 1, rule consultation-12-weeks): due is '2026-01-19', its events recorded "
         "'2026-03-30'"]),
    "a finding moved to another clause": (
        "UPDATE findings SET ref = '2.5' WHERE id = 1",
        ["findings row 1 (case 1): a warning of rule consultation-12-weeks that its events do not record",
         "findings: case 1's warning of rule consultation-12-weeks (2.4) was deleted (its events record it)"]),
    "an organisation deleted": (
        "DELETE FROM organisations WHERE id = 2",
        ["organisations row 2 ('Essex CVS'): deleted, though its events remain"]),
    "an organisation renamed": (
        "UPDATE organisations SET name = 'Essex CVS Ltd' WHERE id = 2",
        ["organisations row 2 ('Essex CVS Ltd'): name is 'Essex CVS Ltd', its events recorded 'Essex CVS'"]),
    "the chain head deleted": (
        "DELETE FROM chain_head", ["chain_head: the record of the timeline's last event is missing"]),
    "the owner of a case never handed on edited": (
        "UPDATE cases SET owner = 'mallory' WHERE id = 2",
        ["cases row 2: owner is 'mallory', its events recorded 'tester'"]),
    "the logger of a case edited": (
        "UPDATE cases SET created_by = 'mallory' WHERE id = 3",
        ["cases row 3: created_by is 'mallory', its events recorded 'tester'"]),
    "a party's organisation changed": (
        "UPDATE case_parties SET organisation_id = 2 WHERE case_id = 1 AND name = 'Age UK'",
        ["case_parties: case 1 has party 'Age UK', which its events do not record",
         "case_parties: case 1's party 'Age UK' was removed (its events record it)"]),
    "a party added to a case that had none": (
        "INSERT INTO case_parties (case_id, name, organisation_id) VALUES (3, 'Shadow Trust', NULL)",
        ["case_parties: case 3 has party 'Shadow Trust', which its events do not record"]),
    "two events deleted in the middle": (
        "DELETE FROM events WHERE id IN (4, 5)",
        None),  # worked out in its own test below: it takes the timestamps of the file
    "the head pointed at another hash": (
        "UPDATE chain_head SET last_hash = '" + "f" * 64 + "'",
        ["chain_head: the timeline should end at event 9 but ends at 9 (events deleted from the end, or the head "
         "was altered)"]),
}


@pytest.mark.parametrize("change", [c for c in EXACT if EXACT[c][1] is not None])
def test_verify_names_exactly_what_was_changed(change, seeded, db_path):
    sql, expected = EXACT[change]
    tamper(db_path, sql)
    assert problems(seeded) == expected


def test_two_events_deleted_in_the_middle(seeded, db_path):
    """Event 4 was case 1's note, event 5 logged case 2: case 1's last change is then event 3."""
    at_3 = event_at(db_path, 3)
    updated = event_at_of(seeded, 1)
    tamper(db_path, "DELETE FROM events WHERE id IN (4, 5)")
    assert problems(seeded) == [
        "events row 4 to 5 deleted",
        "events row 6 does not follow the event before it (a row was removed or inserted)",
        f"cases row 1: updated_at is {updated!r}, its events recorded {at_3!r}"]
    # case 2's "logged" event (5) is gone, but its note (6) still vouches for when it last changed:
    # the broken chain above is what tells of it


def event_at_of(store, case_id: int) -> str:
    return store.one("SELECT updated_at FROM cases WHERE id = ?", [case_id])["updated_at"]


def test_one_event_deleted_in_the_middle(seeded, db_path):
    at_5 = event_at(db_path, 5)
    updated = event_at_of(seeded, 2)
    tamper(db_path, "DELETE FROM events WHERE id = 6")   # case 2's note
    assert problems(seeded) == [
        "events row 6 deleted",
        "events row 7 does not follow the event before it (a row was removed or inserted)",
        f"cases row 2: updated_at is {updated!r}, its events recorded {at_5!r}"]


def append_sealed(db_path, action: str, detail: str) -> None:
    """Append an event to case 1 behind the app's back, sealed with the real key as the app
    would seal it, and move the chain's head to it."""
    key = load_key()
    conn = sqlite3.connect(db_path)
    last_id, last_hash = conn.execute("SELECT last_event_id, last_hash FROM chain_head").fetchone()
    fields = [last_id + 1, 1, "2026-02-02T10:00:00+00:00", "2026-02-02", "mallory", action, detail, ""]
    digest = event_hash(key, last_hash, fields)
    with conn:
        conn.execute("INSERT INTO events (id, case_id, at, happened_on, actor, action, detail, note, prev_hash, hash) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [*fields, last_hash, digest])
        conn.execute("UPDATE chain_head SET last_event_id = ?, last_hash = ?", [last_id + 1, digest])
    conn.close()


def test_an_event_of_a_kind_this_version_does_not_know(seeded, db_path):
    """Someone with the key appends a well-sealed event of a made-up kind: the chain holds, the
    kind is named."""
    append_sealed(db_path, "erased", "{}")
    assert problems(seeded) == ["events row 10: its kind 'erased' is not one this version knows"]


def test_an_event_whose_detail_is_not_json(seeded, db_path):
    append_sealed(db_path, "changed", "{not json")
    assert problems(seeded) == ["events row 10: its detail cannot be read (JSONDecodeError)"]


# -- the wrong key -----------------------------------------------------------------------------

def test_verify_with_the_wrong_key_says_so_first_then_names_every_event(seeded):
    theirs = seeded.one("SELECT key_id FROM chain_head")["key_id"]
    other = bytes(range(32))
    found = problems(seeded, key=other)
    cases = [None, None, 1, 1, 2, 2, 3, None, None]  # events 1..9 (see the seeded fixture)
    assert found[0].startswith(f"this case log's timeline is sealed with key {theirs}, but your key (")
    assert found[0].endswith(f") is {key_id(other)}; a shared case log needs the team's key file named by "
                             f"$COMPACT_TUI_KEY_FILE (see the README).")
    assert found[1:] == [f"events row {i} (case {c}) was edited, or its hash was not made with this chain's key"
                         for i, c in enumerate(cases, start=1)]


def test_appending_with_the_wrong_key_is_refused_and_writes_nothing(seeded, log, tmp_path, monkeypatch):
    theirs = seeded.one("SELECT key_id FROM chain_head")["key_id"]
    path = tmp_path / "other.key"
    path.write_text(new_key_text() + "\n")
    path.chmod(0o600)
    monkeypatch.setenv(KEY_ENV, str(path))
    before = counts(seeded)
    with pytest.raises(UserError) as err:
        log.note(1, "written under another key")
    assert str(err.value).startswith(f"this case log's timeline is sealed with key {theirs}, but your key "
                                     f"({path}) is ")
    with pytest.raises(UserError):
        orgs.add_org(seeded, "Shadow Trust", "vcs")
    assert counts(seeded) == before
    monkeypatch.undo()
    assert problems(seeded) == []


# -- a damaged file, or one that cannot be read to the end --------------------------------------

class _FailingEvents:
    """A connection whose read of the timeline fails after ``after`` events, as a disk going bad
    part way through would; everything else goes to the real connection."""

    def __init__(self, conn, after: int, error: Exception):
        self.real, self.after, self.error = conn, after, error

    def execute(self, sql, *args):
        cursor = self.real.execute(sql, *args)
        if "FROM events ORDER BY id" not in sql:
            return cursor
        return self._rows(cursor)

    def _rows(self, cursor):
        for n, row in enumerate(cursor):
            if n == self.after:
                raise self.error
            yield row


def test_a_database_error_part_way_through_is_named_not_raised(seeded):
    found = verify(_FailingEvents(seeded.db.conn, 4, sqlite3.DatabaseError("database disk image is malformed")))
    assert found.problems == ["the file could not be read to the end (database disk image is malformed)"]
    assert found.events == 0 and found.cases == 0 and not found.ok
    assert str(found.head) == f"0:{GENESIS}"  # no event was read to the end: no head to vouch for


def test_an_error_that_is_not_the_files_is_not_hidden(seeded):
    with pytest.raises(RuntimeError, match="a fault in the program"):
        verify(_FailingEvents(seeded.db.conn, 4, RuntimeError("a fault in the program")))


def test_a_damaged_file_is_named_by_sqlites_own_check(seeded, db_path):
    seeded.close()
    conn = sqlite3.connect(db_path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'findings_case'").fetchone()[0]
    conn.close()
    with open(db_path, "r+b") as f:  # scribble over the findings index's page
        f.seek((root - 1) * page_size)
        f.write(b"\x0d" + b"\xff" * 64)
    conn = sqlite3.connect(db_path)
    result = verify(conn)
    conn.close()
    assert not result.ok
    assert result.problems[0].startswith("the file is damaged: SQLite")


def test_an_index_that_no_longer_matches_its_table_is_named_five_rows_at_most(log, store, db_path):
    """Seven meetings, then sqlite3 with writable_schema redefines the index on cases(opened) as
    one on cases(title) behind the app's back: SQLite's integrity check finds each of the seven
    rows missing from that index, and the problem names the first five."""
    for day in range(1, 8):
        log.log(new("meeting", "essex", f"Forum {day}", on=f"2026-02-0{day}"))
    store.close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = 'CREATE INDEX cases_opened ON cases(title)' "
                 "WHERE name = 'cases_opened'")
    conn.commit()
    conn.close()
    conn = sqlite3.connect(db_path)
    found = verify(conn).problems
    conn.close()
    assert found == ["the file is damaged: SQLite's integrity check says: row 1 missing from index cases_opened; "
                     "row 2 missing from index cases_opened; row 3 missing from index cases_opened; "
                     "row 4 missing from index cases_opened; row 5 missing from index cases_opened"]


def test_a_foreign_key_left_dangling_is_named(seeded, db_path):
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute("INSERT INTO signatures (organisation_id, compact, signed_on) VALUES (99, 'essex', '2026-01-01')")
    conn.close()
    found = problems(seeded)
    assert found[0] == "signatures row 2 refers to a organisations row that does not exist"
    assert found[1:] == ["signatures row (organisation 99, essex): no event recorded it (added by hand)"]


# -- how many problems, and the chain from its start ---------------------------------------------

def test_the_list_stops_at_its_limit(seeded, db_path):
    tamper(db_path, "UPDATE events SET note = 'x'")  # all nine events edited
    assert problems(seeded, limit_problems=3) == [
        "events row 1 (case None) was edited, or its hash was not made with this chain's key",
        "events row 2 (case None) was edited, or its hash was not made with this chain's key",
        "events row 3 (case 1) was edited, or its hash was not made with this chain's key"]
    assert len(problems(seeded)) == 9


def test_the_first_event_must_follow_the_start_of_the_chain(seeded, db_path):
    tamper(db_path, "UPDATE events SET prev_hash = ? WHERE id = 1", ["1" * 64])
    assert problems(seeded)[:2] == [
        "events row 1 does not follow the event before it (a row was removed or inserted)",
        "events row 1 (case None) was edited, or its hash was not made with this chain's key"]


def test_the_first_event_deleted(seeded, db_path):
    tamper(db_path, "DELETE FROM events WHERE id = 1")
    found = problems(seeded)
    assert found[:2] == ["events row 1 deleted",
                         "events row 2 does not follow the event before it (a row was removed or inserted)"]
    assert "organisations row 1 ('Age UK'): no event added it (added by hand)" in found


def test_an_empty_timeline_is_its_start():
    from compact_tui.caselog.audit import Head, head

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE chain_head (id INTEGER PRIMARY KEY, last_event_id INTEGER, last_hash TEXT, "
                 "key_id TEXT)")
    assert head(conn) == Head(0, GENESIS) and str(head(conn)) == f"0:{GENESIS}"


# -- the published head, as an officer copies it ---------------------------------------------------

@pytest.mark.parametrize("text", ["9:" + "A" * 64, "9:" + "g" * 64, "9:" + "a" * 63, "9:" + "a" * 65, "nine:" + "a" * 64,
                                  "-9:" + "a" * 64, "9" + "a" * 64, ""])
def test_a_head_that_is_not_one_is_refused_in_full(text):
    from compact_tui.caselog.audit import Head

    with pytest.raises(UserError) as err:
        Head.parse(text)
    assert str(err.value) == (f"{text!r} is not a published head: give it as N:HASH, as 'compact-tui audit head' "
                              f"prints it (N events, a 64-character hash).")


def test_a_head_as_printed_is_read_back():
    from compact_tui.caselog.audit import Head

    assert Head.parse(" 12:" + "0123456789abcdef" * 4 + "\n") == Head(12, "0123456789abcdef" * 4)
    assert str(Head(12, "ab" * 32)) == "12:" + "ab" * 32


def test_the_head_of_an_empty_timeline_is_part_of_every_timeline(seeded):
    from compact_tui.caselog.audit import Head

    assert problems(seeded, published=Head(0, GENESIS)) == []
    result = verify(seeded.db)
    assert (result.head.events, result.head.hash) == (9, seeded.one("SELECT last_hash FROM chain_head")["last_hash"])


def test_an_event_with_a_nul_is_refused_before_it_is_written(seeded, log):
    before = counts(seeded)
    with pytest.raises(UserError) as err:
        from compact_tui.caselog.audit import append_event

        with seeded.write() as db:
            append_event(db, 1, "note", {}, actor="jo\0bloggs", happened_on="2026-02-01")
    assert str(err.value) == "an event cannot hold a NUL character."
    with pytest.raises(ValueError, match="event kind 'erased' is not in evidence.EVENT_ROWS"):
        from compact_tui.caselog.audit import append_event

        with seeded.write() as db:
            append_event(db, 1, "erased", {}, actor="jo", happened_on="2026-02-01")
    assert counts(seeded) == before


def test_many_dangling_rows_are_named_up_to_twenty(seeded, db_path):
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.executemany("INSERT INTO signatures (organisation_id, compact, signed_on) VALUES (?, 'essex', '2026-01-01')",
                         [(100 + i,) for i in range(25)])
    conn.close()
    found = verify(seeded.db, limit_problems=100).problems
    assert sum("refers to a organisations row that does not exist" in p for p in found) == 20
    assert sum("no event recorded it (added by hand)" in p for p in found) == 25


def test_an_in_memory_case_log_is_checked_on_its_own_connection(registry):
    from compact_tui.caselog.case_log import CaseLog
    from compact_tui.caselog.store import Store

    from .caselog_helpers import new

    store = Store(memory=True)
    log = CaseLog(store, registry, actor="tester")
    log.log(new("meeting", "essex", "a meeting", on="2026-02-01"))
    assert verify(store.db).problems == []
    store.db.execute("UPDATE cases SET title = 'x'")
    assert verify(store.db).problems == ["cases row 1: title is 'x', its events recorded 'a meeting'"]
    store.close()


def test_a_case_event_whose_case_was_cleared_is_named_not_raised(seeded, db_path):
    """Event 4 (a note on case 1) made to name no case, and case 3's row deleted: each named.
    (Found by mypy --strict: the note was replayed onto a case 'None', and sorting the cases left
    over, None among numbers, raised a TypeError out of audit verify.)"""
    tamper(db_path, "UPDATE events SET case_id = NULL WHERE id = 4")
    tamper(db_path, "DELETE FROM cases WHERE id = 3")
    assert problems(seeded) == [
        "events row 7 refers to a cases row that does not exist",
        "events row 4 (case None) was edited, or its hash was not made with this chain's key",
        "events row 4: a 'note' event that names no case (its case_id was cleared)",
        f"cases row 1: updated_at is {event_at(db_path, 4)!r}, its events recorded {event_at(db_path, 3)!r}",
        "cases row 3: deleted, though its events remain",
    ]


def test_an_in_memory_case_log_gets_sqlites_own_checks_too(registry):
    """No second connection can open an in-memory log: its foreign-key check runs on its own
    connection, and a signature of an organisation that does not exist is still named."""
    from compact_tui.caselog.store import Store

    store = Store(memory=True)
    store.db.execute("PRAGMA foreign_keys = OFF")
    store.db.execute("INSERT INTO signatures (organisation_id, compact, signed_on) VALUES (99, 'essex', '2026-01-01')")
    assert verify(store.db).problems == [
        "signatures row 1 refers to a organisations row that does not exist",
        "signatures row (organisation 99, essex): no event recorded it (added by hand)"]
    store.close()


def test_a_case_logged_with_an_empty_detail_is_checked_against_who_logged_it(log, store):
    """Someone with the team's key seals a 'logged' event with no detail for case 2, by
    'mallory', but writes its row as logged and held by 'tester': both are named, and so is
    the event, which records none of what the row holds (kind, compact, title)."""
    log.log(new("meeting", "essex", "Forum", on="2026-02-01"))
    from compact_tui.caselog.audit import append_event

    with store.write() as db:
        at = "2026-03-01T10:00:00+00:00"
        db.execute("INSERT INTO cases (id, compact, kind, title, status, opened, created_by, owner, created_at, "
                   "updated_at) SELECT 2, compact, kind, 'Forged', status, opened, 'tester', 'tester', ?, ? "
                   "FROM cases WHERE id = 1", [at, at])
        append_event(db, 2, "logged", {}, actor="mallory", happened_on="2026-03-01", at=at)
    assert problems(store) == ["case 2, event 2 (logged): a new case whose event records no kind and no compact "
                               "and no title",
                               "cases row 2: created_by is 'tester', its events recorded 'mallory'",
                               "cases row 2: owner is 'tester', its events recorded 'mallory'"]


def test_a_note_dated_past_the_last_day_the_log_takes_is_refused_in_full(log, store):
    from datetime import date

    log.log(new("meeting", "essex", "Forum", on="2026-02-01"))
    before = counts(store)
    with pytest.raises(UserError) as err:
        log.note(1, "Met the council", on=date(2201, 1, 1))
    assert str(err.value) == ("the date it happened 2201-01-01 is outside the dates the case log takes "
                              "(1900-01-01 to 2200-12-31).")
    assert counts(store) == before


def test_a_story_an_older_version_wrote_is_not_replayed_past_the_upgrade_that_sealed_it(tmp_path, registry):
    """A log from before the keyed chain whose case 1, a meeting logged closed, was closed again
    (event 3: no version since lets a closed case be closed): the upgrade (event 4) vouches for
    the rows as they stood, and verify replays each case's story only from there."""
    import json

    from compact_tui.caselog.audit_unkeyed import event_hash as unkeyed_hash
    from compact_tui.caselog.store import Store

    from .test_chain_upgrade import old_log

    path = tmp_path / "old.db"
    old_log(path)
    conn = sqlite3.connect(path)
    with conn:
        prev = conn.execute("SELECT hash FROM events WHERE id = 2").fetchone()[0]
        row = {"id": 3, "case_id": 1, "at": "2026-01-06T10:00:00+00:00", "happened_on": "2026-01-06", "actor": "old",
               "action": "closed", "detail": json.dumps({"set": {"status": "closed"}}), "note": ""}
        row["hash"] = unkeyed_hash(prev, row)
        conn.execute("INSERT INTO events VALUES (:id, :case_id, :at, :happened_on, :actor, :action, :detail, :note, "
                     ":prev, :hash)", {**row, "prev": prev})
        conn.execute("UPDATE chain_head SET last_event_id = 3, last_hash = ?", [row["hash"]])
    conn.close()
    store = Store(path)
    assert [r["action"] for r in store.query("SELECT action FROM events ORDER BY id")] == [
        "logged", "logged", "closed", "upgraded"]
    assert verify(store.db, registry=registry).problems == []
    store.close()
