"""The case-log commands: JSON shapes, text stored as typed, and wrong input refused in one
sentence with nothing written (in-process through main(), and as a real process)."""

from __future__ import annotations

import json
from datetime import date
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compact_tui.cli import main
from compact_tui.caselog.store import Store

from .caselog_helpers import counts

EXE = Path(sys.executable).with_name("compact-tui")


@pytest.fixture
def cli(capsys, db_path):
    """``compact-tui --db t.db ARGS`` in-process: (exit code, stdout, stderr)."""

    def run(*args: str, db: bool = True):
        capsys.readouterr()
        argv = (["--db", str(db_path)] if db else []) + list(args)
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refusals
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def db_counts(path):
    s = Store(path)
    try:
        return counts(s)
    finally:
        s.close()


def logged(cli, *args):
    code, out, err = cli("log", *args, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def one_case(cli):
    return logged(cli, "consultation", "--compact", "southampton", "--title", "Library hours",
                  "--start", "2026-01-05", "--end", "2026-03-01", "--org", "Age UK", "--cite", "2.4")


def test_log_json_has_id_and_findings(one_case):
    assert isinstance(one_case["id"], int)
    [finding] = one_case["findings"]
    assert finding["ref"] == "2.4" and finding["severity"] == "warning" and finding["due"] == "2026-03-30"
    assert "12 weeks" in finding["message"]


def test_log_without_json_says_what_was_found(cli):
    code, out, _ = cli("log", "funding-change", "--compact", "southampton", "--title", "Grant ends",
                       "--notified", "2026-01-31", "--effective", "2026-04-29")
    assert code == 0
    assert out.startswith("Logged case 1: funding-change under Southampton Compact.")
    assert "BREACH" in out and "2026-04-30" in out
    code, out, _ = cli("log", "consultation", "--compact", "essex", "--title", "Short one",
                       "--start", "2026-01-05", "--end", "2026-01-12")
    assert "Essex Compact states no notice rule for a consultation." in out


def test_cases_json_is_a_list(cli, one_case):
    logged(cli, "meeting", "--compact", "essex", "--title", "Forum", "--on", "2026-02-01")
    code, out, _ = cli("cases", "--json")
    rows = json.loads(out)
    assert code == 0 and isinstance(rows, list)
    assert [r["id"] for r in rows] == [2, one_case["id"]]
    code, out, _ = cli("cases", "--json", "--compact", "essex")
    assert [r["title"] for r in json.loads(out)] == ["Forum"]
    code, out, _ = cli("cases", "--json", "--kind", "dispute")
    assert json.loads(out) == []


def test_case_json_has_what_the_issue_names(cli, one_case):
    code, out, _ = cli("case", str(one_case["id"]), "--json")
    case = json.loads(out)
    assert code == 0
    assert {"id", "compact", "kind", "title", "stage", "next", "findings", "events"} <= set(case)
    assert (case["id"], case["compact"], case["kind"], case["title"]) == (
        one_case["id"], "southampton", "consultation", "Library hours")
    assert case["stage"] is None and case["next"] == []
    assert [f["ref"] for f in case["findings"]] == ["2.4"]
    assert [e["action"] for e in case["events"]] == ["logged"]


def test_dispute_case_json_lists_the_moves_allowed_now(cli):
    # Essex's mediation: "1) Make sure that they have full information ... 2) Raise the matter
    # with the organisation perceived to be at fault"
    case = logged(cli, "dispute", "--compact", "essex", "--title", "Grant cut", "--opened", "2026-01-10")
    code, out, _ = cli("case", str(case["id"]), "--json")
    shown = json.loads(out)
    assert shown["stage"] == "full-information"
    assert [(n["stage"], [c["id"] for c in n["conditions"]]) for n in shown["next"]] == [
        ("raise-with-organisation", ["full-information"])]
    code, out, err = cli("advance", str(case["id"]), "raise-with-organisation", "--confirm", "full-information",
                         "--note", "checked", "--json")
    assert code == 0, err
    assert json.loads(out)["stage"] == "raise-with-organisation"


def test_text_is_stored_exactly_as_typed(cli):
    title = "[bold]x[/] | ü"
    case = logged(cli, "note", "--compact", "essex", "--title", title, "--note", "*not* markdown <b>")
    code, out, _ = cli("case", str(case["id"]), "--json")
    shown = json.loads(out)
    assert shown["title"] == title
    assert shown["events"][0]["note"] == "*not* markdown <b>"
    code, out, _ = cli("cases")
    assert title in out


def test_db_before_the_command_names_the_file(cli, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere.db"
    monkeypatch.setenv("COMPACT_TUI_DB", str(tmp_path / "env.db"))
    code, _, err = cli("--db", str(elsewhere), "log", "meeting", "--compact", "essex", "--title", "here",
                       "--on", "2026-01-05", db=False)
    assert code == 0, err
    assert db_counts(elsewhere)["cases"] == 1
    assert not (tmp_path / "env.db").exists()
    code, out, _ = cli("--db", str(elsewhere), "cases", "--json", db=False)
    assert [r["title"] for r in json.loads(out)] == ["here"]


WRONG = [
    (["log", "consultation", "--compact", "southampton", "--title", "t", "--start", "2026-02-30"],
     "--start '2026-02-30' is not a date"),
    (["log", "consultation", "--compact", "southampton", "--title", "t", "--end", "soon"], "--end 'soon' is not a date"),
    (["log", "consultation", "--compact", "southampton", "--title", "t", "--start", "+3x"], "is not a date"),
    (["log", "meeting", "--compact", "nowhere", "--title", "t"], "no compact 'nowhere' is installed"),
    (["log", "meeting", "--compact", "essex", "--title", "t", "--cite", "99.9"], "has no clause '99.9'"),
    (["log", "gathering", "--compact", "essex", "--title", "t"], "invalid choice: 'gathering'"),
    (["log", "meeting", "--compact", "essex", "--title", "\x1b[31mx"], "control character (U+001B)"),
    (["log", "meeting", "--compact", "essex", "--title", "x" * 500], "500 characters long; the most is 200"),
    (["log", "meeting", "--compact", "essex", "--title", "   "], "the title is empty"),
    (["log", "consultation", "--compact", "essex", "--title", "t", "--start", "2026-03-01", "--end", "2026-02-01"],
     "cannot close before it starts"),
    (["advance", "1", "arbitration"], "not a stage"),
    (["advance", "999", "resolved"], "there is no case 999"),
    (["case", "999"], "there is no case 999"),
    (["note", "999", "hello"], "there is no case 999"),
    (["note", "1", "\x07bell"], "control character (U+0007)"),
    (["case", "one"], "argument id: must be a whole number from 1 to 9223372036854775807, not 'one'"),
]


@pytest.mark.parametrize("argv, says", WRONG, ids=[" ".join(a)[:50] for a, _ in WRONG])
def test_wrong_input_is_one_sentence_a_nonzero_exit_and_nothing_written(cli, db_path, argv, says):
    logged(cli, "dispute", "--compact", "essex", "--title", "existing", "--opened", "2026-01-10")
    before = db_counts(db_path)
    code, out, err = cli(*argv)
    assert code not in (0, None)
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("compact-tui") and says in lines[0]
    assert "Traceback" not in err
    assert db_counts(db_path) == before


def test_a_database_that_is_not_ours_is_one_sentence(cli, db_path):
    db_path.write_text("not a database at all\n" * 20)
    code, out, err = cli("cases")
    assert code == 1 and out == ""
    assert err.strip() == f"compact-tui: {db_path} is not a compact-tui database (it is not a SQLite file)."


def _run(*args, db):
    env = {**os.environ, "PYTHONUTF8": "1", "COMPACT_TUI_DB": str(db.with_name("env.db"))}
    return subprocess.run([str(EXE), "--db", str(db), *args], capture_output=True, text=True, env=env,
                          timeout=60, encoding="utf-8")


def test_a_real_process_refuses_wrong_input_and_stores_text_as_typed(db_path):
    assert EXE.exists(), EXE
    bad = _run("log", "consultation", "--compact", "southampton", "--title", "t", "--start", "2026-02-30", db=db_path)
    assert bad.returncode == 1 and bad.stdout == ""
    assert bad.stderr.strip().splitlines() == [
        "compact-tui: --start '2026-02-30' is not a date: use YYYY-MM-DD (or DD/MM/YYYY), 'today', or an offset such as +12w, "
        "-3d, +3m."]
    kind = _run("log", "gathering", "--compact", "essex", "--title", "t", db=db_path)
    assert kind.returncode == 2 and len(kind.stderr.strip().splitlines()) == 1
    ok = _run("log", "consultation", "--compact", "southampton", "--title", "[bold]x[/] | ü",
              "--start", "2026-01-05", "--end", "2026-04-01", "--json", db=db_path)
    assert ok.returncode == 0, ok.stderr
    case_id = json.loads(ok.stdout)["id"]
    shown = _run("case", str(case_id), "--json", db=db_path)
    assert json.loads(shown.stdout)["title"] == "[bold]x[/] | ü"
    assert db_counts(db_path)["cases"] == 1
    assert not db_path.with_name("env.db").exists()


def test_cases_marks_a_breach_b_and_a_warning_w_as_the_apps_list_does(cli):
    """Southampton 2.4 owes 12 weeks' consultation 'unless clear explanations' are given for
    less: 8 weeks is a warning. Its 4.5 owes 3 months' notice of a funding change: 15 days is a
    breach."""
    warned = logged(cli, "consultation", "--compact", "southampton", "--title", "Short one", "--start", "2026-01-05",
                    "--end", "2026-03-02", "--cite", "2.4")
    breached = logged(cli, "funding-change", "--compact", "southampton", "--title", "Grant cut", "--notified",
                      "2026-01-05", "--effective", "2026-01-20")
    plain = logged(cli, "note", "--compact", "essex", "--title", "Met the forum")
    code, out, _ = cli("cases")
    rows = {line.split()[0]: line for line in out.splitlines()[1:] if line.split() and line.split()[0].isdigit()}
    assert rows[str(warned["id"])].split()[1] == "W"
    assert rows[str(breached["id"])].split()[1] == "B"
    assert rows[str(plain["id"])].split()[1] == "essex"  # no mark
    assert out.splitlines()[0].split()[:3] == ["ID", "!", "COMPACT"]
    assert "B: a breach was found; W: a warning" in out


def test_a_kind_status_or_finding_in_capitals_is_understood(cli):
    case = logged(cli, "Note", "--compact", "essex", "--title", "Capital kind")
    code, out, err = cli("cases", "--kind", "NOTE", "--status", "Closed")
    assert code == 0, err
    assert "Capital kind" in out and str(case["id"]) in out


def test_log_update_and_case_account_for_every_rule(cli):
    """The issue's case on the command line: Southend 6.3(c) needs the funding period's end."""
    code, out, err = cli("log", "funding-change", "--compact", "southend", "--title", "Age UK Southend grant",
                 "--notified", "2026-03-02", "--effective", "2026-04-13")
    assert code == 0, err
    assert out.splitlines()[1:] == [
        "  A Compact for Southend-on-Sea 6.3(c) not checked: needs the end of the current funding period "
        "(--period-end). (a reading)"]
    shown = cli("case", "1")[1].splitlines()
    rules = shown.index("Rules:")
    assert shown[rules + 1] == out.splitlines()[1]
    changed = cli("update", "1", "--period-end", "2026-03-01", "--reason", "the budget was set late")
    lines = changed[1].splitlines()
    assert lines[:2] == [
        "Case 1 changed.",
        "  WARNING (reading): A Compact for Southend-on-Sea 6.3(c): Future funding made known before the end of the "
        "current funding period (normally): 1 day late; it was due by 2026-03-01."]
    # the reason typed in silences nothing: 6.3(c) allows no exception; the reading follows, wrapped
    assert " ".join(" ".join(lines[2:]).split()) == (
        "The rule is our reading, not stated by the text: 6.3 undertakes \"To develop in consultation with the "
        "sector a code of good practice to address principles of fair funding for statutory agencies\", and says what "
        "that code \"will promote\"; (c) is one of those things. The text itself sets no duty about when future "
        "funding is made known: that notice falls on or before the end of the current funding period is our reading "
        "of what the code is to promote, not a rule the text states.")
    data = json.loads(cli("case", "1", "--json")[1])
    assert [(c["ref"], c["outcome"]) for c in data["checks"]] == [("6.3(c)", "warning")]
    # the header names the date as the timeline does, not by its field ('period_end')
    assert cli("case", "1")[1].splitlines()[2] == (
        f"  opened {date.today().isoformat()}, notified 2026-03-02, effective 2026-04-13, "
        "funding period ends 2026-03-01")


def test_log_json_carries_every_rule(cli):
    out = json.loads(cli("log", "funding-change", "--compact", "southampton", "--title", "Grant ends",
                         "--notified", "2026-01-31", "--effective", "2026-03-14", "--verbal",
                         "--reason", "the funder withdrew", "--json")[1])
    assert out["findings"] == []
    [check] = out["checks"]
    assert (check["ref"], check["outcome"], check["reason"], check["allows"]) == \
        ("4.5", "exception", "the funder withdrew", "apart from in exceptional circumstances")


def test_log_takes_in_writing_as_its_not_checked_line_says(cli):
    code, out, err = cli("log", "funding-change", "--compact", "southampton", "--title", "Grant ends",
                         "--notified", "2026-01-31", "--effective", "2026-04-30")
    assert code == 0, err
    assert out.splitlines()[1] == ("  Southampton Compact 4.5 not checked: needs whether it was given in writing "
                                   "(--in-writing or --verbal). Checked so far: 12 weeks 5 days given, 3 months owed.")
    code, out, err = cli("log", "funding-change", "--compact", "southampton", "--title", "Grant ends",
                         "--notified", "2026-01-31", "--effective", "2026-04-30", "--in-writing")
    assert out.splitlines()[1] == "  Southampton Compact 4.5: met: 12 weeks 5 days given, 3 months owed; in writing."


def test_cases_marks_a_reading_in_lower_case_and_says_so_below(cli):
    cli("log", "funding-change", "--compact", "southend", "--title", "Late decision", "--notified", "2026-05-10",
        "--period-end", "2026-03-31")
    cli("log", "funding-change", "--compact", "southampton", "--title", "Youth grant cut", "--notified",
        "2026-11-01", "--effective", "2026-12-01")
    code, out, err = cli("cases", "--sort", "oldest")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert [line[:8] for line in lines[1:3]] == ["     1 w", "     2 B"]
    assert lines[3:] == ["! B: a breach was found; W: a warning ('compact-tui case ID' says which); b, w: the same by "
                         "our reading of the text, not stated by it."]
    assert [c["finding_reading"] for c in json.loads(cli("cases", "--json", "--sort", "oldest")[1])] == [True, False]
