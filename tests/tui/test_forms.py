"""The one form base (issue 20): nothing typed is lost by any way out of a form, and a form
reads without colour: the focused field says ``>``, a hint is in brackets, a choice opens in
place without covering the fields below, and nothing is selected for typing to replace."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette
from textual.widgets import Input

from compact_tui.tui.fields import Choice, TextField
from compact_tui.tui.forms import LEAVE_QUESTION, ConfirmDialog, FormScreen
from compact_tui.tui.screens.cases import CasesScreen
from compact_tui.tui.screens.compacts import CompactsScreen
from compact_tui.tui.screens.quicklog import QuickLogScreen
from compact_tui.tui.screens.search import SearchScreen

from .conftest import drive, screen_text, type_text, until


async def half_filled_form(app, pilot) -> QuickLogScreen:
    """A funding-change form with a title typed, the focus on a tick box (so keys such as a
    number are not typed into a field)."""
    app.remember_compact("essex")
    await pilot.press("n", "f")
    await until(pilot, lambda: isinstance(app.screen, QuickLogScreen), "the form")
    await type_text(pilot, "Hall grant")
    app.screen.query_one("#f-confidential").focus()
    await pilot.pause()
    return app.screen


async def asked_then_stayed(app, pilot, form) -> None:
    await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
    assert app.screen.question == LEAVE_QUESTION
    await pilot.press("n")
    await until(pilot, lambda: app.screen is form, "back in the form")
    assert form.query_one("#f-title", Input).value == "Hall grant"


@pytest.mark.parametrize("way_out", ["escape", "ctrl+q", "palette:Quit", "palette:Go to cases", "palette:New record",
                                     "palette:Search every compact", "palette:1", "palette:Compare a theme"])
def test_every_way_out_of_a_changed_form_asks_first_and_no_keeps_what_was_typed(db_path, caselog, way_out):
    from .conftest import new_case

    caselog.log(new_case("note", "essex", "Carers forum"))

    async def journey(app, pilot):
        form = await half_filled_form(app, pilot)
        if way_out.startswith("palette:"):
            await pilot.press("ctrl+p")
            await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
            await type_text(pilot, way_out.split(":", 1)[1])
            await until(pilot, lambda: app.screen.query_one("CommandList").option_count > 0, "palette hits")
            await pilot.press("down", "enter")
        else:
            await pilot.press(way_out)
        await asked_then_stayed(app, pilot, form)
        assert app.is_running

    drive(journey, db_path)


def test_keys_of_other_screens_do_nothing_in_a_form(db_path):
    """A number key, n or / in a form (on a tick box, not typed into a field) opens nothing."""
    async def journey(app, pilot):
        form = await half_filled_form(app, pilot)
        await pilot.press("2", "n", "slash", "5")
        assert app.screen is form and form.query_one("#f-title", Input).value == "Hall grant"

    drive(journey, db_path)


def test_yes_leaves_and_goes_where_the_palette_said(db_path):
    async def journey(app, pilot):
        await half_filled_form(app, pilot)
        await pilot.press("ctrl+p")
        await type_text(pilot, "Go to cases")
        await until(pilot, lambda: app.screen.query_one("CommandList").option_count > 0, "palette hits")
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen), "the Cases list")
        assert not any(isinstance(s, FormScreen) for s in app.screen_stack)

    drive(journey, db_path)


def test_an_unchanged_form_is_left_at_once(db_path):
    async def journey(app, pilot):
        app.remember_compact("essex")
        await pilot.press("n", "f")
        await until(pilot, lambda: isinstance(app.screen, QuickLogScreen), "the form")
        await pilot.press("ctrl+p")
        await type_text(pilot, "Go to cases")
        await until(pilot, lambda: app.screen.query_one("CommandList").option_count > 0, "palette hits")
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen), "the Cases list, no question")

    drive(journey, db_path)


def test_ctrl_q_with_a_changed_form_quits_after_yes(db_path):
    async def journey(app, pilot):
        await half_filled_form(app, pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmDialog), "the question")
        await pilot.press("y")

    app = drive(journey, db_path)
    assert app.return_code == 0


def test_the_focused_field_says_so_and_hints_are_in_brackets_without_colour(db_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def journey(app, pilot):
        app.remember_compact("essex")
        await pilot.press("n", "c")
        await until(pilot, lambda: isinstance(app.screen, QuickLogScreen), "the form")
        lines = screen_text(app).splitlines()
        assert any("> Title" in line and "(what is this about)" in line for line in lines)
        assert any("  Consultation starts" in line and "(YYYY-MM-DD, today, +12w, -3d)" in line for line in lines)
        assert not any("> Consultation starts" in line for line in lines)
        await pilot.press("tab")
        lines = screen_text(app).splitlines()
        assert any("> Consultation starts" in line for line in lines)
        assert not any("> Title" in line for line in lines)
        for field in app.screen.query(TextField):
            assert field.placeholder.startswith("(") and field.placeholder.endswith(")"), field.placeholder

    drive(journey, db_path)


def test_an_open_choice_moves_the_fields_below_down_and_covers_nothing(db_path):
    async def journey(app, pilot):
        app.remember_compact("essex")
        await pilot.press("n", "o")
        await until(pilot, lambda: isinstance(app.screen, QuickLogScreen), "the form")
        await pilot.press("shift+tab", "enter")
        choice = app.screen.query_one("#f-compact", Choice)
        assert choice.expanded
        await pilot.pause()
        lines = [line.split("│")[1] for line in screen_text(app).splitlines() if line.count("│") >= 2]
        at = next(i for i, line in enumerate(lines) if line.startswith(" > Compact "))
        assert lines[at].rstrip().endswith(" A Compact for Southend-on-Sea")
        assert [line.strip() for line in lines[at + 1:at + 5]] == [
            "Compact for Havering", "> Essex Compact (chosen)", "High Peak Compact", "Southampton Compact"]
        assert lines[at + 5].startswith(" Rules: "), "the next row is right below the list, not under it"
        await pilot.press("down", "escape")
        assert not choice.expanded and choice.value == "essex", "escape closes the list unchanged"
        assert isinstance(app.screen, QuickLogScreen), "and does not leave the form"
        await pilot.press("enter", "down", "enter")
        assert choice.value == "high_peak"

    drive(journey, db_path)


def test_a_value_already_in_a_field_is_not_selected_for_typing_to_replace(db_path, caselog):
    from .conftest import new_case

    case_id = caselog.log(new_case("note", "essex", "Carers forum"))["id"]

    async def journey(app, pilot):
        app.open_case(case_id)
        await pilot.pause()
        await pilot.press("e")
        title = app.screen.query_one("#f-title", Input)
        await pilot.press("tab", "shift+tab")  # and again after coming back to it
        assert title.has_focus and title.selected_text == ""
        await type_text(pilot, "!")
        assert title.value == "Carers forum!"

    drive(journey, db_path)


def test_from_a_case_a_new_record_starts_on_that_cases_compact(db_path, caselog):
    from .conftest import new_case

    case_id = caselog.log(new_case("note", "southampton", "Youth forum"))["id"]

    async def journey(app, pilot):
        app.remember_compact("essex")
        app.open_case(case_id)
        await pilot.pause()
        await pilot.press("n", "o")
        form = app.screen
        assert form.query_one("#f-compact", Choice).value == "southampton"
        assert str(form.query_one("#form-title").render()).startswith(
            f"New note under Southampton Compact (case {case_id}'s compact)")
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, CompactsScreen)
        await pilot.press("n", "o")
        assert app.screen.query_one("#f-compact", Choice).value == "essex", "elsewhere, the last used"

    drive(journey, db_path)
