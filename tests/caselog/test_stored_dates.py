"""Dates that can be stored can be used: whatever a database holds in its date columns
(year 1, year 9999, a year past the calendar, not a date, empty), written with sqlite3
behind the app's back, no command gives a traceback, and ``deadlines`` lists everything."""

from __future__ import annotations

import json

import pytest
from hostile_data import BAD_DATES, raw_characters

from compact_tui.cli import main
from compact_tui.due.deadlines import deadlines
from compact_tui.content.plugins import load_registry
from compact_tui.caselog.store import Store


def run(db, argv, capsys):
    code = main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and raw_characters(out + err) == []
    return code, out, err


def test_deadlines_lists_every_case_whatever_its_stored_dates(bad_dates_db, capsys):
    code, out, err = run(bad_dates_db, ["deadlines", "--json"], capsys)
    assert code == 0, err
    items = json.loads(out)
    # every consultation is listed by its due date, whatever that holds, up to the horizon
    dues = sorted(d["due"] for d in items if d["case_id"] and d["title"].startswith("c "))
    assert dues == sorted(b for b in BAD_DATES if b <= "2027")  # string order: what SQL compared
    # the essex annual review's last date is unusable, and deadlines says so rather than failing
    essex = [d["what"] for d in items if d["compact"] == "essex" and d["case_id"] is None]
    assert any("has a date that cannot be used" in w for w in essex), essex
    code, out, _ = run(bad_dates_db, ["deadlines"], capsys)
    assert code == 0 and "case 1:" in out


def test_deadlines_works_on_the_stored_rows_directly(bad_dates_db):
    store = Store(bad_dates_db)
    try:
        assert deadlines(store, load_registry(), within_days=36_500)
    finally:
        store.close()


@pytest.mark.parametrize("argv", [["cases"], ["cases", "--sort", "due"], ["cases", "--json"], ["orgs"],
                                  ["report", "annual", "--compact", "essex", "--year", "2026"],
                                  ["audit", "verify"]])
def test_listing_commands_read_bad_dates(bad_dates_db, capsys, argv):
    code, _, err = run(bad_dates_db, argv, capsys)
    assert code in (0, 1), err


def test_each_case_shows_or_says_in_one_sentence(bad_dates_db, capsys):
    for case_id in range(1, 3 * len(BAD_DATES) + 1):
        code, out, err = run(bad_dates_db, ["case", str(case_id)], capsys)
        assert code == 0, err
        code, out, err = run(bad_dates_db, ["update", str(case_id), "--reason", "r"], capsys)
        assert code in (0, 1) and (code == 0 or err.count("\n") == 1), err
        code, out, err = run(bad_dates_db, ["advance", str(case_id), "x"], capsys)
        assert code == 1 and err.count("\n") == 1, err
