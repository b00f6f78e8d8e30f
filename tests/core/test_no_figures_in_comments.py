"""Timing figures live in docs/performance.md, with when and how they were taken, not in the
code's comments, where they go stale unseen: a comment says why, and points there.

Every comment and docstring of every module, the app's (``tui/``) too, is read (``tokenize`` for the
comments, ``ast`` for the docstrings); a time (``60 ms``, ``1.1 s``, ``4 seconds``), an
instruction count (``13 million instructions``) or a ratio (``1.3x``) is refused (a setting's
own value, a timeout say, is named by its constant, not repeated). Sizes and periods (``20 MB``,
``12w``) are not timings and pass.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

import compact_tui

SRC = Path(compact_tui.__file__).parent
FIGURE = re.compile(
    r"\b\d+(?:[.,]\d+)?\s?(?:ms|µs|us|ns|s|secs?|seconds?|milliseconds?)\b"
    r"|\b\d+(?:[.,]\d+)?\s?(?:million|thousand|M|K)\s+instructions\b"
    r"|\b\d+(?:\.\d+)?x\b")


def prose(text: str) -> list[tuple[int, str]]:
    """Each comment and docstring of a module's ``text``, with the line it starts on."""
    found = [(tok.start[0], tok.string) for tok in tokenize.generate_tokens(io.StringIO(text).readline)
             if tok.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                found.append((body[0].lineno, body[0].value.value))
    return sorted(found)


def figures_in(text: str) -> list[str]:
    return [f"line {line}: {match.group(0)!r}" for line, words in prose(text) for match in FIGURE.finditer(words)]


def test_no_comment_or_docstring_carries_a_timing_figure():
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        figures = figures_in(path.read_text(encoding="utf-8"))
        if figures:
            found[relative.as_posix()] = figures
    assert found == {}


def test_the_check_finds_each_kind_and_passes_sizes_and_periods():
    sample = '''"""Reads the file (about 60 ms), where a parse took 1.1 s."""

X = "12 ms"  # data, not a comment: passes


def f():
    """13 million instructions; 1.3x a bare app; 4 seconds."""
    # 20 MB at most, a 12w period, +3m, 5wd, 0x100: none of them a timing
    return 2
'''
    assert figures_in(sample) == ["line 1: '60 ms'", "line 1: '1.1 s'", "line 7: '13 million instructions'",
                                  "line 7: '1.3x'", "line 7: '4 seconds'"]
