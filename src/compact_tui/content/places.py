"""Where an item of a compact's TOML file is, and what to call it in a message: its label
(``clause 4.9 ([[clauses]] #12)``), the line of each table and key (:func:`toml_lines`), and a
problem said at its place (:class:`Locator`). Used by the reader, the checker and the format's
upgrade (:mod:`compact_tui.content.file_format`), which must not import the reader.
"""

from __future__ import annotations

import re
from typing import Any


def label_for(model: type, item: Any, path: str) -> str:
    """``clause 4.9 ([[clauses]] #12)``: an item by its own reference or id and its position.
    ``item`` is the TOML table or the model object."""
    def get(name: str) -> str:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, "")
        return str(value) if value not in (None, "") else ""

    table, _, number = path.rpartition("#")
    if not number.isdigit():
        return f"[{path}]"
    position = f"[[{_unnumbered(table)}]] #{number}"
    if re.search(r"#\d+\.", table):  # a condition: name its move too
        outer = table.rpartition(".")[0]
        position = f"[[{_unnumbered(outer)}]] #{outer.rpartition('#')[2]}, condition #{number}"
    kind = model.__name__
    if kind == "Move":
        ends = f"{get('from') or get('from_stage') or '?'} -> {get('to') or get('to_stage') or '?'}"
        return f"move {ends} ({position})"
    name = {"Section": "section", "Clause": "clause", "NoticeRule": "rule", "Stage": "stage",
            "Condition": "condition"}.get(kind, kind.lower())
    ident = get("ref") if kind in ("Section", "Clause") else get("id")
    return f"{name} {ident} ({position})" if ident else f"{name} ({position})"


def _shown(path: str) -> str:
    """A file as a message names it: relative to the current folder when it is inside it."""
    import os

    try:
        relative = os.path.relpath(path)
    except ValueError:
        return path
    return relative if os.path.isabs(path) and not relative.startswith("..") else path


def by_line(problems: list[str]) -> list[str]:
    """Problems in the order of the file's lines (those with no line first, as they came)."""
    def line(problem: str) -> int:
        found = re.match(r"[^:]*:(\d+): ", problem)
        return int(found.group(1)) if found else 0

    return sorted(problems, key=line)


def _unnumbered(path: str) -> str:
    return re.sub(r"#\d+", "", path)


class Locator:
    """Lines of a compact's TOML file, found when a message first needs one."""

    def __init__(self, source: str, text: str = ""):
        self.path = source
        self.source = _shown(source)
        self._text = text
        self._lines: dict[str, int] | None = None

    def line(self, path: str, key: str | None = None) -> int | None:
        if self._lines is None:
            if not self._text and self.path:
                try:
                    with open(self.path, encoding="utf-8") as handle:
                        self._text = handle.read()
                except (OSError, UnicodeDecodeError):
                    pass
            self._lines = toml_lines(self._text)
        if key is not None and (f"{path}.{key}" if path else key) in self._lines:
            return self._lines[f"{path}.{key}" if path else key]
        while path:
            if path in self._lines:
                return self._lines[path]
            path = path.rpartition(".")[0]  # a sub-table given inline: its table's line
        return None

    def message(self, path: str, label: str, message: str, key: str | None = None) -> str:
        line = self.line(path, key) if path or key else None
        where = f"{self.source}:{line}" if line else self.source
        return f"{where}: {label}: {message}"


_HEADER = re.compile(r"^(\[\[?)\s*([A-Za-z0-9_.\-]+)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^([A-Za-z0-9_\-]+)\s*=\s*(.*)$")


def toml_lines(text: str) -> dict[str, int]:
    """The line of each table and key of a TOML text, by path: ``clauses#12`` (the twelfth
    ``[[clauses]]``), ``clauses#12.party``, ``procedure.moves#5.conditions#1``."""
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    current_of: dict[str, str] = {}  # an array table's name -> its current instance's path
    table, closing = "", ""
    for number, raw in enumerate(text.splitlines(), 1):
        if closing:
            if closing in raw:
                closing = ""
            continue
        stripped = raw.strip()
        header = _HEADER.match(stripped)
        if header:
            parts = header.group(2).split(".")
            resolved = ""
            for i, part in enumerate(parts[:-1]):
                resolved = current_of.get(".".join(parts[: i + 1])) or (f"{resolved}.{part}" if resolved else part)
            resolved = f"{resolved}.{parts[-1]}" if resolved else parts[-1]
            if header.group(1) == "[[":
                counts[resolved] = counts.get(resolved, 0) + 1
                name = header.group(2)
                for inner in [k for k in current_of if k.startswith(name + ".")]:
                    del current_of[inner]
                resolved = current_of[name] = f"{resolved}#{counts[resolved]}"
            table = resolved
            lines.setdefault(table, number)
            continue
        key = _KEY.match(stripped)
        if key:
            lines.setdefault(f"{table}.{key.group(1)}" if table else key.group(1), number)
            value = key.group(2)
            for quote in ('"""', "'''"):
                if value.startswith(quote) and quote not in value[3:]:
                    closing = quote
    return lines
