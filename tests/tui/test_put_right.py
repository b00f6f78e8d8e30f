"""Putting a case right from the case screen (issue 12, part 3), at 80x24: ``c`` asks for
the outcome and closes only on ctrl+s; ``o`` reopens after a yes; ``w`` withdraws with a
reason; ``e`` changes the title, parties and compact. The timeline says what changed from
what to what, and ``audit verify`` stays OK."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Static

from compact_tui.caselog.audit import verify
from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.cases import CasesScreen
from compact_tui.tui.fields import Choice
from compact_tui.tui.forms import ConfirmDialog
from compact_tui.tui.screens.edit import EditDialog
from compact_tui.tui.screens.putright import CloseDialog, WithdrawDialog

from .conftest import column_text, drive, new_case, static_text, type_text, until


def consultation(caselog) -> int:
    return caselog.log(new_case("consultation", "southampton", "Youth strategy", orgs=["Age UK"],
                                dates={"start": date(2026, 11, 1), "end": date(2026, 12, 1)}))["id"]


def timeline(app) -> str:
    return static_text(app.screen.query_one("#case-timeline", Static))


def test_close_asks_for_the_outcome_and_reopen_asks_first(db_path, caselog):
    case_id = consultation(caselog)

    async def journey(app, pilot):
        app.open_case(case_id)
        await pilot.pause()
        case_screen = app.screen
        await pilot.press("c")
        assert isinstance(app.screen, CloseDialog)
        await pilot.press("ctrl+s")  # no outcome: nothing closed
        assert isinstance(app.screen, CloseDialog)
        assert "outcome" in static_text(app.screen.query_one("#form-error", Static))
        assert caselog.get(case_id)["status"] == "open"
        await type_text(pilot, "Extended to 12 weeks")
        await pilot.press("ctrl+s")
        assert app.screen is case_screen
        case = caselog.get(case_id)
        assert (case["status"], case["outcome"]) == ("closed", "Extended to 12 weeks")
        assert (f"closed   {app.caselog.actor}: status open → closed; outcome (none) → 'Extended to 12 weeks'"
                in timeline(app))
        assert "Outcome: Extended to 12 weeks" in static_text(case_screen.query_one("#case-head", Static))

        await pilot.press("o")
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert caselog.get(case_id)["status"] == "closed"
        await pilot.press("o", "y")
        await until(pilot, lambda: caselog.get(case_id)["status"] == "open", "reopened")
        assert caselog.get(case_id)["outcome"] is None
        assert "reopened" in timeline(app)

    drive(journey, db_path)
    assert verify(caselog.store.db).ok


def test_withdraw_takes_a_reason_and_the_case_leaves_the_list_but_can_be_shown(db_path, caselog):
    case_id = consultation(caselog)

    async def journey(app, pilot):
        app.open_case(case_id)
        await pilot.pause()
        await pilot.press("w")
        assert isinstance(app.screen, WithdrawDialog)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, WithdrawDialog) and caselog.get(case_id)["status"] == "open"
        await type_text(pilot, "Logged twice")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CaseScreen)
        head = static_text(app.screen.query_one("#case-head", Static))
        assert "Withdrawn: Logged twice" in head
        assert f"withdrawn {app.caselog.actor}: status open → withdrawn · Logged twice" in timeline(app)
        await pilot.press("2")
        assert isinstance(app.screen, CasesScreen)
        table = app.screen.query_one("#case-table")
        assert column_text(table, "id") == []
        await pilot.press("slash")
        await type_text(pilot, "status:withdrawn")
        await until(pilot, lambda: column_text(table, "id") == [str(case_id)], "found when asked for")

    drive(journey, db_path)
    assert verify(caselog.store.db).ok


def test_change_title_parties_and_compact(db_path, caselog):
    case_id = consultation(caselog)

    async def journey(app, pilot):
        app.open_case(case_id)
        await pilot.pause()
        await pilot.press("e")
        form = app.screen
        assert isinstance(form, EditDialog)
        title = form.query_one("#f-title", Input)
        assert title.has_focus and title.selected_text == "" and title.cursor_position == len("Youth strategy")
        await type_text(pilot, " 2027")  # nothing is selected: typing adds to the title, never replaces it
        await pilot.press("tab")
        await type_text(pilot, ", Carers Trust")
        await pilot.press("tab", "enter", "c")  # the compact: open its list, c for Compact for Havering
        await pilot.press("enter")
        assert form.query_one("#f-compact", Choice).value == "havering"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), "saved")
        case = caselog.get(case_id)
        assert (case["title"], case["parties"], case["compact"]) == ("Youth strategy 2027",
                                                                     ["Age UK", "Carers Trust"], "havering")
        assert ("title 'Youth strategy' → 'Youth strategy 2027'; parties 'Age UK' → 'Age UK; Carers Trust'; "
                    "compact southampton → havering" in " ".join(timeline(app).split()))

        await pilot.press("e")
        await type_text(pilot, "x")
        await pilot.press("escape")  # changed: leaving asks, and n stays
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert isinstance(app.screen, EditDialog)

    drive(journey, db_path)
    assert verify(caselog.store.db).ok
