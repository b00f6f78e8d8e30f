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
        assert [o.split()[0] for o in option_texts(clauses)][:1] == ["4.1"]
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
        assert "Reading:" in rules[0]
        await pilot.press("escape")
        assert isinstance(app.screen, CompactsScreen)

    drive(journey, db_path)


def test_the_dispute_procedure_as_steps(db_path):
    """``d`` lists the procedure's stages in order, each with where it can go next. Several
    stages of one procedure may share a clause reference (Southampton's 6.s1 is the source of
    stages 1 and 3): each still shows, once, in its place."""
    async def journey(app, pilot):
        for compact_id in ("southampton", "essex"):
            screen = await open_compact(app, pilot, compact_id)
            await pilot.press("d")
            steps = option_texts(screen.query_one("#clauses", OptionList))
            proc = screen.compact.procedure
            assert len(steps) == len(proc.stages)
            assert [s.splitlines()[0].split("  [")[0] for s in steps] == [f"{i}. {st.title}" for i, st in enumerate(proc.stages, 1)]
            assert "then: " in steps[0] and "ends: " in steps[-1]
            await pilot.press("down", "enter")  # a step opens the clause it comes from
            assert isinstance(app.screen, ClauseScreen) and app.screen.clause.ref == proc.stages[0].ref
            await pilot.press("escape")
            await pilot.press("escape")
            assert isinstance(app.screen, CompactsScreen)

    drive(journey, db_path)


def test_a_pending_section_says_so_and_where_to_turn(db_path):
    async def journey(app, pilot):
        screen = await open_compact(app, pilot, "high_peak")
        pending = next(s for s in screen.compact.sections if s.pending)
        await move_to_section(pilot, screen, pending.ref)
        text = option_texts(screen.query_one("#clauses", OptionList))[0]
        assert "Information pending" in text
        assert "Derbyshire" in text
        await pilot.press("d")  # no procedure of its own: say where to turn
        assert "Derbyshire" in option_texts(screen.query_one("#clauses", OptionList))[0]

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
        first_compact, first_ref = ids[0].split("\x00")
        assert (app.screen.compact.id, app.screen.clause.ref) == (first_compact, first_ref)
        assert "mediation" in app.screen.clause.text.lower()
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
        assert [c.id for c in columns] == [f"col-{c.id}" for c in app.registry]
        southampton = static_text(app.screen.query_one("#col-southampton Static", Static))
        assert "4.5" in southampton and "three months" in southampton
        assert columns[0].has_focus
        await pilot.press("right")
        assert columns[1].has_focus
        assert "Southend" in screen_text(app) or "Havering" in screen_text(app)

    drive(journey, db_path)
