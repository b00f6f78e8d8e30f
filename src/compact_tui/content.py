"""Read a compact's content from its TOML file into model objects.

The format is described in ``docs/compact-format.md``. Every problem found is
collected with where it is (``clauses[12] (ref 4.5)``) so that ``plugin check`` can
report them all at once rather than stopping at the first.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from typing import Any

from .model import (
    Clause,
    CompactInfo,
    Condition,
    DisputeProcedure,
    Move,
    NoticeRule,
    Period,
    Section,
    Sides,
    Stage,
)


class ContentError(ValueError):
    """A compact's content could not be read; ``problems`` lists each one."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass
class CompactDocument:
    """A compact's content as read from TOML."""

    info: CompactInfo
    sections: list[Section] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    rules: list[NoticeRule] = field(default_factory=list)
    procedure: DisputeProcedure | None = None


def read_document(path: Any) -> CompactDocument:
    """Read a compact TOML file (a path or an importlib resource); a parse cached from an
    earlier run is used while the file is unchanged (see :mod:`compact_tui.content_cache`)."""
    from . import content_cache

    cached = content_cache.load(path, CompactDocument)
    if cached is not None:
        return cached
    doc = _parse_file(path)
    content_cache.save(path, doc)
    return doc


def _parse_file(path: Any) -> CompactDocument:
    name = str(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(name, [f"not valid TOML: {exc}"]) from None
    except OSError as exc:
        raise ContentError(name, [f"cannot be read: {exc.strerror or exc}"]) from None
    return parse_document(data, name)


def parse_document(data: dict, source: str = "<toml>") -> CompactDocument:
    """Turn parsed TOML into a :class:`CompactDocument`, or raise :class:`ContentError`."""
    reader = _Reader()
    info = reader.info(data.get("compact"))
    sections = [reader.section(i, s) for i, s in enumerate(_table_list(data, "sections", reader))]
    clauses = [reader.clause(i, c) for i, c in enumerate(_table_list(data, "clauses", reader))]
    rules = [reader.rule(i, r) for i, r in enumerate(_table_list(data, "rules", reader))]
    procedure = reader.procedure(data.get("procedure")) if "procedure" in data else None
    if reader.problems:
        raise ContentError(source, reader.problems)
    return CompactDocument(
        info=info,
        sections=[s for s in sections if s],
        clauses=[c for c in clauses if c],
        rules=[r for r in rules if r],
        procedure=procedure,
    )


def _table_list(data: dict, key: str, reader: _Reader) -> list[dict]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        reader.problems.append(f"[[{key}]] must be an array of tables")
        return []
    return value


class _Reader:
    """Pulls typed fields out of TOML tables, noting each problem with its place."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def text(self, table: dict, key: str, where: str, required: bool = True, default: str = "") -> str:
        value = table.get(key, None)
        if value is None:
            if required:
                self.problems.append(f"{where}: missing '{key}'")
            return default
        if not isinstance(value, str):
            self.problems.append(f"{where}: '{key}' must be text")
            return default
        return value

    def period(self, table: dict, key: str, where: str) -> Period | None:
        raw = table.get(key)
        if raw is None:
            return None
        try:
            return Period.parse(str(raw))
        except ValueError as exc:
            self.problems.append(f"{where}: '{key}' {exc}")
            return None

    def info(self, table: Any) -> CompactInfo:
        where = "[compact]"
        if not isinstance(table, dict):
            self.problems.append("missing the [compact] table")
            table = {}
        sides = table.get("sides", {})
        if not isinstance(sides, dict):
            self.problems.append(f"{where}: 'sides' must be a table")
            sides = {}
        localities = table.get("localities", [])
        if not isinstance(localities, list):
            self.problems.append(f"{where}: 'localities' must be a list of text")
            localities = []
        return CompactInfo(
            id=self.text(table, "id", where),
            name=self.text(table, "name", where),
            area=self.text(table, "area", where),
            status=self.text(table, "status", where),
            revision=self.text(table, "revision", where, required=False),
            parent=self.text(table, "parent", where, required=False) or None,
            parent_name=self.text(table, "parent_name", where, required=False),
            localities=tuple(str(x) for x in localities),
            sides=Sides(
                statutory=self.text(sides, "statutory", f"{where}.sides", required=False,
                                    default=Sides.statutory),
                vcs=self.text(sides, "vcs", f"{where}.sides", required=False, default=Sides.vcs),
            ),
            summary=self.text(table, "summary", where, required=False),
            source=self.text(table, "source", where, required=False),
        )

    def section(self, index: int, table: dict) -> Section | None:
        where = f"sections[{index}]"
        if "ref" in table:
            where += f" (ref {table['ref']})"
        return Section(
            ref=self.text(table, "ref", where),
            title=self.text(table, "title", where),
            pending=bool(table.get("pending", False)),
            note=self.text(table, "note", where, required=False),
        )

    def clause(self, index: int, table: dict) -> Clause | None:
        where = f"clauses[{index}]"
        if "ref" in table:
            where += f" (ref {table['ref']})"
        return Clause(
            ref=self.text(table, "ref", where),
            kind=self.text(table, "kind", where),
            party=self.text(table, "party", where),
            theme=self.text(table, "theme", where),
            text=self.text(table, "text", where),
            section=self.text(table, "section", where, required=False),
            note=self.text(table, "note", where, required=False),
        )

    def rule(self, index: int, table: dict) -> NoticeRule | None:
        where = f"rules[{index}]"
        if "id" in table:
            where += f" (id {table['id']})"
        return NoticeRule(
            id=self.text(table, "id", where),
            ref=self.text(table, "ref", where),
            applies_to=self.text(table, "applies_to", where),
            type=self.text(table, "type", where),
            title=self.text(table, "title", where),
            period=self.period(table, "period", where),
            from_field=self.text(table, "from", where, required=False),
            to_field=self.text(table, "to", where, required=False),
            in_writing=bool(table.get("in_writing", False)),
            exception=self.text(table, "exception", where, required=False),
            severity=self.text(table, "severity", where, required=False, default="breach"),
            needs_cite=bool(table.get("needs_cite", False)),
            source=self.text(table, "source", where),
            reading=self.text(table, "reading", where, required=False),
        )

    def procedure(self, table: Any) -> DisputeProcedure | None:
        where = "[procedure]"
        if not isinstance(table, dict):
            self.problems.append(f"{where} must be a table")
            return None
        stages = []
        for i, st in enumerate(table.get("stages", [])):
            w = f"procedure.stages[{i}]" + (f" (id {st['id']})" if "id" in st else "")
            stages.append(Stage(
                id=self.text(st, "id", w),
                title=self.text(st, "title", w),
                ref=self.text(st, "ref", w, required=False),
                text=self.text(st, "text", w, required=False),
                reading=self.text(st, "reading", w, required=False),
                outcome=self.text(st, "outcome", w, required=False),
                wait=self.period(st, "wait", w),
            ))
        moves = []
        for i, mv in enumerate(table.get("moves", [])):
            w = f"procedure.moves[{i}]"
            conditions = tuple(
                self.condition(f"{w}.conditions[{j}]", c)
                for j, c in enumerate(mv.get("conditions", []))
            )
            moves.append(Move(
                from_stage=self.text(mv, "from", w),
                to_stage=self.text(mv, "to", w),
                label=self.text(mv, "label", w, required=False),
                conditions=conditions,
            ))
        return DisputeProcedure(
            start=self.text(table, "start", where, required=not table.get("pending")),
            stages=tuple(stages),
            moves=tuple(moves),
            ref=self.text(table, "ref", where, required=False),
            pending=bool(table.get("pending", False)),
            note=self.text(table, "note", where, required=False),
        )

    def condition(self, where: str, table: dict) -> Condition:
        return Condition(
            id=self.text(table, "id", where),
            question=self.text(table, "question", where),
            ref=self.text(table, "ref", where, required=False),
            team_size=int(table.get("team_size", 0)),
            min_per_sector=int(table.get("min_per_sector", 0)),
        )
