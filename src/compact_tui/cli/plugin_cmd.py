"""``plugin check`` and ``plugin new``: for the people who write compact plugins."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UserError
from ..text import one_line, quoted


def add_parser(sub, name: str, help_text: str) -> None:
    p = sub.add_parser(name, help=help_text,
                       description="Check a compact plugin, or scaffold a new one.")
    psub = p.add_subparsers(dest="plugin_command", metavar="ACTION", required=True)
    c = psub.add_parser("check", help="validate installed compacts, one by id, or a compact.toml by path",
                        description="Validate a compact's content: unique references, known sides, "
                                    "well-formed rules, every dispute stage reachable and every path "
                                    "ending. Exits non-zero if anything is wrong.")
    c.add_argument("target", nargs="?", help="a compact id, a compact.toml, or a plugin folder (default: all)")
    c.set_defaults(run=run_check)
    n = psub.add_parser("new", help="scaffold a new locality's plugin package",
                        description="Create plugins/NAME (or DIR/NAME) with a pyproject, an entry point, "
                                    "a compact.toml to fill in and the conformance tests.")
    n.add_argument("name", help="the locality, e.g. 'Castle Point' (its id becomes castle_point)")
    n.add_argument("--dir", default="plugins", help="the folder to create it in (default: plugins)")
    n.set_defaults(run=run_new)


def run_check(args: argparse.Namespace) -> int:
    from ..content.check import check_compact
    from ..content.reader import ContentError
    from ..content.plugins import load_registry

    target = args.target
    results: list[tuple[str, list[str]]] = []
    warnings: list[str] = []
    if target and (Path(target).exists() or target.endswith(".toml")):
        try:
            compact, doc = compact_from_path(Path(target))
        except ContentError as exc:
            results.append((str(target), exc.problems))
        else:
            problems = check_compact(compact, doc) + taken_id(load_registry(), compact, doc)
            results.append((compact.id or str(target), problems))
    else:
        from ..content.listing import unavailable_rows

        registry = load_registry()  # the same checks decide, as plugins load, whether a compact is used
        for row in unavailable_rows(registry):
            if not target or target in (row["plugin"], row["id"]):
                results.append((row["id"] or f"plugin {row['plugin']}", row["problems"]))
        for compact in registry:
            if not target or target in (compact.id, compact.plugin):
                results.append((compact.id, []))
        warnings = [str(w) for w in registry.warnings if not target or target == w.plugin]
        if not results and not warnings:
            if target:
                raise UserError(f"no compact or plugin {quoted(target)} is installed, and there is no such file.")
            raise UserError("no compact plugins are installed.")
    bad = 0
    for name, problems in results:
        if problems:
            bad += 1
            print(f"{one_line(name)}: {len(problems)} problem{'s' if len(problems) != 1 else ''}")
            for problem in problems:
                print(f"  - {one_line(problem)}")
        else:
            print(f"{one_line(name)}: ok")
    for warning in warnings:
        print(f"warning: {one_line(warning)}")
    return 1 if bad else 0


def taken_id(registry, compact, doc) -> list[str]:
    """A problem if the file's compact id is already an installed compact's (from another file):
    installed beside it, this one would be refused."""
    from ..content.reader import Locator

    held = registry.get(compact.id) if compact.id else None
    info = held.info if held is not None else registry.unavailable.get(compact.id)
    if info is None:
        return []
    source = registry.sources.get(compact.id)
    if source and Path(source).resolve() == Path(doc.source).resolve():
        return []  # the installed compact's own file
    error = registry.error_of(compact.id)
    plugin = held.plugin if held is not None else error.plugin if error is not None else "?"
    return [Locator(doc.source).message("compact", "[compact]", (
        f"id {compact.id!r} is already the id of the installed {info.name or compact.id} (plugin {plugin!r}), "
        "so a plugin bringing this file beside it would be refused; choose another id"), "id")]


def content_file(path: Path) -> Path:
    """The compact.toml ``path`` names: the file, or the first one in a plugin folder."""
    from ..content.reader import ContentError

    if path.is_dir():
        found = sorted(path.rglob("compact.toml"))
        if not found:
            raise ContentError(str(path), [f"{path}: no compact.toml found in this folder"])
        return found[0]
    return path


def compact_from_path(path: Path):
    """A compact straight from its TOML file, as the content plugin would build it, and the
    document it was read from."""
    from ..content.model import Compact
    from ..content.reader import read_document

    doc = read_document(content_file(path))
    compact = Compact(info=doc.info, sections=list(doc.sections), clauses=list(doc.clauses),
                      rules=list(doc.rules), procedure=doc.procedure, plugin=str(path))
    return compact, doc


def run_new(args: argparse.Namespace) -> int:
    from ..content.scaffold import create_plugin

    folder = create_plugin(args.name, Path(args.dir))
    print(f"Created {folder}.")
    print("Next: fill in compact.toml from your compact's text, then")
    print(f"  pip install -e {folder}")
    print(f"  compact-tui plugin check {folder.name}")
    print(f"  pytest {folder}")
    return 0
