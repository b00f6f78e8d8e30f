"""Journey 2: log in seconds, and a wrong field is marked where it is with nothing saved."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import Input, Static

from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.compacts import CompactsScreen
from compact_tui.tui.fields import Choice
from compact_tui.tui.forms import ConfirmDialog
from compact_tui.tui.screens.quicklog import KindPicker, QuickLogScreen

from .conftest import drive, static_text, type_text

TITLE = "Youth club grant ending"


class KeyCounter:
    """Presses keys through the pilot and counts them: the keys an officer must know."""

    def __init__(self, pilot):
        self.pilot, self.keys = pilot, []

    async def press(self, *keys: str) -> None:
        self.keys += keys
        await self.pilot.press(*keys)


def test_log_a_funding_change_in_a_few_keys(db_path):
    counted = {}

    async def journey(app, pilot):
        assert isinstance(app.screen, CompactsScreen)
        keys = KeyCounter(pilot)
        await keys.press("n")
        assert isinstance(app.screen, KindPicker)
        await keys.press("f")
        form = app.screen
        assert isinstance(form, QuickLogScreen) and form.kind == "funding-change"
        assert form.query_one("#f-title", Input).has_focus
        # no compact used yet: back to the compact, open its list, s for Southampton, enter chooses it
        await keys.press("shift+tab", "enter", "s")
        assert form.query_one("#f-compact", Choice).expanded
        await keys.press("enter")
        assert form.query_one("#f-compact", Choice).value == "southampton"
        await keys.press("tab")
        await type_text(pilot, TITLE)
        await keys.press("tab")
        await type_text(pilot, "today")
        await keys.press("tab")
        await type_text(pilot, "+6w")
        await keys.press("ctrl+s")
        assert isinstance(app.screen, CaseScreen), "saving opens the new case"
        counted["keys"] = list(keys.keys)

        (case,) = app.caselog.list()
        assert case["title"] == TITLE and case["compact"] == "southampton" and case["kind"] == "funding-change"
        full = app.caselog.get(case["id"])
        assert full["notified"] == date.today().isoformat()
        assert full["effective"] == (date.today() + timedelta(weeks=6)).isoformat()
        assert app.screen.case_id == case["id"]
        findings = static_text(app.screen.query_one("#case-findings", Static))
        assert "BREACH" in findings and "4.5" in findings
        assert [f["ref"] for f in full["findings"] if f["severity"] == "breach"] == ["4.5"]
        assert app.last_compact == "southampton"

    drive(journey, db_path)
    # n f shift+tab enter enter tab tab tab ctrl+s: the words typed are not counted
    print(f"\nquick-log keys (compact chosen): {len(counted['keys'])}: {' '.join(counted['keys'])}")
    assert len(counted["keys"]) <= 15


def test_the_last_used_compact_is_the_default(db_path):
    async def journey(app, pilot):
        app.open_compact("essex")  # reading a compact does not make it the one used
        await pilot.pause()
        await pilot.press("escape", "n", "f")
        assert app.screen.query_one("#f-compact", Choice).value is None
        assert str(app.screen.query_one("#form-title").render()).startswith("New funding-change: choose its compact")
        await pilot.press("escape")
        app.remember_compact("southampton")  # a record was saved under it
        await pilot.press("n", "f")
        assert app.screen.query_one("#f-compact", Choice).value == "southampton"
        assert str(app.screen.query_one("#form-title").render()).startswith(
            "New funding-change under Southampton Compact (the last used)")
        await type_text(pilot, TITLE)
        await pilot.press("tab")
        await type_text(pilot, "today")
        await pilot.press("tab")
        await type_text(pilot, "+6w")
        await pilot.press("ctrl+s")  # n f tab tab ctrl+s: five keys and the words
        assert isinstance(app.screen, CaseScreen)
        assert app.caselog.count() == 1

    drive(journey, db_path)


def test_a_wrong_date_is_marked_and_nothing_is_saved_until_it_is_right(db_path):
    async def journey(app, pilot):
        await pilot.press("n", "f")
        form = app.screen
        form.query_one("#f-compact", Choice).value = "southampton"
        await type_text(pilot, TITLE)
        await pilot.press("tab")
        await type_text(pilot, "the 40th")
        await pilot.press("tab")
        await type_text(pilot, "+6w")
        await pilot.press("ctrl+s")

        assert app.screen is form, "the form stays open"
        notified = form.query_one("#f-notified", Input)
        assert notified.has_class("-invalid")
        assert not form.query_one("#f-effective", Input).has_class("-invalid")
        reason = form.query_one("#e-notified", Static)
        assert reason.display and "the 40th" in static_text(reason)
        error = form.query_one("#form-error", Static)
        assert error.display and "nothing is saved" in static_text(error)
        assert notified.has_focus, "the wrong field takes the focus"
        assert app.caselog.count() == 0
        assert form.query_one("#f-title", Input).value == TITLE
        assert notified.value == "the 40th"
        assert form.query_one("#f-effective", Input).value == "+6w"

        notified.value = ""
        await type_text(pilot, "today")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CaseScreen)
        assert app.caselog.count() == 1
        assert app.caselog.list()[0]["title"] == TITLE

    drive(journey, db_path)


def test_a_refused_title_keeps_what_was_typed(db_path):
    """An error from the case log itself (here, a title too long) shows in the form, beside
    the field, and loses nothing."""
    async def journey(app, pilot):
        app.remember_compact("essex")
        await pilot.press("n", "o")  # a note: no dates
        form = app.screen
        long_title = "x" * 201
        form.query_one("#f-title", Input).value = long_title
        await pilot.press("ctrl+s")
        assert app.screen is form
        assert form.query_one("#f-title", Input).has_class("-invalid")
        assert "title" in static_text(form.query_one("#form-error", Static))
        assert form.query_one("#f-title", Input).value == long_title
        assert app.caselog.count() == 0
        await pilot.press("escape")  # something was typed: leaving asks first, and n stays
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("n")
        assert app.screen is form and form.query_one("#f-title", Input).value == long_title
        await pilot.press("escape", "y")
        assert isinstance(app.screen, CompactsScreen)
        assert app.caselog.count() == 0

    drive(journey, db_path)


def test_naming_a_signed_organisation_picks_its_compact(db_path, caselog):
    """The compact defaults to the last used, or to the compact the named party signed."""
    from datetime import date

    from textual.widgets import Input

    from compact_tui.caselog import orgs
    from compact_tui.tui.screens.quicklog import QuickLogScreen

    orgs.add_org(caselog.store, "Havering CVS", "vcs")
    orgs.sign(caselog.store, caselog.registry, "Havering CVS", "havering", date(2026, 1, 5))

    async def journey(app, pilot):
        await pilot.press("n", "m")
        assert isinstance(app.screen, QuickLogScreen)
        app.screen.query_one("#f-orgs", Input).focus()
        await pilot.press(*"Havering CVS")
        await pilot.pause()
        assert app.screen.query_one("#f-compact", Choice).value == "havering"

    drive(journey, db_path)
