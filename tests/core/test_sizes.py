"""Readable in one sitting: no module over 400 lines, no class over 250, no function over 60, under
src/compact_tui, unless a reason is written beside it.

The reason is a comment: ``# long: ...`` on the ``def`` or ``class`` line (or the line just above
it) for a function or a class, and ``# long module: ...`` on a line of its own among the module's
first 40 for a module. A reason says why the thing is better whole (a migration's SQL kept as it shipped), or
what it waits for before it is split; ``# long:`` with nothing after it is no reason.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import compact_tui

SRC = Path(compact_tui.__file__).parent
MAX_MODULE, MAX_CLASS, MAX_FUNCTION = 400, 250, 60
REASON = re.compile(r"#\s*long:\s*\S")
MODULE_REASON = re.compile(r"#\s*long module:\s*\S")


def reasoned(lines: list[str], lineno: int) -> bool:
    """A ``# long: ...`` on line ``lineno`` (1-based) or the one above it."""
    return any(REASON.search(lines[i - 1]) for i in (lineno, lineno - 1) if 0 < i <= len(lines))


def too_long(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    found = []
    if len(lines) > MAX_MODULE and not any(MODULE_REASON.match(line.strip()) for line in lines[:40]):
        found.append(f"module: {len(lines)} lines (at most {MAX_MODULE})")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ClassDef):
            limit, what = MAX_CLASS, f"class {node.name}"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            limit, what = MAX_FUNCTION, f"def {node.name}"
        else:
            continue
        first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
        length = node.end_lineno - first + 1
        if length > limit and not reasoned(lines, node.lineno) and not reasoned(lines, first):
            found.append(f"{what} (line {node.lineno}): {length} lines (at most {limit})")
    return found


def test_nothing_is_too_long_without_a_reason():
    found = {str(p.relative_to(SRC)): too_long(p) for p in sorted(SRC.rglob("*.py"))}
    assert {path: what for path, what in found.items() if what} == {}


def test_the_check_sees_each_kind_and_its_reason(tmp_path):
    body = "\n".join(f"    x{i} = {i}" for i in range(61))
    sample = tmp_path / "sample.py"
    sample.write_text(f"def long_one():\n{body}\n\n\ndef excused():  # long: a table kept whole\n{body}\n\n\n"
                      f"# long:\ndef no_reason_given():\n{body}\n")
    assert too_long(sample) == ["def long_one (line 1): 62 lines (at most 60)",
                                "def no_reason_given (line 130): 62 lines (at most 60)"]
    sample.write_text("x = 1\n" * 401)
    assert too_long(sample) == ["module: 401 lines (at most 400)"]
    sample.write_text("# long: a function's reason is not the module's\n" + "x = 1\n" * 401)
    assert too_long(sample) == ["module: 402 lines (at most 400)"]
    sample.write_text("# long module: generated, one entry a line\n" + "x = 1\n" * 401)
    assert too_long(sample) == []
