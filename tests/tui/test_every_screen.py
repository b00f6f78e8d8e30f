"""Every screen and every form of the app, at 80x24 and at 60x20, in monochrome (NO_COLOR):
snapshots (pytest-textual-snapshot) to look at, and a check that nothing is cut off the edge of
the terminal (issue 20, item 8).

The case log is made here with explicit dates, so no picture depends on today's date beyond
what is due (every date is in the past, so each stays overdue). Update with
``--snapshot-update`` and look at the SVGs before committing them."""

from __future__ import annotations

from datetime import date

import pytest

from compact_tui.caselog import orgs
from compact_tui.caselog.case_log import CaseLog, NewCase
from compact_tui.caselog.store import Store
from compact_tui.content.plugins import load_registry
from compact_tui.tui.app import make_app

SIZES = {"80x24": (80, 24), "60x20": (60, 20)}
D = date(2026, 1, 5)


@pytest.fixture
def every_db(db_path, tmp_path):
    store = Store(db_path)
    log = CaseLog(store, load_registry(), actor="officer")
    orgs.add_org(store, "Age UK Essex", "vcs", "Essex")
    orgs.sign(store, log.registry, "Age UK Essex", "essex", D)
    consultation = log.log(NewCase(kind="consultation", compact="southampton", title="Youth strategy",
                                   dates={"opened": D, "start": D, "end": date(2026, 2, 16)}, cites=["2.4"],
                                   orgs=["Age UK Southampton"]), today=D)["id"]
    letter = tmp_path / "notice.pdf"
    letter.write_bytes(b"%PDF notice")
    log.attach(consultation, letter, note="the notice", on=D)
    dispute = log.log(NewCase(kind="dispute", compact="essex", title="Grant dispute", dates={"opened": D},
                              orgs=["Age UK Essex"]), today=D)["id"]
    log.advance(dispute, "raise-with-organisation", confirm=["full-information"], on=D)
    chair = log.log(NewCase(kind="dispute", compact="essex", title="At the chair", dates={"opened": D}), today=D)["id"]
    for stage, confirm in (("raise-with-organisation", ["full-information"]), ("own-decision-makers", ["not-satisfied"]),
                           ("raise-with-chair", ["raised-with-other-side", "own-decision-makers-first",
                                                 "decision-to-pursue"]), ("chair-notifies", []),
                           ("chair-assesses", []), ("single-mediator", ["covered-by-compact"])):
        log.advance(chair, stage, confirm=confirm, on=D)
    withdrawn = log.log(NewCase(kind="note", compact="essex", title="Logged twice", dates={"opened": D}), today=D)["id"]
    log.withdraw(withdrawn, "logged twice", on=D)
    closed = log.log(NewCase(kind="consultation", compact="havering", title="Forum review",
                             dates={"opened": D, "start": D, "end": date(2026, 4, 6)}), today=D)["id"]
    log.close(closed, outcome="filed", on=D)
    store.close()
    return db_path, {"consultation": consultation, "dispute": dispute, "chair": chair, "withdrawn": withdrawn,
                     "closed": closed}


def case(name):
    async def open_it(pilot, ids):
        pilot.app.open_case(ids[name])
        await pilot.pause()
    return open_it


def keys(*pressed, then=None):
    async def run(pilot, ids):
        if then is not None:
            await then(pilot, ids)
        await pilot.press(*pressed)
    return run


async def nothing(pilot, ids):
    return None


async def compact_essex(pilot, ids):
    pilot.app.open_compact("essex")
    await pilot.pause()


async def a_clause(pilot, ids):
    pilot.app.open_clause("southampton", "4.5")
    await pilot.pause()


async def report_2026(pilot, ids):
    await pilot.press("5")
    await pilot.pause()
    year = pilot.app.screen.query_one("#r-year")
    year.value = "2026"
    pilot.app.screen.refresh_report()


JOURNEYS = {
    "compacts": nothing,
    "compacts-keys": keys("question_mark"),
    "compact": compact_essex,
    "compact-rules": keys("r", then=compact_essex),
    "compact-procedure": keys("d", then=compact_essex),
    "clause": a_clause,
    "theme-picker": keys("t"),
    "compare": keys("t", "enter"),
    "search": keys("slash", *"three months"),
    "cases": keys("2"),
    "case": case("consultation"),
    "case-withdrawn": case("withdrawn"),
    "due": keys("3"),
    "orgs": keys("4"),
    "report": report_2026,
    "kind-picker": keys("n"),
    "quick-log": keys("n", "f"),
    "note": keys("a", then=case("consultation")),
    "attach": keys("f", then=case("consultation")),
    "get-file": keys("g", then=case("consultation")),
    "hand-over": keys("h", then=case("consultation")),
    "change": keys("e", then=case("consultation")),
    "close": keys("c", then=case("consultation")),
    "withdraw": keys("w", then=case("consultation")),
    "reinstate": keys("r", then=case("withdrawn")),
    "reopen": keys("o", then=case("closed")),
    "move": keys("m", "down", then=case("dispute")),
    "move-team": keys("m", "down", then=case("chair")),
    "leave-question": keys("e", "x", "escape", then=case("consultation")),
    "calendar": keys("3", "x"),
    "import": keys("2", "i"),
    "org-add": keys("4", "a"),
    "org-sign": keys("4", "s"),
    "org-champion": keys("4", "c"),
    "write-report": keys("w", then=report_2026),
}


def still(run):
    """``run``, then every text field's cursor stopped (a blinking cursor is caught on or off at random)."""
    async def run_before(pilot):
        await run(pilot, pilot.app.snapshot_ids)
        await pilot.pause()
        for field in pilot.app.screen.query("Input"):
            field.cursor_blink = False
        await pilot.pause()
    return run_before


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("journey", JOURNEYS)
def test_every_screen_and_form_in_monochrome(snap_compare, every_db, monkeypatch, journey, size):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("HOME", "/home/officer")  # the forms' default paths, the same on any machine
    monkeypatch.setenv("COMPACT_TUI_REPORTS", "/home/officer/reports")
    db, ids = every_db
    app = make_app(db_path=db, keymap={})
    app.snapshot_ids = ids
    assert snap_compare(app, terminal_size=SIZES[size], run_before=still(JOURNEYS[journey]))
