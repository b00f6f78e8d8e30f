"""``log`` leaves its objects to the process's end (``cli.console`` freezes them out of Python's
last collection, issue 23): so it must have closed its case log itself, or a connection caught
in a reference cycle would never be closed. Checked from the side of an officer who copies
``cases.db`` alone as evidence straight after a ``log``: each ``log`` a fresh process of the real
command."""

from __future__ import annotations

import gc
import os
import shutil
import sqlite3

from compact_tui.cli import main

from .conftest import VENV_BIN, run_subprocess

CLI = str(VENV_BIN / "compact-tui")


def log(env: dict[str, str], *args: str):
    return run_subprocess([CLI, "log", *args], **env)


def test_a_log_leaves_the_file_whole_with_no_journal_beside_it(tmp_path):
    env = {"COMPACT_TUI_DB": str(tmp_path / "cases.db"), "COMPACT_TUI_CACHE": str(tmp_path / "cache")}
    for title in ("First", "Second"):  # the second from the snapshot the first made
        done = log(env, "note", "--compact", "essex", "--title", title)
        assert done.returncode == 0, done.stderr
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cases")) == ["cases.db"]
    done = log(env, "consultation", "--compact", "southampton", "--title", "Third", "--start", "2026-03-02",
               "--end", "2026-03-23", "--cite", "2.4", "--json")
    assert done.returncode == 0, done.stderr
    shutil.copyfile(tmp_path / "cases.db", tmp_path / "evidence.db")  # the file alone, as copied
    with sqlite3.connect(tmp_path / "evidence.db") as copy:
        assert copy.execute("SELECT id, title FROM cases ORDER BY id").fetchall() == [
            (1, "First"), (2, "Second"), (3, "Third")]
        assert copy.execute("SELECT count(*) FROM findings WHERE case_id = 3").fetchone() == (1,)


def test_a_log_refused_leaves_the_file_as_it_was(tmp_path):
    env = {"COMPACT_TUI_DB": str(tmp_path / "cases.db"), "COMPACT_TUI_CACHE": str(tmp_path / "cache")}
    assert log(env, "note", "--compact", "essex", "--title", "First").returncode == 0
    done = log(env, "note", "--compact", "essex", "--title", "")
    assert (done.returncode, done.stderr) == (1, "compact-tui: the title is empty.\n")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cases")) == ["cases.db"]


def test_main_in_a_longer_process_freezes_nothing(tmp_path, monkeypatch, capsys):
    """Only the command itself may freeze: main() run by a test (or a script) leaves the caller's
    garbage collection as it was."""
    monkeypatch.setenv("COMPACT_TUI_DB", str(tmp_path / "cases.db"))
    before = gc.get_freeze_count()
    assert main(["log", "note", "--compact", "essex", "--title", "In-process"]) == 0
    assert gc.get_freeze_count() == before
    assert capsys.readouterr().out.startswith("Logged case 1: note under Essex Compact.")
    assert os.path.exists(tmp_path / "cases.db")
