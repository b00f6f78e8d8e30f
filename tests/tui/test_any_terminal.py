"""Screens that read right in any terminal: state without colour, forms that fit or say there
is more, and tables that use the width there is (issue 10)."""

from __future__ import annotations

from textual.widgets import DataTable

from compact_tui.tui.fields import TickBox
from compact_tui.tui.widgets import FormBody

from .conftest import drive, screen_text, seed_cases, until


def test_a_tick_box_reads_without_colour(db_path):
    async def journey(app, pilot):
        await pilot.press("n", "f")
        await until(pilot, lambda: app.screen.query(TickBox), "the funding-change form")
        box = app.screen.query_one("#f-confidential", TickBox)
        assert box.render().plain.startswith("  [ ] Confidential")
        box.focus()
        await pilot.press("space")
        assert box.value and box.render().plain.startswith("> [x] Confidential")  # > : it has the focus

    drive(journey, db_path)


def test_the_longest_form_fits_80x24_and_a_short_terminal_is_told_there_is_more(db_path):
    async def journey(app, pilot):
        await pilot.press("n", "f")
        await until(pilot, lambda: app.screen.query(FormBody), "the funding-change form")
        await pilot.pause()
        form = app.screen.query_one(FormBody)
        assert form.max_scroll_y == 0 and form.border_subtitle == ""  # every field in view at 80x24
        for label in ("Notice given on", "Change takes effect", "Funding period ends", "Confidential",
                      "Save (ctrl+s)"):
            assert label in screen_text(app)
        await pilot.resize_terminal(80, 12)
        await until(pilot, lambda: form.border_subtitle == FormBody.MORE, "'more below' on a short terminal")
        await pilot.press(*["tab"] * 9)  # from the title through the fields to Save
        assert app.focused.id == "save"
        await until(pilot, lambda: form.border_subtitle == "", "the note gone at the bottom")

    drive(journey, db_path)


def test_the_kind_chooser_heading_is_whole(db_path):
    async def journey(app, pilot):
        await pilot.press("n")
        await pilot.pause()
        assert "New record: press a letter, or choose and press enter" in screen_text(app)

    drive(journey, db_path)


def test_the_cases_title_takes_the_width_left_and_follows_a_resize(db_path, caselog):
    seed_cases(caselog, 30)

    async def journey(app, pilot):
        await pilot.press("2")
        await until(pilot, lambda: app.screen.query("#case-table"), "the cases list")
        table = app.screen.query_one("#case-table", DataTable)
        widths = lambda: {c.key.value: c.width for c in table.columns.values()}  # noqa: E731
        # 80 columns: # 7, the finding mark 2, compact 12, kind 15, status 7, due 11, the scroll bar 2: 24 left
        assert widths() == {"id": 7, "finding": 2, "compact": 12, "kind": 15, "status": 7, "due": 11, "title": 24}
        await pilot.resize_terminal(120, 30)
        await until(pilot, lambda: widths().get("title") == 64, "the title widened")
        await pilot.resize_terminal(60, 20)
        await until(pilot, lambda: list(widths()) == ["id", "finding", "due", "title"], "two lines a case")
        assert widths()["title"] == 60 - 7 - 2 - 11 - 2
        assert "essex · dispute · open" in screen_text(app) or "· consultation ·" in screen_text(app)

    drive(journey, db_path)
