"""Keys go where the officer typed them, however fast they arrive (issue 12, part 2).

A laggy SSH link or a paste delivers a whole form's keys at once. Each test here sends the
keys in one go, straight into the app's queue (``burst``), and only then waits: every
field must hold what was typed into it. Before the key gate (``tui/keygate.py``) the
title took every character and the dates stayed empty.
"""

from __future__ import annotations

from datetime import date

from textual.widgets import Checkbox, Input

from compact_tui.tui.fields import Choice

from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.quicklog import QuickLogScreen

from .conftest import burst, drive, until


def test_a_whole_funding_change_form_typed_in_one_burst(db_path):
    async def journey(app, pilot):
        burst(app, "n", "f", "shift+tab", "enter", "s", "enter", "tab",  # the kind, then the compact
              "Title one", "tab", "2026-11-01", "tab", "2026-12-15", "tab", "2027-03-31", "tab",
              "Age UK Southampton", "tab", "4.5", "tab", "Council budget set late", "tab", "space")
        await until(pilot, lambda: isinstance(app.screen, QuickLogScreen)
                    and app.screen.query_one("#f-verbal", Checkbox).value, "the last key handled")
        form = app.screen

        def field(name):
            return form.query_one(f"#f-{name}", Input).value

        assert form.kind == "funding-change"
        assert form.query_one("#f-compact", Choice).value == "southampton"
        assert field("title") == "Title one"
        assert field("notified") == "2026-11-01"
        assert field("effective") == "2026-12-15"
        assert field("period_end") == "2027-03-31"
        assert field("orgs") == "Age UK Southampton"
        assert field("cites") == "4.5"
        assert field("reason") == "Council budget set late"
        assert form.query_one("#f-verbal", Checkbox).has_focus
        assert not form.query_one("#f-confidential", Checkbox).value

        burst(app, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), "the new case shown")
        case = app.caselog.get(app.screen.case_id)
        assert (case["compact"], case["kind"], case["title"]) == ("southampton", "funding-change", "Title one")
        assert (case["notified"], case["effective"], case["period_end"]) == ("2026-11-01", "2026-12-15",
                                                                           "2027-03-31")
        assert case["parties"] == ["Age UK Southampton"] and case["cites"] == ["4.5"]
        assert case["reason"] == "Council budget set late" and case["in_writing"] == 0

    drive(journey, db_path)


def test_the_issues_burst_from_the_compacts_list(db_path):
    """The exact keys of the report: ``n f``, a title, tab, a date, tab, a date."""
    async def journey(app, pilot):
        app.remember_compact("southampton")
        burst(app, "n", "f", "Title one", "tab", "2026-11-01", "tab", "2026-12-15")
        await until(pilot, lambda: isinstance(app.screen, QuickLogScreen)
                    and app.screen.query_one("#f-effective", Input).value == "2026-12-15", "the last key")
        form = app.screen
        assert form.query_one("#f-title", Input).value == "Title one"
        assert form.query_one("#f-notified", Input).value == "2026-11-01"
        assert form.query_one("#f-effective", Input).has_focus

    drive(journey, db_path)


def test_a_burst_across_screens_lands_on_each_screen_in_turn(db_path, caselog):
    """Open the cases list, filter it, open the one case, add a note: all typed at once."""
    from .conftest import new_case

    caselog.log(new_case("note", "essex", "Carers forum"))
    caselog.log(new_case("note", "essex", "Youth forum"))

    async def journey(app, pilot):
        burst(app, "2", "slash", "carers", "enter", "enter", "a", "Rang them", "enter")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen)
                    and len(app.caselog.get(app.screen.case_id)["events"]) == 2, "the note saved")
        case = app.caselog.get(app.screen.case_id)
        assert case["title"] == "Carers forum"
        assert case["events"][-1]["note"] == "Rang them"
        assert app.caselog.get(2)["events"][-1]["action"] == "logged"  # nothing reached the other case
        assert date.today().isoformat() == case["events"][-1]["happened_on"]

    drive(journey, db_path)
