"""The SQLite file: private, WAL, migrated once, refuses what is not ours, all-or-nothing writes."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from compact_tui.caselog import case_log as caselog_module
from compact_tui.caselog import store as store_module
from compact_tui.caselog.case_log import CaseLog
from compact_tui.errors import UserError
from compact_tui.caselog.store import Store

from .caselog_helpers import counts, new


def test_a_new_database_file_is_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_an_existing_file_keeps_its_mode(tmp_path):
    path = tmp_path / "shared.db"
    Store(path).close()
    os.chmod(path, 0o660)  # shared with a group, as the README says
    Store(path).close()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o660


def test_wal_mode_and_busy_timeout(store):
    assert store.one("PRAGMA journal_mode")["journal_mode"] == "wal"
    assert store.one("PRAGMA busy_timeout")["timeout"] == store_module.BUSY_TIMEOUT_MS
    assert store.one("PRAGMA foreign_keys")["foreign_keys"] == 1


def test_migrations_are_applied_once(db_path):
    for _ in range(3):
        Store(db_path).close()
    conn = sqlite3.connect(db_path)
    rows = conn.execute("SELECT migration_set, name FROM _sqlite_migrations ORDER BY id").fetchall()
    conn.close()
    assert rows == [("compact_tui", "m001_initial"), ("compact_tui", "m002_disputes_waiting"),
                    ("compact_tui", "m003_keyed_chain"), ("compact_tui", "m004_case_owner"),
                    ("compact_tui", "m005_attachments"), ("compact_tui", "m006_case_list_sorts"),
                    ("compact_tui", "m007_case_text_index"), ("compact_tui", "m008_report_year")]


def test_the_env_variable_names_the_default_database(tmp_path, monkeypatch):
    path = tmp_path / "from-env.db"
    monkeypatch.setenv("COMPACT_TUI_DB", str(path))
    s = Store()
    assert s.path == str(path) and path.exists()
    s.close()


def test_a_file_that_is_not_sqlite_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"These are my meeting notes, not a database.\n" * 50)
    before = path.read_bytes()
    with pytest.raises(UserError) as err:
        Store(path)
    assert "not a compact-tui database" in str(err.value) and str(path) in str(err.value)
    assert path.read_bytes() == before


def test_a_sqlite_database_of_something_else_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('soup')")
    conn.commit()
    conn.close()
    with pytest.raises(UserError) as err:
        Store(path)
    assert "not a compact-tui case log" in str(err.value)
    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    conn.close()
    assert tables == ["recipes"]


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(UserError, match="is a folder"):
        Store(tmp_path)


def test_a_failed_write_transaction_leaves_nothing(store):
    before = counts(store)
    with pytest.raises(RuntimeError):
        with store.write() as db:
            db.execute("INSERT INTO organisations (name, side, created_at) VALUES ('X', 'vcs', 'now')")
            raise RuntimeError("half way")
    assert store.one("SELECT count(*) AS n FROM organisations")["n"] == 0
    assert counts(store) == before
    assert not store.db.conn.in_transaction


def test_log_failing_half_way_writes_nothing(log, store, monkeypatch):
    log.log(new("consultation", "southampton", "kept", start="2026-01-05", end="2026-01-19"))
    before = counts(store)

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    # the case row, parties, cites and findings are written before the event: make the event fail
    monkeypatch.setattr(caselog_module, "append_event", broken)
    with pytest.raises(sqlite3.OperationalError):
        log.log(new("consultation", "southampton", "lost", start="2026-01-05", end="2026-01-19",
                    orgs=["Age UK"], cites=["2.4"]))
    assert counts(store) == before
    assert [r["title"] for r in store.query("SELECT title FROM cases")] == ["kept"]


def test_log_with_an_unknown_cite_writes_nothing(log, store):
    log.log(new("meeting", "essex", "kept", on="2026-01-05"))
    before = counts(store)
    with pytest.raises(UserError, match="has no clause '99.99'"):
        log.log(new("meeting", "essex", "lost", on="2026-02-05", cites=["7.b2", "99.99"], orgs=["Essex CVS"]))
    assert counts(store) == before


def test_a_locked_database_is_one_sentence_and_writes_nothing(db_path, registry, monkeypatch):
    Store(db_path).close()
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    holder = sqlite3.connect(db_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another officer's write in progress
    try:
        store = Store(db_path)
        log = CaseLog(store, registry, actor="tester")
        with pytest.raises(UserError) as err:
            log.log(new("meeting", "essex", "blocked", on="2026-01-05"))
        assert "is locked by another process" in str(err.value)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert counts(store)["cases"] == 0
    assert log.log(new("meeting", "essex", "after", on="2026-01-05"))["id"] == 1
    store.close()
