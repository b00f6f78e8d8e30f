"""``plugin check`` and ``plugin new``: for the people who write compact plugins."""

from __future__ import annotations

import argparse
import textwrap
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
    u = psub.add_parser("upgrade", help="rewrite a compact.toml written for an earlier format in the current one",
                        description="Rewrite a compact's TOML file, written for an earlier format, in the current "
                                    "format, keeping every word of its text. What the upgrade cannot decide is "
                                    "listed and marked in the file 'TO CONFIRM', for you to settle. The file is "
                                    "rewritten in place: keep a copy, or commit it first.")
    u.add_argument("file", help="a compact.toml, or a plugin folder holding one")
    u.set_defaults(run=run_upgrade)
    n = psub.add_parser("new", help="scaffold a new locality's plugin package",
                        description="Create plugins/NAME (or DIR/NAME) with a pyproject, an entry point, "
                                    "a compact.toml to fill in and the conformance tests.")
    n.add_argument("name", help="the locality, e.g. 'Castle Point' (its id becomes castle_point)")
    n.add_argument("--dir", default="plugins", help="the folder to create it in (default: plugins)")
    n.set_defaults(run=run_new)


def run_check(args: argparse.Namespace) -> int:
    from ..content.check import check_compact
    from ..content.plugins import load_registry
    from ..content.reader import ContentError, read_document

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
            warnings = format_warnings(compact.id or str(target), doc)
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
        for compact_id, source in registry.sources.items():
            if (not target or target == compact_id) and Path(source).is_file():
                warnings += format_warnings(compact_id, read_document(Path(source)))
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


def format_warnings(name: str, doc) -> list[str]:
    """What its author should know about a file's format: written for an earlier one (read, but
    to be upgraded), saying none, or carrying readings an upgrade left to confirm."""
    from ..content.file_format import FORMAT, KEY, TO_CONFIRM

    path = doc.source
    if doc.format < FORMAT:
        count = len(doc.carried)
        carried = f", {count} thing{'s' if count != 1 else ''} carried over as readings to confirm" if count else ""
        return [f"{name}: {path} is written for format {doc.format}, read as format {FORMAT}{carried}; "
                f"'compact-tui plugin upgrade {path}' rewrites it in format {FORMAT}, listing what to confirm"]
    if not doc.numbered:
        return [f"{name}: {path} does not say which format it is written for; 'compact-tui plugin upgrade {path}' "
                f"adds '{KEY} = {FORMAT}' at its top"]
    try:
        waiting = Path(path).read_text(encoding="utf-8").count(TO_CONFIRM)
    except (OSError, UnicodeDecodeError):
        waiting = 0
    if waiting:
        return [f"{name}: {waiting} thing{'s' if waiting != 1 else ''} in {path} that an upgrade could not decide "
                f"still wait for you to confirm them (marked '{TO_CONFIRM}')"]
    return []


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


def run_upgrade(args: argparse.Namespace) -> int:
    from ..content.file_format import FORMAT, KEY, FormatError, upgrade_text
    from ..content.reader import ContentError, toml_lines

    try:
        path = content_file(Path(args.file))
    except ContentError as exc:
        raise UserError(f"{exc.problems[0]}.") from None
    try:
        text = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"cannot read {quoted(str(path))}: {getattr(exc, 'strerror', None) or exc}.") from None
    try:
        new_text, number, changes = upgrade_text(text, str(path))
    except FormatError as exc:
        raise UserError(str(exc)) from None
    if new_text == text:
        print(f"{one_line(str(path))} is already written for format {FORMAT}: nothing to change.")
    elif number == FORMAT:
        _replace(path, new_text)
        print(one_line(f"{path} was written for format {FORMAT} without saying so: '{KEY} = {FORMAT}' is added at "
                       "its top, and nothing else changed."))
    else:
        _replace(path, new_text)
        renamed = [c for c in changes if c.op == "rename"]
        kinds = sorted({f"'{c.key}' to '{c.value}'" for c in renamed})
        print(one_line(f"Upgraded {path} from format {number} to format {FORMAT}"
                       + (f" (renamed {', '.join(kinds)} on {len(renamed)} items)." if renamed else ".")
                       + _status_named(text, changes)))
        confirm = [c for c in changes if c.confirm]
        if confirm:
            lines = toml_lines(new_text)
            print(f"{len(confirm)} thing{'s' if len(confirm) != 1 else ''} it could not decide, each marked TO "
                  "CONFIRM in the file:")
            for change in confirm:
                print(textwrap.fill(one_line(f"{path.name}:{lines.get(change.path, 0)}: {change.label}: "
                                             f"{change.confirm}"), width=78, initial_indent="  - ",
                                    subsequent_indent="    "))
    compact, doc = compact_from_path(path)
    from ..content.check import check_compact

    problems = check_compact(compact, doc)
    if problems:
        print(f"plugin check: {len(problems)} problem{'s' if len(problems) != 1 else ''} the format does not explain:")
        for problem in problems:
            print(f"  - {one_line(problem)}")
        return 1
    print("plugin check: ok")
    return 0


def _status_named(text: str, changes) -> str:
    """`` Its status 'Signed' is now 'adopted'...`` where the upgrade turned a free-text status
    into the listed word it plainly means; else ``""``."""
    import tomllib

    named = next((c.value for c in changes if c.path == "compact" and c.key == "status" and c.op == "set"), "")
    if not named:
        return ""
    was = tomllib.loads(text)["compact"]["status"]
    return f" Its status {was!r} is now {named!r}, the word of the format's list it means."


def _replace(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all, keeping the file's permissions."""
    import os

    tmp = path.with_name(f".{path.name}.{os.getpid()}.upgrade")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {quoted(str(path))}: {exc.strerror or exc}; it is unchanged.") from None


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
