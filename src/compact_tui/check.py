"""Validate a compact's content: what ``compact-tui plugin check`` reports.

Each problem names the clause, rule or stage it concerns, so an author can go straight
to the line in their TOML.
"""

from __future__ import annotations

from collections import Counter

from .model import (
    CASE_KINDS,
    CLAUSE_KINDS,
    DATE_FIELDS,
    OUTCOMES,
    RULE_TYPES,
    SIDES,
    Compact,
    DisputeProcedure,
    normalise_ref,
)


def check_compact(compact: Compact) -> list[str]:
    """Every problem with a compact's content; an empty list means it is sound."""
    problems: list[str] = []
    info = compact.info
    if not info.id or info.id != info.id.strip().lower() or " " in info.id:
        problems.append(f"compact id {info.id!r} must be lower-case with no spaces")
    for name in ("name", "area", "status"):
        if not getattr(info, name):
            problems.append(f"[compact] {name} is empty")

    section_refs = Counter(s.ref for s in compact.sections)
    for ref, n in section_refs.items():
        if n > 1:
            problems.append(f"section {ref}: reference used {n} times")

    refs = Counter(normalise_ref(c.ref) for c in compact.clauses)
    for clause in compact.clauses:
        where = f"clause {clause.ref or '(no ref)'}"
        if not clause.ref:
            problems.append(f"{where}: has no reference")
        elif refs[normalise_ref(clause.ref)] > 1:
            problems.append(f"{where}: reference is not unique")
        if clause.kind not in CLAUSE_KINDS:
            problems.append(f"{where}: unknown kind {clause.kind!r} (known: {', '.join(CLAUSE_KINDS)})")
        if clause.party not in SIDES:
            problems.append(f"{where}: unknown side {clause.party!r} (known: {', '.join(SIDES)})")
        if not clause.theme:
            problems.append(f"{where}: has no theme")
        if not clause.text.strip():
            problems.append(f"{where}: has no text")
        if clause.section and clause.section not in section_refs:
            problems.append(f"{where}: section {clause.section!r} is not among the sections")

    problems += check_rules(compact)
    if compact.procedure is not None:
        problems += check_procedure(compact.procedure, compact)
    return problems


def check_rules(compact: Compact) -> list[str]:
    problems: list[str] = []
    ids = Counter(r.id for r in compact.rules)
    for rule in compact.rules:
        where = f"rule {rule.id or '(no id)'}"
        if ids[rule.id] > 1:
            problems.append(f"{where}: id is not unique")
        if compact.clause(rule.ref) is None:
            problems.append(f"{where}: cites {rule.ref!r}, which is not a clause of this compact")
        if rule.applies_to not in CASE_KINDS:
            problems.append(f"{where}: applies to unknown case kind {rule.applies_to!r}")
        if rule.type not in RULE_TYPES:
            problems.append(f"{where}: unknown type {rule.type!r} (known: {', '.join(RULE_TYPES)})")
        if rule.severity not in ("breach", "warning"):
            problems.append(f"{where}: severity must be breach or warning")
        if not rule.source.strip():
            problems.append(f"{where}: has no source wording")
        if rule.type in ("minimum-period", "recurring") and (rule.period is None or rule.period.amount <= 0):
            problems.append(f"{where}: a {rule.type} rule needs a positive period")
        if rule.type in ("minimum-period", "deadline"):
            for label, name in (("from", rule.from_field), ("to", rule.to_field)):
                if name not in DATE_FIELDS:
                    problems.append(f"{where}: '{label}' must be one of {', '.join(DATE_FIELDS)}")
    return problems


def check_procedure(proc: DisputeProcedure, compact: Compact | None = None) -> list[str]:
    """Stages known and unique, every stage reachable, every path able to end."""
    problems: list[str] = []
    if proc.pending:
        if proc.stages:
            problems.append("procedure: marked pending but has stages")
        return problems
    ids = Counter(s.id for s in proc.stages)
    for stage_id, n in ids.items():
        if n > 1:
            problems.append(f"stage {stage_id}: id used {n} times")
    if proc.start not in ids:
        problems.append(f"procedure: start stage {proc.start!r} is not a stage")
        return problems
    for stage in proc.stages:
        if stage.outcome and stage.outcome not in OUTCOMES:
            problems.append(f"stage {stage.id}: unknown outcome {stage.outcome!r} (known: {', '.join(OUTCOMES)})")
        if stage.outcome and proc.moves_from(stage.id):
            problems.append(f"stage {stage.id}: ends the dispute but has moves out of it")
        if compact is not None and stage.ref and compact.clause(stage.ref) is None:
            problems.append(f"stage {stage.id}: cites {stage.ref!r}, which is not a clause of this compact")
    for i, move in enumerate(proc.moves):
        for end in (move.from_stage, move.to_stage):
            if end not in ids:
                problems.append(f"move {i} ({move.from_stage} -> {move.to_stage}): {end!r} is not a stage")
        for cond in move.conditions:
            if cond.team_size and cond.min_per_sector * 2 > cond.team_size:
                problems.append(f"move {move.from_stage} -> {move.to_stage}: team of {cond.team_size} "
                                f"cannot have {cond.min_per_sector} from each sector")

    reachable = _walk(proc.start, lambda s: [m.to_stage for m in proc.moves_from(s)])
    for stage in proc.stages:
        if stage.id not in reachable:
            problems.append(f"stage {stage.id}: cannot be reached from {proc.start!r}")
    ending = {s.id for s in proc.stages if s.outcome}
    if not ending:
        problems.append("procedure: no stage ends the dispute (give at least one an outcome)")
    can_end = set(ending)
    changed = True
    while changed:
        changed = False
        for move in proc.moves:
            if move.to_stage in can_end and move.from_stage not in can_end:
                can_end.add(move.from_stage)
                changed = True
    for stage in proc.stages:
        if stage.id in reachable and stage.id not in can_end:
            problems.append(f"stage {stage.id}: no path from it reaches an outcome")
    return problems


def _walk(start: str, nexts) -> set[str]:
    seen, todo = {start}, [start]
    while todo:
        for nxt in nexts(todo.pop()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen
