"""The ``compact-tui`` command line.

Each command lives in a small module under ``compact_tui.cli`` and is imported only when it
runs, so ``compact-tui log`` never pays for the terminal app or for commands it does not use.
Bare ``compact-tui`` (or ``compact-tui --db PATH``) starts the terminal app at once: no parser
is built and no other command's module is imported (officers start it many times a day).
"""

from __future__ import annotations

import os
import re
import sys
from types import SimpleNamespace

from ..errors import UserError
from ..text import cut

#: command name -> (module under compact_tui.cli, one-line help)
COMMANDS: dict[str, tuple[str, str]] = {
    "app": ("app_cmd", "start the terminal app (the default)"),
    "compacts": ("compacts_cmd", "list the installed compacts"),
    "show": ("compacts_cmd", "show a compact by section, or one clause"),
    "search": ("compacts_cmd", "search the clauses of every installed compact"),
    "plugin": ("plugin_cmd", "check a compact plugin, or scaffold a new one"),
    "log": ("case_cmd", "log a new case (rules are applied at once)"),
    "cases": ("case_cmd", "list cases"),
    "case": ("case_cmd", "show one case"),
    "note": ("case_cmd", "add a note to a case"),
    "advance": ("case_cmd", "move a dispute to its next stage"),
    "update": ("case_cmd", "change a case's dates or details (rules applied again)"),
    "close": ("case_cmd", "close a case, saying what came of it"),
    "reopen": ("case_cmd", "open a closed case again"),
    "withdraw": ("case_cmd", "withdraw a case logged by mistake (it stays on the record)"),
    "reinstate": ("case_cmd", "bring back a case withdrawn by mistake, with the reason"),
    "assign": ("case_cmd", "hand a case to another officer (its owner)"),
    "attach": ("case_cmd", "keep an evidence file with a case"),
    "attachment": ("case_cmd", "get an evidence file back, byte for byte"),
    "import": ("transfer_cmd", "import cases from a CSV file (all rows or none)"),
    "export": ("transfer_cmd", "export cases with their timelines (csv or json)"),
    "deadlines": ("admin_cmd", "what is due or overdue"),
    "which": ("admin_cmd", "which compact applies to an organisation or locality"),
    "orgs": ("admin_cmd", "add and list organisations"),
    "report": ("admin_cmd", "the annual review report"),
    "audit": ("admin_cmd", "verify the case log's timeline"),
}

DESCRIPTION = """\
Look up, log and report on England's Local Compacts.

Run without a command to start the terminal app."""


def build_parser(only: str | None = None, listed: bool = True):
    """The parser (an ``argparse.ArgumentParser``); with ``only``, just that command's
    sub-parser is filled in and just its module imported (faster); with ``listed=False`` as
    well, the other commands are left out altogether (they are only needed to list them in
    ``compact-tui --help``)."""
    import argparse
    import functools
    import importlib

    class _Parser(argparse.ArgumentParser):
        """Wrong input is one sentence on stderr (not a usage block), and exit code 2. Help is
        wrapped to the terminal's width as argparse's own formatter would, but measured with
        :func:`terminal_columns` (argparse asks ``shutil``, whose import costs more than
        parsing ``log``'s arguments)."""

        def __init__(self, *args, **kwargs):
            formatter = kwargs.get("formatter_class", argparse.HelpFormatter)
            kwargs["formatter_class"] = functools.partial(formatter, width=terminal_columns() - 2)
            super().__init__(*args, **kwargs)

        def error(self, message: str):
            self.exit(2, f"{self.prog}: {cut(message)}; see '{self.prog} --help'.\n")

    parser = _Parser(
        prog="compact-tui",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--db", metavar="PATH",
                        help="the case-log database (default: $COMPACT_TUI_DB, else your user data folder)")
    parser.add_argument("--version", action="version", version=_version())
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        if only is not None and name != only:
            if listed:
                sub.add_parser(name, help=help_text)
            continue
        module = importlib.import_module(f"{__name__}.{module_name}")
        module.add_parser(sub, name, help_text)
    return parser


def terminal_columns() -> int:
    """The terminal's width, as ``shutil.get_terminal_size`` gives it: ``$COLUMNS`` when it is a
    positive number, else the width of the terminal standard output is, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80
    except (AttributeError, ValueError, OSError):
        return 80


#: Options that take a date, so ``--opened -3d`` (as the README writes it) is a date, not an option.
DATE_FLAGS = frozenset({"--start", "--end", "--notified", "--effective", "--period-end", "--on", "--opened"})
_NEGATIVE_OFFSET = re.compile(r"-\d+[dwmy]", re.IGNORECASE)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(argv, 1):
        if any("\ud800" <= ch <= "\udfff" for ch in arg):  # bytes that are not UTF-8 (surrogate escapes)
            print(f"compact-tui: argument {i} is not valid UTF-8 text; check the terminal's encoding.", file=sys.stderr)
            return 2
    db = _app_only(argv)
    if db is not False:
        from .app_cmd import run_app

        return _run(SimpleNamespace(command="app", db=db, start=None, run=run_app))
    argv = _dates_after_flags(argv)
    command = _first_command(argv)
    if command is None and not {"-h", "--help", "--version"} & set(argv):
        argv, command = _with_app_command(argv), "app"  # the app's own options alone: --start cases
    parser = build_parser(only=command or "app", listed=_lists_commands(argv, command))
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            args = parser.parse_args([*argv, "app"])
    except SystemExit as done:  # --help, --version, or the parser's one sentence (exit 2)
        return done.code if isinstance(done.code, int) else 2
    return _run(args)


def console() -> None:
    """The ``compact-tui`` command (tests call :func:`main` in-process instead).

    A ``log`` that succeeded has closed its case log (``run_log``); what it leaves is garbage
    only Python's last collection at exit would look at, about a fourteenth of ``log``'s
    instructions, so it is frozen out of that collection (``gc.freeze``) and freed with the
    process. Nothing else may be left for it: a connection caught in a reference cycle is
    closed only by that collection (tests/core/test_log_leaves_clean.py).
    """
    code = main()
    if code == 0 and _first_command(sys.argv[1:]) == "log":
        import gc

        gc.freeze()
    sys.exit(code)


def _run(args) -> int:
    try:
        return int(args.run(args) or 0)
    except UserError as exc:
        print(f"compact-tui: {cut(str(exc))}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:
        if type(exc).__module__ != "sqlite3":  # a damaged file met after opening: a sentence, not a traceback
            return _crashed(args, exc)
        from ..caselog.store import default_db_path, explain

        print(f"compact-tui: {cut(explain(exc, args.db or default_db_path()))}", file=sys.stderr)
        return 1


def _crashed(args, error: Exception) -> int:
    """An error nobody foresaw (the app's start-up included): its traceback goes to crash.log in
    the user's state folder, and the officer gets one sentence naming the file."""
    from ..crash import write_crash_log

    what = "the app" if getattr(args, "command", None) in (None, "app") else f"'compact-tui {args.command}'"
    path = write_crash_log(error)
    if path is None:
        import traceback

        traceback.print_exception(error)
        print(f"compact-tui: {what} stopped after an unexpected error; its details could not be written to a "
              "file (they are above).", file=sys.stderr)
    else:
        print(f"compact-tui: {what} stopped after an unexpected error; the details are in {path}.", file=sys.stderr)
    return 1


def _dates_after_flags(argv: list[str]) -> list[str]:
    """``--opened -3d`` -> ``--opened=-3d``: argparse would read ``-3d`` as an option."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] in DATE_FLAGS and _NEGATIVE_OFFSET.fullmatch(arg):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


def _app_only(argv: list[str]) -> str | None | bool:
    """For ``[]``, ``--db PATH`` or ``--db=PATH`` alone: the database (None for the default);
    for anything else False, and the parser reads the arguments."""
    if not argv:
        return None
    if len(argv) == 2 and argv[0] == "--db" and argv[1] and not argv[1].startswith("-"):
        return argv[1]
    if len(argv) == 1 and argv[0].startswith("--db=") and len(argv[0]) > 5:
        return argv[0][5:]
    return False


def _with_app_command(argv: list[str]) -> list[str]:
    """``--db PATH --start cases`` -> ``--db PATH app --start cases``: the options every command
    shares stay before the command, the app's own after it."""
    shared: list[str] = []
    rest = list(argv)
    while rest and (rest[0] == "--db" or rest[0].startswith("--db=")):
        shared.append(rest.pop(0))
        if shared[-1] == "--db" and rest:
            shared.append(rest.pop(0))
    return [*shared, "app", *rest]


def _lists_commands(argv: list[str], command: str | None) -> bool:
    """Whether the top-level help may be printed (no command, or ``--help`` before it), so
    the parser must know every command's name and one-line help."""
    if command is None:
        return True
    before = argv[:argv.index(command)]
    return any(arg.startswith("-") and not arg.startswith("--db") for arg in before)  # --help, -h, --version


def _first_command(argv: list[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in ("--db", "--start"):  # their value is not a command (--start cases)
            skip = True
            continue
        if arg.startswith("-"):
            continue
        return arg if arg in COMMANDS else None
    return None


def _version() -> str:
    from .. import __version__

    return f"compact-tui {__version__}"
