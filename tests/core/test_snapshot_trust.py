"""``log`` takes the compacts from the registry snapshot only while nothing installed has
changed (:mod:`compact_tui.content.snapshot_trust`), from the attacker's side: a real plugin
package, installed with pip (editable, so its files are edited in place as a developer would),
uninstalled and edited between two ``log`` commands, each a fresh process of the real command;
the modification times put back after each edit, so only the bytes tell; a snapshot garbled,
planted or left writable by others. Whether a command asked the plugins is read from the one
thing that tells: whether it imported pluggy."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path

import pytest

from compact_tui.content import content_cache

from .conftest import VENV_BIN, plugin_pyproject, run_subprocess
from .test_scaffold import install_args, pip

pytestmark = pytest.mark.installs

PYPROJECT = plugin_pyproject("trusty")

INIT = '''
from importlib.resources import files

from compact_tui.hookspecs import hookimpl


@hookimpl
def compact_tui_register_compacts(register):
    register(content=files(__name__) / "compact.toml")
'''

TOML = '''
format = 4

[compact]
id = "trustyshire"
name = "Trustyshire Compact"
area = "Trustyshire"
status = "draft"

[[sections]]
ref = "4"
title = "Funding"

[[clauses]]
ref = "4.5"
section = "4"
kind = "undertaking"
party = "statutory"
theme = "funding"
text = "Give three months' notice of a change to funding."

[[rules]]
id = "funding-notice"
ref = "4.5"
applies_to = "funding-change"
type = "minimum-period"
title = "Three months' notice of a change to funding"
period = "3m"
from = "notified"
to = "effective"
severity = "breach"
states = "Give three months' notice of a change to funding."

[procedure]
pending = true
note = "Not yet written."
reading = "Not yet copied from the text, so treated as pending."
'''

#: Logs a funding change of six weeks' notice under Trustyshire, and says on its last line
#: whether the command imported pluggy (that is: asked the plugins).
LOG = ("import sys\nfrom compact_tui.cli import main\n"
       "code = main(['log', 'funding-change', '--compact', 'trustyshire', '--title', 'Grant ends', "
       "'--notified', '2026-01-05', '--effective', '2026-02-16'])\n"
       "print('ASKED' if 'pluggy' in sys.modules else 'SNAPSHOT', code)\n")
BREACH = "BREACH: Trustyshire Compact 4.5: 6 weeks given, 3 months owed; compliant date 2026-04-05."


@pytest.fixture
def trusty(tmp_path):
    """compact-tui-trusty, installed editable from a folder of this test; uninstalled after."""
    root = tmp_path / "trusty"
    package = root / "src" / "compact_tui_trusty"
    package.mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (package / "__init__.py").write_text(textwrap.dedent(INIT), encoding="utf-8")
    (package / "compact.toml").write_text(TOML, encoding="utf-8")
    done = pip("install", *install_args(), "-e", str(root))
    assert done.returncode == 0, done.stderr
    yield package
    pip("uninstall", "-y", "compact-tui-trusty")


@pytest.fixture
def env(tmp_path):
    """The environment each ``log`` runs in: its own case log and snapshot folder."""
    return {"COMPACT_TUI_DB": str(tmp_path / "cases.db"), "COMPACT_TUI_CACHE": str(tmp_path / "cache")}


def log(env: dict[str, str]) -> tuple[str, str, str]:
    """One ``log`` in a fresh process: (how it got the compacts, what it printed, stderr)."""
    done = run_subprocess([str(VENV_BIN / "python"), "-c", LOG], **env)
    *printed, last = done.stdout.strip().splitlines()
    return last, "\n".join(printed), done.stderr


def edit_in_place(path: Path, old: str, new: str) -> None:
    """Change ``old`` to ``new`` (the same length) and put the modification time back, so the
    file's size and time are exactly as before."""
    assert len(old) == len(new)
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_log_asks_the_plugins_once_then_trusts_the_snapshot_until_a_compact_file_is_edited(trusty, env):
    assert log(env) == ("ASKED 0", f"Logged case 1: funding-change under Trustyshire Compact.\n  {BREACH}", "")
    assert log(env) == ("SNAPSHOT 0", f"Logged case 2: funding-change under Trustyshire Compact.\n  {BREACH}", "")

    edit_in_place(trusty / "compact.toml", 'period = "3m"', 'period = "1m"')
    how, printed, err = log(env)
    assert (how, err) == ("ASKED 0", "")
    assert printed.startswith("Logged case 3: funding-change under Trustyshire Compact.\n")
    assert "BREACH" not in printed  # a month owed, six weeks given
    assert log(env)[0] == "SNAPSHOT 0"


def test_an_edited_plugin_module_is_asked_again_and_its_failure_named(trusty, env):
    assert log(env)[0] == "ASKED 0"
    assert log(env)[0] == "SNAPSHOT 0"
    init = trusty / "__init__.py"
    init.write_text(init.read_text().replace('register(content=files(__name__) / "compact.toml")',
                                             'raise RuntimeError("trusty is broken")'))
    for _ in range(2):  # a snapshot that names a failed plugin is never trusted: asked each time
        how, printed, err = log(env)
        assert (how, printed) == ("ASKED 1", "")
        assert err.splitlines()[0] == ("compact-tui: warning: plugin 'trusty' (compact 'trustyshire'): failed to "
                                       "register its compacts: RuntimeError: trusty is broken")


def test_a_file_added_to_a_plugins_folder_is_asked_again(trusty, env):
    assert log(env)[0] == "ASKED 0"
    (trusty / "extra.toml").write_text("# nothing yet\n", encoding="utf-8")
    assert log(env)[0] == "ASKED 0"
    assert log(env)[0] == "SNAPSHOT 0"


def test_a_plugin_installed_or_uninstalled_between_two_logs(trusty, env):
    assert log(env)[0] == "ASKED 0"
    assert log(env)[0] == "SNAPSHOT 0"
    removed = pip("uninstall", "-y", "compact-tui-trusty")
    assert removed.returncode == 0, removed.stderr
    how, printed, err = log(env)
    assert (how, printed) == ("ASKED 1", "")
    assert err.startswith("compact-tui: no compact 'trustyshire' is installed (installed: essex, havering, ")
    assert log(env)[0] == "SNAPSHOT 1"  # the five alone, trusted in turn
    added = pip("install", *install_args(), "-e", str(trusty.parent.parent))
    assert added.returncode == 0, added.stderr
    assert log(env) == ("ASKED 0", f"Logged case 3: funding-change under Trustyshire Compact.\n  {BREACH}", "")


def test_the_environment_a_plugin_may_read_counts_but_not_the_shells_own(trusty, env):
    assert log(env)[0] == "ASKED 0"
    assert log({**env, "PWD": "/elsewhere", "SHLVL": "7"})[0] == "SNAPSHOT 0"
    assert log({**env, "TRUSTY_MODE": "other"})[0] == "ASKED 0"


@pytest.mark.parametrize("garbage", [b"not json", b"", b"[]", b'{"key": 1, "trust": {}}'])
def test_a_garbled_snapshot_is_ignored(trusty, env, garbage):
    assert log(env)[0] == "ASKED 0"
    snapshot = Path(env["COMPACT_TUI_CACHE"]) / content_cache.SNAPSHOT
    snapshot.write_bytes(garbage)
    assert log(env) == ("ASKED 0", f"Logged case 2: funding-change under Trustyshire Compact.\n  {BREACH}", "")


def test_a_planted_snapshot_from_before_an_edit_is_ignored(trusty, env):
    """Yesterday's snapshot copied back over today's (its rule said three months): refused, as the
    compact file's bytes are no longer those it was made from."""
    assert log(env)[0] == "ASKED 0"
    snapshot = Path(env["COMPACT_TUI_CACHE"]) / content_cache.SNAPSHOT
    old = snapshot.read_bytes()
    edit_in_place(trusty / "compact.toml", 'period = "3m"', 'period = "1m"')
    assert log(env)[0] == "ASKED 0"
    snapshot.write_bytes(old)
    how, printed, _ = log(env)
    assert how == "ASKED 0" and "BREACH" not in printed


def test_a_snapshot_others_could_write_is_ignored(trusty, env):
    assert log(env)[0] == "ASKED 0"
    snapshot = Path(env["COMPACT_TUI_CACHE"]) / content_cache.SNAPSHOT
    snapshot.chmod(0o666)
    assert log(env)[0] == "ASKED 0"


def test_a_snapshot_whose_content_was_changed_behind_its_stamp_is_used_only_as_written(trusty, env):
    """The snapshot is JSON the model is rebuilt from, shape-checked: a rule's period made a list
    is refused, and the plugins asked."""
    assert log(env)[0] == "ASKED 0"
    snapshot = Path(env["COMPACT_TUI_CACHE"]) / content_cache.SNAPSHOT
    data = json.loads(snapshot.read_text())
    data["registry"]["compacts"]["trustyshire"]["rules"][0]["period"] = ["3m"]
    snapshot.write_text(json.dumps(data))
    snapshot.chmod(0o600)
    assert log(env)[0] == "ASKED 0"


def test_a_stamp_is_not_made_of_what_is_not_a_file_on_disk(tmp_path):
    """A plugin imported from a zip (its module's file inside the archive), a content file or an
    imported module that cannot be read: no stamp, so the snapshot is never trusted and the
    plugins are asked each time."""
    from compact_tui.content.snapshot_trust import stamp

    folder = tmp_path / "compact_tui_zipped"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (tmp_path / "compact.toml").write_text("")
    config = str(tmp_path / "no-config.toml")
    assert stamp([str(folder)], [str(tmp_path / "compact.toml")], [str(folder / "__init__.py")], config) is not None
    inside_zip = str(tmp_path / "plugins.zip" / "compact_tui_zipped" / "__init__.py")
    assert stamp([inside_zip], [], [], config) is None
    assert stamp([str(folder)], [str(tmp_path / "plugins.zip" / "compact.toml")], [], config) is None
    assert stamp([str(folder)], [], [inside_zip], config) is None
