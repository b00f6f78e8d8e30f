"""``compacts``, ``show`` and ``search``: reading what the installed compacts say."""

from __future__ import annotations

import argparse

from ..errors import UserError
from ..text import one_line, quoted
from .output import print_json, registry_or_fail, wrap


def add_parser(sub, name: str, help_text: str) -> None:
    if name == "compacts":
        p = sub.add_parser(name, help=help_text, description="List the installed compacts.")
        p.add_argument("--json", action="store_true", help="print JSON: a list of compacts")
        p.set_defaults(run=run_compacts)
    elif name == "show":
        p = sub.add_parser(name, help=help_text,
                           description="Show a compact by section, or one clause by its reference.",
                           epilog="Examples: compact-tui show southampton; compact-tui show southampton 4.5")
        p.add_argument("compact", help="the compact's id (see 'compact-tui compacts')")
        p.add_argument("ref", nargs="?", help="a clause reference such as 4.5 or 6.3(c)")
        p.add_argument("--json", action="store_true", help="print JSON")
        p.set_defaults(run=run_show)
    elif name == "search":
        p = sub.add_parser(name, help=help_text,
                           description="Find clauses containing every word of TEXT, across all compacts.")
        p.add_argument("text", help="words to find, e.g. 'three months'")
        p.add_argument("--compact", metavar="ID", help="search only this compact")
        p.add_argument("--json", action="store_true", help="print JSON: a list of clauses")
        p.set_defaults(run=run_search)


def compact_summary(compact, registry) -> dict:
    info = compact.info
    above, above_name = registry.above(compact)
    area, link = registry.parent_area(compact)
    proc = compact.procedure
    return {
        "id": info.id,
        "name": info.name,
        "area": info.area,
        "status": info.status,
        "available": True,
        "revision": info.revision,
        "parent": above.id if above else None,
        "parent_name": above.info.name if above else above_name,
        "parent_area": area or None,
        "parent_link": link or None,
        "parent_states": info.parent.states if info.parent and link in ("stated", "reading") else "",
        "parent_ref": info.parent.ref if info.parent and link in ("stated", "reading") else "",
        "parent_quoted_from": info.parent.quoted_from if info.parent and link in ("stated", "reading") else "",
        "parent_reading": info.parent.reading if info.parent and link == "reading" else "",
        "status_reading": info.status_reading,
        "principles": len(compact.principles),
        "undertakings": len(compact.undertakings),
        "clauses": len(compact.clauses),
        "rules": len(compact.rules),
        "procedure": procedure_status(proc),
        "procedure_note": proc.note if proc else "",
        "pending_sections": [s.ref for s in compact.sections if s.pending],
        "plugin": compact.plugin,
    }


def unavailable_summaries(registry) -> list[dict]:
    """Each plugin, or compact of a plugin, that cannot be used: ``available`` false, why
    (``reason``, one sentence) and its ``problems``; ``id`` is None where a plugin failed before
    its compacts could be told."""
    from ..content.listing import unavailable_rows

    out = []
    for row in unavailable_rows(registry):
        info = row["info"]
        out.append({"id": row["id"], "name": row["name"], "area": info.area if info else "",
                    "status": info.status if info else "", "available": False, "reason": row["reason"],
                    "problems": row["problems"], "plugin": row["plugin"]})
    return out


def tree(registry) -> list[tuple[int, object]]:
    """The installed compacts as the hierarchy has them: each under the one a level up."""
    children: dict[str, list] = {}
    roots = []
    for compact in registry:
        above, _ = registry.above(compact)
        if above is None:
            roots.append(compact)
        else:
            children.setdefault(above.id, []).append(compact)
    out: list[tuple[int, object]] = []

    def visit(compact, depth: int) -> None:
        if any(c is compact for _, c in out):
            return
        out.append((depth, compact))
        for child in children.get(compact.id, []):
            visit(child, depth + 1)

    for root in roots:
        visit(root, 0)
    for compact in registry:  # a loop of local settings: still listed
        visit(compact, 0)
    return out


def procedure_status(proc) -> str:
    """``stated``, ``pending`` ("information pending"), ``not stated`` (the text says it is
    outlined elsewhere), ``reading`` (walked as we read it) or ``none`` (the text states none)."""
    if proc is None or proc.states_none:
        return "none"
    if proc.pending:
        return "pending"
    if proc.elsewhere:
        return "not stated"
    return "reading" if proc.standing.is_reading else "stated"


def procedure_dict(proc) -> dict | None:
    if proc is None:
        return None
    return {
        "status": procedure_status(proc), "ref": proc.ref, "start": proc.start or None, "note": proc.note,
        **proc.standing.as_dict(),
        "stages": [{"id": s.id, "title": s.title, "ref": s.ref, "outcome": s.outcome or None,
                    "wait": str(s.wait) if s.wait else None, "note": s.note, **s.standing.as_dict()}
                   for s in proc.stages],
        "moves": [{"from": m.from_stage, "to": m.to_stage, "label": m.label, **m.standing.as_dict(),
                   "conditions": [{"id": c.id, "question": c.question, "ref": c.ref, "team_size": c.team_size,
                                   "min_per_sector": c.min_per_sector, **c.standing.as_dict()}
                                  for c in m.conditions]}
                  for m in proc.moves],
    }


def clause_dict(compact, clause) -> dict:
    return {
        "compact": compact.id,
        "ref": clause.ref,
        "kind": clause.kind,
        "party": clause.party,
        "party_name": compact.info.sides.name(clause.party),
        "theme": clause.theme,
        "section": clause.section,
        "text": clause.text,
        "note": clause.note,
    }


def run_compacts(args: argparse.Namespace) -> int:
    registry = registry_or_fail()
    unavailable = unavailable_summaries(registry)
    if args.json:
        print_json([compact_summary(c, registry) for c in registry] + unavailable)
        return 0
    if not registry.compacts and not unavailable:
        print("No compacts are installed. Install a compact plugin, e.g. pip install -e plugins/essex")
        return 0
    print(f"{'ID':<14} {'STATUS':<19} {'PRIN':>4} {'UNDT':>4} {'RULES':>5}  NAME (ONE LEVEL UP)")
    for depth, compact in tree(registry):
        r = compact_summary(compact, registry)
        above = ""
        if depth == 0 and r["parent_name"]:
            above = f" (one level up: {r['parent_name']}, not installed)"
        ident = "  " * depth + r["id"]
        status = f"{r['status']} (a reading)" if r["status_reading"] else r["status"]  # `show` says why
        print(f"{one_line(ident):<14} {one_line(status):<19} {r['principles']:>4} {r['undertakings']:>4} "
              f"{r['rules']:>5}  {one_line(r['name'])}{one_line(above)}")
    from ..content.listing import unavailable_rows

    for row in unavailable_rows(registry):
        ident = row["id"] or f"({row['plugin']})"
        print(f"{one_line(ident):<14} {'UNAVAILABLE':<19} {'-':>4} {'-':>4} {'-':>5}  {one_line(row['name'])}")
        for problem in row["problems"]:
            print(wrap(problem, indent="    "))
    return 0


def run_show(args: argparse.Namespace) -> int:
    registry = registry_or_fail()
    compact = registry.require(args.compact)
    if args.ref:
        clause = compact.clause(args.ref)
        if clause is None:
            raise UserError(f"{compact.info.name} has no clause {quoted(args.ref)}; "
                            f"'compact-tui show {compact.id}' lists them.")
        if args.json:
            print_json(clause_dict(compact, clause))
        else:
            print(one_line(f"{compact.info.name} {clause.ref}  [{clause.kind}; "
                           f"{compact.info.sides.name(clause.party)}; {clause.theme}]"))
            print(wrap(clause.text))
            if clause.note:
                print(wrap(f"Note: {clause.note}"))
        return 0
    if args.json:
        out = compact_summary(compact, registry)
        out["sections"] = [
            {"ref": s.ref, "title": s.title, "pending": s.pending, "note": s.note,
             "clauses": [clause_dict(compact, c) for c in compact.in_section(s.ref)]}
            for s in compact.sections
        ]
        out["rules"] = [rule_dict(r) for r in compact.rules]
        out["dispute_procedure"] = procedure_dict(compact.procedure)
        print_json(out)
        return 0
    print_compact(registry, compact)
    return 0


def rule_dict(rule) -> dict:
    return {
        "id": rule.id, "ref": rule.ref, "applies_to": rule.applies_to, "type": rule.type,
        "title": rule.title, "period": str(rule.period) if rule.period else None,
        "from": rule.from_field, "to": rule.to_field, "in_writing": rule.in_writing,
        "exception": rule.exception, "severity": rule.severity, "note": rule.note,
        **rule.standing.as_dict(),
        "severity_standing": rule.severity_standing.label, "severity_states": rule.severity_states,
        "severity_reading": rule.severity_reading,
    }


def print_compact(registry, compact) -> None:
    from ..content.quotes import quote_source

    info = compact.info
    status = f"{info.status} (a reading)" if info.status_reading else info.status
    print(f"{one_line(info.name)}  ({status}{', ' + info.revision if info.revision else ''})")
    if info.status_reading:
        print(wrap(f"Status: a reading: {info.status_reading}", indent="  "))
    above, name = registry.above(compact)
    if name:
        says = registry.parent_says(compact)
        line = f"One level up: {name}{'' if above else ', not installed'}. "
        print(wrap(line + says, indent="") if says else one_line(line + "(your local setting, [hierarchy] in config.toml)"))
    print(one_line(f"Sides: {info.sides.statutory} / {info.sides.vcs}"))
    for section in compact.sections:
        print(f"\n{section.ref}  {one_line(section.title)}")
        if section.pending:
            print(wrap(pending_text(section.note)))
        elif section.note:  # how the section was read into clauses, and counted: ours, not the text's
            print(wrap(f"Our note, not the text: {section.note}", indent="  "))
        for clause in compact.in_section(section.ref):
            print(one_line(f"  {clause.ref}  [{clause.kind}; {compact.info.sides.name(clause.party)}; {clause.theme}]"))
            print(wrap(clause.text, indent="      "))
    if compact.rules:
        print("\nNotice rules")
        for rule in compact.rules:
            print(one_line(f"  {rule.ref}  {rule.title} ({rule.severity})"))
            print_standing(rule.standing, "      ", quote_source(compact, rule.states, rule.ref))
            if rule.severity_standing.is_reading:
                print(wrap(f"READING (severity {rule.severity}): {rule.severity_reading}", indent="      "))
    proc = compact.procedure
    print("\nDispute procedure")
    if proc is None or proc.states_none:
        print("  The text states none." + (f" {one_line(proc.note)}" if proc is not None and proc.note else ""))
    elif proc.pending:
        print(wrap(pending_text(proc.note)))
    elif proc.elsewhere:
        print(wrap("Outlined separately (not in this text): no steps are given, so a dispute is logged, "
                   "noted and closed by hand."))
        print_standing(proc.standing, "  ", quote_source(compact, proc.states, proc.ref))
    else:
        if proc.note:
            print(wrap(proc.note, indent="  "))
        print_standing(proc.standing, "  ", quote_source(compact, proc.states, proc.ref))
        for stage in proc.stages:
            moves = ", ".join(m.to_stage + (" (reading)" if m.standing.is_reading else "")
                              for m in proc.moves_from(stage.id))
            end = f" -> outcome: {stage.outcome}" if stage.outcome else f" -> {moves}"
            print(f"  {stage.id}: {one_line(stage.title)}{end}")
            print_standing(stage.standing, "      ", quote_source(compact, stage.states, stage.ref))
            for move in proc.moves_from(stage.id):
                if move.standing.is_reading:
                    print(wrap(f"READING (move to {move.to_stage}): {move.reading}", indent="      "))
                for cond in move.conditions:
                    if cond.standing.is_reading:
                        print(wrap(f"READING (condition {cond.id}, move to {move.to_stage}): {cond.reading}",
                                   indent="      "))


def print_standing(standing, indent: str, source: str = "") -> None:
    """A claim's standing in words: stated, quoting the source with the clause its words are in
    (``source``, from ``content.quotes.quote_source``), or our reading, with why."""
    where = f" ({source})" if source else ""
    if standing.is_reading:
        print(wrap(f"READING (not stated by the text): {standing.reading}", indent=indent))
        if standing.states:
            print(wrap(f"The text{where}: '{standing.states}'", indent=indent))
    elif standing.states:
        print(wrap(f"Stated{where}: '{standing.states}'", indent=indent))


def run_search(args: argparse.Namespace) -> int:
    from ..content.lookup import search

    registry = registry_or_fail()
    if args.compact:
        registry.require(args.compact)
    hits = search(registry, args.text, args.compact)
    if args.json:
        print_json([clause_dict(h.compact, h.clause) for h in hits])
        return 0
    if not hits:
        print(f"No clause mentions {quoted(args.text)}.")
        return 0
    for h in hits:
        print(one_line(f"{h.compact.id} {h.clause.ref}  [{h.clause.kind}; {h.clause.theme}]"))
        print(wrap(h.clause.text))
    print(f"\n{len(hits)} clause{'s' if len(hits) != 1 else ''}.")
    return 0


def pending_text(note: str) -> str:
    """'Information pending.' with the plugin's note, without saying it twice."""
    if "pending" in note.lower():
        return note
    return "Information pending." + (f" {note}" if note else "")
