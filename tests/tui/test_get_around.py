"""Journey 7: get around: the command palette, the keys panel, escape, a user keymap, and
an id on every binding so the keymap can reach it."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

import compact_tui.tui.screens as screens_pkg
from compact_tui.tui.app import CompactApp
from compact_tui.tui.screens.cases import CasesScreen
from compact_tui.tui.screens.compacts import ClauseScreen, CompactScreen, CompactsScreen
from compact_tui.tui.screens.quicklog import KindPicker
from compact_tui.tui.screens.search import SearchScreen
from compact_tui.tui.widgets import KeysPanel

from .conftest import drive, notifications, static_text, type_text, until


async def palette(app, pilot, query: str) -> None:
    await pilot.press("ctrl+p")
    assert isinstance(app.screen, CommandPalette)
    await type_text(pilot, query)
    await until(pilot, lambda: app.screen.query_one("CommandList").option_count > 0, "palette hits")
    await pilot.press("down", "enter")  # the first hit (down highlights it)


def test_the_palette_switches_mode_and_opens_a_compact(db_path):
    async def journey(app, pilot):
        await palette(app, pilot, "go to cases")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen), "the cases mode")
        assert app.current_mode == "cases"

        await palette(app, pilot, "Compact: Essex")
        await until(pilot, lambda: isinstance(app.screen, CompactScreen), "a compact opened")
        assert app.screen.compact.id == "essex"

    drive(journey, db_path)


def test_the_palette_opens_a_clause_and_a_missing_case_is_a_message(db_path):
    async def journey(app, pilot):
        await palette(app, pilot, "southampton 4.5")
        await until(pilot, lambda: isinstance(app.screen, ClauseScreen), "a clause opened")
        assert (app.screen.compact.id, app.screen.clause.ref) == ("southampton", "4.5")

        await palette(app, pilot, "9999")
        await until(pilot, lambda: any("no case 9999" in m for m in notifications(app)), "the message")

    drive(journey, db_path)


def test_help_panel_toggles_and_escape_backs_out(db_path):
    async def journey(app, pilot):
        assert not app.screen.query(KeysPanel)
        await pilot.press("question_mark")
        assert app.screen.query(KeysPanel)
        await pilot.press("question_mark")
        await until(pilot, lambda: not app.screen.query(KeysPanel), "the panel hidden")
        await pilot.press("f1")
        assert app.screen.query(KeysPanel)
        await pilot.press("f1")
        await until(pilot, lambda: not app.screen.query(KeysPanel), "the panel hidden")

        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, CompactsScreen)
        await pilot.press("n")
        assert isinstance(app.screen, KindPicker)
        await pilot.press("escape")
        assert isinstance(app.screen, CompactsScreen)

    drive(journey, db_path)


def test_escape_closes_the_keys_panel_and_the_screens_own_keys_come_first(db_path):
    async def journey(app, pilot):
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen), "the cases list")
        await pilot.press("question_mark")
        await until(pilot, lambda: app.screen.query(KeysPanel), "the keys panel")
        await pilot.pause()
        lines = [line.strip() for line in static_text(app.screen.query_one("#keys-text")).splitlines()]
        assert lines[:3] == ["This screen", "s Sort", "/ f Filter"]
        assert lines.index("Everywhere") < lines.index("In the table") < lines.index("↑ Cursor up")
        await pilot.press("escape")
        await until(pilot, lambda: not app.screen.query(KeysPanel), "the panel closed by escape")
        assert isinstance(app.screen, CasesScreen)  # escape closed the panel, nothing else
        await pilot.press("escape")  # and with no panel, escape does its usual job again
        assert isinstance(app.screen, CasesScreen)

    drive(journey, db_path)


def test_a_user_keymap_remaps_by_binding_id(db_path):
    async def journey(app, pilot):
        await pilot.press("n")
        assert isinstance(app.screen, CompactsScreen), "n is no longer quick log"
        await pilot.press("ctrl+n")
        assert isinstance(app.screen, KindPicker)

    drive(journey, db_path, keymap={"quick_log": "ctrl+n"})


def test_ctrl_q_quits(db_path):
    async def journey(app, pilot):
        app.open_case(1)  # even from a screen that failed to find its case
        await pilot.pause()
        await pilot.press("ctrl+q")

    app = drive(journey, db_path)
    assert app.return_code == 0


def all_screen_classes() -> list[type]:
    found = {CompactApp}
    for info in pkgutil.iter_modules(screens_pkg.__path__):
        module = importlib.import_module(f"{screens_pkg.__name__}.{info.name}")
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, Screen) and obj.__module__ == module.__name__:
                found.add(obj)
    return sorted(found, key=lambda c: c.__qualname__)


def test_every_binding_has_an_id_and_no_key_needs_alt():
    classes = all_screen_classes()
    assert {c.__name__ for c in classes} >= {"CompactApp", "CompactsScreen", "CasesScreen", "CaseScreen",
                                              "QuickLogScreen", "AddOrgForm", "MoveDialog", "WriteReport"}
    missing, alt, ids = [], [], {}
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), f"{cls.__name__}: {binding!r} is a tuple, not a Binding"
            if not binding.id:
                missing.append(f"{cls.__name__}: {binding.key} -> {binding.action}")
            if "alt+" in binding.key:
                alt.append(f"{cls.__name__}: {binding.key}")
            ids.setdefault(binding.id, set()).add(binding.action)
    assert missing == []
    assert alt == []
    assert {i for i, actions in ids.items() if len(actions) > 1} == set(), "one id, one action"
