"""Shared helpers for the terminal app's Pilot tests.

pytest-asyncio is not installed: each test is a plain function that runs its journey with
``asyncio.run`` through :func:`drive`. The app is built the way the command line builds
it (``make_app``) with a real SQLite file in ``tmp_path``, the five installed plugins and
no user keymap.
"""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Static

from compact_tui.caselog.case_log import CaseLog, NewCase
from compact_tui.content.plugins import LOAD_PLUGINS_ENV, load_registry
from compact_tui.caselog.store import Store
from compact_tui.tui.app import make_app

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def _every_plugin(monkeypatch):
    monkeypatch.delenv(LOAD_PLUGINS_ENV, raising=False)


@pytest.fixture(autouse=True)
def _reports_in_tmp(monkeypatch, tmp_path):
    """A report written out by a test lands in the test's own folder, never the user's."""
    monkeypatch.setenv("COMPACT_TUI_REPORTS", str(tmp_path / "reports"))


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "t.db"


@pytest.fixture
def caselog(db_path):
    """A case log over the test's database, for seeding before the app opens it."""
    store = Store(db_path)
    yield CaseLog(store, load_registry(), actor="tester")
    store.close()


def drive(journey, db_path: Path, keymap: dict | None = None, size=SIZE, notifications: bool = False):
    """Run ``journey(app, pilot)`` against a fresh app; returns the app afterwards.
    Any exception inside the app fails the test (run_test re-raises it). Textual's test
    harness draws no notifications unless ``notifications`` is true."""
    app = make_app(db_path=db_path, keymap=keymap or {})

    async def main():
        async with app.run_test(size=size, notifications=notifications) as pilot:
            await pilot.pause()
            await journey(app, pilot)

    asyncio.run(main())
    return app


async def type_text(pilot, text: str) -> None:
    """Type ``text`` key by key (the words an officer types; not counted as keys)."""
    await pilot.press(*text)


async def filtered(app, pilot) -> None:
    """Let the Cases filter's reads (in a thread) finish and their pages be drawn."""
    await app.workers.wait_for_complete()
    await pilot.pause()


async def until(pilot, condition, what: str = "condition", tries: int = 100) -> None:
    """Let the app process messages until ``condition()`` holds (no sleeping on the clock)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"never happened: {what}")


NAMED_KEYS = {"tab": "\t", "shift+tab": None, "enter": "\r", "escape": "\x1b", "space": " ", "down": None,
              "up": None, "ctrl+s": "\x13", "backspace": "\x7f"}


def burst(app, *parts: str) -> None:
    """Send keys the way a paste or a laggy link delivers them: all at once, straight into
    the app's queue, with no pause for the app to catch up (``pilot.press`` waits after
    each key). A part is a key name from :data:`NAMED_KEYS` or text typed character by
    character. Wait for the outcome with :func:`until`."""
    import unicodedata

    from textual import events

    for part in parts:
        if part in NAMED_KEYS:
            keys = [(part, NAMED_KEYS[part])]
        else:
            keys = [(ch if ch.isalnum() else "space" if ch == " " else
                     unicodedata.name(ch).lower().replace("-", "_").replace(" ", "_"), ch) for ch in part]
        for key, char in keys:
            app.post_message(events.Key(key, char))


def static_text(widget: Static) -> str:
    """The plain text a Static shows (its content, not a screenshot)."""
    content = widget.render()
    return content.plain if isinstance(content, Text) else str(content)


def row_text(table: DataTable, index: int) -> list[str]:
    return [cell.plain if isinstance(cell, Text) else str(cell) for cell in table.get_row_at(index)]


def column_text(table: DataTable, column: str) -> list[str]:
    return [c.plain if isinstance(c, Text) else str(c) for c in table.get_column(column)]


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


def screen_text(app) -> str:
    """What the terminal shows, line by line, as plain text (as a screenshot would)."""
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def new_case(kind, compact, title, **kw) -> NewCase:
    kw.setdefault("dates", {})
    kw["dates"].setdefault("opened", date(2026, 1, 5))
    return NewCase(kind=kind, compact=compact, title=title, **kw)


SEED_COMPACTS = ("essex", "southend", "southampton", "havering", "high_peak")
SEED_WORDS = ("Youth", "Carers", "Food bank", "Arts", "Advice", "Housing")


def seed_cases(log: CaseLog, n: int = 300) -> None:
    """``n`` cases over the five compacts, with explicit dates (none is today's): every
    fifth an Essex dispute, the rest consultations, funding changes and notes."""
    for i in range(n):
        compact = SEED_COMPACTS[i % 5]
        word = SEED_WORDS[i % len(SEED_WORDS)]
        day = date(2025, 1, 1).toordinal() + i
        if compact == "essex" and i % 2 == 0:
            log.log(new_case("dispute", "essex", f"{word} dispute {i}", dates={"opened": date.fromordinal(day)},
                             orgs=[f"{word} Trust"]))
        elif i % 3 == 0:
            log.log(new_case("consultation", compact, f"{word} consultation {i}",
                             dates={"start": date.fromordinal(day), "end": date.fromordinal(day + 84)}))
        elif i % 3 == 1:
            log.log(new_case("funding-change", compact, f"{word} grant change {i}",
                             dates={"notified": date.fromordinal(day), "effective": date.fromordinal(day + 100)}))
        else:
            log.log(new_case("note", compact, f"{word} note {i}"))


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "seed.db"
    store = Store(path)
    seed_cases(CaseLog(store, load_registry(), actor="tester"))
    store.close()
    return path


@pytest.fixture
def seeded_db(seeded_file, db_path) -> Path:
    """A copy of the 300-case database for this test alone."""
    import shutil

    shutil.copy(seeded_file, db_path)
    return db_path
