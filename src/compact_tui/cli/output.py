"""Small helpers the commands share for printing."""

from __future__ import annotations

import argparse
import json
import sys

from ..text import one_line, quoted, serialised, terminal

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: The largest number SQLite stores (a case number past it cannot exist).
MAX_ID = 2**63 - 1


def whole_number(low: int, high: int):
    """An argparse ``type``: a whole number from ``low`` to ``high``, else one sentence."""
    def parse(text: str) -> int:
        try:
            number = int(text.strip())
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(f"must be a whole number from {low} to {high}, not {quoted(text)}")
        return number
    parse.__name__ = "whole number"
    return parse


CASE_ID = whole_number(1, MAX_ID)


def print_json(value: Any) -> None:
    """JSON on stdout; control characters are JSON escapes, so nothing steers the terminal."""
    sys.stdout.write(serialised(json.dumps(value, indent=2, ensure_ascii=False, default=str)) + "\n")


def answer(args: argparse.Namespace, data: Any, sentence: str) -> int:
    """What a command that changes one thing prints: ``data`` as JSON with ``--json``, else
    ``sentence``. The exit code, 0."""
    if args.json:
        print_json(data)
    else:
        print(sentence)
    return 0


def wrap(text: str, indent: str = "    ", width: int = 78) -> str:
    import textwrap  # only for the few outputs that wrap: most of log's do not

    paragraphs = [p for p in terminal(text).split("\n")]
    return "\n".join(
        textwrap.fill(p, width=width, initial_indent=indent, subsequent_indent=indent) if p.strip() else ""
        for p in paragraphs
    )


def registry_or_fail():
    """The installed compacts; plugin problems are shown once, on stderr, and do not stop us."""
    from ..content.installed import installed_registry

    registry = installed_registry()
    for error in registry.errors:
        print(f"compact-tui: warning: {one_line(error)}", file=sys.stderr)
    return registry


def open_store(args):
    from ..caselog.store import Store

    def announce(sentence: str) -> None:
        print(f"compact-tui: {one_line(sentence)}", file=sys.stderr, flush=True)

    store = Store(args.db or None, announce=announce)
    warn_about_key()
    return store


def warn_about_key() -> None:
    """A chain key others could read or change: said once, on stderr (the command goes on)."""
    from ..caselog.chain_key import key_file_warning

    warning = key_file_warning()
    if warning:
        print(f"compact-tui: warning: {one_line(warning)}", file=sys.stderr)


def open_caselog(args):
    from ..caselog.case_log import CaseLog

    return CaseLog(open_store(args), registry_or_fail())
