"""Getting around without getting lost (issue 12, part 5): a number key goes to its
section's own screen; the palette offers each action once, finds a case by ``case 12`` as
well as ``12``, and ``compare`` runs the comparison."""

from __future__ import annotations

from textual.command import CommandPalette

from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.cases import CasesScreen
from compact_tui.tui.screens.compacts import CompactsScreen, ThemePicker

from .conftest import drive, new_case, type_text, until


def test_a_number_key_goes_to_its_sections_own_screen(db_path):
    """The report: three records logged from the compacts list, then ``1`` showed case 3
    and three escapes were needed to reach the list."""
    async def journey(app, pilot):
        app.remember_compact("essex")  # a record was saved under Essex before
        for title in ("First", "Second", "Third"):
            await pilot.press("n", "o")
            await type_text(pilot, title)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: isinstance(app.screen, CaseScreen), "the new case")
        assert app.screen.case_id == 3
        assert len(app.screen_stack) == 2, "one case shown over the list, not three"
        await pilot.press("escape")
        assert isinstance(app.screen, CompactsScreen)

        app.open_case(2)
        await pilot.pause()
        await pilot.press("2")
        assert isinstance(app.screen, CasesScreen)
        await pilot.press("enter")  # open the newest case from the list
        assert isinstance(app.screen, CaseScreen)
        await pilot.press("1")
        assert isinstance(app.screen, CompactsScreen) and len(app.screen_stack) == 1
        await pilot.press("2")
        assert isinstance(app.screen, CasesScreen) and len(app.screen_stack) == 1, "the list, not the case"

    drive(journey, db_path)


async def palette_titles(app, pilot, query: str = "") -> list[str]:
    await pilot.press("ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    if query:
        await type_text(pilot, query)
    await until(pilot, lambda: app.screen.query_one("CommandList").option_count > 0, "palette hits")
    await pilot.pause()
    hits = app.screen.query_one("CommandList")
    return [str(hits.get_option_at_index(i).prompt).splitlines()[0].strip() for i in range(hits.option_count)]


def test_the_palette_offers_each_action_once(db_path):
    async def journey(app, pilot):
        titles = await palette_titles(app, pilot)
        assert len(titles) == len(set(titles)), titles
        assert titles.count("Quit") == 1
        assert "Show keys" in titles and "Keys" not in titles
        assert "Compare a theme across the compacts" in titles

    drive(journey, db_path)


def test_the_palette_finds_a_case_as_case_12_and_compare_compares(db_path, caselog):
    for title in ("One", "Two"):
        caselog.log(new_case("note", "essex", title))

    async def journey(app, pilot):
        for query in ("case 2", "Case #2", "#2", "2"):
            titles = await palette_titles(app, pilot, query)
            assert titles[0] == "Open case 2", (query, titles)
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, CaseScreen), f"case 2 opened by {query!r}")
            assert app.screen.case_id == 2
            await pilot.press("escape")

        titles = await palette_titles(app, pilot, "compare")
        assert titles[0] == "Compare a theme across the compacts", titles
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ThemePicker), "the theme picker")

    drive(journey, db_path)
