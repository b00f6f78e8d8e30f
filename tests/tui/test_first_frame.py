"""What reaches the terminal first when the app starts, and what follows just after it.

Textual hands every frame to ``App._display``, which writes it unless a ``batch_update`` is
held (and unless headless, as under Pilot); a frame handed over while a batch is held is
thrown away. These tests keep each frame that would be written, render it the way the
terminal gets it and read the text.
"""

import asyncio
import re
import sqlite3

from compact_tui.content import content_cache
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
    keys = first.rstrip().splitlines()[-1].replace("\xa0", " ")
    assert "s Sort" in keys and "? Keys" in keys  # the list's keys: it has the focus from the start
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


def newest_ids(db, n, offset=0):
    with sqlite3.connect(db) as conn:
        return [str(r[0]) for r in conn.execute(
            "SELECT id FROM cases WHERE status != 'withdrawn' ORDER BY id DESC LIMIT ? OFFSET ?", [n, offset])]


def test_the_first_frame_holds_the_rows_that_fit_and_the_rest_of_the_page_follows_it(seeded_db, tmp_path,
                                                                                     monkeypatch):
    """Of the first page of 100, the first frame waits only for the rows a 24-line terminal can
    show; the other rows are in the table just after it, in order, and the status line said
    100+ from the start."""
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    app = make_app(db_path=seeded_db, keymap={}, start="cases")
    rows_at_first_frame = []
    display = app._display

    def counting_display(screen, renderable):
        if renderable is not None and not app._batch_count and not rows_at_first_frame:
            rows_at_first_frame.append(screen.query_one("#case-table").row_count)
            rows_at_first_frame.append(ESCAPES.sub("", renderable.render_segments(app.console)))
        display(screen, renderable)

    app._display = counting_display

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#case-table")
            assert [table.get_row_at(i)[0].plain for i in range(table.row_count)] == newest_ids(seeded_db, 100)

    asyncio.run(main())
    count, first = rows_at_first_frame
    assert 18 <= count <= 24  # 18 rows show below the header at 80x24 (see the next test)
    assert "100+ cases (more below)" in first


def test_paging_down_from_the_first_screen_lands_where_it_did_and_reads_on_past_row_100(seeded_db):
    """At 80x24 the table shows 18 rows below its header (24 lines less the nav bar, the
    filter and the blank line under it, the header, the status line and the key bar): page
    down moves the cursor 18 rows, to case 282 of 300. Four pages more is row 90, case 210,
    within 10 of the end of the first page, so the second page is read; ten rows on, row 100
    is case 200."""
    app = make_app(db_path=seeded_db, keymap={}, start="cases")

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#case-table")
            await pilot.press("pagedown")
            assert table.cursor_row == 18 and table.get_row_at(18)[0].plain == "282"
            assert table.row_count == 100
            for _ in range(4):
                await pilot.press("pagedown")
            assert table.cursor_row == 90 and table.get_row_at(90)[0].plain == "210"
            assert table.row_count == 200
            for _ in range(10):
                await pilot.press("down")
            assert table.cursor_row == 100 and table.get_row_at(100)[0].plain == "200"
            assert [table.get_row_at(i)[0].plain for i in range(200)] == newest_ids(seeded_db, 200)

    asyncio.run(main())


def test_a_resize_keeps_the_cursor_on_its_case_beyond_the_first_screen(seeded_db):
    """A resize that changes the table's shape reads the first page again; the case the cursor
    was on (row 50, below what the first frame holds) keeps the cursor."""
    app = make_app(db_path=seeded_db, keymap={}, start="cases")

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#case-table")
            table.move_cursor(row=50)
            await pilot.pause()
            assert table.get_row_at(50)[0].plain == "250"
            await pilot.resize_terminal(70, 24)  # narrow: two lines a case
            await pilot.pause()
            assert table.get_row_at(table.cursor_row)[0].plain == "250"
            assert table.row_count == 100

    asyncio.run(main())
