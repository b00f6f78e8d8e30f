"""The form says which dates the chosen compact's rules need, and the case screen accounts for
every rule: the issue's Southend funding change, notified today and taking effect in six weeks
with no funding period end, says 6.3(c) was not checked and why."""

from __future__ import annotations

from textual.widgets import DataTable, Static

from compact_tui.tui.fields import Choice
from compact_tui.tui.screens.case import CaseScreen
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
                            "high_peak": "working-draft", "southampton": "adopted\n(a reading)"}
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
    is a row of its own on Due, naming the case's field that gives the date (not the command
    line's option) and marked a reading, as 'case N' marks the rule; counted in the status line,
    and gone once the date is given."""
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
                         "current funding period (Funding period ends). (a reading) (Age UK Southend grant)")]
        assert "· 1 not checked ·" in static_text(screen.query_one("#due-status", Static))
        caselog.update(case["id"], dates={"period_end": date(2026, 3, 31)})
        screen.action_reload()
        await pilot.pause()
        assert "UNCHECKED" not in column_text(table, "flag")
        assert "· 0 not checked ·" in static_text(screen.query_one("#due-status", Static))

    drive(journey, db_path)


#: The quick-log form's line for each kind under each compact, written out by hand from the rules
#: the seed texts give: Southampton 2.4 ("conduct 12-week formal written consultations") and 4.5
#: ("Give at least three months notice in writing"); Southend 6.3(c) ("before the end of the current
#: funding period") and 10.4 (an annual meeting); Havering 5.4.2 ("an annual conference every twelve
#: months"), 5.3.p3 ("quarterly meetings of the Compact steering group") and 5.4.2.b1; Essex 7.b2,
#: MS.complaints.p2 and MS.panel.p2; High Peak 7.2.b6. Every other pair: no rule, said so.
FIRST = "(none logged before: not checked)"
NEEDS_LINES = {
    "consultation": {"southampton": "Rules: 2.4 needs Consultation starts, Consultation closes, in writing unless "
                                    "ticked below (left empty: not checked)."},
    "funding-change": {
        "southend": "Rules: 6.3(c) needs Notice given on, Funding period ends (left empty: not checked).",
        "southampton": "Rules: 4.5 needs Notice given on, Change takes effect, in writing unless ticked below "
                       "(left empty: not checked)."},
    "meeting": {
        "havering": "Rules: 5.4.2 counts a meeting citing 5.4.2 (Clauses cited), measured from the last one logged; "
                    "5.3.p3 counts a meeting citing 5.3.p3 (Clauses cited), measured from the last one logged "
                    f"{FIRST}.",
        "essex": "Rules: MS.complaints.p2 counts a meeting citing MS.complaints.p2 (Clauses cited), measured from the "
                 "last one logged; MS.panel.p2 counts a meeting citing MS.panel.p2 (Clauses cited), measured from the "
                 f"last one logged {FIRST}."},
    "annual-review": {
        "southend": f"Rules: 10.4 is measured from the last annual review logged {FIRST}.",
        "havering": f"Rules: 5.4.2.b1 is measured from the last annual review logged {FIRST}.",
        "essex": f"Rules: 7.b2 is measured from the last annual review logged {FIRST}.",
        "high_peak": f"Rules: 7.2.b6 is measured from the last annual review logged {FIRST}."},
}
NO_RULE = {"consultation": "a consultation", "funding-change": "a funding change", "dispute": "a dispute",
           "champion": "a champion", "signatory": "a signatory", "meeting": "a meeting",
           "annual-review": "an annual review", "note": "a note"}


def test_the_form_for_each_kind_says_what_each_compact_s_rules_need_as_the_compact_changes(db_path):
    from compact_tui.tui.forms import ConfirmDialog
    from compact_tui.tui.screens.quicklog import KIND_KEYS

    assert set(NO_RULE) == set(KIND_KEYS)
    compacts = ["southend", "havering", "essex", "high_peak", "southampton", "southend"]  # and back again

    async def journey(app, pilot):
        for kind, key in KIND_KEYS.items():
            await pilot.press("n", key)
            form = app.screen
            assert isinstance(form, QuickLogScreen) and form.kind == kind
            for compact_id in compacts:
                await choose(pilot, form, compact_id)
                await pilot.pause()
                expected = NEEDS_LINES.get(kind, {}).get(
                    compact_id, f"Rules: this compact states no notice rule for {NO_RULE[kind]}.")
                assert (kind, compact_id, flat(static_text(form.query_one("#f-needs", Static)))) == (
                    kind, compact_id, expected)
            await pilot.press("escape")
            if isinstance(app.screen, ConfirmDialog):  # the compact was chosen: leave without saving
                await pilot.press("y")
            assert not isinstance(app.screen, QuickLogScreen)

    drive(journey, db_path)


def test_the_change_form_says_what_the_case_s_rules_need_and_follows_a_change_of_compact(db_path, caselog):
    """The case's own 'e' form says what its compact's rules need, as the log form does, and says
    it again for the compact chosen instead."""
    from datetime import date

    from compact_tui.tui.screens.edit import EditDialog

    from .conftest import new_case

    case = caselog.log(new_case("funding-change", "southend", "Age UK Southend grant",
                                dates={"notified": date(2026, 3, 2), "effective": date(2026, 4, 13)}))

    async def journey(app, pilot):
        app.push_screen(CaseScreen(case["id"]))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, EditDialog)
        assert flat(static_text(form.query_one("#f-needs", Static))) == (
            "Rules: 6.3(c) needs Notice given on, Funding period ends (left empty: not checked).")
        await choose(pilot, form, "essex")
        await pilot.pause()
        assert flat(static_text(form.query_one("#f-needs", Static))) == (
            "Rules: this compact states no notice rule for a funding change.")
        # the clauses it completes are the chosen compact's too
        assert "7.b2" in form.clause_refs() and "6.3(c)" not in form.clause_refs()

    drive(journey, db_path)
