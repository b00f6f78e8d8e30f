"""The plugins are found without importing importlib.metadata, and find the same entry points."""

import re
import subprocess
import sys
from importlib.metadata import entry_points as metadata_entry_points

from compact_tui.content.entry_points import entry_points
from compact_tui.content.plugins import ENTRY_POINT_GROUP


def listed(found):
    return sorted((ep.name, ep.value, ep.dist.name if ep.dist else None) for ep in found)


def test_the_same_entry_points_as_importlib_metadata_lists():
    ours = listed(entry_points(ENTRY_POINT_GROUP))
    theirs = sorted((ep.name, ep.value, re.sub(r"[-_.]+", "-", ep.dist.name).lower())
                    for ep in metadata_entry_points(group=ENTRY_POINT_GROUP))
    assert ours == theirs
    assert {name for name, _, _ in ours} >= {"essex", "southend", "southampton", "havering", "high_peak"}
    assert ("console_scripts" and "compact-tui") not in {name for name, _, _ in ours}  # one group only


def test_each_loads_the_object_its_value_names():
    import compact_tui_essex

    essex = next(ep for ep in entry_points(ENTRY_POINT_GROUP) if ep.name == "essex")
    assert essex.load() is compact_tui_essex
    assert essex.dist.name == "compact-tui-essex"


def test_a_value_with_an_attribute_and_extras_loads_that_attribute(tmp_path, monkeypatch):
    (tmp_path / "leeds_plugin.py").write_text("class Inner:\n    class Plugin:\n        pass\n")
    dist = tmp_path / "compact_tui.Leeds-2.0.dist-info"
    dist.mkdir()
    (dist / "entry_points.txt").write_text(
        "[console_scripts]\nleeds = nowhere:main\n\n[compact_tui]\nleeds = leeds_plugin:Inner.Plugin [extra]\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    leeds = [ep for ep in entry_points(ENTRY_POINT_GROUP) if ep.name == "leeds"]
    assert len(leeds) == 1 and leeds[0].dist.name == "compact-tui-leeds"
    import leeds_plugin

    assert leeds[0].load() is leeds_plugin.Inner.Plugin


def test_a_distribution_found_twice_on_the_path_counts_once(tmp_path, monkeypatch):
    for where in ("first", "second"):
        dist = tmp_path / where / "compact_tui_york-1.0.dist-info"
        dist.mkdir(parents=True)
        (dist / "entry_points.txt").write_text(f"[compact_tui]\nyork = york_{where}\n")
        monkeypatch.syspath_prepend(str(tmp_path / where))
    york = [ep.value for ep in entry_points(ENTRY_POINT_GROUP) if ep.name == "york"]
    assert york == ["york_second"]  # prepended last, so first on sys.path


def test_log_imports_neither_importlib_metadata_nor_sqlite_utils(tmp_path):
    """sqlite-utils is imported only to apply a migration: to a new file, not to a current one."""
    from compact_tui.caselog.store import Store

    Store(tmp_path / "c.db").close()  # made and migrated
    code = ("import sys; from compact_tui.cli import main; "
            f"rc = main(['--db', {str(tmp_path / 'c.db')!r}, 'log', 'note', '--compact', 'essex', '--title', 'x']); "
            "print(rc, 'importlib.metadata' in sys.modules, 'sqlite_utils' in sys.modules, 'textual' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 False False False"
