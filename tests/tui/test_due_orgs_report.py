"""Journeys 4, 5 and 6: what is due, organisations, the annual review."""

from __future__ import annotations

import csv
import json
import tomllib
from datetime import date, timedelta

from textual.widgets import DataTable, Input

from compact_tui.caselog import orgs
from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.deadlines import DeadlinesScreen
from compact_tui.tui.fields import Choice
from compact_tui.tui.screens.orgs import AddOrgForm, OrgsScreen, SignForm
from compact_tui.tui.screens.report import ReportScreen, WriteReport

from .conftest import column_text, drive, new_case, row_text, type_text


def test_due_lists_overdue_first_and_opens_the_case(seeded_db, caselog):
    soon = caselog.log(new_case("consultation", "southend", "Closes soon",
                                dates={"start": date.today(), "end": date.today() + timedelta(days=10)}))

    async def journey(app, pilot):
        await pilot.press("3")
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        table = screen.query_one("#due-table", DataTable)
        flags = column_text(table, "flag")
        assert flags[0] == "OVERDUE"
        first_unchecked = flags.index("UNCHECKED")  # a rule that needs a date the case lacks
        first_due = flags.index("due")
        first_waiting = flags.index("waiting") if "waiting" in flags else len(flags)
        assert set(flags[:first_unchecked]) == {"OVERDUE"} and set(flags[first_unchecked:first_due]) == {"UNCHECKED"}
        assert set(flags[first_due:first_waiting]) == {"due"}
        assert set(flags[first_waiting:]) <= {"waiting"}  # open disputes at a step with no time limit
        assert any(f"case {soon['id']}: consultation closes (Closes soon)" == w for w in column_text(table, "what"))
        overdue_dates = [d for f, d in zip(flags, column_text(table, "due")) if f == "OVERDUE" and d != "-"]
        assert overdue_dates == sorted(overdue_dates) and overdue_dates[0] < date.today().isoformat()

        what = row_text(table, 0)[3]
        case_id = int(what.split(":")[0].removeprefix("case "))
        await pilot.press("enter")
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id == case_id
        await pilot.press("escape")
        assert app.screen is screen

    drive(journey, seeded_db)


def test_add_an_organisation_sign_and_champion(db_path):
    async def journey(app, pilot):
        await pilot.press("4")
        screen = app.screen
        assert isinstance(screen, OrgsScreen)
        table = screen.query_one("#org-table", DataTable)
        assert table.row_count == 0

        await pilot.press("a")
        form = app.screen
        assert isinstance(form, AddOrgForm) and form.query_one("#o-name", Input).has_focus
        await type_text(pilot, "Chelmsford Carers")
        assert form.query_one("#o-side", Choice).value == "vcs"
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert row_text(table, 0)[:2] == ["Chelmsford Carers", "vcs"]

        await pilot.press("s")
        form = app.screen
        assert isinstance(form, SignForm)
        assert form.query_one("#o-compact", Choice).has_focus  # no compact used yet: choose one
        assert str(form.query_one("#form-title").render()) == "Chelmsford Carers signed a compact"
        await pilot.press("enter", "e", "enter", "tab")  # open the list; e: Essex; enter chooses it
        assert form.query_one("#o-compact", Choice).value == "essex"
        await type_text(pilot, "2026-01-05")
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert row_text(table, 0)[2] == "essex 2026-01-05"
        await pilot.press("s")  # the compact it starts on is the last used, and says so
        assert str(app.screen.query_one("#form-title").render()) == \
            "Chelmsford Carers signed a compact (starts on Essex Compact: the last used)"
        assert app.screen.query_one("#o-compact", Choice).value == "essex"
        await pilot.press("escape")
        assert app.screen is screen

        await pilot.press("c")
        await type_text(pilot, "Ann Example")
        await pilot.press("ctrl+s")
        assert app.screen is screen
        assert row_text(table, 0) == ["Chelmsford Carers", "vcs", "essex 2026-01-05", "Ann Example"]
        (org,) = orgs.list_orgs(app.caselog.store)
        assert org["champion"] == "Ann Example" and org["side"] == "vcs"

        await pilot.press("a", "ctrl+s")  # no name: refused inside the form
        assert isinstance(app.screen, AddOrgForm)
        assert app.screen.query_one("#form-error").display
        await pilot.press("escape")
        assert table.row_count == 1

    drive(journey, db_path)


def test_annual_review_shown_and_written_in_every_format(seeded_db, tmp_path):
    out = tmp_path / "out"
    out.mkdir()

    async def journey(app, pilot):
        await pilot.press("5")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        screen.query_one("#r-compact", Choice).value = "essex"
        year = screen.query_one("#r-year", Input)
        year.value = ""
        year.focus()
        await type_text(pilot, "2025")
        await pilot.press("enter", "tab")  # show that year; leave the year field for the report
        assert screen.report["compact"] == "essex" and screen.report["year"] == 2025
        markdown = screen.shown_markdown
        assert "Essex Compact" in markdown and "2025" in markdown

        for fmt in ("md", "csv", "json", "toml"):
            await pilot.press("w")
            form = app.screen
            assert isinstance(form, WriteReport)
            form.query_one("#w-format", Choice).value = fmt
            form.query_one("#w-path", Input).value = str(out / "essex-2025")
            await pilot.press("ctrl+s")
            assert app.screen is screen, f"writing {fmt}"

    drive(journey, seeded_db)
    assert sorted(p.name for p in out.iterdir()) == [f"essex-2025.{f}" for f in ("csv", "json", "md", "toml")]
    assert "Essex Compact" in (out / "essex-2025.md").read_text()
    data = json.loads((out / "essex-2025.json").read_text())
    assert data["compact"] == "essex" and data["year"] == 2025
    assert tomllib.loads((out / "essex-2025.toml").read_text())["year"] == 2025
    assert list(csv.reader((out / "essex-2025.csv").open()))


def test_after_choosing_a_year_w_writes_the_report(seeded_db):
    """Enter in the year field shows that year; the footer's keys (w, i) then work at once,
    not typed into the year field."""
    async def journey(app, pilot):
        await pilot.press("5")
        screen = app.screen
        year = screen.query_one("#r-year", Input)
        year.focus()
        year.value = ""
        await type_text(pilot, "2025")
        await pilot.press("enter")
        assert screen.report["year"] == 2025
        await pilot.press("w")
        assert year.value == "2025"
        assert isinstance(app.screen, WriteReport)

    drive(journey, seeded_db)
