"""Private Textual, in one place and checked against the pinned Textual.

The app uses four private Textual names, all in ``tui/textual_private.py`` (each with the reason
beside it). These tests fail, naming the name, when an upgrade of Textual removes one or changes
its shape; and no other module in ``tui/`` may use a private Textual name at all. The tests and
``scripts/bench_tui.py`` watch a few more (where a frame is written, the notifications): those are
checked here too, so an upgrade breaks this file first, with a sentence, rather than a test
somewhere else with an AttributeError.
"""

from __future__ import annotations

import ast
import inspect
import re
import tomllib
from pathlib import Path

import textual
from textual.app import App
from textual.screen import Screen

import compact_tui.tui
from compact_tui.tui.textual_private import CrashLogApp, FirstFrameScreen

TUI = Path(compact_tui.tui.__file__).parent
REPO_ROOT = Path(__file__).resolve().parents[2]


def params(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_installed_textual_is_the_pinned_one():
    """Upgrading Textual means reading this file's checks again: the pin and the install agree."""
    pins = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    pin = next(p for p in pins if p.startswith("textual"))
    assert pin == f"textual=={textual.__version__}", (pin, textual.__version__)


def test_screen_compositor_refresh_is_still_where_a_frame_is_rendered():
    assert params(Screen._compositor_refresh) == ["self"], "Screen._compositor_refresh changed its signature"
    source = inspect.getsource(Screen)
    assert source.count("self._compositor_refresh()") >= 2, "Textual no longer calls Screen._compositor_refresh"
    assert FirstFrameScreen._compositor_refresh is not Screen._compositor_refresh


def test_app_batch_count_still_counts_the_open_batch_updates():
    app = App()
    assert app._batch_count == 0, "App._batch_count is gone or no longer starts at 0"
    with app.batch_update():
        assert app._batch_count == 1, "App.batch_update no longer counts in App._batch_count"
    assert app._batch_count == 0


def test_app_handle_exception_and_exit_renderables_keep_their_shape():
    assert params(App._handle_exception) == ["self", "error"], "App._handle_exception changed its signature"
    assert "self._fatal_error()" in inspect.getsource(App._handle_exception) \
        and "self._exit_renderables.append" in inspect.getsource(App._fatal_error), \
        "App._handle_exception no longer keeps the traceback in App._exit_renderables"
    assert App()._exit_renderables == [], "App._exit_renderables is gone or is no longer a list"
    assert CrashLogApp._handle_exception is not App._handle_exception


def test_the_private_names_the_tests_and_benchmarks_watch_are_still_there():
    app = App()
    assert params(App._display) == ["self", "screen", "renderable"], "App._display changed its signature"
    assert re.search(r"if self\._batch_count:\s+return", inspect.getsource(App._display)), \
        "App._display no longer drops a frame inside a batch"
    assert hasattr(app, "_notifications"), "App._notifications is gone"
    assert isinstance(inspect.getattr_static(App, "_background_screens"), property), "App._background_screens"
    assert "def render_update" in inspect.getsource(inspect.getmodule(Screen).Compositor), \
        "Compositor.render_update is gone"


# -- nothing else in tui/ uses a private Textual name ---------------------------------------

def textual_private_names() -> set[str]:
    """Every ``_name`` (not dunder) defined or assigned anywhere in Textual's own source."""
    names: set[str] = set()
    for path in Path(textual.__file__).parent.rglob("*.py"):
        names.update(re.findall(r"(?:def |self\.)(_[a-z][a-z0-9_]*)\b", path.read_text(encoding="utf-8")))
    return names


def private_textual_uses(source: str, private: set[str]) -> list[str]:
    """Private Textual names ``source`` reaches: an attribute of a Textual object read or set, or
    a method overridden in a class built on Textual. ``self._x`` inside a class of our own (no
    Textual base) is that class's own business."""
    tree = ast.parse(source)
    from_textual = {alias.asname or alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                    and (node.module or "").startswith("textual") for alias in node.names}
    ours = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)
            and not any(isinstance(b, ast.Name) and b.id in from_textual for b in node.bases)
            and not any(isinstance(b, ast.Name) for b in node.bases)}
    found = []

    def walk(node: ast.AST, in_own_class: bool) -> None:
        for child in ast.iter_child_nodes(node):
            own = in_own_class
            if isinstance(child, ast.ClassDef):
                own = child.name in ours
                for item in child.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and not own \
                            and item.name in private and not item.name.startswith("__"):
                        found.append(f"line {item.lineno}: overrides {item.name}")
            if isinstance(child, ast.Attribute) and child.attr in private and not child.attr.startswith("__"):
                on_self = isinstance(child.value, ast.Name) and child.value.id == "self"
                if not (on_self and own):
                    found.append(f"line {child.lineno}: {ast.unparse(child)}")
            walk(child, own)

    walk(tree, False)
    return found


def test_the_check_finds_each_kind_of_use():
    private = textual_private_names()
    source = (
        "from textual.screen import Screen\n"
        "class S(Screen):\n"
        "    def _compositor_refresh(self):\n"
        "        return self.app._batch_count\n"
        "class Mine:\n"
        "    def _run(self):\n"
        "        return self._run\n"
    )
    assert private_textual_uses(source, private) == ["line 3: overrides _compositor_refresh",
                                                     "line 4: self.app._batch_count"]


def test_no_module_in_tui_but_textual_private_uses_a_private_textual_name():
    private = textual_private_names()
    assert {"_compositor_refresh", "_batch_count", "_handle_exception", "_exit_renderables"} <= private
    uses = {}
    for path in sorted(TUI.rglob("*.py")):
        if path.name == "textual_private.py":
            continue
        found = private_textual_uses(path.read_text(encoding="utf-8"), private)
        if found:
            uses[str(path.relative_to(TUI))] = found
    assert uses == {}, "put each private Textual use in tui/textual_private.py, with its reason"


def test_the_input_parser_and_driver_the_escape_fix_builds_on_keep_their_shape():
    """``EscapeFirstDriver.run_input_thread`` is Textual 8.2.8's ``LinuxDriver.run_input_thread``
    with the parser swapped: if Textual's changes, the copy must be read again."""
    import hashlib

    from textual._parser import Parser
    from textual._xterm_parser import XTermParser
    from textual.drivers.linux_driver import LinuxDriver

    from compact_tui.tui.textual_private import EscapeFirstParser

    source = inspect.getsource(LinuxDriver.run_input_thread)
    assert hashlib.sha256(source.encode()).hexdigest() == \
        "d796af6d69db337d6fa6bd463984f7d17188d991dbb22f60efb92a8a9619507c", \
        "LinuxDriver.run_input_thread changed: compare EscapeFirstDriver.run_input_thread with it"
    assert "parser = XTermParser(self._debug)" in source
    assert "self._timeout_time" in inspect.getsource(Parser.tick), "Parser.tick no longer reads _timeout_time"
    assert "read1(constants.ESCAPE_DELAY)" in inspect.getsource(XTermParser.parse), \
        "XTermParser no longer waits ESCAPE_DELAY after an ESC"
    parser = EscapeFirstParser()
    assert parser._timeout_time is None, "Parser._timeout_time is gone"
