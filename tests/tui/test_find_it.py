"""Search and the palette find what was asked for (issue 20, item 6): down then enter opens a
search hit; 'compare consultation' compares that theme; '11' is case 11 before clause 6.11."""

from __future__ import annotations

from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.compacts import ClauseScreen, CompareScreen

from .conftest import drive, new_case, type_text, until
from .test_one_place_per_key import palette_titles


def test_down_then_enter_from_the_search_box_opens_the_first_hit(db_path):
    async def journey(app, pilot):
        await pilot.press("slash")
        await type_text(pilot, "three months")
        await until(pilot, lambda: app.screen.query_one("#hits").option_count > 0, "hits")
        first = app.screen.query_one("#hits").get_option_at_index(0).id
        await pilot.press("down", "enter")
        await until(pilot, lambda: isinstance(app.screen, ClauseScreen), "the clause opened")
        assert f"{app.screen.compact.id}\x00{app.screen.clause.ref}" == first

    drive(journey, db_path)


def test_compare_and_a_theme_in_the_palette_compares_that_theme(db_path):
    async def journey(app, pilot):
        titles = await palette_titles(app, pilot, "compare consultation")
        assert titles[0] == "Compare the compacts on consultation", titles
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen), "the comparison")
        assert app.screen.theme == "consultation"

    drive(journey, db_path)


def test_a_number_in_the_palette_is_that_case_before_any_clause(db_path, caselog):
    for i in range(11):
        caselog.log(new_case("note", "essex", f"Note {i + 1}"))

    async def journey(app, pilot):
        titles = await palette_titles(app, pilot, "11")
        assert titles[0] == "Open case 11", titles
        assert any(t.endswith(" 6.11") for t in titles[1:]), "the clauses still follow"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), "case 11")
        assert app.screen.case_id == 11

    drive(journey, db_path)
