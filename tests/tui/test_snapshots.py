"""Snapshots of the main screens at 80x24 (pytest-textual-snapshot; textual is pinned).

Nothing shown depends on today's date: the one case is logged with explicit dates by a
named actor, into a fresh database in ``tmp_path``. Update with ``--snapshot-update`` and
look at the SVGs before committing them.
"""

from __future__ import annotations

from datetime import date

from compact_tui.caselog.case_log import CaseLog, NewCase
from compact_tui.content.plugins import load_registry
from compact_tui.caselog.store import Store
from compact_tui.tui.app import make_app

SIZE = (80, 24)


def keys(*pressed):
    """A ``run_before`` that presses ``pressed``, then stops every text field's cursor blinking.

    A focused Input's cursor blinks on a half-second timer even in a headless test, so on a
    busy machine the picture caught the cursor on or off at random; stopped, it is drawn the
    same way (hidden) every run."""
    async def run(pilot):
        await pilot.press(*pressed)
        await pilot.pause()
        for field in pilot.app.screen.query("Input"):
            field.cursor_blink = False
        await pilot.pause()
    return run


def test_compacts_list(snap_compare, db_path):
    assert snap_compare(make_app(db_path=db_path, keymap={}), terminal_size=SIZE)


def test_a_compact_at_its_funding_section(snap_compare, db_path):
    async def open_southampton(pilot):
        pilot.app.open_compact("southampton")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down")  # intro, 1, 2, 3 -> section 4
        await pilot.pause()

    assert snap_compare(make_app(db_path=db_path, keymap={}), terminal_size=SIZE, run_before=open_southampton)


def test_quick_log_form(snap_compare, db_path):
    assert snap_compare(make_app(db_path=db_path, keymap={}), terminal_size=SIZE, run_before=keys("n", "f", "_"))


def test_a_case_with_its_finding(snap_compare, db_path):
    store = Store(db_path)
    case = CaseLog(store, load_registry(), actor="officer").log(NewCase(
        kind="funding-change", compact="southampton", title="Youth club grant ending",
        dates={"opened": date(2026, 1, 5), "notified": date(2026, 1, 5), "effective": date(2026, 2, 16)},
        orgs=["Portswood Youth Trust"], cites=["4.5"]), today=date(2026, 1, 5))
    store.close()

    async def open_case(pilot):
        pilot.app.open_case(case["id"])
        await pilot.pause()

    assert snap_compare(make_app(db_path=db_path, keymap={}), terminal_size=SIZE, run_before=open_case)


def test_the_report_with_hostile_text(snap_compare, hostile_db):
    """Markdown, markup and escapes in every title and name: shown as typed, never rendered."""
    async def open_report(pilot):
        pilot.app.last_compact = "essex"
        await pilot.press("5")
        await pilot.pause()
        year = pilot.app.screen.query_one("#r-year")
        year.value = "2026"  # not this year's: the snapshot must not change with the calendar
        year.focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()

    assert snap_compare(make_app(db_path=hostile_db.path, keymap={}), terminal_size=SIZE, run_before=open_report)


def test_a_case_timeline_with_hostile_text(snap_compare, hostile_db):
    """The actors and notes of a case's timeline hold escapes and markup: drawn inert."""
    async def open_case(pilot):
        pilot.app.open_case(hostile_db.ids["dispute"])
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()

    assert snap_compare(make_app(db_path=hostile_db.path, keymap={}), terminal_size=SIZE, run_before=open_case)


# -- a narrow terminal (60x20) and no colour: a handful of key screens -------------------------

NARROW = (60, 20)


def _seed_cases(db_path, n: int = 12) -> None:
    store = Store(db_path)
    log = CaseLog(store, load_registry(), actor="officer")
    for i in range(n):
        compact = ("essex", "southampton", "havering")[i % 3]
        kind = ("consultation", "funding-change", "note")[i % 3]
        dates = {"opened": date(2026, 1, 5)}
        if kind == "consultation":
            dates |= {"start": date(2026, 1, 5), "end": date(2026, 3, 30)}
        elif kind == "funding-change":
            dates |= {"notified": date(2026, 1, 5), "effective": date(2026, 4, 6)}
        log.log(NewCase(kind=kind, compact=compact, title=f"Grants to village halls and community centres {i}",
                        dates=dates), today=date(2026, 1, 5))
    store.close()


def test_narrow_cases_list(snap_compare, db_path):
    """At 60 columns each case takes two lines: nothing needed is cut."""
    _seed_cases(db_path)
    assert snap_compare(make_app(db_path=db_path, keymap={}), terminal_size=NARROW, run_before=keys("2"))


def test_narrow_quick_log_form(snap_compare, db_path):
    """Every field of the longest form is in view at 60x20."""
    assert snap_compare(make_app(db_path=db_path, keymap={}), terminal_size=NARROW, run_before=keys("n", "f"))


def test_monochrome_form_with_a_tick_and_an_error(snap_compare, db_path, monkeypatch):
    """NO_COLOR: a ticked box reads [x], an empty one [ ], and a wrong field says so in words."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def fill_in(pilot):
        await pilot.press("n", "f")
        await pilot.pause()
        await pilot.press(*"Hall grant", "tab", *"soon")
        pilot.app.screen.query_one("#f-verbal").focus()
        await pilot.pause()
        await pilot.press("space", "ctrl+s")
        for _ in range(50):  # until the form has said what is wrong
            if pilot.app.screen.query_one("#form-error").display:
                break
            await pilot.pause()
        pilot.app.screen.query_one("#f-verbal").focus()  # no blinking text cursor in the picture
        await pilot.pause()

    assert snap_compare(make_app(db_path=db_path, keymap={}), terminal_size=SIZE, run_before=fill_in)


def test_monochrome_keys_panel_on_the_cases_list(snap_compare, db_path, monkeypatch):
    """NO_COLOR: the keys panel lists the screen's own keys first."""
    monkeypatch.setenv("NO_COLOR", "1")
    _seed_cases(db_path)
    assert snap_compare(make_app(db_path=db_path, keymap={}), terminal_size=SIZE, run_before=keys("2", "question_mark"))
