"""Bare ``compact-tui`` (or ``compact-tui app``): start the terminal app."""

from __future__ import annotations

import sys

from ..config import START_SCREENS


def add_parser(sub, name: str, help_text: str) -> None:
    p = sub.add_parser(name, help=help_text, description="Start the terminal app.")
    p.add_argument("--start", metavar="SCREEN", choices=START_SCREENS,
                   help=f"the screen to open on: {', '.join(START_SCREENS)} (default: start_screen in "
                        "config.toml, else compacts)")
    p.set_defaults(run=run_app)


def run_app(args) -> int:
    """``args`` has ``db`` and ``start``: argparse's, or the one ``cli.main`` makes for bare
    ``compact-tui [--db PATH]`` without building any parser."""
    from ..tui.app import make_app

    app = make_app(db_path=args.db, start=args.start)
    app.run()
    if app.crash_log is not None or app.crashed:
        where = (f"the details are in {app.crash_log}" if app.crash_log
                 else "its details could not be written to a file (see above)")
        print(f"compact-tui: the app stopped after an unexpected error; {where}.", file=sys.stderr)
        return 1
    return app.return_code or 0
