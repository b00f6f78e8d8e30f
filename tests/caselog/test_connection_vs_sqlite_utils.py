"""The hand-written connection (``caselog/connection.py``) against the library it stands in for,
``sqlite_utils.Database``: on the same real case log, the calls the core makes give the same
answers, refuse the same misuse and keep a transaction open across a script alike.
(Why it is kept at all: docs/performance.md, "Hand-written beside a library".)
"""

from __future__ import annotations

import sqlite3

import pytest
import sqlite_utils

from compact_tui.caselog.connection import Connection
from compact_tui.caselog.store import Store


@pytest.fixture
def both(log):
    """The case log the suite's fixture made (migrated), opened both ways."""
    path = log.store.path
    ours = Connection(sqlite3.connect(path))
    theirs = sqlite_utils.Database(sqlite3.connect(path))
    theirs.conn.isolation_level = None
    yield ours, theirs
    ours.close()
    theirs.close()


def log_a_case(log) -> None:
    from compact_tui.caselog.case_log import NewCase

    log.log(NewCase(compact="essex", kind="note", title="Lunch club grant"))


def test_the_same_connection_settings(both):
    """Every setting a ``PRAGMA`` reads back is the library's: ``recursive_triggers``, which
    ``sqlite_utils.Database`` turns on, among them (a connection a migration ran on had it, one
    without did not, before ours turned it on too)."""
    ours, theirs = both
    settings = ("recursive_triggers", "foreign_keys", "journal_mode", "synchronous", "busy_timeout",
                "cell_size_check", "case_sensitive_like", "defer_foreign_keys", "query_only",
                "temp_store", "trusted_schema", "automatic_index", "reverse_unordered_selects")
    readable = [s for s in settings if ours.execute(f"PRAGMA {s}").fetchone() is not None]
    assert {"recursive_triggers", "foreign_keys", "journal_mode", "busy_timeout"} <= set(readable)
    assert {s: ours.execute(f"PRAGMA {s}").fetchone()[0] for s in readable} == \
        {s: theirs.execute(f"PRAGMA {s}").fetchone()[0] for s in readable}
    assert ours.execute("PRAGMA recursive_triggers").fetchone()[0] == 1


def test_the_store_s_connection_has_the_library_s_triggers_setting(log):
    """Opened on a file already up to date (no migration, so sqlite-utils never touched it)."""
    store = Store(log.store.path)
    try:
        assert store.db.execute("PRAGMA recursive_triggers").fetchone()[0] == 1
    finally:
        store.close()


def test_the_same_tables(both, log):
    ours, theirs = both
    assert ours.table_names() == theirs.table_names()
    assert {"cases", "events", "chain_head", "_sqlite_migrations"} <= set(ours.table_names())


def test_the_same_rows_as_dicts(both, log):
    log_a_case(log)
    ours, theirs = both
    sql = "SELECT id, compact, kind, title, status FROM cases WHERE compact = ? ORDER BY id"
    assert list(ours.query(sql, ["essex"])) == list(theirs.query(sql, ["essex"]))
    assert [(r["id"], r["title"]) for r in ours.query(sql, ["essex"])] == [(1, "Lunch club grant")]
    named = "SELECT count(*) AS n FROM events WHERE case_id = :case"
    assert list(ours.query(named, {"case": 1})) == list(theirs.query(named, {"case": 1})) == [{"n": 1}]


def test_execute_gives_the_same_cursor_rows_and_commits_at_once(both, tmp_path):
    ours, theirs = both
    for db, table in ((ours, "ours"), (theirs, "theirs")):
        db.execute(f"CREATE TABLE scratch_{table} (x)")
        db.execute(f"INSERT INTO scratch_{table} VALUES (?)", [1])
        assert not db.conn.in_transaction  # autocommit: written at once, as sqlite-utils does
    fresh = sqlite3.connect(ours.conn.execute("PRAGMA database_list").fetchone()[2])
    assert fresh.execute("SELECT x FROM scratch_ours").fetchall() == fresh.execute("SELECT x FROM scratch_theirs").fetchall() == [(1,)]
    fresh.close()


def test_query_refuses_what_returns_no_rows_as_the_library_does(both):
    ours, theirs = both
    with pytest.raises(ValueError, match="use execute\\(\\) for other statements"):
        list(theirs.query("CREATE TABLE t1 (x)"))
    with pytest.raises(ValueError, match="use execute\\(\\) for other statements"):
        ours.query("CREATE TABLE t2 (x)")


def test_a_script_outside_a_transaction_runs_as_the_library_runs_it(both):
    ours, theirs = both
    ours.executescript("CREATE TABLE s1 (x); INSERT INTO s1 VALUES (1);\nINSERT INTO s1 VALUES (2);")
    theirs.executescript("CREATE TABLE s2 (x); INSERT INTO s2 VALUES (1);\nINSERT INTO s2 VALUES (2);")
    assert list(ours.query("SELECT x FROM s1")) == list(theirs.query("SELECT x FROM s2")) == [{"x": 1}, {"x": 2}]


def test_a_script_inside_a_transaction_stays_in_it_as_the_library_keeps_it(both):
    """A migration's script inside ``BEGIN IMMEDIATE`` is undone with the rest if the migration
    fails: neither commits the open transaction first (as sqlite3's own executescript would)."""
    ours, theirs = both
    for db, name in ((ours, "k1"), (theirs, "k2")):
        db.execute("BEGIN IMMEDIATE")
        db.execute(f"CREATE TABLE {name} (x)")
        db.executescript(f"INSERT INTO {name} VALUES (1);\nINSERT INTO {name} VALUES (2);")
        assert db.conn.in_transaction
        db.execute("ROLLBACK")
    assert not {"k1", "k2"} & set(ours.table_names())


def test_the_store_hands_out_ours(log):
    store = Store(log.store.path)
    try:
        assert type(store.db) is Connection
    finally:
        store.close()
