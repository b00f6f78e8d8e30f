"""The app draws its first screen from the last run's snapshot, then looks for plugins
again and shows what is installed now."""

import asyncio

from textual.widgets import DataTable

from compact_tui.content import content_cache
from compact_tui.content.plugins import load_registry
from compact_tui.tui.app import make_app


def keep_a_snapshot_of_essex_alone(tmp_path, monkeypatch, **kept) -> None:
    """The last run's snapshot, taken when Essex was the only compact installed (as if the
    other plugins were installed since); ``kept`` as ``save_snapshot`` takes it."""
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("COMPACT_TUI_LOAD_PLUGINS", "essex")
    stale = load_registry()
    monkeypatch.delenv("COMPACT_TUI_LOAD_PLUGINS")
    content_cache.save_snapshot(stale, **{k: v(stale) for k, v in kept.items()})


async def until_the_plugins_are_found_again(app, pilot) -> None:
    """Wait (at most 50 pauses) until the app has looked for the plugins after its first frame."""
    for _ in range(50):
        if not app.registry_is_snapshot:
            break
        await pilot.pause()


def test_a_stale_snapshot_is_replaced_after_the_first_paint(tmp_path, monkeypatch):
    keep_a_snapshot_of_essex_alone(tmp_path, monkeypatch)

    app = make_app(db_path=tmp_path / "t.db", keymap={})
    assert app.registry_is_snapshot and list(app.registry.compacts) == ["essex"]

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await until_the_plugins_are_found_again(app, pilot)
            await pilot.pause()
            table = app.screen.query_one("#compacts", DataTable)
            assert table.row_count == 5
            assert set(app.registry.compacts) == {"essex", "southend", "southampton", "havering", "high_peak"}

    asyncio.run(main())
    assert len(content_cache.load_snapshot().compacts) == 5  # the next start begins from the fresh one


def test_the_case_log_uses_the_registry_rediscovery_found(tmp_path, monkeypatch):
    """One registry at a time: a case log opened on the snapshot's compacts follows the swap."""
    keep_a_snapshot_of_essex_alone(tmp_path, monkeypatch)

    app = make_app(db_path=tmp_path / "t.db", keymap={})
    assert app.registry_is_snapshot
    assert app.caselog.registry.get("southend") is None  # opened before the plugins are found again

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await until_the_plugins_are_found_again(app, pilot)
            assert app.caselog.registry is app.registry
            from compact_tui.caselog.case_log import NewCase

            case = app.caselog.log(NewCase(kind="note", title="Met the forum", compact="southend"))
            assert app.caselog.get(case["id"])["compact"] == "southend"

    asyncio.run(main())


def test_a_snapshots_warning_is_never_shown_only_what_the_plugins_found_now_cause(tmp_path, monkeypatch):
    """A start after a broken plugin was fixed: the old snapshot's warning must not appear."""
    from compact_tui.record import replace

    from compact_tui.content.registry import PluginError

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
            await until_the_plugins_are_found_again(app, pilot)

    asyncio.run(main())
    assert not app.registry_is_snapshot and app.registry.errors == []
    assert shown == []  # ... but its warning was never shown


def test_the_first_screen_is_drawn_from_the_snapshot_rows_then_from_the_plugins_found_now(tmp_path, monkeypatch):
    """The rows kept with the snapshot draw the first frame; the plugins found just after it
    decide what stays on screen."""
    from compact_tui.content.listing import compact_rows

    keep_a_snapshot_of_essex_alone(tmp_path, monkeypatch, first_screen=compact_rows)

    app = make_app(db_path=tmp_path / "t.db", keymap={})
    assert [row["name"] for row in app.first_screen_rows] == ["Essex Compact"]

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await until_the_plugins_are_found_again(app, pilot)
            await pilot.pause()
            table = app.screen.query_one("#compacts", DataTable)
            names = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
            assert names == ["A Compact for Southend-on-Sea", "Compact for Havering", "Essex Compact",
                             "High Peak Compact", "Southampton Compact"]
            assert app.first_screen_rows is None

    asyncio.run(main())


def test_rows_of_the_wrong_shape_are_not_drawn(tmp_path, monkeypatch):
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    registry = load_registry()
    content_cache.save_snapshot(registry, first_screen=[{"id": "essex", "name": ["not", "text"]}])
    app = make_app(db_path=tmp_path / "t.db", keymap={})
    assert app.registry_is_snapshot and app.first_screen_rows is None
    assert app.compact_rows()[0]["name"] == "A Compact for Southend-on-Sea"  # from the registry instead


FIRST_FRAME = """
import asyncio, os, sys
os.environ["COMPACT_TUI_CACHE"] = {cache!r}
from compact_tui.tui.app import CompactApp, make_app
if sys.argv[1] == "first":
    make_app(db_path={db!r}, keymap={{}})  # no snapshot yet: found and kept
    sys.exit(0)
seen = {{}}

def ready(self):
{ready}
    self.exit()

CompactApp.on_ready = ready
CompactApp.rediscover_plugins = lambda self: None

async def main():
    async with make_app(db_path={db!r}, keymap={{}}{start}).run_test(size=(80, 24)) as pilot:
        await pilot.pause()

asyncio.run(main())
print("SEEN", seen)
"""


def first_frame_seen(tmp_path, db, ready: str, start: str | None = None, first: bool = True) -> str:
    """What ``ready`` (the body of the app's ``on_ready``, filling ``seen``) found at the first
    frame, in a fresh interpreter so nothing here hides an import; after a first run that makes
    the snapshot, when ``first``."""
    import subprocess
    import sys

    code = FIRST_FRAME.format(cache=str(tmp_path / "cache"), db=str(db), ready=ready,
                              start="" if start is None else f", start={start!r}")
    for step in ("first", "second") if first else ("second",):
        done = subprocess.run([sys.executable, "-c", code, step], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_first_frame_needs_neither_the_model_nor_the_database(tmp_path):
    """Start-up stays lean: with a current snapshot, nothing builds the registry or opens the
    case log before the first frame."""
    seen = first_frame_seen(tmp_path, tmp_path / "t.db", """\
    seen["model"] = "compact_tui.content.model" in sys.modules
    seen["caselog"] = "compact_tui.caselog.case_log" in sys.modules
    seen["text"] = self.screen.query_one("#compacts").get_row_at(2)[0].plain""")
    assert "SEEN {'model': False, 'caselog': False, 'text': 'Essex Compact'}" in seen


def test_the_cases_list_first_frame_does_not_open_the_case_log(tmp_path, caselog):
    """Started on the Cases list, the first page is read straight from the file: the case log
    (sqlite-utils, the audit chain) is opened only when something needs it."""
    from .conftest import seed_cases

    seed_cases(caselog, 5)
    seen = first_frame_seen(tmp_path, caselog.store.path, """\
    seen["sqlite_utils"] = "sqlite_utils" in sys.modules
    seen["caselog"] = "compact_tui.caselog.case_log" in sys.modules
    seen["rows"] = self.screen.query_one("#case-table").row_count""", start="cases", first=False)
    assert "SEEN {'sqlite_utils': False, 'caselog': False, 'rows': 5}" in seen


def test_the_cases_list_marks_readings_before_the_registry_is_built(tmp_path, caselog):
    """Started on the Cases list with findings on the first page: the b/w marks come from the
    snapshot's rows (each compact's rules that are readings), so the registry is not rebuilt
    before the first frame, and the marks are those the case log gives."""
    from datetime import date

    from compact_tui.caselog.case_log import NewCase

    caselog.log(NewCase(kind="funding-change", compact="southend", title="Late decision",
                        dates={"notified": date(2026, 5, 10), "period_end": date(2026, 3, 31)}))
    caselog.log(NewCase(kind="funding-change", compact="southampton", title="Youth grant cut",
                        dates={"notified": date(2026, 11, 1), "effective": date(2026, 12, 1)}))
    seen = first_frame_seen(tmp_path, caselog.store.path, """\
    table = self.screen.query_one("#case-table")
    seen["built"] = self._compact_registry is not None
    seen["marks"] = [table.get_row_at(i)[1].plain for i in range(table.row_count)]""", start="cases")
    assert "SEEN {'built': False, 'marks': ['B', 'w']}" in seen
