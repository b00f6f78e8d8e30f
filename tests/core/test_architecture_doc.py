"""ARCHITECTURE.md stays true to the tree: every path and every dotted name it mentions exists,
and every module is on it.

Each `code` span on the page is read. One with a slash (``caselog/store.py``, ``tests/tui/``) or a
bare ``.py`` file name must exist, under the repository, ``src/`` or ``src/compact_tui/`` (or be
the end of a module's path there, ``screens/base.py``); a dotted
name (``audit.append_event``, ``CompactApp.MODES``, ``compact_tui.hookspecs``) must resolve: its
first part is a module of compact_tui (by its dotted path or its own name), a class or function
one defines, or another library's module, and each further part an attribute of what came before.
"""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import re
from pathlib import Path

import compact_tui

REPO_ROOT = Path(__file__).resolve().parents[2]
PAGE = (REPO_ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
SPANS = sorted(set(re.findall(r"`([^`\n]+)`", PAGE)))
ROOTS = (REPO_ROOT, REPO_ROOT / "src", REPO_ROOT / "src" / "compact_tui")
DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+(?:\(\))?")
FILE_ENDINGS = (".py", ".md", ".toml", ".tcss", ".log", ".txt", ".db")

MODULES = {m.name: m.name for m in pkgutil.walk_packages(compact_tui.__path__, "compact_tui.")}


def is_path(span: str) -> bool:
    return ("/" in span or span.endswith(".py")) and " " not in span and "<" not in span \
        and not span.startswith("../")


def path_exists(span: str) -> bool:
    package = REPO_ROOT / "src" / "compact_tui"
    if "/" not in span:  # a bare module file: somewhere in the package
        return any(p.name == span for p in package.rglob(span))
    if any((root / span).exists() for root in ROOTS):
        return True
    # the end of a path in the package (screens/base.py): a file, so not ``tests/`` by mistake
    return span.endswith(".py") and any(p.as_posix().endswith(f"/{span}") for p in package.rglob("*.py"))


def resolve(name: str) -> object:
    """The object ``name`` names, or raise LookupError saying which part is missing."""
    parts = name.removesuffix("()").split(".")
    if parts[0] == "compact_tui":
        found: object = compact_tui
        start = 1
    else:
        by_name = [m for m in MODULES if m.rsplit(".", 1)[-1] == parts[0] or m == f"compact_tui.{parts[0]}"]
        if len(by_name) == 1:
            found, start = importlib.import_module(by_name[0]), 1
        else:
            owners = [importlib.import_module(m) for m in MODULES]
            defined = {id(getattr(mod, parts[0])): getattr(mod, parts[0]) for mod in owners
                       if getattr(getattr(mod, parts[0], None), "__module__", "").startswith("compact_tui")}
            if len(defined) != 1 and importlib.util.find_spec(parts[0]) is not None:  # another library's
                defined = {0: importlib.import_module(parts[0])}
            if len(defined) != 1:
                raise LookupError(f"{parts[0]!r} is no module of compact_tui, nor one class or function it defines")
            found, start = next(iter(defined.values())), 1
    for i, part in enumerate(parts[start:], start):
        module_name = f"{getattr(found, '__name__', '')}.{part}"
        if not hasattr(found, part) and module_name in MODULES:
            importlib.import_module(module_name)
        if not hasattr(found, part):
            raise LookupError(f"{'.'.join(parts[:i])} has no {part!r}")
        found = getattr(found, part)
    return found


def test_the_page_names_paths_and_names_at_all():
    assert sum(is_path(s) for s in SPANS) > 40
    assert sum(bool(DOTTED.fullmatch(s)) and not s.endswith(FILE_ENDINGS) for s in SPANS) > 15


def test_every_path_it_mentions_exists():
    missing = [span for span in SPANS if is_path(span) and not path_exists(span)]
    assert missing == []


def test_every_dotted_name_it_mentions_exists():
    missing = []
    for span in SPANS:
        if DOTTED.fullmatch(span) and not span.endswith(FILE_ENDINGS):
            try:
                resolve(span)
            except LookupError as exc:
                missing.append(f"{span}: {exc}")
    assert missing == []


def test_the_check_catches_a_wrong_name():
    assert resolve("audit.append_event") is importlib.import_module("compact_tui.caselog.audit").append_event
    for wrong in ("audit.append_evnet", "CaseLog.nonexistent", "nomodule.thing"):
        try:
            resolve(wrong)
        except LookupError:
            continue
        raise AssertionError(f"{wrong} resolved")
    assert not path_exists("caselog/nostore.py") and path_exists("caselog/store.py")
    assert path_exists("screens/base.py") and not path_exists("screens/nobase.py")


def unnamed_modules(src: Path, named: set[str]) -> list[str]:
    """Each module under ``src`` (a package by its folder) that no span in ``named`` names: by its
    path, the whole (``caselog/store.py``) or its end (``screens/report.py``), by its dotted name,
    or by its bare file name (``store.py``) when no other module has that name: ``report.py`` is
    the annual report's (its path from the package's top), and its screen needs a path."""
    named = {span.removesuffix("/") for span in named}
    modules = sorted(p.relative_to(src) for p in src.rglob("*.py"))
    file_names = [m.name for m in modules if m.name != "__init__.py"]
    unnamed = []
    for relative in modules:
        if relative.name == "__init__.py":
            folder = relative.parent.as_posix()
            if folder != "." and not {folder, f"compact_tui/{folder}"} & named:
                unnamed.append(f"{folder}/")
            continue
        parts = relative.parts
        ways = {"/".join(parts[i:]) for i in range(len(parts) - 1)}  # tui/screens/x.py, screens/x.py
        ways |= {relative.as_posix(), f"compact_tui/{relative.as_posix()}"}
        dotted = ".".join(relative.with_suffix("").parts)
        ways |= {f"compact_tui.{dotted}", dotted}
        if file_names.count(relative.name) == 1:
            ways.add(relative.name)
        if not ways & named:
            unnamed.append(relative.as_posix())
    return unnamed


def test_every_module_is_named_on_the_page():
    """Someone new finds each module, the app's (``tui/``) too, on the page."""
    unnamed = unnamed_modules(REPO_ROOT / "src" / "compact_tui", set(SPANS))
    assert not unnamed, f"modules ARCHITECTURE.md does not name: {unnamed}"


def test_the_naming_check_finds_a_module_left_out(tmp_path):
    for module in ("__init__.py", "report.py", "tui/__init__.py", "tui/app.py", "tui/screens/__init__.py",
                   "tui/screens/report.py", "tui/screens/new_screen.py"):
        (tmp_path / module).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / module).write_text("")
    named = {"report.py", "tui/", "app.py", "tui/screens/"}
    assert unnamed_modules(tmp_path, named) == ["tui/screens/new_screen.py", "tui/screens/report.py"]
    named |= {"screens/report.py", "new_screen.py"}
    assert unnamed_modules(tmp_path, named) == []
