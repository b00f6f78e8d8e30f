"""Keeping a plugin's failure its own: what :mod:`compact_tui.plugins` needs to contain any
exception a plugin raises, to describe it in one line, and to say which compacts a plugin that
failed before registering would have brought.

**Which exceptions are the plugin's.** Every ``BaseException`` raised while the core runs a
plugin's code (its import, ``compact_tui_register_compacts``, each content hook, and checking
what it answered) is charged to that plugin: ``SystemExit``, ``GeneratorExit`` and a plugin's
own ``BaseException`` subclasses included. The interpreter's own exit paths (``os._exit``, a
fatal signal, a crash in C) end the process before any Python code can stop them; nothing here
pretends otherwise.

**KeyboardInterrupt: the plugin's, or the officer's Ctrl-C?** Python raises
``KeyboardInterrupt`` for Ctrl-C from its SIGINT handler, in the main thread. While plugins
run, :class:`Interrupts` puts its own SIGINT handler in front of the one in place: it notes
that the signal came, then hands it on (so Ctrl-C still interrupts, as before). A
``KeyboardInterrupt`` raised while no SIGINT came is the plugin's own (``raise
KeyboardInterrupt`` in a hook) and is charged to it, like any other exception; after a real
Ctrl-C it is the officer's and stops the command (exit 130). Off the main thread no SIGINT is
ever delivered, so a ``KeyboardInterrupt`` there is always the plugin's.
"""

from __future__ import annotations

import re
import signal
import threading
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any

#: At most this many TOML files are read from a failed plugin's package to find its compacts.
MAX_FILES = 50


class Interrupts:
    """``with Interrupts() as interrupts:`` notes a real Ctrl-C (SIGINT) while plugins run;
    :meth:`officers` says whether a ``KeyboardInterrupt`` came from it."""

    def __init__(self) -> None:
        self.seen = False
        self._previous: Any = None
        self._installed = False

    def __enter__(self) -> Interrupts:
        if threading.current_thread() is threading.main_thread():
            try:
                self._previous = signal.getsignal(signal.SIGINT)
                signal.signal(signal.SIGINT, self._handler)
                self._installed = True
            except (ValueError, OSError, TypeError):  # not settable here: every interrupt is the plugin's
                self._installed = False
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._installed:
            signal.signal(signal.SIGINT, self._previous if self._previous is not None else signal.default_int_handler)

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        self.seen = True
        previous = self._previous
        if callable(previous):
            previous(signum, frame)
        elif previous != signal.SIG_IGN:
            raise KeyboardInterrupt

    def officers(self, exc: BaseException) -> bool:
        """Whether ``exc`` is the officer's Ctrl-C (to be let through), not the plugin's doing."""
        return isinstance(exc, KeyboardInterrupt) and self.seen


def describe(exc: BaseException) -> str:
    """``RuntimeError: rogue sections``: an exception in one line, whatever its ``__str__`` does."""
    try:
        text = " ".join(str(exc).split())
    except BaseException:  # noqa: BLE001 - a plugin's exception whose message itself raises
        text = "(its message could not be read)"
    name = type(exc).__name__
    text = text if len(text) <= 200 else text[:197] + "..."
    return f"{name}: {text}" if text else name


def short(value: Any) -> str:
    """``repr(value)`` cut to 60 characters, whatever the value's ``__repr__`` does."""
    try:
        text = repr(value)
    except BaseException:  # noqa: BLE001 - a plugin's object whose repr raises
        text = f"<a {type(value).__name__} whose repr() fails>"
    return text if len(text) <= 60 else text[:57] + "..."


def compacts_in_package(module_name: str) -> list[dict[str, str]]:
    """The compacts (``id``, ``name``, ``area``, ``status``) whose TOML files lie in the package
    ``module_name`` belongs to, found without importing it: what a plugin that could not be
    loaded would have registered. A file that is not valid TOML is searched for its
    ``[compact]`` id. Nothing for a plugin that is a lone module (its folder is not its own)."""
    from importlib.util import find_spec

    top = module_name.split(":", 1)[0].split("[", 1)[0].strip().split(".", 1)[0]
    try:
        spec = find_spec(top)  # a top-level name: found, not run
    except BaseException:  # noqa: BLE001 - a broken finder is one more thing we cannot know
        return []
    folders = list(spec.submodule_search_locations or []) if spec is not None else []
    found: list[dict[str, str]] = []
    for folder in folders[:1]:
        files = sorted(p for p in Path(folder).rglob("*.toml") if p.name != "pyproject.toml")[:MAX_FILES]
        for path in files:
            about = compact_in_file(path)
            known = next((f for f in found if about and f["id"] == about["id"]), None)
            if known is not None and about:  # one compact in two files: what either says
                known.update({k: v for k, v in about.items() if v and not known[k]})
            elif about:
                found.append(about)
    return found


def compact_in_file(path: Path) -> dict[str, str] | None:
    """``[compact]``'s ``id``, ``name``, ``area`` and ``status`` in a TOML file (read by eye
    where TOML will not parse it), or ``None`` if it has no ``[compact]`` with an id."""
    import tomllib

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        table = tomllib.loads(text).get("compact")
    except tomllib.TOMLDecodeError:
        return _compact_by_eye(text)
    if not isinstance(table, dict) or not isinstance(table.get("id"), str) or not table["id"].strip():
        return None
    return {key: table[key] if isinstance(table.get(key), str) else "" for key in ("id", "name", "area", "status")}


_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]")
_STRING = re.compile(r"""^\s*(id|name|area|status)\s*=\s*(?:"([^"\\]*)"?|'([^']*)'?)""")  # unclosed: to the end


def _compact_by_eye(text: str) -> dict[str, str] | None:
    """``[compact]``'s simple string keys, read line by line from a file TOML will not parse (a
    string left unclosed, a likely reason, is read to the end of its line)."""
    about: dict[str, str] = {}
    inside = False
    for line in text.splitlines():
        header = _TABLE.match(line)
        if header or line.lstrip().startswith("[["):
            inside = header is not None and header.group(1) == "compact"
            continue
        found = _STRING.match(line) if inside else None
        if found:
            about.setdefault(found.group(1), found.group(2) if found.group(2) is not None else found.group(3))
    if not about.get("id", "").strip():
        return None
    return {key: about.get(key, "") for key in ("id", "name", "area", "status")}
