"""The plugins' metadata read by hand for the app's start (``content_cache.plugin_distributions``,
the registry snapshot's key) against ``importlib.metadata``, which finds the plugins themselves,
on real installs: a tiny plugin is built and installed by pip (offline) as a wheel, as an editable
install and with ``--user``; both must see the same distributions with the same entry points, and
the plugin must load. (Why the start reads them by hand: docs/performance.md, "Hand-written
beside a library".)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import compact_tui

from .conftest import plugin_pyproject

SRC = Path(compact_tui.__file__).resolve().parents[1]  # the folder compact_tui is imported from

COMPARE = textwrap.dedent("""
    import json, re, sys
    from importlib.metadata import entry_points
    from compact_tui.content.content_cache import plugin_distributions

    def normal(name):
        return re.sub(r"[-_.]+", "-", name).lower()

    ours = {}  # a distribution found twice on sys.path (an editable install's egg-info) counts once, the first
    for _, folder, text in plugin_distributions("compact_tui"):
        ours.setdefault(normal(folder.rsplit(".", 1)[0].split("-", 1)[0]),
                        sorted(line.replace(" ", "") for line in text.splitlines()))
    theirs = {}
    for ep in entry_points(group="compact_tui"):
        theirs.setdefault(normal(ep.dist.name), []).append(f"{ep.name}={ep.value}".replace(" ", ""))
    tiny = [ep for ep in entry_points(group="compact_tui") if ep.name == "tiny"]
    print(json.dumps({
        "ours": sorted([name, lines] for name, lines in ours.items()),
        "theirs": sorted([name, sorted(lines)] for name, lines in theirs.items()),
        "loaded": len(tiny) == 1 and tiny[0].load().__name__ == "compact_tui_tiny",
        "loaded_from": sys.modules["compact_tui_tiny"].__file__,
    }))
""")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A tiny plugin project, and the wheel pip builds of it (offline, with the dev extras' setuptools)."""
    root = tmp_path_factory.mktemp("tiny")
    project = root / "compact-tui-tiny"
    (project / "src" / "compact_tui_tiny").mkdir(parents=True)
    (project / "pyproject.toml").write_text(plugin_pyproject("tiny"))
    (project / "src" / "compact_tui_tiny" / "__init__.py").write_text('"""A plugin that registers nothing."""\n')
    pip(sys.executable, "wheel", "--no-deps", "--no-build-isolation", "-w", str(root / "dist"), str(project))
    wheel = next((root / "dist").glob("compact_tui_tiny-0.1.0-*.whl"))
    return project, wheel


def pip(python: str, *args: str, env: dict | None = None) -> None:
    done = subprocess.run([python, "-m", "pip", "--disable-pip-version-check", "--no-input", *args, "--no-index"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def compare(python: str, env: dict) -> dict:
    done = subprocess.run([python, "-c", COMPARE], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def clean_env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "COMPACT_TUI"))}
    return {**env, **extra}


def assert_same(result: dict, where: Path) -> None:
    assert result["ours"] == result["theirs"]
    assert ["compact-tui-tiny", ["tiny=compact_tui_tiny"]] in result["ours"]
    assert result["loaded"]
    assert Path(result["loaded_from"]).resolve().is_relative_to(where.resolve()), result["loaded_from"]


def test_a_wheel_install(tiny, tmp_path):
    _, wheel = tiny
    target = tmp_path / "site"
    pip(sys.executable, "install", "--no-deps", "--target", str(target), str(wheel))
    assert_same(compare(sys.executable, clean_env(PYTHONPATH=str(target))), target)


def test_an_editable_install(tiny, tmp_path):
    project, _ = tiny
    target = tmp_path / "site"
    pip(sys.executable, "install", "--no-deps", "--no-build-isolation", "--target", str(target), "-e", str(project))
    assert not (target / "compact_tui_tiny").exists()  # the code stays in the project: only metadata and a hook here
    # the editable finder is set up by a .pth file, which Python reads only in a site folder
    env = clean_env(PYTHONPATH=str(target))
    code = f"import site; site.addsitedir({str(target)!r}); exec(compile({COMPARE!r}, 'compare', 'exec'))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert_same(json.loads(done.stdout.strip().splitlines()[-1]), project)


# installs: its interpreter (the one the venv was made from) runs compact_tui from source, so
# ./dev mutate, which deselects these, does not run it against a mutated copy it has no mutmut for
@pytest.mark.installs
def test_a_user_install(tiny, tmp_path):
    """``pip install --user`` (refused inside a virtual environment, so the interpreter this one
    was made from installs it, into a user base of its own; compact_tui is imported from source)."""
    _, wheel = tiny
    base = getattr(sys, "_base_executable", "") or shutil.which("python3")
    probe = subprocess.run([base, "-c", "import pip, site; print(site.ENABLE_USER_SITE)"],
                           capture_output=True, text=True)
    if probe.returncode != 0 or probe.stdout.strip() != "True":
        pytest.skip(f"{base} has no pip or no user site: {probe.stderr.strip()[-200:]}")
    user_base = tmp_path / "userbase"
    env = clean_env(PYTHONUSERBASE=str(user_base))
    pip(base, "install", "--user", "--no-deps", str(wheel), env=env)
    result = compare(base, {**env, "PYTHONPATH": str(SRC)})
    assert_same(result, user_base)
