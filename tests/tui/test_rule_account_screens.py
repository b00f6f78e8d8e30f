"""The form says which dates the chosen compact's rules need, and the case screen accounts for
every rule: the issue's Southend funding change, notified today and taking effect in six weeks
with no funding period end, says 6.3(c) was not checked and why."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from compact_tui.tui.fields import Choice
from compact_tui.tui.screens.cases import CaseScreen
from compact_tui.tui.screens.quicklog import QuickLogScreen

from .conftest import drive, static_text, type_text


def flat(text: str) -> str:
    return " ".join(text.split())


async def choose(pilot, form, compact_id: str) -> None:
    """Choose ``compact_id`` in the form's compact list by its keys: open, down to it, enter."""
    choice = form.query_one("#f-compact", Choice)
    choice.focus()
    await pilot.press("enter")
    while choice.options[choice.cursor][1] != compact_id:
        await pilot.press("down")
    await pilot.press("enter")
    assert choice.value == compact_id


def test_the_form_names_what_6_3_c_needs_and_the_case_says_it_was_not_checked(db_path):
    async def journey(app, pilot):
        await pilot.press("n", "f")
        form = app.screen
        assert isinstance(form, QuickLogScreen)
        await choose(pilot, form, "southampton")
        await pilot.pause()
        assert flat(static_text(form.query_one("#f-needs", Static))) == (
            "Rules: 4.5 needs Notice given on, Change takes effect, in writing unless ticked below "
            "(left empty: not checked).")
        await choose(pilot, form, "southend")
        await pilot.pause()
        assert flat(static_text(form.query_one("#f-needs", Static))) == (
            "Rules: 6.3(c) needs Notice given on, Funding period ends (left empty: not checked).")
        form.query_one("#f-title").focus()
        await type_text(pilot, "Age UK Southend grant")
        await pilot.press("tab")
        await type_text(pilot, "today")
        await pilot.press("tab")
        await type_text(pilot, "+6w")
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, CaseScreen)
        shown = flat(static_text(app.screen.query_one("#case-findings", Static)))
        assert shown.startswith(
            "Rules NOT CHECKED A Compact for Southend-on-Sea 6.3(c): needs the end of the current funding period "
            "(Funding period ends, e to change). READING the rule is not stated by the text: 6.3 undertakes")

    drive(journey, db_path)


def test_a_compact_with_no_rule_for_the_kind_says_so_on_the_form(db_path):
    async def journey(app, pilot):
        await pilot.press("n", "c")
        form = app.screen
        await choose(pilot, form, "essex")
        await pilot.pause()
        assert flat(static_text(form.query_one("#f-needs", Static))) == (
            "Rules: this compact states no notice rule for a consultation.")

    drive(journey, db_path)


def test_the_compacts_list_shows_the_link_one_level_up_with_its_source_and_a_status_reading(db_path):
    from textual.widgets import DataTable

    async def journey(app, pilot):
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=0)  # A Compact for Southend-on-Sea
        await pilot.pause()
        summary = flat(static_text(app.screen.query_one("#compact-summary", Static)))
        assert ("One level up: Essex Compact. A reading. Essex Compact's text, 2.p5 says: \"provide a countywide "
                "framework which will complement the existing District and Borough wide Compacts\".") in summary
        statuses = {key.value: table.get_cell(key, "status").plain for key in table.rows}
        assert statuses == {"southend": "adopted", "havering": "draft", "essex": "adopted",
                            "high_peak": "working-draft", "southampton": "adopted\n(reading)"}
        assert table.rows[next(k for k in table.rows if k.value == "southampton")].height == 2
        row = next(i for i, key in enumerate(table.rows) if key.value == "southampton")
        table.move_cursor(row=row)
        await pilot.pause()
        summary = flat(static_text(app.screen.query_one("#compact-summary", Static)))
        assert summary.startswith("Southampton Compact Southampton; Compact Code of Good Practice (adopted, a "
                                  "reading: The text does not say whether it was adopted")

    drive(journey, db_path)


def test_due_names_the_rule_not_checked_and_counts_it(db_path, caselog):
    """What is due counts unchecked rules: the issue's Southend case, with no funding period end,
    is a row of its own on Due (marked a reading, as 'case N' marks the rule), counted in the
    status line, and gone once the date is given."""
    from datetime import date

    from compact_tui.tui.screens.deadlines import DeadlinesScreen

    from .conftest import column_text, new_case

    case = caselog.log(new_case("funding-change", "southend", "Age UK Southend grant",
                                dates={"notified": date(2026, 3, 2), "effective": date(2026, 4, 13)}))

    async def journey(app, pilot):
        await pilot.press("3")
        screen = app.screen
        assert isinstance(screen, DeadlinesScreen)
        table = screen.query_one("#due-table", DataTable)
        rows = [r for r in zip(column_text(table, "flag"), column_text(table, "due"), column_text(table, "compact"),
                               column_text(table, "what")) if r[0] == "UNCHECKED"]
        assert rows == [("UNCHECKED", "-", "southend",
                         f"case {case['id']}: A Compact for Southend-on-Sea 6.3(c) not checked: needs the end of the "
                         "current funding period (--period-end). (a reading) (Age UK Southend grant)")]
        assert "· 1 not checked ·" in static_text(screen.query_one("#due-status", Static))
        caselog.update(case["id"], dates={"period_end": date(2026, 3, 31)})
        screen.action_reload()
        await pilot.pause()
        assert "UNCHECKED" not in column_text(table, "flag")
        assert "· 0 not checked ·" in static_text(screen.query_one("#due-status", Static))

    drive(journey, db_path)
