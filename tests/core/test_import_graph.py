"""The shape of the core, kept: no import circles, nothing imports a layer above its own, and
only ``tui/`` imports textual.

Every module under ``src/compact_tui`` is read with :mod:`ast` (not run), so every import counts:
those at the top, those inside a function (late imports, made to keep start-up lean) and those
under ``TYPE_CHECKING``. The layers are declared once, here, lowest first; ARCHITECTURE.md
describes the same order.
"""

from __future__ import annotations

import ast
from pathlib import Path

import compact_tui

SRC = Path(compact_tui.__file__).parent

#: The layers, lowest first. A module belongs to the first entry its name starts with (a package
#: takes its modules with it); it may import from its own layer and those below.
LAYERS: tuple[tuple[str, ...], ...] = (
    # small shared helpers, and the package itself (its __version__)
    ("compact_tui.errors", "compact_tui.text", "compact_tui.files", "compact_tui.user_folders", "compact_tui.config",
     "compact_tui.crash", "compact_tui.digests", "compact_tui.record", "compact_tui"),
    ("compact_tui.content",),   # a compact and how it arrives: model, format, check, plugins, registry
    ("compact_tui.rules",),     # dates, notice rules, disputes: pure functions over the model
    ("compact_tui.caselog",),   # the SQLite case log
    ("compact_tui.due",),       # what is due across the case log, reminders
    ("compact_tui.report",),    # the annual report
    ("compact_tui.tui",),       # the terminal app
    ("compact_tui.cli",),       # the command line (which starts the app)
    # the paths plugins import (re-exports of content/): above everything, so the core never uses them
    ("compact_tui.hookspecs", "compact_tui.model", "compact_tui.conformance"),
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def layer_of(module: str) -> int:
    best = None
    for i, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (i, len(prefix))
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return best[0]


def imports_of(module: str) -> dict[str, set[str]]:
    """The modules ``module`` imports: compact_tui's own (by module, not by name) and others' top names."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    ours: set[str] = set()
    theirs: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                (ours if alias.name.split(".")[0] == "compact_tui" else theirs).add(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "compact_tui":
                theirs.add(target)
                continue
            for alias in node.names:  # "from . import content_cache" imports a module
                sub = f"{target}.{alias.name}"
                ours.add(sub if sub in MODULES else target)
    unknown = {m for m in ours if m not in MODULES}
    assert not unknown, f"{module} imports {unknown}, which are not modules of compact_tui"
    return {"ours": ours - {module}, "theirs": theirs}


GRAPH = {module: imports_of(module) for module in MODULES}


def test_the_graph_is_read_whole():
    # a few edges each kind of import makes, so that a reader that found nothing cannot pass
    assert "compact_tui.caselog.store" in GRAPH["compact_tui.caselog.case_log"]["ours"]         # top, relative
    assert "compact_tui.caselog.attachments" in GRAPH["compact_tui.caselog.case_changes"]["ours"]   # late
    assert "compact_tui.content.content_cache" in GRAPH["compact_tui.content.reader"]["ours"]  # from . import
    assert "compact_tui.tui.app" in GRAPH["compact_tui.cli.app_cmd"]["ours"]
    assert "textual.app" in GRAPH["compact_tui.tui.app"]["theirs"]
    assert len(GRAPH) > 50


def test_there_is_no_import_circle():
    """Not even through a late import: a circle means neither module can be read without the other."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> None:
        if module in path:
            circle = path[path.index(module):] + [module]
            raise AssertionError("import circle: " + " -> ".join(circle))
        if module in done:
            return
        path.append(module)
        for target in sorted(GRAPH[module]["ours"]):
            visit(target)
        path.pop()
        done.add(module)

    for module in sorted(GRAPH):
        visit(module)


def test_nothing_imports_a_layer_above_its_own():
    upward = [f"{module} -> {target}" for module, edges in sorted(GRAPH.items()) for target in sorted(edges["ours"])
              if layer_of(target) > layer_of(module)]
    assert upward == []


def test_only_the_terminal_app_imports_textual():
    outside = [f"{module} imports {name}" for module, edges in sorted(GRAPH.items())
               if layer_of(module) != layer_of("compact_tui.tui")
               for name in sorted(edges["theirs"]) if name.split(".")[0] == "textual"]
    assert outside == []


def test_every_module_is_in_a_layer():
    for module in MODULES:
        layer_of(module)
