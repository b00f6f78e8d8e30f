"""Bare ``compact-tui`` (or ``compact-tui app``): start the terminal app."""

from __future__ import annotations

import argparse


def add_parser(sub, name: str, help_text: str) -> None:
    p = sub.add_parser(name, help=help_text, description="Start the terminal app.")
    p.set_defaults(run=run_app)


def run_app(args: argparse.Namespace) -> int:
    from ..tui.app import make_app

    make_app(db_path=args.db).run()
    return 0
