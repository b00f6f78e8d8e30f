"""The core never imports textual: rules, storage and plugins work without a terminal.

Each check runs in a fresh interpreter, so nothing this test session imported can hide an import.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

CORE_MODULES = ("content.model", "content.hookspecs", "content.plugins", "content.reader", "content.check",
                "rules.notice", "rules.dates", "caselog.store", "caselog.case_log", "caselog.orgs",
                "due.deadlines", "report", "caselog.audit", "rules.disputes", "content.lookup",
                "model", "hookspecs", "conformance")


def modules_after(code: str, tmp_path) -> set[str]:
    """Run ``code`` in a new interpreter; return the names in its ``sys.modules`` afterwards."""
    script = textwrap.dedent(code) + textwrap.dedent("""
        import sys
        print("MODULES:" + ",".join(sorted(sys.modules)))
    """)
    env = {"COMPACT_TUI_DB": str(tmp_path / "cases.db"), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("MODULES:"))
    return set(line.removeprefix("MODULES:").split(","))


def test_the_check_can_see_textual_when_it_is_imported(tmp_path):
    assert "textual" in modules_after("import textual.app", tmp_path)


def test_core_modules_and_load_registry_do_not_import_textual(tmp_path):
    imports = "\n".join(f"import compact_tui.{name}" for name in CORE_MODULES)
    modules = modules_after(imports + """
from compact_tui.content.plugins import load_registry
registry = load_registry()
assert registry.get("southampton") is not None, registry.errors
""", tmp_path)
    assert {f"compact_tui.{name}" for name in CORE_MODULES} <= modules
    assert "textual" not in modules


def test_every_module_outside_tui_can_be_imported_without_textual(tmp_path):
    modules = modules_after("""
import importlib, pkgutil
import compact_tui
found = [m.name for m in pkgutil.walk_packages(compact_tui.__path__, "compact_tui.")
         if not m.name.startswith("compact_tui.tui")]
assert "compact_tui.cli.case_cmd" in found and "compact_tui.content.conformance" in found, found
for name in found:
    importlib.import_module(name)
""", tmp_path)
    assert "compact_tui.cli.app_cmd" in modules and "compact_tui.content.scaffold" in modules
    assert "textual" not in modules


def test_log_help_does_not_import_textual(tmp_path):
    modules = modules_after("""
from compact_tui.cli import main
try:
    main(["log", "--help"])
except SystemExit as exc:
    assert exc.code == 0
""", tmp_path)
    assert "compact_tui.cli.case_cmd" in modules
    assert "textual" not in modules


def test_compacts_json_does_not_import_textual(tmp_path):
    modules = modules_after("""
import contextlib, io, json
from compact_tui.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    assert main(["compacts", "--json"]) == 0
assert any(row["id"] == "essex" for row in json.loads(out.getvalue()))
""", tmp_path)
    assert "textual" not in modules


def test_logging_a_case_does_not_import_textual(tmp_path):
    modules = modules_after(f"""
import contextlib, io, json
from compact_tui.cli import main
out = io.StringIO()
with contextlib.redirect_stdout(out):
    code = main(["--db", {str(tmp_path / "log.db")!r}, "log", "funding-change", "--compact", "southampton",
                 "--title", "Grant ends", "--notified", "2024-01-01", "--effective", "2024-02-01", "--json"])
assert code == 0
assert [f["ref"] for f in json.loads(out.getvalue())["findings"]] == ["4.5"]
""", tmp_path)
    assert {"compact_tui.caselog.case_log", "compact_tui.rules.notice", "compact_tui.caselog.store"} <= modules
    assert "textual" not in modules
