"""Validate a compact's content: what ``compact-tui plugin check`` reports, and what decides,
when the plugins load, whether a compact is used at all.

The same checks run on content from TOML and from a plugin's code: every field against the
format (:mod:`compact_tui.content.schema`: type, required, allowed values), then what ties the content
together (unique references, rules citing real clauses, a procedure whose every stage is
reachable and every path ends). Each problem is one line, once, naming the file and line (for
TOML), the item by its own reference or id and its 1-based position.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from typing import Any, Union, get_args, get_origin

from . import schema
from ..text import is_unsafe, terminal
from .reader import CompactDocument, Locator, by_line, label_for
from .model import (
    PERIOD_UNITS,
    Clause,
    Compact,
    CompactInfo,
    DisputeProcedure,
    NoticeRule,
    Period,
    normalise_ref,
    qualifiers_in,
)


class _Report:
    """Collects problems, each said where it is: ``file:line: clause 4.9 ([[clauses]] #12): ...``
    for TOML, ``plugin 'x': clause 4.9 (clauses #12): ...`` for content made in code."""

    def __init__(self, compact: Compact, doc: CompactDocument | None):
        self.problems: list[str] = list(doc.problems) if doc is not None else []
        self.locator = Locator(doc.source) if doc is not None else None
        self.code = f"plugin {compact.plugin!r}" if compact.plugin else "code"
        self.paths: dict[int, str] = {}
        if doc is not None:
            for name, items in (("sections", doc.sections), ("clauses", doc.clauses), ("rules", doc.rules)):
                for i, item in enumerate(items, 1):
                    self.paths[id(item)] = f"{name}#{i}"
            if doc.procedure is not None:
                self.paths[id(doc.procedure)] = "procedure"
            self.paths[id(doc.info)] = "compact"

    def path(self, item: Any, fallback: str, toml: bool = False) -> tuple[str, bool]:
        """The item's TOML path and True, or ``fallback`` (its position in its list) and
        ``toml`` (whether that list came from TOML)."""
        found = self.paths.get(id(item))
        return (found, True) if found else (fallback, toml)

    def add(self, path: str, from_toml: bool, model: type, item: Any, message: str, key: str | None = None) -> None:
        label = label_for(model, item, path)
        if from_toml and self.locator is not None:
            self.problems.append(self.locator.message(path, label, message, key))
        else:
            self.problems.append(f"{self.code}: {_code_label(label)}: {message}")

    def line(self, path: str, from_toml: bool) -> str:
        if from_toml and self.locator is not None:
            number = self.locator.line(path)
            return f", line {number}" if number else ""
        return ""


def _code_label(label: str) -> str:
    """Content made in code has no TOML tables: ``clause 4.9 (clauses #12)``."""
    return label.replace("[[", "").replace("]]", "").replace("[", "").replace("]", "")


def check_compact(compact: Compact, doc: CompactDocument | None = None) -> list[str]:
    """Every problem with a compact's content; an empty list means it is sound. ``doc`` is the
    TOML document the content came from, if any, so that problems can name their lines."""
    report = _Report(compact, doc)
    info_path, info_toml = report.path(compact.info, "compact")
    _check_object(report, compact.info, CompactInfo, info_path, info_toml)
    info = compact.info
    if isinstance(info.id, str) and info.id and (info.id != info.id.strip().lower() or " " in info.id):
        report.add(info_path, info_toml, CompactInfo, info, f"id {info.id!r} must be lower-case with no spaces", "id")

    for model, name, items in (("Section", "sections", compact.sections), ("Clause", "clauses", compact.clauses),
                               ("NoticeRule", "rules", compact.rules)):
        cls = next(t.model for t in schema.TABLES if t.model.__name__ == model)
        for i, item in enumerate(items, 1):
            path, toml = report.path(item, f"{name}#{i}")
            _check_object(report, item, cls, path, toml)

    refs = {normalise_ref(c.ref) for c in compact.clauses if isinstance(c, Clause) and isinstance(c.ref, str)}
    _check_unique(report, compact.sections, "sections", "ref", "reference")
    _check_unique(report, compact.clauses, "clauses", "ref", "reference", key=normalise_ref)
    _check_unique(report, compact.rules, "rules", "id", "id")
    sections = {s.ref for s in compact.sections}
    pending = {s.ref for s in compact.sections if s.pending is True}
    for i, clause in enumerate(compact.clauses, 1):
        path, toml = report.path(clause, f"clauses#{i}")
        if isinstance(clause.section, str) and clause.section and clause.section not in sections:
            report.add(path, toml, type(clause), clause, f"section {clause.section!r} is not among the "
                       f"[[sections]]{schema.nearest(clause.section, sections)}", "section")
        elif clause.section in pending:
            report.add(path, toml, type(clause), clause, f"section {clause.section!r} is marked pending, "
                       "so it has no clauses (remove pending = true, or this clause)", "section")
    for i, rule in enumerate(compact.rules, 1):
        path, toml = report.path(rule, f"rules#{i}")
        for message, key in _rule_problems(compact, rule, refs):
            report.add(path, toml, NoticeRule, rule, message, key)
    if compact.procedure is not None:
        path, toml = report.path(compact.procedure, "procedure")
        _check_procedure(report, compact.procedure, refs, path, toml)
    return by_line(report.problems)


def check_procedure(proc: DisputeProcedure, compact: Compact | None = None) -> list[str]:
    """The problems of a procedure on its own (made in code, or a compact's)."""
    compact = compact or Compact(info=CompactInfo(id="", name="", area="", status=""))
    report = _Report(compact, None)
    report.code = "procedure"
    refs = {normalise_ref(c.ref) for c in compact.clauses}
    _check_object(report, proc, DisputeProcedure, "procedure", False)
    _check_procedure(report, proc, refs if compact.info.id else None, "procedure", False)
    return report.problems


# -- each field against the format --------------------------------------------------------------


def _check_object(report: _Report, item: Any, model: type, path: str, toml: bool) -> None:
    if not isinstance(item, model):
        report.add(path, toml, model, item, f"is a {type(item).__name__}, not a {model.__name__}")
        return
    for spec in schema.spec(model):
        value = getattr(item, spec.attr)
        problem = _field_problem(spec, value)
        if problem:
            report.add(path, toml, model, item, problem, spec.key)
            continue
        nested = spec.nested
        if nested is not None and value is not None:
            children = value if spec.many else [value]
            for i, child in enumerate(children, 1):
                child_path = f"{path}.{spec.key}#{i}" if spec.many else f"{path}.{spec.key}"
                _check_object(report, child, nested, child_path, toml)


@cache
def _kind(spec: schema.FieldSpec) -> tuple[Any, bool]:
    """The field's type without ``| None``, and whether ``None`` is allowed."""
    kind = spec.type
    if get_origin(kind) in (Union, types.UnionType) and type(None) in get_args(kind):
        return next(a for a in get_args(kind) if a is not type(None)), True
    return kind, False


def _field_problem(spec: schema.FieldSpec, value: Any) -> str:
    kind, optional = _kind(spec)
    if optional and value is None:
        return ""
    key = spec.key
    if kind is str:
        if not isinstance(value, str):
            return f"'{key}' must be text, not {_toml_type(value)}"
        if spec.about.required and not value.strip():
            return f"missing '{key}'"
        if spec.about.values and value and value not in spec.about.values:
            return (f"unknown {key} {value!r}{schema.nearest(value, spec.about.values)} "
                    f"(known: {', '.join(spec.about.values)})")
        return _steering(key, value)
    if kind is bool:
        return "" if isinstance(value, bool) else f"'{key}' must be true or false, not {_toml_type(value)}"
    if kind is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            return f"'{key}' must be a whole number, 0 or more, not {value!r}"
        return ""
    if kind is Period:
        if isinstance(value, Period) and isinstance(value.amount, int) and value.unit in PERIOD_UNITS:
            return ""
        return f"'{key}' {str(value)!r} is not a period such as 12w, 3m, 10d or 5wd"
    if get_origin(kind) is tuple:
        inner = get_args(kind)[0]
        if not isinstance(value, (tuple, list)):
            return f"'{key}' must be a list, not {_toml_type(value)}"
        if inner is str and not all(isinstance(v, str) for v in value):
            return f"'{key}' must be a list of text"
        if inner is str:
            return next((said for said in (_steering(key, v) for v in value) if said), "")
        return ""
    return ""  # a nested table: its own fields are checked


def _steering(key: str, text: str) -> str:
    """A problem if ``text`` holds a character that could steer a terminal or reorder what is
    shown (an escape, a bidirectional override: :func:`compact_tui.text.is_unsafe`); line
    breaks and tabs are text. Every screen and file shows such a character inert anyway, but
    it is no part of a compact's words, so its author is told where it is."""
    for i, ch in enumerate(text, 1):
        if ch not in "\n\t" and is_unsafe(ch):
            return f"'{key}' holds the control character {terminal(ch)} at character {i}: remove it"
    return ""


def _toml_type(value: Any) -> str:
    names = {str: "text", bool: "true/false", int: "a number", float: "a number", list: "a list",
             tuple: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


# -- what ties the content together -------------------------------------------------------------


def _check_unique(report: _Report, items: Iterable[Any], name: str, attr: str, what: str,
                  key: Callable[[str], str] = lambda v: v, toml: bool = False) -> None:
    """A repeated reference or id, reported once, at each repeat, naming the first."""
    first: dict[Any, tuple[int, str]] = {}
    placed = [(report.path(item, f"{name}#{i}", toml), item) for i, item in enumerate(items, 1)]
    placed.sort(key=lambda p: (not p[0][1], _position(p[0][0])))  # the file's order first
    for (path, toml), item in placed:
        value = getattr(item, attr, None)
        if not isinstance(value, str) or not value:
            continue
        seen = first.get(key(value))
        if seen is None:
            first[key(value)] = (_position(path), path)
            continue
        number, first_path = seen
        report.add(path, toml, type(item), item, f"{what} {value!r} is already used by #{number}"
                   f"{report.line(first_path, toml)}", attr)


def _position(path: str) -> int:
    number = path.rpartition("#")[2]
    return int(number) if number.isdigit() else 0


def _rule_problems(compact: Compact, rule: object, refs: set[str]) -> Iterator[tuple[str, str]]:
    if not isinstance(rule, NoticeRule):
        return
    if isinstance(rule.ref, str) and rule.ref and normalise_ref(rule.ref) not in refs:
        known = [c.ref for c in compact.clauses if isinstance(c.ref, str)]
        yield f"cites {rule.ref!r}, which is not a clause of this compact{schema.nearest(rule.ref, known)}", "ref"
    if rule.type in ("minimum-period", "recurring") and isinstance(rule.period, Period) and rule.period.amount <= 0:
        yield f"a {rule.type} rule needs a period of more than 0", "period"
    if rule.type in ("minimum-period", "recurring") and rule.period is None:
        yield f"a {rule.type} rule needs a 'period'", "period"
    if rule.type in ("minimum-period", "deadline"):
        for key, value in (("from", rule.from_field), ("to", rule.to_field)):
            if value == "":
                yield f"a {rule.type} rule needs '{key}'", key
    yield from _standing_problems(rule)
    yield from _severity_problems(rule)
    yield from _exception_problems(rule)


# -- standing: what the text states, and what is our reading ------------------------------------

UNSOURCED = "neither quotes the text that states it ('states') nor says why it is a reading ('reading')"


def _standing_problems(item: Any) -> Iterator[tuple[str, str]]:
    """A claim either quotes the text's words (``states``) or is a reading with its reason."""
    states, reading = getattr(item, "states", ""), getattr(item, "reading", "")
    if isinstance(states, str) and isinstance(reading, str) and not states.strip() and not reading.strip():
        yield UNSOURCED, "states"


def _severity_problems(rule: NoticeRule) -> Iterator[tuple[str, str]]:
    """Severity follows the words: a qualifier in the rule's quoted words ("normally", "where
    appropriate") makes it a warning; a warning with no qualifier says why (``severity_reading``)."""
    if not all(isinstance(v, str) for v in (rule.states, rule.severity_states, rule.severity_reading)):
        return  # reported with the fields
    if rule.severity not in ("breach", "warning"):
        return  # reported with the fields
    qualifiers = qualifiers_in(rule.states)
    if qualifiers and rule.severity != "warning":
        yield (f"its words say {qualifiers[0]!r}, so its severity must be warning, not {rule.severity}",
               "severity")
    if rule.severity_standing.label == "unsourced":
        yield (f"its severity ({rule.severity}) is not set by its words: quote the words that set it "
               "('severity_states') or say why it is a reading ('severity_reading')"), "severity_states"
    elif qualifiers and not rule.severity_reading.strip() and not qualifiers_in(rule.severity_standing.states):
        yield f"its severity should quote the qualifier {qualifiers[0]!r} in 'severity_states'", "severity_states"


def _exception_problems(rule: NoticeRule) -> Iterator[tuple[str, str]]:
    """An exception is the text's own words, found in the rule's quoted words: a reason recorded
    silences only what the text itself allows."""
    if isinstance(rule.exception, str) and isinstance(rule.states, str) and rule.exception.strip() and \
            " ".join(rule.exception.split()).lower() not in " ".join(rule.states.split()).lower():
        yield ("its exception must be words of its 'states', verbatim (the text's own exception or "
               f"alternative): {rule.exception!r} is not in them"), "exception"


def _check_procedure(report: _Report, proc: object, refs: set[str] | None, path: str, toml: bool) -> None:
    """Stages known and unique, every stage reachable, every path able to end; ``refs`` are the
    compact's clause references (``None``: a procedure checked on its own)."""
    from .model import Move, Stage

    if not isinstance(proc, DisputeProcedure):
        return

    def add(message: str, key: str | None = None) -> None:
        report.add(path, toml, DisputeProcedure, proc, message, key)

    if not isinstance(proc.stages, (tuple, list)) or not isinstance(proc.moves, (tuple, list)):
        return  # type: ignore[unreachable]  # a plugin may build it with anything: reported with the fields
    stages = [(i, s) for i, s in enumerate(proc.stages, 1) if isinstance(s, Stage) and isinstance(s.id, str)]
    moves = [(i, m) for i, m in enumerate(proc.moves, 1)
             if isinstance(m, Move) and isinstance(m.from_stage, str) and isinstance(m.to_stage, str)]
    for message, key in ([] if proc.states_none is True else _standing_problems(proc)):  # silence: no words
        add(message, key)
    marks = [(k, w) for k, w in (("pending", "pending"), ("elsewhere", "outlined elsewhere"),
                                 ("states_none", "stating none")) if getattr(proc, k) is True]
    if len(marks) > 1:
        add(f"marked both {marks[0][1]} and {marks[1][1]}: say only what the text says", marks[1][0])
    if marks:
        if proc.stages or proc.moves:
            add(f"marked {marks[0][1]} but has stages or moves", marks[0][0])
        return
    _check_unique(report, proc.stages, f"{path}.stages", "id", "stage id", toml=toml)
    ids = {s.id for _, s in stages}
    if proc.start not in ids:
        add(f"start stage {proc.start!r} is not a stage{schema.nearest(proc.start, ids)}" if proc.start
            else "missing 'start' (or pending = true where the text has no procedure yet)", "start")
        return
    _check_stages(report, stages, moves, refs, path, toml)
    if _check_moves(report, moves, ids, path, toml):
        return  # what is reachable follows once the moves name real stages
    _check_paths(report, proc, stages, moves, path, toml)


def _check_stages(report: _Report, stages: list[tuple[int, Any]], moves: list[tuple[int, Any]],
                  refs: set[str] | None, path: str, toml: bool) -> None:
    """Each stage: no moves out of one that ends the dispute, a clause it cites that exists, its standing."""
    from .model import Stage

    for i, stage in stages:
        where = (f"{path}.stages#{i}", toml)
        if stage.outcome and any(m.from_stage == stage.id for _, m in moves):
            report.add(*where, Stage, stage, "ends the dispute (it has an outcome) but has moves out of it")
        if refs is not None and stage.ref and isinstance(stage.ref, str) and normalise_ref(stage.ref) not in refs:
            report.add(*where, Stage, stage, f"cites {stage.ref!r}, which is not a clause of this compact", "ref")
        for message, key in _standing_problems(stage):
            report.add(*where, Stage, stage, message, key)


def _check_moves(report: _Report, moves: list[tuple[int, Any]], ids: set[str], path: str, toml: bool) -> bool:
    """Each move: ends that are stages, its standing, its conditions'; whether any end is unknown."""
    from .model import Condition, Move

    unknown_ends = False
    for i, move in moves:
        where = (f"{path}.moves#{i}", toml)
        for key, end in (("from", move.from_stage), ("to", move.to_stage)):
            if end and end not in ids:
                unknown_ends = True
                report.add(*where, Move, move, f"{key!r} names {end!r}, which is not a stage"
                           f"{schema.nearest(end, ids)}", key)
        for message, key in _standing_problems(move):
            report.add(*where, Move, move, message, key)
        for j, cond in enumerate(move.conditions, 1):
            if isinstance(cond, Condition):
                for message, key in _standing_problems(cond):
                    report.add(f"{where[0]}.conditions#{j}", toml, Condition, cond, message, key)
            if isinstance(cond, Condition) and isinstance(cond.team_size, int) and cond.team_size \
                    and isinstance(cond.min_per_sector, int) and cond.min_per_sector * 2 > cond.team_size:
                report.add(f"{where[0]}.conditions#{j}", toml, Condition, cond,
                           f"a team of {cond.team_size} cannot have {cond.min_per_sector} from each sector")
    return unknown_ends


def _check_paths(report: _Report, proc: DisputeProcedure, stages: list[tuple[int, Any]],
                 moves: list[tuple[int, Any]], path: str, toml: bool) -> None:
    """Every stage reachable from the start, some stage ending the dispute, and a way to an end from each."""
    from .model import Stage

    reachable = _walk(proc.start, lambda s: [m.to_stage for _, m in moves if m.from_stage == s])
    for i, stage in stages:
        if stage.id not in reachable:
            report.add(f"{path}.stages#{i}", toml, Stage, stage, f"cannot be reached from {proc.start!r}")
    ending = {s.id for _, s in stages if s.outcome}
    if not ending:
        report.add(path, toml, DisputeProcedure, proc, "no stage ends the dispute (give at least one an outcome)")
    before = lambda stage: [m.from_stage for _, m in moves if m.to_stage == stage]  # noqa: E731
    can_end = set().union(*(_walk(end, before) for end in ending))  # every stage with a way to an end
    for i, stage in stages:
        if ending and stage.id in reachable and stage.id not in can_end:
            report.add(f"{path}.stages#{i}", toml, Stage, stage, "no path from it reaches an outcome")


def _walk(start: str, nexts: Callable[[str], list[str]]) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in nexts(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
