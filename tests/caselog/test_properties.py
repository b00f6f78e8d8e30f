"""Property tests: generated strings, dates, offsets and numbers fed to every command that takes input.

Whatever comes in, ``compact_tui.cli.main`` (run in-process, for speed) ends with 0, 1 or 2;
raises nothing (so no traceback); writes at most one line to stderr, and exactly one
sentence when it fails; and a command that fails leaves the database holding what it held.
A few subprocess checks at the end run the real console script, whose argv comes from the OS.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compact_tui.cli import main

FAST = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

HOSTILE = ["\x1b]0;pwned\x07", "\x1b[2J", "[bold]x[/]", "[@click=app.quit]q[/]", "=HYPERLINK(\"x\")", "\u202e",
           "\udcff", "a\udc80b", "می\u200cخواهم", "\U0001F469\u200d\U0001F4BB", "", " ", "-", "--", "-h", "'", "\n",
           "%", "_", "\\", "x" * 100_000, "9223372036854775808", "-3d", "+9999y", "0001-01-10", "9999-12-31"]

texts = st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE))
dates = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.builds(lambda sign, n, unit: f"{sign}{n}{unit}", st.sampled_from("+-"), st.integers(0, 10**8),
              st.sampled_from("dwmyx")),
    st.sampled_from(["today", "tomorrow", "", "2026-02-30", "1899-12-31", "2201-01-01", "1900-01-01"]),
    texts)
#: the edges first: SQLite's integer limit and past it, the ranges' ends, forms int() reads loosely
numbers = st.one_of(st.sampled_from(["9223372036854775808", "-9223372036854775809", "99999999999999999999", "0",
                                     "-1", "1", "36500", "36501", "1899", "2201", "-0", "1e3", "٣", " 7 ", "1_000"]),
                    st.integers(-2**70, 2**70).map(str), texts)
kinds = st.sampled_from(["consultation", "funding-change", "dispute", "champion", "signatory", "meeting",
                         "annual-review", "note", "gathering", ""])
compacts = st.one_of(st.sampled_from(["essex", "southend", "southampton", "havering", "high_peak"]), texts)


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("props") / "p.db"
    for argv in (["orgs", "add", "Age UK", "--side", "vcs", "--locality", "Essex"],
                 ["orgs", "sign", "Age UK", "essex", "--on", "2026-01-05"],
                 ["log", "dispute", "--compact", "essex", "--title", "d", "--opened", "2026-01-05"],
                 ["log", "consultation", "--compact", "essex", "--title", "c", "--start", "2026-01-05",
                  "--end", "2026-03-01"]):
        assert main(["--db", str(path), *argv]) == 0
    return path


def content(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(conn.iterdump()).encode("utf-8", "surrogatepass")).hexdigest()
    finally:
        conn.close()


def holds(db: Path, argv: list[str]) -> None:
    """Run one command in-process and check the properties."""
    before = content(db)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--db", str(db), *argv])  # an exception here is the traceback an officer would see
    message = err.getvalue()
    assert code in (0, 1, 2), (argv, code, message)
    assert message.count("\n") <= 1 and len(message) < 600, (argv, message)
    if code != 0:
        assert message.startswith("compact-tui") and message.endswith("\n"), (argv, message)
        assert content(db) == before, argv


@FAST
@given(kind=kinds, compact=compacts, title=texts, start=dates, end=dates, org=texts, cite=texts, reason=texts)
def test_log(db, kind, compact, title, start, end, org, cite, reason):
    date_flags = {"consultation": ("--start", "--end"), "funding-change": ("--notified", "--effective"),
                  "dispute": ("--opened", "--opened")}.get(kind, ("--on", "--opened"))
    holds(db, ["log", kind, "--compact", compact, "--title", title, date_flags[0], start, date_flags[1], end,
               "--org", org, "--cite", cite, "--reason", reason])


@FAST
@given(case=numbers, text=texts, on=dates, stage=texts, confirm=texts, member=texts)
def test_note_advance_close(db, case, text, on, stage, confirm, member):
    holds(db, ["note", case, text, "--on", on])
    holds(db, ["advance", case, stage, "--confirm", confirm, "--member", member, "--on", on])
    holds(db, ["close", case, "--note", text])


@FAST
@given(case=numbers, owner=texts, path=texts, compact=compacts, fmt=st.sampled_from(["csv", "json", "xml"]))
def test_assign_import_export(db, tmp_path_factory, case, owner, path, compact, fmt):
    holds(db, ["assign", case, owner])
    holds(db, ["import", path, "--compact", compact, "--dry-run"])
    holds(db, ["export", "--format", fmt, "--compact", compact, "-o", str(tmp_path_factory.getbasetemp() / "x")])


@FAST
@given(case=numbers, field=st.sampled_from(["--start", "--end", "--notified", "--effective", "--period-end", "--on",
                                             "--opened"]), value=dates, reason=texts, cite=texts)
def test_update(db, case, field, value, reason, cite):
    holds(db, ["update", case, field, value, "--reason", reason, "--cite", cite])


@FAST
@given(text=texts, org=texts, compact=compacts, limit=numbers, page=numbers, case=numbers,
       json=st.booleans())
def test_cases_and_case(db, text, org, compact, limit, page, case, json):
    flag = ["--json"] if json else []
    holds(db, ["cases", "--text", text, "--org", org, "--compact", compact, "--limit", limit, "--page", page, *flag])
    holds(db, ["case", case, *flag])


@FAST
@given(within=numbers, offset=dates, target=texts)
def test_deadlines_and_which(db, within, offset, target):
    holds(db, ["deadlines", "--within", within])
    holds(db, ["deadlines", "--within", offset.lstrip("+")])
    holds(db, ["which", target])


@FAST
@given(name=texts, side=st.sampled_from(["vcs", "statutory", "parish", "other"]), locality=texts, person=texts,
       compact=compacts, on=dates)
def test_orgs(db, name, side, locality, person, compact, on):
    holds(db, ["orgs", "add", name, "--side", side, "--locality", locality, "--champion", person])
    holds(db, ["orgs", "sign", name, compact, "--on", on])
    holds(db, ["orgs", "champion", name, person])
    holds(db, ["orgs", "list", "--compact", compact])


@FAST
@given(compact=compacts, year=numbers, fmt=st.sampled_from(["md", "csv", "json", "toml", "pdf"]), ref=texts,
       words=texts)
def test_report_show_search(db, compact, year, fmt, ref, words):
    holds(db, ["report", "annual", "--compact", compact, "--year", year, "--format", fmt])
    holds(db, ["show", compact, ref])
    holds(db, ["search", words, "--compact", compact])


# -- the real console script: argv as the operating system hands it over ----------------------

SCRIPT = Path(sys.executable).with_name("compact-tui")


def script(db: Path, *args: bytes | str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), "--db", str(db), *args], capture_output=True,
                          env={**os.environ, **(env or {})}, timeout=60)


@pytest.mark.parametrize("args", [
    [b"cases", b"--text", b"\xff"], [b"which", b"\xffbad"], [b"orgs", b"sign", b"\xff", b"essex"],
    [b"case", b"9223372036854775808"], [b"deadlines", b"--within", b"99999999"],
    [b"log", b"note", b"--compact", b"essex", b"--title", b"\x1b]0;pwned\x07"],
], ids=lambda a: b" ".join(a).decode("utf-8", "replace")[:40])
def test_the_console_script_says_one_sentence(db, args):
    done = script(db, *args)
    assert done.returncode in (1, 2)
    assert done.stdout == b"" and done.stderr.count(b"\n") == 1 and b"Traceback" not in done.stderr
    assert not any(b in done.stderr for b in (b"\x1b", b"\x07", b"\xff"))


def test_the_console_script_takes_minus_three_days_and_refuses_a_hostile_actor(db):
    done = script(db, "log", "dispute", "--compact", "essex", "--title", "t", "--opened", "-3d")
    assert done.returncode == 0, done.stderr
    done = script(db, "note", "1", "hi", env={"LOGNAME": "x\x1b]0;pwned\x07\x1b[2J", "USER": "x\x1b[2J"})
    assert done.returncode == 1 and b"\x1b" not in done.stderr and done.stderr.count(b"\n") == 1
