"""Which migrations are applied, read by hand (``caselog/migrations.py``: one query, so a command
on a current case log never imports sqlite-utils) against sqlite-utils' own ``Migrations``, on
real case logs: the same names applied, in the same order, and the same pending.
(Why it is read by hand: docs/performance.md, "sqlite-utils only to migrate".)
"""

from __future__ import annotations

import sqlite3

import pytest
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations as LibraryMigrations

from compact_tui.caselog.schema_migrations import MIGRATION_SET, migrations
from compact_tui.caselog.store import Store


def the_librarys(db: Database) -> tuple[list[str], list[str]]:
    """What sqlite-utils says is applied and pending, given the same migrations by name."""
    library = LibraryMigrations(MIGRATION_SET)
    for name in migrations.names:
        library(name=name)(lambda db: None)
    return [m.name for m in library.applied(db)], [m.name for m in library.pending(db)]


def ours(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    return migrations.applied(conn), migrations.pending(conn)


@pytest.mark.parametrize("stop_before", ["m001_initial", "m003_keyed_chain", "m007_case_text_index", None])
def test_the_same_applied_and_pending_at_each_stage(tmp_path, stop_before):
    path = tmp_path / "cases.db"
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before=stop_before)
    db.close()
    conn = sqlite3.connect(path)
    try:
        assert ours(conn) == the_librarys(Database(conn))
        done = migrations.names.index(stop_before) if stop_before else len(migrations.names)
        assert ours(conn) == (migrations.names[:done], migrations.names[done:])
    finally:
        conn.close()


def test_another_sets_rows_and_an_order_written_behind_the_apps_back_are_read_alike(tmp_path):
    """Rows of another migration set in the same table are nobody's here; rows whose ids were
    changed by hand are read in the table's order by both."""
    path = tmp_path / "cases.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('someone_else', 'm001_theirs', '2026-01-01')")
        conn.execute("UPDATE _sqlite_migrations SET id = id + 100 WHERE name = 'm002_disputes_waiting'")
    try:
        assert ours(conn) == the_librarys(Database(conn))
        assert "m001_theirs" not in ours(conn)[0]
    finally:
        conn.close()


def test_a_file_without_the_table_has_none_applied_for_both(tmp_path):
    conn = sqlite3.connect(tmp_path / "empty.db")
    try:
        assert ours(conn) == the_librarys(Database(conn)) == ([], migrations.names)
    finally:
        conn.close()
