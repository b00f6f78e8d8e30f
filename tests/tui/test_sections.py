"""The one table of sections: the number keys, the navigation bar, the palette and the start
screens all come from it, and each section's key shows its screen."""

from __future__ import annotations

from compact_tui.config import START_SCREENS
from compact_tui.tui.commands import ACTIONS
from compact_tui.tui.sections import SECTIONS

from .conftest import drive, screen_text, until


def test_the_sections_are_the_screens_the_app_can_start_on():
    assert tuple(s.mode for s in SECTIONS) == START_SCREENS
    assert [s.key for s in SECTIONS] == ["1", "2", "3", "4", "5"]


def test_the_palette_offers_each_section_once():
    assert [a for a in ACTIONS if a[1].startswith("go(")] == [
        ("Go to compacts", "go('compacts')", "the installed compacts"),
        ("Go to cases", "go('cases')", "filter, sort and open cases"),
        ("Go to due", "go('due')", "deadlines and findings, overdue first"),
        ("Go to organisations", "go('orgs')", "add, sign, name a champion"),
        ("Go to annual review", "go('report')", "the annual report"),
    ]


def test_each_number_key_shows_its_section_and_the_navigation_bar_marks_it(db_path):
    shown = []

    async def journey(app, pilot):
        for section in (*SECTIONS[1:], SECTIONS[0]):
            await pilot.press(section.key)
            await until(pilot, lambda: app.screen.SECTION == section.mode, section.mode)
            shown.append((type(app.screen).__name__, screen_text(app).splitlines()[0]))

    drive(journey, db_path)
    assert [name for name, _ in shown] == ["CasesScreen", "DeadlinesScreen", "OrgsScreen", "ReportScreen",
                                           "CompactsScreen"]
    assert all(line.startswith("compact-tui  1 Compacts  2 Cases  3 Due  4 Orgs  5 Report") for _, line in shown)
