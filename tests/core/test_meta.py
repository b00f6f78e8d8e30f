"""Tests about the tests and the docs: adding a hook or a command without them fails here."""

from __future__ import annotations

import inspect
import re

import pytest

from compact_tui.content import hookspecs
from compact_tui.cli import COMMANDS

from .conftest import REPO_ROOT

HOOKS = sorted(name for name, fn in vars(hookspecs).items()
               if callable(fn) and hasattr(fn, f"{hookspecs.PROJECT}_spec"))
CONTRACT_TESTS = (REPO_ROOT / "tests" / "core" / "test_contract.py").read_text(encoding="utf-8")
GUIDE = (REPO_ROOT / "docs" / "adding-your-compact.md").read_text(encoding="utf-8")


def test_hookspecs_are_found():
    assert "compact_tui_register_compacts" in HOOKS
    assert "compact_tui_dispute_procedure" in HOOKS
    assert set(hookspecs.CONTENT_HOOKS) < set(HOOKS)


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_have_tests(hook):
    assert re.search(rf"^def test_{hook}(_\w*)?\(", CONTRACT_TESTS, re.M), (
        f"tests/core/test_contract.py needs a test named test_{hook}...")


@pytest.mark.parametrize("hook", HOOKS)
def test_plugin_hooks_are_documented(hook):
    assert re.search(rf"^### `?{hook}`?\s*$", GUIDE, re.M), (
        f"docs/adding-your-compact.md needs a '### {hook}' heading")


@pytest.mark.parametrize("hook", HOOKS)
def test_hookspecs_document_every_argument(hook):
    fn = getattr(hookspecs, hook)
    doc = inspect.getdoc(fn) or ""
    assert doc.strip(), f"{hook} has no docstring"
    for param in inspect.signature(fn).parameters:
        assert f":param {param}:" in doc, f"{hook}'s docstring needs ':param {param}:'"


@pytest.mark.parametrize("hook", HOOKS)
def test_hookspecs_are_typed(hook):
    fn = getattr(hookspecs, hook)
    signature = inspect.signature(fn)
    assert signature.return_annotation is not inspect.Signature.empty, hook
    for param in signature.parameters.values():
        assert param.annotation is not inspect.Parameter.empty, (hook, param.name)


def test_single_answer_hooks_say_so():
    for hook in HOOKS:
        firstresult = getattr(getattr(hookspecs, hook), f"{hookspecs.PROJECT}_spec").get("firstresult")
        if firstresult:
            assert "Stops at first non-None result" in inspect.getdoc(getattr(hookspecs, hook)), hook


@pytest.mark.parametrize("argv", [[name, "--help"] for name in COMMANDS]
                         + [["plugin", "check", "--help"], ["plugin", "new", "--help"], ["--help"]],
                         ids=lambda argv: " ".join(argv))
def test_every_command_answers_help(cli, argv):
    result = cli(*argv)
    assert result.code == 0, result.err
    assert result.out.startswith("usage: compact-tui")
    if argv[0] in COMMANDS:
        assert f"compact-tui {argv[0]}" in result.out.splitlines()[0]


def test_top_level_help_lists_every_command(cli):
    out = cli("--help").out
    for name in COMMANDS:
        assert re.search(rf"^\s+{name}\s", out, re.M), name
