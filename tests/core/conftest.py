"""Shared helpers for the core's tests: run the command line, build a fresh plugin manager."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from compact_tui.cli import main
from compact_tui.content.hookspecs import hookimpl
from compact_tui.content.plugins import LOAD_PLUGINS_ENV, make_plugin_manager

REPO_ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
#: The five compacts this repository installs as plugins.
FIVE = ("southend", "essex", "southampton", "havering", "high_peak")

#: A dispute procedure of two steps, talking it through and then resolved, as a compact file's
#: last table (the test compacts' own).
TALK_PROCEDURE = '''[procedure]
start = "talk"
states = "Talk it through."

[[procedure.stages]]
id = "talk"
title = "Talk it through"
states = "Talk it through."

[[procedure.stages]]
id = "resolved"
title = "Resolved"
outcome = "resolved"
reading = "The text does not name the ending."

[[procedure.moves]]
from = "talk"
to = "resolved"
states = "Talk it through."
'''


def one_clause_toml(compact_id: str, area: str, text: str) -> str:
    """A draft compact file of one section and one principle (``1.1``, saying ``text``), the
    ``[compact]`` table first, so more tables can follow."""
    return f'''
[compact]
id = "{compact_id}"
name = "{area} Compact"
area = "{area}"
status = "draft"

[[sections]]
ref = "1"
title = "Principles"

[[clauses]]
ref = "1.1"
section = "1"
kind = "principle"
party = "both"
theme = "general"
text = "{text}"
'''


def plugin_pyproject(short: str) -> str:
    """The pyproject.toml of a test plugin ``compact-tui-SHORT``: its package ``compact_tui_SHORT``
    under ``src/``, its TOML files shipped with it, entry point ``SHORT`` in the ``compact_tui`` group."""
    return f'''
[build-system]
requires = ["setuptools>=68"]
build-backend = "setuptools.build_meta"

[project]
name = "compact-tui-{short}"
version = "0.1.0"

[project.entry-points.compact_tui]
{short} = "compact_tui_{short}"

[tool.setuptools.packages.find]
where = ["src"]

[tool.setuptools.package-data]
compact_tui_{short} = ["*.toml"]
'''


def toml_plugin(path):
    """A plugin that registers one compact from a TOML file, as the five do."""

    class TomlPlugin:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(content=path)

    return TomlPlugin()


class Result:
    def __init__(self, code: int, out: str, err: str):
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(capsys, monkeypatch, tmp_path):
    """Run ``compact-tui ARGS`` in-process; returns exit code, stdout and stderr."""
    monkeypatch.setenv("COMPACT_TUI_DB", str(tmp_path / "cases.db"))
    monkeypatch.delenv(LOAD_PLUGINS_ENV, raising=False)

    def run(*args: str) -> Result:
        capsys.readouterr()
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse: --help, usage errors
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return run


def run_subprocess(args: list[str], cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    """Run a program from the project's virtual environment with a clean plugin selection."""
    full_env = {k: v for k, v in os.environ.items() if k != LOAD_PLUGINS_ENV}
    full_env.update(env)
    return subprocess.run(args, cwd=cwd or REPO_ROOT, env=full_env, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture
def fresh_pm():
    """A plugin manager with only the core's built-ins: no entry points."""
    pm, errors = make_plugin_manager(load_entry_points=False)
    assert errors == []
    return pm


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "installs: pip-installs a package into the project's venv for the test (deselect with "
                   "-m 'not installs')")
