"""The Cases list's first page read straight from the file (``case_list.first_page``): the same
rows as the case log gives, and nothing when the file is not one it can read safely."""

from __future__ import annotations

import sqlite3

from compact_tui.content.listing import reading_rules
from compact_tui.caselog.case_list import MIGRATION_SET, MIGRATIONS, first_page, mark_readings
from compact_tui.caselog.case_log import CaseLog
from compact_tui.content.plugins import load_registry
from compact_tui.caselog.store import Store

from .conftest import seed_cases


def test_the_migrations_it_trusts_are_the_store_s_own(tmp_path):
    store = Store(tmp_path / "t.db")
    applied = [r["name"] for r in store.query(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY id", [MIGRATION_SET])]
    store.close()
    assert tuple(applied) == MIGRATIONS


def test_the_first_page_is_what_the_case_log_lists(tmp_path):
    store = Store(tmp_path / "t.db")
    log = CaseLog(store, load_registry(), actor="tester")
    seed_cases(log, 40)
    for sort in ("newest", "oldest", "due", "title"):
        page = first_page(tmp_path / "t.db", sort, 25)  # the app marks readings on it (mark_readings)
        assert page is not None and mark_readings(page, reading_rules(log.registry)) == log.list(sort=sort, limit=25)
    store.close()


def test_nothing_is_read_from_a_missing_file_or_one_with_a_migration_to_apply(tmp_path):
    assert first_page(tmp_path / "none.db", "newest", 10) is None
    assert not (tmp_path / "none.db").exists()  # and nothing was created
    Store(tmp_path / "t.db").close()
    with sqlite3.connect(tmp_path / "t.db") as conn:  # as if an older version made the file
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", [MIGRATIONS[-1]])
    assert first_page(tmp_path / "t.db", "newest", 10) is None
    (tmp_path / "other.db").write_bytes(b"not a database at all" * 100)
    assert first_page(tmp_path / "other.db", "newest", 10) is None
