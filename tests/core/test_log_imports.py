"""What ``log`` does not import (issue 23: ``log`` near Python's own start), and that what those
modules did is still done without them.

Each ``log`` is a fresh process of the real ``compact-tui`` command; the modules it imported are
read from Python's own ``-X importtime`` report, so nothing is wrapped or patched in the process
being checked. The second ``log`` is the usual one: the compacts taken from the snapshot the
first made."""

from __future__ import annotations

import calendar
import getpass
import os
import re
import sys

import pytest

from compact_tui.caselog.audit import current_user
from compact_tui.cli import terminal_columns
from compact_tui.files import parent
from compact_tui.rules.dates import days_in_month

from .conftest import VENV_BIN, run_subprocess

CLI = str(VENV_BIN / "compact-tui")
#: Standard modules ``log`` once imported and no longer needs: who needed each, and why not now.
NOT_IMPORTED = {
    "shutil": "argparse, for the terminal's width (cli.terminal_columns measures it)",
    "getpass": "the officer's user name (audit.current_user reads it as getpass did)",
    "calendar": "the length of a month (rules.dates.days_in_month)",
    "hashlib": "BLAKE2b and SHA-256, which it takes from CPython's own modules (compact_tui.digests)",
    "hmac": "the chain key's id (digests.hmac_sha256)",
    "_hashlib": "OpenSSL's library, which hashlib and hmac load",
    "pathlib": "the paths of the case log, the config, the chain key and the snapshot (text, with os.path)",
    "urllib.parse": "pathlib's, for a read-only database's URI (caselog.case_list.read_only_uri)",
    "ipaddress": "urllib.parse's",
    "typing": "names for mypy only (TYPE_CHECKING = False, as mypy reads it); content.model_json tells the "
              "annotations' forms apart without it",
}


def imported_by(args: list[str], **env: str) -> tuple[set[str], str]:
    """The modules a fresh ``compact-tui ARGS`` imported, and what it printed."""
    done = run_subprocess([sys.executable, "-X", "importtime", CLI, *args], **env)
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {m.group(1) for m in re.finditer(r"^import time:.*\| +(\S+)$", done.stderr, re.MULTILINE)}
    assert "compact_tui.caselog.case_log" in modules  # the report is read right
    return modules, done.stdout


@pytest.fixture
def env(tmp_path):
    return {"COMPACT_TUI_DB": str(tmp_path / "cases.db"), "COMPACT_TUI_CACHE": str(tmp_path / "cache")}


def test_log_from_the_snapshot_leaves_out_what_it_does_not_need(env):
    imported_by(["log", "note", "--compact", "essex", "--title", "First"], **env)  # makes the snapshot
    modules, printed = imported_by(["log", "note", "--compact", "essex", "--title", "Second"], **env)
    assert printed.splitlines()[0] == "Logged case 2: note under Essex Compact."
    assert "pluggy" not in modules  # from the snapshot, as most commands are
    assert sorted(set(NOT_IMPORTED) & modules) == []


def test_log_with_org_leaves_out_the_same(env):
    """``log --org`` also reads the organisation (``caselog.orgs``) and finds its compact."""
    for args in (["orgs", "add", "Leigh Trust", "--side", "vcs"], ["orgs", "sign", "Leigh Trust", "southend"]):
        assert run_subprocess([CLI, *args], **env).returncode == 0
    argv = ["log", "funding-change", "--org", "Leigh Trust", "--title", "Grant ends", "--notified", "today",
            "--effective", "+6w"]
    imported_by(argv, **env)  # makes the snapshot, if the orgs commands did not
    modules, printed = imported_by(argv, **env)
    assert printed.splitlines()[0] == "Logged case 2: funding-change under A Compact for Southend-on-Sea."
    assert "pluggy" not in modules and "compact_tui.caselog.orgs" in modules
    assert sorted(set(NOT_IMPORTED) & modules) == []


#: ``log`` in a fresh process with the builtin ``compile`` recording what it is asked: the
#: first call sets up every node type of Python's syntax tree, about 9 million instructions,
#: which ``typing`` pays for each TypedDict or NamedTuple made at run time.
COMPILE_WATCHED = """
import builtins, sys
compiled = []
real = builtins.compile
def compile(source, filename, *args, **kwargs):
    if not str(filename).endswith(".py"):  # a module's source is the import system's (no bytecode kept)
        compiled.append(source)
    return real(source, filename, *args, **kwargs)
builtins.compile = compile
from compact_tui.cli import main
code = main(sys.argv[1:])
print("COMPILED", code, compiled)
"""


def test_log_compiles_nothing(env):
    args = ["log", "dispute", "--compact", "essex", "--title", "Grant cut without notice"]
    for title in ("First", "Second"):  # the first makes the snapshot the second is taken from
        done = run_subprocess([sys.executable, "-c", COMPILE_WATCHED, *args[:-1], title], **env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "Logged case 2: dispute under Essex Compact."
    assert done.stdout.splitlines()[-1] == "COMPILED 0 []"


@pytest.mark.parametrize("columns", ["50", "120"])
def test_help_is_wrapped_to_columns_as_argparse_did(columns):
    done = run_subprocess([CLI, "log", "--help"], COLUMNS=columns)
    lines = done.stdout.splitlines()
    assert done.returncode == 0
    assert lines[0] == ("usage: compact-tui log [-h] [--compact ID]" if columns == "50" else
                        "usage: compact-tui log [-h] [--compact ID] --title TITLE [--start DATE] [--end DATE] "
                        "[--notified DATE]")
    assert lines[1] == " " * 23 + ("--title TITLE" if columns == "50" else "[--effective DATE] [--period-end DATE] "
                                   "[--on DATE] [--opened DATE] [--org NAME] [--cite REF]")


def test_terminal_columns_is_what_shutil_says(monkeypatch):
    import shutil

    for value in ("63", "0", "-4", "wide", ""):
        monkeypatch.setenv("COLUMNS", value)
        assert terminal_columns() == shutil.get_terminal_size().columns
    monkeypatch.delenv("COLUMNS")
    assert terminal_columns() == shutil.get_terminal_size().columns


@pytest.mark.parametrize("names", [
    {"LOGNAME": "ann", "USER": "bob"}, {"USER": "bob", "LNAME": "cy"}, {"LNAME": "cy", "USERNAME": "di"},
    {"USERNAME": "di"}, {"LOGNAME": "", "USER": "bob"}, {},
])
def test_current_user_is_who_getpass_names(monkeypatch, names):
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in names.items():
        monkeypatch.setenv(name, value)
    assert current_user() == getpass.getuser()
    if not any(names.values()):  # the account's own name
        import pwd

        assert current_user() == pwd.getpwuid(os.getuid())[0]


def test_current_user_without_a_name_anywhere(monkeypatch):
    import pwd

    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.delenv(name, raising=False)

    def no_account(uid):
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", no_account)
    assert current_user() == "unknown"


def test_days_in_month_is_the_calendars():
    assert all(days_in_month(year, month) == calendar.monthrange(year, month)[1]
               for year in range(1, 10_000) for month in range(1, 13))


@pytest.mark.parametrize("path", ["/", "a", "a/b", "a/b/", "/a/b", "a//b", "x/..", "/a", "./a", ".", "~/a"])
def test_parent_is_pathlibs(path):
    from pathlib import Path

    assert Path(parent(path)) == Path(path).parent


def test_the_json_codec_reads_typings_forms_as_the_builtin_ones():
    """content.model_json tells an annotation's form apart without typing (log never imports it);
    where something else has imported typing, its forms read as the builtin ones do."""
    import typing

    from compact_tui.content.model_json import from_json

    for kind in (int | None, typing.Optional[int], typing.Union[int, None]):
        assert from_json(kind, None) is None and from_json(kind, 3) == 3
        with pytest.raises(ValueError):
            from_json(kind, "3")
    for kind in (list[str], typing.List[str], tuple[str, ...], typing.Tuple[str, ...]):
        assert list(from_json(kind, ["a", "b"])) == ["a", "b"]
        with pytest.raises(ValueError):
            from_json(kind, ["a", 1])
    for kind in (dict[str, int], typing.Dict[str, int]):
        assert from_json(kind, {"a": 1}) == {"a": 1}
    assert from_json(typing.Any, {"any": [1, "thing"]}) == {"any": [1, "thing"]}
