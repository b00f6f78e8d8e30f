"""``plugin new``: the package it makes passes the checks, installs, appears, and fails loudly when broken."""

from __future__ import annotations

import importlib.util
import json
import sys
from importlib.metadata import EntryPoint
from importlib.metadata import entry_points as real_entry_points

import pytest

import compact_tui.content.plugins as plugins_module
from compact_tui.content.plugins import ENTRY_POINT_GROUP

from .conftest import FIVE, VENV_BIN, run_subprocess

BROKEN_TOML = '[compact]\nid = "castle_point"\nname = "Castle Point Compact\n'


@pytest.fixture
def castle_point(cli, tmp_path):
    result = cli("plugin", "new", "Castle Point", "--dir", str(tmp_path))
    assert result.code == 0, result.err
    return tmp_path / "castle_point"


def test_plugin_new_makes_a_package(castle_point, cli):
    package = castle_point / "src" / "compact_tui_castle_point"
    assert sorted(p.relative_to(castle_point).as_posix() for p in castle_point.rglob("*") if p.is_file()) == [
        "README.md", "pyproject.toml", "src/compact_tui_castle_point/__init__.py",
        "src/compact_tui_castle_point/compact.toml", "tests/test_conformance.py"]
    pyproject = (castle_point / "pyproject.toml").read_text()
    assert 'name = "compact-tui-castle-point"' in pyproject
    assert '[project.entry-points.compact_tui]\ncastle_point = "compact_tui_castle_point"' in pyproject
    assert 'id = "castle_point"' in (package / "compact.toml").read_text()
    assert 'name = "Castle Point Compact"' in (package / "compact.toml").read_text()
    assert 'compact_id = "castle_point"' in (castle_point / "tests" / "test_conformance.py").read_text()
    assert "{{" not in "".join(p.read_text() for p in castle_point.rglob("*") if p.is_file())


def test_plugin_new_will_not_overwrite(castle_point, cli, tmp_path):
    result = cli("plugin", "new", "castle point", "--dir", str(tmp_path))
    assert result.code == 1
    assert "already exists" in result.err


def test_plugin_new_refuses_a_name_that_cannot_be_an_id(cli, tmp_path):
    result = cli("plugin", "new", "42 Street", "--dir", str(tmp_path))
    assert result.code == 1
    assert "cannot be a plugin name" in result.err
    assert [p for p in tmp_path.iterdir() if p.is_dir()] == []


@pytest.mark.parametrize("target", ["folder", "toml"])
def test_generated_content_passes_plugin_check_by_path(castle_point, cli, target):
    path = castle_point if target == "folder" else castle_point / "src/compact_tui_castle_point/compact.toml"
    result = cli("plugin", "check", str(path))
    assert (result.code, result.out.strip()) == (0, "castle_point: ok")


def test_plugin_check_by_path_lists_each_problem(castle_point, cli):
    toml = castle_point / "src/compact_tui_castle_point/compact.toml"
    toml.write_text(toml.read_text() + '\n[[clauses]]\nref = "1.1"\nsection = "1"\nkind = "principle"\n'
                    'party = "council"\ntheme = "general"\ntext = "Work together."\n')
    result = cli("plugin", "check", str(castle_point))
    assert result.code == 1
    assert result.out == (
        "castle_point: 2 problems\n"
        f"  - {toml}:43: clause 1.1 ([[clauses]] #1): section '1' is marked pending, so it has no clauses "
        "(remove pending = true, or this clause)\n"
        f"  - {toml}:45: clause 1.1 ([[clauses]] #1): unknown party 'council' (known: statutory, vcs, both)\n")


def test_plugin_check_by_path_reports_invalid_toml(castle_point, cli):
    (castle_point / "src/compact_tui_castle_point/compact.toml").write_text(BROKEN_TOML)
    result = cli("plugin", "check", str(castle_point))
    assert result.code == 1
    assert "not valid TOML" in result.out


def test_broken_plugin_is_named_on_stderr_while_the_five_list(castle_point, cli, monkeypatch, request):
    """Loaded through a real entry point object, without installing: see the last test for pip."""
    request.addfinalizer(lambda: sys.modules.pop("compact_tui_castle_point", None))
    (castle_point / "src/compact_tui_castle_point/compact.toml").write_text(BROKEN_TOML)
    monkeypatch.syspath_prepend(str(castle_point / "src"))
    extra = EntryPoint(name="castle_point", value="compact_tui_castle_point", group=ENTRY_POINT_GROUP)
    monkeypatch.setattr(plugins_module, "entry_points",
                        lambda group: [*real_entry_points(group=group), extra])
    result = cli("compacts", "--json")
    assert result.code == 0
    rows = {row["id"]: row for row in result.json()}
    assert {cid for cid, row in rows.items() if row["available"]} == set(FIVE)
    problem = (f"{castle_point}/src/compact_tui_castle_point/compact.toml:3: not valid TOML: "
               "Illegal character '\\n' (at line 3, column 29)")
    assert (rows["castle_point"]["available"], rows["castle_point"]["problems"]) == (False, [problem])
    assert result.err == ("compact-tui: warning: plugin 'castle_point' (compact 'castle_point'): registered a content "
                          f"file that cannot be read: {problem}\n")


def pip(*args: str):
    return run_subprocess([str(VENV_BIN / "python"), "-m", "pip", "--disable-pip-version-check", "-q", *args])


def install_args() -> list[str]:
    """Offline when the venv can build the package itself; else pip fetches the build backend."""
    if importlib.util.find_spec("wheel") is not None:
        return ["--no-deps", "--no-build-isolation"]
    return ["--no-deps"]


@pytest.mark.installs
def test_scaffolded_plugin_really_installs_lists_and_passes_its_conformance_tests(castle_point):
    compact_tui = str(VENV_BIN / "compact-tui")
    installed = pip("install", *install_args(), "-e", str(castle_point))
    try:
        assert installed.returncode == 0, installed.stderr

        listed = run_subprocess([compact_tui, "compacts", "--json"])
        assert listed.returncode == 0, listed.stderr
        rows = {row["id"]: row for row in json.loads(listed.stdout)}
        assert set(FIVE) | {"castle_point"} <= set(rows)
        assert (rows["castle_point"]["name"], rows["castle_point"]["status"]) == ("Castle Point Compact", "draft")
        assert listed.stderr == ""

        checked = run_subprocess([compact_tui, "plugin", "check", "castle_point"])
        assert (checked.returncode, checked.stdout.strip()) == (0, "castle_point: ok")

        conformance = run_subprocess([str(VENV_BIN / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                                     cwd=castle_point)
        assert conformance.returncode == 0, conformance.stdout
        assert " passed" in conformance.stdout and "skipped" not in conformance.stdout

        # Break it: an editable install reads the file in place, so no reinstall is needed.
        (castle_point / "src/compact_tui_castle_point/compact.toml").write_text(BROKEN_TOML)
        listed = run_subprocess([compact_tui, "compacts", "--json"])
        assert listed.returncode == 0
        rows = {row["id"]: row for row in json.loads(listed.stdout)}
        assert {cid for cid, row in rows.items() if row["available"]} == set(FIVE)
        assert rows["castle_point"]["available"] is False
        assert "registered a content file that cannot be read:" in listed.stderr
        checked = run_subprocess([compact_tui, "plugin", "check", "castle_point"])
        assert checked.returncode == 1
        assert "castle_point: 1 problem" in checked.stdout and "not valid TOML" in checked.stdout
    finally:
        removed = pip("uninstall", "-y", "compact-tui-castle-point")
        assert removed.returncode == 0, removed.stderr
    after = run_subprocess([compact_tui, "compacts", "--json"])
    assert "castle_point" not in {row["id"] for row in json.loads(after.stdout)}
