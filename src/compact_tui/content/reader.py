"""Read a compact's content from its TOML file into model objects.

The format is :mod:`compact_tui.content.schema` (described in ``docs/compact-format.md``). Reading
only builds the objects and notes what cannot be the format at all (an unknown key, a table
where a value belongs); whether the values are right (types, required fields, allowed values,
references) is :mod:`compact_tui.content.check`'s, for TOML and for code alike. Every problem names
the file, the line, and the item by its reference or id and its 1-based position.
"""

from __future__ import annotations

import re
import types
from typing import Any, Union, get_args, get_origin

from ..record import field, record
from .model import Clause, CompactInfo, DisputeProcedure, NoticeRule, Period, Section
from .places import (  # offered from here too
    Locator as Locator, by_line as by_line, label_for as label_for, toml_lines as toml_lines)


class ContentError(ValueError):
    """A compact's content could not be read at all; ``problems`` lists why."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@record
class CompactDocument:
    """A compact's content as read from TOML, with the problems found reading it."""

    info: CompactInfo
    sections: list[Section] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    rules: list[NoticeRule] = field(default_factory=list)
    procedure: DisputeProcedure | None = None
    source: str = ""  # the file it was read from
    problems: list[str] = field(default_factory=list)
    #: The format the file was written for (:mod:`compact_tui.content.file_format`), whether it
    #: says so (``format = N``), and what reading it as the current format could not decide (each
    #: "item: what to confirm"; its claims are carried over as readings to confirm).
    format: int = 0
    numbered: bool = False
    carried: list[str] = field(default_factory=list)
    #: What :func:`compact_tui.content.check.check_compact` found in this content alone, once it has been
    #: checked (cached with the parse, so an unchanged file is not checked again).
    checked: list[str] | None = None
    #: A digest of the bytes it was read from (:func:`compact_tui.content.content_cache.digest`).
    digest: str = ""


def read_document(path: Any) -> CompactDocument:
    """Read a compact TOML file (a path or an importlib resource); a parse cached from an
    earlier run is used while the file is unchanged (see :mod:`compact_tui.content.content_cache`)."""
    from . import content_cache

    name = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(name, [f"{name}: cannot be read: {exc.strerror or exc}"]) from None
    digest = content_cache.digest(data)  # the parse is kept under the bytes it was made from
    cached: CompactDocument | None = content_cache.load(path, CompactDocument, digest)
    if cached is not None:
        return cached
    doc = _parse_file(name, data)
    doc.digest = digest
    content_cache.save(path, doc, digest)
    return doc


def _parse_file(name: str, data: bytes) -> CompactDocument:
    import tomllib  # only to parse: a file whose parse is cached is not read as TOML

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ContentError(name, [f"{name}: not UTF-8 text ({exc.reason} at byte {exc.start})"]) from None
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        where = f"{name}:{found.group(1)}" if found else name
        raise ContentError(name, [f"{where}: not valid TOML: {exc}"]) from None
    return parse_document(parsed, name, text)


def parse_document(data: dict[str, Any], source: str = "<toml>", text: str | None = None) -> CompactDocument:
    """Turn parsed TOML into a :class:`CompactDocument` (with any problems found reading it)."""
    from . import file_format, schema

    reader = _Reader(Locator(source, text if text is not None else ""))
    number, problem = file_format.written_for(data)
    if problem:
        reader.problem("", f"'{file_format.KEY}'", problem, file_format.KEY)
    found = file_format.changes(data, number)
    numbered = file_format.KEY in data
    if found:  # an earlier format: read as the current one, what it cannot decide carried over
        data = file_format.upgraded(data, found)
    for key in data:
        if key == file_format.KEY:
            continue
        if key not in schema.TOP_LEVEL:
            reader.problem("", f"[{key}]", f"unknown table {key!r}{schema.nearest(key, schema.TOP_LEVEL)}")
    if isinstance(data.get("compact"), dict):
        info = reader.build(CompactInfo, data["compact"], "compact")
    else:
        reader.problem("", "[compact]", "missing the [compact] table (id, name, area, status)")
        info = CompactInfo(id="", name="", area="", status="")
    procedure = None
    if "procedure" in data:
        if isinstance(data["procedure"], dict):
            procedure = reader.build(DisputeProcedure, data["procedure"], "procedure")
        else:
            reader.problem("", "procedure", "'procedure' must be a table: [procedure]")
    return CompactDocument(
        info=info,
        sections=reader.many(Section, data, "sections"),
        clauses=reader.many(Clause, data, "clauses"),
        rules=reader.many(NoticeRule, data, "rules"),
        procedure=procedure,
        source=source,
        problems=by_line(reader.problems),
        format=number,
        numbered=numbered,
        carried=[f"{c.label}: {c.confirm}" for c in found if c.confirm],
    )


class _Reader:
    """Builds model objects from TOML tables as the schema describes them."""

    def __init__(self, locator: Locator) -> None:
        self.locator = locator
        self.problems: list[str] = []

    def problem(self, path: str, label: str, message: str, key: str | None = None) -> None:
        self.problems.append(self.locator.message(path, label, message, key))

    def many(self, model: type, table: dict[str, Any], key: str, path: str = "") -> list[Any]:
        value = table.get(key, [])
        where = f"{path}.{key}" if path else key
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.problem(path, label_for(model, {}, where), f"'{key}' must be an array of tables: [[{where}]]", key)
            return []
        return [self.build(model, t, f"{where}#{i}") for i, t in enumerate(value, 1)]

    def build(self, model: type, table: dict[str, Any], path: str) -> Any:
        from . import schema

        known = schema.keys(model)
        label = label_for(model, table, path)
        for key in table:
            if key not in known:
                self.problem(path, label, f"unknown key {key!r}{schema.nearest(key, known)}", key)
        values: dict[str, Any] = {}
        for spec in known.values():
            if spec.key not in table:
                if not spec.has_default:  # a field the model needs: the checker says it is missing
                    values[spec.attr] = spec.default
                continue
            raw = table[spec.key]
            nested = spec.nested
            if nested is not None and spec.many:
                values[spec.attr] = tuple(self.many(nested, table, spec.key, path))
            elif nested is not None:
                if isinstance(raw, dict):
                    values[spec.attr] = self.build(nested, raw, f"{path}.{spec.key}")
                else:
                    self.problem(path, label, f"'{spec.key}' must be a table: [{path}.{spec.key}]", spec.key)
            else:
                values[spec.attr] = _convert(spec.type, raw)
        return model(**values)


def _optional(kind: Any) -> bool:
    return get_origin(kind) in (Union, types.UnionType) and type(None) in get_args(kind)


def _convert(kind: Any, raw: Any) -> Any:
    """A TOML value as the model holds it; a value of the wrong type is kept as it is, for
    the checker to report."""
    if _optional(kind):
        kind = next(a for a in get_args(kind) if a is not type(None))
    if kind is Period and isinstance(raw, str):
        try:
            return Period.parse(raw)
        except ValueError:
            return raw
    if get_origin(kind) is tuple and isinstance(raw, list):
        return tuple(raw)
    return raw
