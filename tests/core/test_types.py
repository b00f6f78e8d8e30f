"""The plugin contract is type-checked: mypy (strict) over the hookspecs, the ``Register``
protocol and the model passes, and a plugin author's mistakes that used to show only when the
plugin loaded are caught by mypy, as an editor would show them, before it is ever installed."""

from __future__ import annotations

import subprocess
import textwrap

from .conftest import REPO_ROOT, VENV_BIN


def mypy(*args: str, cwd=REPO_ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(VENV_BIN / "mypy"), *args], cwd=cwd, capture_output=True, text=True, timeout=300)


def test_the_contract_passes_mypy_strict_as_pyproject_configures_it():
    done = mypy()  # [tool.mypy] in pyproject.toml names the files and sets strict
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.startswith("Success: no issues found")


AUTHORS_MISTAKES = '''
from collections.abc import Generator

from compact_tui.hookspecs import Register, hookimpl
from compact_tui.model import Clause, CompactInfo


@hookimpl
def compact_tui_register_compacts(register: Register) -> None:
    register(content=42)


@hookimpl
def compact_tui_principles(compact: CompactInfo) -> list[Clause] | None:
    return [Clause(ref=4.5, kind="principle", party="both", theme="general", text="Work together.")]


@hookimpl(wrapper=True)
def compact_tui_undertakings(compact: CompactInfo) -> Generator[None, list[list[Clause]], list[list[Clause]]]:
    answers = yield
    answers.append([])
'''


def test_a_plugin_authors_mistakes_are_caught_before_it_runs(tmp_path):
    """A number given as the content file, a clause reference given as a number, and a
    wrapper=True hook that forgets to return the answers (at run time: a compact that cannot be
    used): each is an error in the author's editor, through compact_tui's py.typed."""
    (tmp_path / "castle_point.py").write_text(textwrap.dedent(AUTHORS_MISTAKES), encoding="utf-8")
    done = mypy("--strict", "--no-incremental", "castle_point.py", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines() == [
        'castle_point.py:10: error: Argument "content" to "__call__" of "Register" has incompatible type "int"; '
        'expected "Traversable | PathLike[str] | str | None"  [arg-type]',
        'castle_point.py:15: error: Argument "ref" to "Clause" has incompatible type "float"; expected "str"  '
        '[arg-type]',
        "castle_point.py:19: error: Missing return statement  [return]",
        "Found 3 errors in 1 file (checked 1 source file)",
    ]
