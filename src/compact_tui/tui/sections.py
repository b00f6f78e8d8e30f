"""The sections of the app, in one table: the number key that shows each, its name in the
navigation bar, the screen that draws it (imported only when it is first shown) and its line
in the command palette. The app's modes and number keys, the navigation bar and the palette
are all made from :data:`SECTIONS`.

To add a section: write its screen (a ``BaseScreen`` with ``SECTION`` set to the section's
mode) in ``screens/``, add one ``Section`` here, and add its mode to ``config.START_SCREENS``
(the core cannot import the app; ``tests/tui/test_sections.py`` checks the two agree).
"""

from __future__ import annotations

from ..record import record



@record(frozen=True)
class Section:
    key: str  #: the number key that shows it
    mode: str  #: its name: the Textual mode, ``--start`` and ``start_screen``
    label: str  #: in the navigation bar
    module: str  #: ``screens.<module>`` holds its screen ...
    screen: str  #: ... under this class name
    palette: str  #: its line in the command palette ...
    palette_help: str  #: ... and what the line says under it


SECTIONS: tuple[Section, ...] = (
    Section("1", "compacts", "Compacts", "compacts", "CompactsScreen", "Go to compacts", "the installed compacts"),
    Section("2", "cases", "Cases", "cases", "CasesScreen", "Go to cases", "filter, sort and open cases"),
    Section("3", "due", "Due", "deadlines", "DeadlinesScreen", "Go to due", "deadlines and findings, overdue first"),
    Section("4", "orgs", "Orgs", "orgs", "OrgsScreen", "Go to organisations", "add, sign, name a champion"),
    Section("5", "report", "Report", "report", "ReportScreen", "Go to annual review", "the annual report"),
)


def make_screen(section: Section):
    """The section's screen, its module imported now (the first time the section is shown)."""
    from importlib import import_module

    return getattr(import_module(f"{__package__}.screens.{section.module}"), section.screen)()


def modes() -> dict:
    """Textual's ``MODES``: each section's name and how to make its screen."""
    return {s.mode: (lambda s=s: make_screen(s)) for s in SECTIONS}


def go_bindings() -> list:
    """The number keys (in the keys panel, not the key bar: the navigation bar shows them)."""
    from textual.binding import Binding

    return [Binding(s.key, f"go('{s.mode}')", s.label, id=f"go_{s.mode}", show=False) for s in SECTIONS]
