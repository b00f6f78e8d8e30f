"""What reaches the terminal first when the app starts, and what follows just after it.

Textual hands every frame to ``App._display``, which writes it unless a ``batch_update`` is
held (and unless headless, as under Pilot); a frame handed over while a batch is held is
thrown away. These tests keep each frame that would be written, render it the way the
terminal gets it and read the text.
"""

import asyncio
import re
import sqlite3

from compact_tui import content_cache
from compact_tui.tui.app import make_app

ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]")


def newest_titles(db, n):
    """The newest cases' titles, read behind the app's back."""
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute(
            "SELECT title FROM cases WHERE status != 'withdrawn' ORDER BY id DESC LIMIT ?", [n])]


def start_and_watch(app, until):
    """Start ``app`` under Pilot at 80x24 and return what happened, in order: each frame
    that would be written (as the text on screen) and ``"rediscovery"`` when the plugins
    are looked for again."""
    seen = []
    display, rediscover = app._display, app.rediscover_plugins

    def watched_display(screen, renderable):
        if renderable is not None and not app._batch_count:
            seen.append(ESCAPES.sub("", renderable.render_segments(app.console)))
        display(screen, renderable)

    def watched_rediscover():
        seen.append("rediscovery")
        rediscover()

    app._display, app.rediscover_plugins = watched_display, watched_rediscover

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):
                if until(seen):
                    break
                await pilot.pause(0.01)

    asyncio.run(main())
    return seen


def test_the_first_frame_written_holds_the_cases_list_and_the_plugins_are_looked_for_after_it(
        seeded_db, tmp_path, monkeypatch):
    """Started on the Cases list, the first frame the terminal gets has the newest cases in
    it (Textual drew the start screen inside its start-up batch and threw it away, so the
    terminal got the nav and key bars first and the rows only after the plugins had been
    looked for again), and the plugins are looked for only once that frame is out."""
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    make_app(db_path=seeded_db, keymap={})  # no snapshot yet: the plugins are found and kept
    app = make_app(db_path=seeded_db, keymap={}, start="cases")
    assert app.registry_is_snapshot

    seen = start_and_watch(app, lambda seen: "rediscovery" in seen)
    assert seen and seen[0] != "rediscovery"
    first = seen[0]
    for title in newest_titles(seeded_db, 5):
        assert title in first
    assert "1 Compacts  2 Cases" in first and "Quit" in first  # the nav bar and the key bar too
    assert seen.index("rediscovery") > 0


def test_the_compacts_list_is_whole_in_the_first_frame_too(db_path, tmp_path, monkeypatch):
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    make_app(db_path=db_path, keymap={})
    app = make_app(db_path=db_path, keymap={})
    seen = start_and_watch(app, lambda seen: "rediscovery" in seen)
    first = seen[0]
    for name in ("A Compact for Southend-on-Sea", "Essex Compact", "Compact for Havering", "Southampton Compact"):
        assert name in first
    assert seen.index("rediscovery") > 0
