"""The plugins are found through ``importlib.metadata`` (imported only when plugins are looked
for), and ``log`` on a current case log still does without sqlite-utils."""

import subprocess
import sys

from compact_tui.content.plugins import ENTRY_POINT_GROUP, entry_points


def test_the_five_compacts_are_found_and_each_loads_its_module():
    import compact_tui_essex

    found = {ep.name: ep for ep in entry_points(ENTRY_POINT_GROUP)}
    assert {"essex", "southend", "southampton", "havering", "high_peak"} <= set(found)
    assert found["essex"].load() is compact_tui_essex
    assert found["essex"].dist.name == "compact-tui-essex"


def test_log_on_a_current_case_log_does_not_import_sqlite_utils_or_textual(tmp_path):
    """sqlite-utils is imported only to apply a migration: to a new file, not to a current one."""
    from compact_tui.caselog.store import Store

    Store(tmp_path / "c.db").close()  # made and migrated
    code = ("import sys; from compact_tui.cli import main; "
            f"rc = main(['--db', {str(tmp_path / 'c.db')!r}, 'log', 'note', '--compact', 'essex', '--title', 'x']); "
            "print(rc, 'sqlite_utils' in sys.modules, 'textual' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "0 False False"
