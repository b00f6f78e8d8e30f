"""The app draws its first screen from the last run's snapshot, then looks for plugins
again and shows what is installed now."""

import asyncio

from textual.widgets import DataTable

from compact_tui import content_cache
from compact_tui.plugins import load_registry
from compact_tui.tui.app import make_app


def test_a_stale_snapshot_is_replaced_after_the_first_paint(tmp_path, monkeypatch):
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("COMPACT_TUI_LOAD_PLUGINS", "essex")
    stale = load_registry()  # only Essex, as if the other plugins were installed since
    monkeypatch.delenv("COMPACT_TUI_LOAD_PLUGINS")
    content_cache.save_snapshot(stale)

    app = make_app(db_path=tmp_path / "t.db", keymap={})
    assert app.registry_is_snapshot and list(app.registry.compacts) == ["essex"]

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(50):
                if not app.registry_is_snapshot:
                    break
                await pilot.pause()
            await pilot.pause()
            table = app.screen.query_one("#compacts", DataTable)
            assert table.row_count == 5
            assert set(app.registry.compacts) == {"essex", "southend", "southampton", "havering", "high_peak"}

    asyncio.run(main())
    assert len(content_cache.load_snapshot().compacts) == 5  # the next start begins from the fresh one


def test_the_case_log_uses_the_registry_rediscovery_found(tmp_path, monkeypatch):
    """One registry at a time: a case log opened on the snapshot's compacts follows the swap."""
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("COMPACT_TUI_LOAD_PLUGINS", "essex")
    stale = load_registry()
    monkeypatch.delenv("COMPACT_TUI_LOAD_PLUGINS")
    content_cache.save_snapshot(stale)

    app = make_app(db_path=tmp_path / "t.db", keymap={})
    assert app.registry_is_snapshot
    assert app.caselog.registry.get("southend") is None  # opened before the plugins are found again

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(50):
                if not app.registry_is_snapshot:
                    break
                await pilot.pause()
            assert app.caselog.registry is app.registry
            from compact_tui.caselog import NewCase

            case = app.caselog.log(NewCase(kind="note", title="Met the forum", compact="southend"))
            assert app.caselog.get(case["id"])["compact"] == "southend"

    asyncio.run(main())


def test_a_snapshots_warning_is_never_shown_only_what_the_plugins_found_now_cause(tmp_path, monkeypatch):
    """A start after a broken plugin was fixed: the old snapshot's warning must not appear."""
    from dataclasses import replace

    from compact_tui.registry import PluginError

    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv("COMPACT_TUI_LOAD_PLUGINS", raising=False)
    fixed = load_registry()
    stale = replace(fixed, errors=[PluginError("castle_point", "cannot be used: 1 problem (an old one)")])
    content_cache.save_snapshot(stale)

    app = make_app(db_path=tmp_path / "t.db", keymap={})
    assert app.registry_is_snapshot and app.registry.errors  # drawn from the stale snapshot ...
    shown = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: shown.append(message))

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(50):
                if not app.registry_is_snapshot:
                    break
                await pilot.pause()

    asyncio.run(main())
    assert not app.registry_is_snapshot and app.registry.errors == []
    assert shown == []  # ... but its warning was never shown
