"""The first open of a case log an earlier version made: the app says at once that it is
upgrading it, which step it is on, keeps drawing while the upgrade runs on a thread of its
own, and opens the screen asked for as soon as it is done (issue 23: it froze, blank, for
2.7 s on 100,000 cases)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading

from textual.widgets import DataTable, Static

from compact_tui.caselog.case_list import MIGRATIONS, upgrade_due
from compact_tui.caselog.case_log import CaseLog
from compact_tui.caselog.schema_migrations import migrations
from compact_tui.caselog.store import Store
from compact_tui.content.plugins import load_registry
from compact_tui.tui.app import make_app

from .conftest import seed_cases, static_text, until


def older_log(path, cases: int = 30) -> None:
    """A case log with cases, as the version before m006 left it (its indexes and m007's gone)."""
    store = Store(path)
    seed_cases(CaseLog(store, load_registry(), actor="tester"), cases)
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') "
                                            "AND sql IS NOT NULL AND (name LIKE 'cases\\_%' ESCAPE '\\' "
                                            "OR name = 'findings_severity')")]
        keep = {"cases_compact_kind", "cases_kind", "cases_status_due", "cases_compact_kind_on", "cases_opened",
                "cases_kind_status_since", "cases_owner"}  # (m008's cases_compact_year goes too)
        for name in names:
            if name.startswith("cases_text_"):
                conn.execute(f"DROP TRIGGER {name}")
            elif name not in keep:
                conn.execute(f"DROP INDEX {name}")
        conn.execute("DROP TABLE cases_text")
        conn.execute("DELETE FROM _sqlite_migrations WHERE name >= 'm006'")
    conn.close()


def test_an_older_log_is_upgraded_with_a_progress_line_then_the_cases_list_opens(tmp_path, monkeypatch):
    path = tmp_path / "old.db"
    older_log(path)
    assert upgrade_due(path) == (5, 8)
    held, holding = threading.Event(), threading.Event()
    steps = [(name, f) for name, f in migrations._functions]

    def m007_held(db):  # the search index waits for the test, so the screen can be read meanwhile
        holding.set()
        held.wait(10)
        dict(steps)["m007_case_text_index"](db)

    monkeypatch.setattr(migrations, "_functions",
                        [(n, m007_held if n == "m007_case_text_index" else f) for n, f in steps])
    app = make_app(db_path=path, keymap={}, start="cases")

    async def journey():
        async with app.run_test(size=(80, 24)) as pilot:
            await until(pilot, holding.is_set, "the upgrade reached its second step")
            await pilot.pause(0.3)  # the line is redrawn four times a second
            line = static_text(app.screen.query_one("#upgrade-line", Static))
            assert line.startswith(f"Upgrading the case log\n{path}\n\nfrom version 5 to version 8 of its schema: "
                                   "once, for this version of compact-tui. On a large log it takes a few seconds."
                                   "\n\nstep 2 of 3: the search index of the cases' titles and parties... ")
            assert line.endswith(" s")
            await pilot.press("2", "n")  # nothing else can be opened meanwhile; the app still answers
            assert type(app.screen).__name__ == "UpgradeScreen"
            held.set()
            await until(pilot, lambda: app.upgrading is None and type(app.screen).__name__ == "CasesScreen",
                        "the Cases list opened")
            await pilot.pause()
            table = app.screen.query_one("#case-table", DataTable)
            assert table.row_count == 30
            assert "upgrade" not in app._modes  # (gone: 1-5 go where they always did)

    asyncio.run(journey())
    conn = sqlite3.connect(path)
    applied = tuple(r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations ORDER BY id"))
    conn.close()
    assert applied == MIGRATIONS
    assert upgrade_due(path) is None


def test_a_current_log_a_new_one_or_one_only_readable_needs_no_upgrade(tmp_path):
    assert upgrade_due(tmp_path / "missing.db") is None
    Store(tmp_path / "current.db").close()
    assert upgrade_due(tmp_path / "current.db") is None
    (tmp_path / "other.db").write_bytes(b"not a database" * 100)
    assert upgrade_due(tmp_path / "other.db") is None
    app = make_app(db_path=tmp_path / "current.db", keymap={}, start="compacts")
    assert app.upgrading is None and app.DEFAULT_MODE == "compacts"
