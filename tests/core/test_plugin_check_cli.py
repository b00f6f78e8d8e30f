"""``plugin check``: a file by path is held to the installed compacts' ids, and a plugin whose
hooks can never be called is told so."""

from __future__ import annotations

from importlib.metadata import EntryPoint
from importlib.metadata import entry_points as real_entry_points

import compact_tui.content.plugins as plugins_module
from compact_tui.content.plugins import ENTRY_POINT_GROUP

from .conftest import REPO_ROOT
from .test_contract import TESTSHIRE_TOML

ESSEX_FILE = REPO_ROOT / "plugins/essex/src/compact_tui_essex/compact.toml"


def test_a_file_whose_id_an_installed_compact_has_is_refused_by_path(cli, tmp_path):
    path = tmp_path / "compact.toml"
    text = "format = 4\n" + TESTSHIRE_TOML.replace('id = "testshire"', 'id = "essex"')
    path.write_text(text, encoding="utf-8")
    checked = cli("plugin", "check", str(path))
    line = next(n for n, text in enumerate(text.splitlines(), 1) if text.startswith("id ="))
    assert (checked.code, checked.out) == (1, (
        f"essex: 1 problem\n  - {path}:{line}: [compact]: id 'essex' is already the id of the installed Essex "
        "Compact (plugin 'essex'), so a plugin bringing this file beside it would be refused; choose another id\n"))


def test_an_installed_compacts_own_file_by_path_is_not_a_clash(cli):
    checked = cli("plugin", "check", str(ESSEX_FILE))
    assert (checked.code, checked.out) == (0, "essex: ok\n")


IDLE_PLUGIN = '''
from compact_tui.hookspecs import hookimpl


@hookimpl
def compact_tui_undertakings(compact):
    return []
'''


def test_plugin_check_warns_of_hooks_that_are_never_called(cli, tmp_path, monkeypatch):
    (tmp_path / "idle_plugin.py").write_text(IDLE_PLUGIN, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    idle = EntryPoint(name="idle", value="idle_plugin", group=ENTRY_POINT_GROUP)
    monkeypatch.setattr(plugins_module, "entry_points", lambda group: [*real_entry_points(group=group), idle])
    checked = cli("plugin", "check", "idle")
    assert (checked.code, checked.out) == (0, (
        "warning: plugin 'idle': answers compact_tui_undertakings but registers no compact, so it is never called "
        "(a plugin is asked only about the compacts it registers: call register() in its "
        "compact_tui_register_compacts)\n"))
    everything = cli("plugin", "check")
    assert everything.code == 0 and everything.out.endswith(checked.out)
