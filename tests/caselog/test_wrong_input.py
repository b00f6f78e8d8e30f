"""Every wrong input gets one sentence: the cases a tester found, one by one, and dates.

Each runs in-process through ``compact_tui.cli.main``: exit 1 (a sentence from the case log)
or 2 (a sentence from the parser), one line on stderr, never a traceback, and the database
file unchanged.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3

import pytest

from compact_tui.cli import main

BIG = "99999999999999999999"


def digest(path) -> str:
    """What the database holds (every row of every table), whatever state its WAL file is in."""
    if not path.exists():
        return ""
    conn = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode("utf-8", "surrogatepass")).hexdigest()
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.db"
    assert main(["--db", str(path), "log", "dispute", "--compact", "essex", "--title", "d",
                 "--opened", "2026-01-05"]) == 0
    return path


WRONG = [
    *[["log", "consultation", "--compact", "essex", "--title", "c", "--start", "today", "--end", "+9999y"]],
    ["log", "funding-change", "--compact", "essex", "--title", "f", "--notified", "+9999y", "--effective", "+1w"],
    ["log", "dispute", "--compact", "essex", "--title", "d", "--opened", "+999999d"],
    ["log", "meeting", "--compact", "essex", "--title", "m", "--on", "-9999y"],
    ["update", "1", "--opened", "+9999m"], ["note", "1", "x", "--on", "+9999y"],
    ["advance", "1", "raise-with-organisation", "--confirm", "full-information", "--on", "+9999w"],
    ["orgs", "sign", "Nobody", "essex", "--on", "+9999y"],
    ["log", "consultation", "--compact", "essex", "--title", "c", "--start", "9999-12-31", "--end", "9999-12-31"],
    ["log", "funding-change", "--compact", "essex", "--title", "f", "--effective", "0001-01-10"],
    ["log", "consultation", "--compact", "essex", "--title", "c", "--start", "1899-12-31", "--end", "1900-01-10"],
    ["log", "consultation", "--compact", "essex", "--title", "c", "--start", "today", "--end", ""],
    ["update", "1", "--opened", ""],
    ["case", "9223372036854775808"], ["note", "9223372036854775808", "x"], ["close", "-1"],
    ["update", BIG, "--reason", "x"], ["advance", BIG, "x"],
    ["cases", "--page", BIG], ["cases", "--limit", "0"], ["cases", "--limit", BIG],
    ["deadlines", "--within", "99999999"], ["deadlines", "--within", "-5"],
    ["report", "annual", "--compact", "essex", "--year", "0"],
    ["report", "annual", "--compact", "essex", "--year", "-5"],
    ["report", "annual", "--compact", "essex", "--year", BIG],
    ["cases", "--text", "x" * 100_000], ["log", "note", "--compact", "essex", "--title", "x" * 100_000],
    ["cases", "--text", "\udcff"], ["cases", "--org", "\udcff"], ["cases", "--compact", "\udcff"],
    ["which", "\udcff"], ["orgs", "sign", "\udcff", "essex"],
    ["log", "note", "--compact", "essex", "--title", "a\u202eb"],
    ["log", "note", "--compact", "x" * 100_000, "--title", "t"],
]


@pytest.mark.parametrize("argv", WRONG, ids=lambda a: " ".join(a)[:60])
def test_wrong_input_is_one_sentence_and_changes_nothing(db, capsys, argv):
    before = digest(db)
    code = main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    assert code in (1, 2)
    assert err.startswith("compact-tui") and err.endswith(".\n") and err.count("\n") == 1, err
    assert len(err) < 500  # a 100,000-character input is cut in the message
    assert "Traceback" not in err and out == ""
    assert digest(db) == before


def test_the_documented_minus_three_days_works_as_written(db, capsys):
    assert main(["--db", str(db), "log", "dispute", "--compact", "essex", "--title", "d", "--opened", "-3d",
                 "--json"]) == 0
    from datetime import date, timedelta

    assert json.loads(capsys.readouterr().out)["opened"] == (date.today() - timedelta(days=3)).isoformat()


def test_dates_at_the_ends_of_the_range_are_taken(db, capsys):
    assert main(["--db", str(db), "log", "consultation", "--compact", "essex", "--title", "c",
                 "--start", "1900-01-01", "--end", "2200-12-31"]) == 0


def test_cases_json_gives_every_match_or_says_what_was_left_out(db, capsys):
    from compact_tui.caselog.case_log import CaseLog, NewCase
    from compact_tui.content.plugins import load_registry
    from compact_tui.caselog.store import Store

    store = Store(db)
    log = CaseLog(store, load_registry(), actor="tester")
    for i in range(54):
        log.log(NewCase("note", "essex", f"n{i}"))
    store.close()
    capsys.readouterr()
    assert main(["--db", str(db), "cases", "--json"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 55 and err == ""
    assert main(["--db", str(db), "cases", "--json", "--limit", "50"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 50
    assert err == ("compact-tui: 5 more matching cases not shown: --page 2 for the next 50, or --json without "
                   "--limit and --page for every match.\n")
    assert main(["--db", str(db), "cases", "--json", "--limit", "50", "--page", "2"]) == 0
    out, err = capsys.readouterr()
    assert len(json.loads(out)) == 5 and err == ""


def test_names_in_any_script_are_logged(db, capsys):
    for title in ("می\u200cخواهم", "\U0001F469\u200d\U0001F4BB coders", "Ысык-Көл"):
        assert main(["--db", str(db), "log", "note", "--compact", "essex", "--title", title, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["title"] == title


def test_an_actor_that_could_steer_a_terminal_is_refused(db, capsys, monkeypatch):
    before = digest(db)
    monkeypatch.setenv("LOGNAME", "x\x1b]0;pwned\x07\x1b[2J")
    monkeypatch.setenv("USER", "x\x1b]0;pwned\x07\x1b[2J")
    assert main(["--db", str(db), "note", "1", "hello"]) == 1
    err = capsys.readouterr().err
    assert err == ("compact-tui: your user name ($LOGNAME or $USER) contains a control character (U+001B); "
                   "type plain text.\n")
    assert digest(db) == before
