"""Quality: text users supply is shown literally and does nothing; errors are messages."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Static

from compact_tui.errors import UserError
from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.cases import CasesScreen

from .conftest import column_text, drive, new_case, screen_text, static_text, until

TITLES = ("[bold]x[/]", "[@click=app.quit]x[/]")


def test_control_characters_are_refused_by_the_log(caselog):
    with pytest.raises(UserError):
        caselog.log(new_case("note", "essex", "red \x1b[31m alert"))
    assert caselog.count() == 0


def test_markup_in_titles_and_parties_is_shown_literally_and_does_nothing(caselog, db_path):
    ids = [caselog.log(new_case("note", "essex", title, orgs=[title]))["id"] for title in TITLES]

    async def journey(app, pilot):
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, CasesScreen)
        table = screen.query_one("#case-table", DataTable)
        assert sorted(column_text(table, "title")) == sorted(TITLES)
        shown = screen_text(app)
        assert "[bold]x[/]" in shown and "[@click=app.quit]x[/" in shown  # the column is 20 wide at 80

        # click on the title cells; then open each case and click on its heading
        for row in range(2):
            await pilot.click("#case-table", offset=(60, row + 1))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        while app.screen is not screen:  # a click on the highlighted row opens its case
            await pilot.press("escape")
        for case_id, title in zip(ids, TITLES):
            app.open_case(case_id)
            await until(pilot, lambda cid=case_id: isinstance(app.screen, CaseScreen) and app.screen.case_id == cid
                        and app.screen.query("#case-head"), "the case")
            head = static_text(app.screen.query_one("#case-head", Static))
            assert head.splitlines()[0] == title
            assert f"Parties: {title}" in head
            assert title in screen_text(app)
            await pilot.click("#case-head", offset=(2, 0))
            await pilot.click("#case-head", offset=(2, 0))
            await pilot.pause()
            assert app.is_running and app.return_code is None
            await pilot.press("escape")

    drive(journey, db_path)


def test_a_failing_action_is_a_notification_not_a_traceback(db_path):
    async def journey(app, pilot):
        app.open_case(4242)
        await until(pilot, lambda: any("no case 4242" in m for m in [n.message for n in app._notifications]),
                    "the message")
        assert app.is_running
        app.open_clause("essex", "99.99")
        await pilot.pause()
        assert any("essex has no clause 99.99" in n.message for n in app._notifications)
        assert [n.severity for n in app._notifications] == ["error", "error"]

    drive(journey, db_path)
