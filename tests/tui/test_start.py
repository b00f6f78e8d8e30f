"""Where the app opens, and what bare ``compact-tui`` does before it starts the app."""

from __future__ import annotations

import asyncio
import subprocess
import sys

import pytest

from compact_tui.cli import main
from compact_tui.config import load_config
from compact_tui.errors import UserError
from compact_tui.tui.app import make_app

from .conftest import SIZE, until


def opening_screen(db_path, **kwargs) -> str:
    app = make_app(db_path=db_path, keymap={}, **kwargs)
    seen = []

    async def main():
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.screen.query("#case-table") or app.screen.query("#compacts"),
                        "the first screen")
            seen.append(type(app.screen).__name__)

    asyncio.run(main())
    return seen[0]


def test_the_app_opens_on_the_compacts_list_unless_told_otherwise(db_path):
    assert opening_screen(db_path) == "CompactsScreen"
    assert opening_screen(db_path, start="cases") == "CasesScreen"


def test_start_screen_in_config_toml_opens_the_cases_list(db_path, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('start_screen = "cases"\n')
    monkeypatch.setenv("COMPACT_TUI_CONFIG", str(config))
    assert opening_screen(db_path) == "CasesScreen"


def test_a_start_screen_that_does_not_exist_is_one_sentence(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('start_screen = "inbox"\n')
    with pytest.raises(UserError, match="start_screen must be one of compacts, cases, due, orgs, report"):
        load_config(config)


def test_app_start_rejects_an_unknown_screen(capsys):
    assert main(["app", "--start", "inbox"]) == 2
    assert "invalid choice: 'inbox'" in capsys.readouterr().err


@pytest.mark.parametrize("argv", [[], ["--db", "team.db"], ["--db=team.db"]])
def test_bare_compact_tui_builds_no_parser_and_imports_no_other_command(argv):
    """Starting the app is the common case: it must not pay for every command's parser."""
    code = f"""
import sys
import compact_tui.cli.app_cmd as app_cmd
app_cmd.run_app = lambda args: print("APP", args.db, args.start) or 0
from compact_tui.cli import main
assert main({argv!r}) == 0
print("CLI", sorted(m for m in sys.modules if m.startswith("compact_tui.cli")), "argparse" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    db = "team.db" if argv else None
    assert f"APP {db} None" in done.stdout
    assert "CLI ['compact_tui.cli', 'compact_tui.cli.app_cmd'] False" in done.stdout


@pytest.mark.parametrize("argv", [["--start", "cases"], ["--db", "team.db", "--start", "cases"],
                                  ["--db=team.db", "--start=cases"]])
def test_the_apps_own_options_work_without_the_word_app(argv):
    """``./dev app --start cases`` runs ``compact-tui --start cases``: that is the app."""
    code = f"""
import compact_tui.cli.app_cmd as app_cmd
app_cmd.run_app = lambda args: print("APP", args.db, args.start) or 0
from compact_tui.cli import main
assert main({argv!r}) == 0
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"APP {'team.db' if len(argv) > 2 or argv[0].startswith('--db') else None} cases" in done.stdout


def test_an_unknown_option_alone_is_still_one_sentence(capsys):
    assert main(["--strat", "cases"]) == 2
    assert "unrecognized arguments: --strat" in capsys.readouterr().err


def test_dev_says_the_set_up_time_the_readme_measured():
    """``./dev`` said 'about a minute' while the README measured 2 min 16 s on a fresh clone
    (issue 20, point 9): both now say one to three minutes."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    said = next(line for line in (root / "dev").read_text().splitlines() if "setting up $VENV (first run" in line)
    readme = " ".join((root / "README.md").read_text().split())
    assert "one to three minutes" in said and "about a minute" not in said
    assert "Measured on a fresh clone of main: 2 min 16 s" in readme and "expect one to three minutes" in readme
