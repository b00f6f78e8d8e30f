"""Journey 1: read a compact, its rules and procedure; search as you type; compare a theme."""

from __future__ import annotations

from textual.widgets import DataTable, Input, OptionList, Static

from compact_tui.tui.screens.compacts import (ClauseScreen, CompactScreen, CompactsScreen, CompareScreen,
                                              ThemePicker)
from compact_tui.tui.screens.search import SearchScreen

from .conftest import drive, screen_text, static_text, type_text


def option_texts(options: OptionList) -> list[str]:
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def highlight(pilot, options: OptionList, wanted, limit: int = 300) -> None:
    """Press down until the highlighted option's text satisfies ``wanted``."""
    for _ in range(limit):
        if options.highlighted is not None and wanted(str(options.get_option_at_index(options.highlighted).prompt)):
            return
        await pilot.press("down")
    raise AssertionError("never highlighted")


async def open_compact(app, pilot, compact_id: str) -> CompactScreen:
    table = app.screen.query_one("#compacts", DataTable)
    step = table.get_row_index(compact_id) - table.cursor_row
    await pilot.press(*(["down"] * step if step > 0 else ["up"] * -step))
    await pilot.press("enter")
    assert isinstance(app.screen, CompactScreen)
    assert app.screen.compact.id == compact_id
    return app.screen


async def move_to_section(pilot, screen: CompactScreen, ref: str) -> None:
    await highlight(pilot, screen.query_one("#sections", OptionList), lambda text: text.split()[0] == ref)


def test_read_a_clause_its_rules_and_procedure(db_path):
    async def journey(app, pilot):
        assert isinstance(app.screen, CompactsScreen)
        table = app.screen.query_one("#compacts", DataTable)
        assert table.row_count == 5
        screen = await open_compact(app, pilot, "southampton")
        await move_to_section(pilot, screen, "4")
        clauses = screen.query_one("#clauses", OptionList)
        # our note on how the section was read comes first, marked as ours; then the clauses
        note, first = [" ".join(o.split()) for o in option_texts(clauses)][:2]
        assert note.startswith("Our note, not the text: Undertakings for Public Bodies and Agencies: 4.1-4.5.")
        assert first.split()[0] == "4.1"
        await pilot.press("enter")  # into the clauses pane
        assert clauses.has_focus
        await highlight(pilot, clauses, lambda text: text.startswith("4.5 "))
        await pilot.press("enter")
        assert isinstance(app.screen, ClauseScreen)
        body = static_text(app.screen.query_one("#clause-body Static", Static))
        assert body.startswith("Southampton Compact 4.5")
        assert "three months" in body and "Theme: funding" in body and "Side: " in body
        await pilot.press("escape")
        assert app.screen is screen

        await pilot.press("r")
        rules = option_texts(clauses)
        assert any(r.startswith("4.5") for r in rules) and any(r.startswith("2.4") for r in rules)
        four_five = next(r for r in rules if r.startswith("4.5"))
        assert "Stated (4.5): 'Give at least three months notice in writing" in " ".join(four_five.split())
        await pilot.press("escape")
        assert isinstance(app.screen, CompactsScreen)

    drive(journey, db_path)


#: The stages each procedure lists, in order, written out from the seed texts.
#: Southampton section 6: "resolved by negotiation and discussion between those involved. The
#: national organisation, Compact Voice, may be able to help ... If this fails then any existing
#: agreed or statutory dispute resolution mechanisms or the relevant ombudsman may be used."
SOUTHAMPTON_STEPS = [
    "1. Negotiation and discussion between those involved",
    "2. Help from Compact Voice (optional)",
    "3. Resolved by negotiation and discussion",
    "4. Resolved with the help of Compact Voice",
    "5. Referred to an existing agreed or statutory dispute resolution mechanism",
    "6. Referred to the relevant ombudsman",
    "7. Not resolved, and no other mechanism used",
]
#: Essex's mediation service: the complainant's four steps, then the Chair's eight.
ESSEX_STEPS = [
    "1. 1) Make sure of full information and of their ground",
    "2. 2) Raise the matter with the organisation perceived to be at fault",
    "3. 3) Refer the matter to the complainant's own decision-makers",
    "4. 4) Raise the matter with the Chair of the Mediation Panel",
    "5. Chair 1) Notify the organisation(s) complained about",
    "6. Chair 2) Assess whether the complaint falls within the Essex Compact",
    "7. Chair 3) One mediator explores informal resolution",
    "8. Chair 4) A team of three mediators meets all parties",
    "9. Chair 5) The team reports to both parties and the Steering Group",
    "10. Solution agreed: both parties formally committed",
    "11. Chair 6) Solution not endorsed: the Steering Group considers the matter",
    "12. Chair 7) Solution not kept to: the Steering Group considers the issue",
    "13. Resolved",
    "14. Chair 2(b) Referred to another Compact (local or national)",
    "15. Chair 2(c) Not a Compact matter",
    "16. Chair 8) No solution agreed: the Steering Group communicates lessons to be learnt",
    "17. Not pursued: no decision to take the matter further",
]


NOTE_STARTS = {"southampton": "Section 6 as the text gives it: negotiation and discussion",
               "essex": "The Essex Compact Mediation Service: the complainant's stages"}


def test_the_dispute_procedure_as_steps(db_path):
    """``d`` lists the procedure's stages in order, each with where it can go next. Several
    stages of one procedure may share a clause reference (Southampton's 6.s1 is the source of
    stages 1 and 3): each still shows, once, in its place. The procedure's note comes first."""
    async def journey(app, pilot):
        for compact_id, expected, first_ref in (("southampton", SOUTHAMPTON_STEPS, "6.s1"),
                                                ("essex", ESSEX_STEPS, "MS.complainant.1")):
            screen = await open_compact(app, pilot, compact_id)
            await pilot.press("d")
            note, *steps = option_texts(screen.query_one("#clauses", OptionList))
            assert note.startswith(NOTE_STARTS[compact_id])  # the procedure's note comes first
            assert [s.splitlines()[0].split("  [")[0] for s in steps] == expected
            assert "then: " in steps[0] and "ends: " in steps[-1]
            await pilot.press("down", "down", "enter")  # a step opens the clause it comes from
            assert isinstance(app.screen, ClauseScreen) and app.screen.clause.ref == first_ref
            await pilot.press("escape")
            await pilot.press("escape")
            assert isinstance(app.screen, CompactsScreen)

    drive(journey, db_path)


def test_a_pending_section_says_so_and_where_to_turn(db_path):
    async def journey(app, pilot):
        screen = await open_compact(app, pilot, "high_peak")
        await move_to_section(pilot, screen, "6")  # "6. Recognising Difference / Information pending"
        text = option_texts(screen.query_one("#clauses", OptionList))[0]
        assert text == "The text says 'Information pending'.\n\nWhere to turn: its text names no compact above it"
        await pilot.press("d")  # no procedure of its own, and no level up its text names
        assert option_texts(screen.query_one("#clauses", OptionList))[0].endswith(
            "Where to turn: its text names no compact above it")

    drive(journey, db_path)


def test_search_as_you_type_and_open_a_hit(db_path):
    async def journey(app, pilot):
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await type_text(pilot, "mediation")
        hits = app.screen.query_one("#hits", OptionList)
        ids = [hits.get_option_at_index(i).id for i in range(hits.option_count)]
        assert {i.split("\x00")[0] for i in ids} == {"southend", "essex"}
        assert app.screen.query_one(Input).value == "mediation"
        await pilot.press("enter", "enter")  # to the hits, open the first
        assert isinstance(app.screen, ClauseScreen)
        # Southend 9: "both parties should seek mediation through a mutually agreed mediator"
        assert ids[0] == "southend\x009.s3"
        assert (app.screen.compact.id, app.screen.clause.ref) == ("southend", "9.s3")
        assert "seek mediation through a mutually agreed mediator" in app.screen.clause.text
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)

    drive(journey, db_path)


def test_compare_a_theme_one_column_per_compact(db_path):
    async def journey(app, pilot):
        await pilot.press("t")
        assert isinstance(app.screen, ThemePicker)
        await highlight(pilot, app.screen.query_one(OptionList), lambda text: text == "funding")
        await pilot.press("enter")
        assert isinstance(app.screen, CompareScreen) and app.screen.theme == "funding"
        columns = list(app.screen.query(".compare-column"))
        assert [c.id for c in columns] == ["col-southend", "col-havering", "col-essex", "col-high_peak",
                                           "col-southampton"]
        southampton = static_text(app.screen.query_one("#col-southampton Static", Static))
        assert "4.5" in southampton and "three months" in southampton
        assert columns[0].has_focus
        await pilot.press("right")
        assert columns[1].has_focus
        assert "Havering" in static_text(columns[1].query_one(Static))

    drive(journey, db_path)
