"""The sub-parsers of the case log's commands (``log``, ``cases``, ``case``, ``note``, ``advance``,
``update``, ``assign``, ``attach``, ``attachment``, ``close``, ``reopen``, ``withdraw``,
``reinstate``): one function each, so a command's options read on their own. The commands
themselves are in :mod:`compact_tui.cli.case_cmd`."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from ..content.model import CASE_KINDS
from .output import CASE_ID, whole_number

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DATE_OPTIONS = {
    "start": "consultation start", "end": "consultation close", "notified": "date notice was given",
    "effective": "date the change takes effect", "period_end": "end of the current funding period",
    "on": "date it happened (meeting, review, appointment, signing)", "opened": "date the case opened (default today)",
}
DATE_HELP = "Dates: YYYY-MM-DD or DD/MM/YYYY, 'today', or an offset such as +12w, -3d, +3m."


def add_date_options(parser: argparse.ArgumentParser) -> None:
    """``--start``, ``--end``, ``--notified`` ... : the dates a case carries (``log`` and ``update``)."""
    for field, text in DATE_OPTIONS.items():
        parser.add_argument(f"--{field.replace('_', '-')}", dest=field, metavar="DATE", help=text)


def one_case_parser(sub: Any, name: str, help_text: str, **kwargs: Any) -> argparse.ArgumentParser:
    """The sub-parser of a command on one case, the case's number its first argument."""
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, **kwargs)
    p.add_argument("id", type=CASE_ID)
    return p


def add_writing_options(parser: argparse.ArgumentParser, in_writing_help: str) -> None:
    """``--verbal`` or ``--in-writing``: whether the notice was given in writing (``log`` and ``update``)."""
    writing = parser.add_mutually_exclusive_group()
    writing.add_argument("--verbal", dest="in_writing", action="store_false", default=None,
                         help="the notice was not given in writing")
    writing.add_argument("--in-writing", dest="in_writing", action="store_true", help=in_writing_help)


def _log_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text, epilog=DATE_HELP + "\nExample: compact-tui log funding-change "
                       "--compact southampton --title 'Grant ends' --notified today --effective +6w",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Log a new case. The compact's notice rules are applied at once.")
    p.add_argument("kind", type=str.lower, choices=CASE_KINDS, metavar="KIND", help="one of: " + ", ".join(CASE_KINDS))
    p.add_argument("--compact", metavar="ID", help="the compact (default: the one the first --org signed)")
    p.add_argument("--title", required=True, help="a short title")
    add_date_options(p)
    p.add_argument("--org", action="append", default=[], metavar="NAME", help="a party (repeatable)")
    p.add_argument("--cite", action="append", default=[], metavar="REF", help="a clause cited (repeatable)")
    p.add_argument("--reason", default="", help="the reason recorded (e.g. for a shorter period)")
    add_writing_options(p, "it was given in writing (a rule that asks for writing is not checked without one)")
    p.add_argument("--confidential", action="store_true", help="keep it out of reports unless asked")
    p.add_argument("--note", default="", help="a first note on the timeline")
    p.add_argument("--json", action="store_true", help="print JSON: id and findings")
    return p


def _cases_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = sub.add_parser(name, help=help_text, description="List cases, newest first, a page at a time.")
    p.add_argument("--compact", metavar="ID", default="")
    p.add_argument("--kind", type=str.lower, choices=CASE_KINDS, metavar="KIND", default="")
    p.add_argument("--status", type=str.lower, choices=("open", "closed", "withdrawn"), default="",
                   help="default: open and closed (a withdrawn case only when asked for)")
    p.add_argument("--org", metavar="NAME", default="", help="cases naming this organisation")
    p.add_argument("--text", metavar="TEXT", default="", help="title or parties containing TEXT")
    p.add_argument("--sort", type=str.lower, choices=("newest", "oldest", "due", "title"), default="newest")
    p.add_argument("--limit", type=whole_number(1, 1000), default=None,
                   help="page size, 1 to 1000 (default 50; with --json and no --page, every match)")
    p.add_argument("--page", type=whole_number(1, 10**9), default=None, help="which page (default 1)")
    p.add_argument("--no-confidential", action="store_true", help="leave confidential cases out")
    p.add_argument("--mine", action="store_true", help="only the cases you hold ($LOGNAME or $USER)")
    p.add_argument("--owner", metavar="NAME", default="", help="only the cases NAME holds")
    p.add_argument("--finding", type=str.lower, choices=("breach", "warning"), default="",
                   help="only cases with a finding of this kind")
    p.add_argument("--json", action="store_true", help="print JSON: a list of cases")
    return p


def _case_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text, description="Show one case: timeline, findings, next moves.")
    p.add_argument("--json", action="store_true")
    return p


def _note_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text, description="Add a note to a case's timeline.")
    p.add_argument("text")
    p.add_argument("--on", metavar="DATE", help="when it happened (default today)")
    p.add_argument("--json", action="store_true")
    return p


def _advance_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text,
                       description="Move a dispute to the next stage of its compact's procedure. "
                                   "'compact-tui case ID' lists the moves allowed now and their conditions.")
    p.add_argument("stage", help="the stage to move to")
    p.add_argument("--note", default="")
    p.add_argument("--confirm", action="append", default=[], metavar="CONDITION",
                   help="confirm a condition the move needs (repeatable)")
    p.add_argument("--member", action="append", default=[], metavar="NAME:SECTOR",
                   help="a mediator on the team, SECTOR statutory or vcs (repeatable)")
    p.add_argument("--on", metavar="DATE", help="when it happened (default today)")
    p.add_argument("--json", action="store_true")
    return p


def _update_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text, epilog=DATE_HELP,
                       description="Change a case: its title, parties, compact, dates, reason, writing or "
                                   "confidentiality, or add cited clauses. The compact's rules are applied "
                                   "again; the timeline records what each field was.")
    p.add_argument("--title", default=None, help="a new title")
    p.add_argument("--party", action="append", default=None, metavar="NAME",
                   help="the parties, all of them (repeatable; replaces the list)")
    p.add_argument("--no-parties", action="store_true", help="the case names no party")
    p.add_argument("--compact", default=None, metavar="ID", help="move the case to another compact")
    add_date_options(p)
    p.add_argument("--cite", action="append", default=[], metavar="REF", help="add a cited clause (repeatable)")
    p.add_argument("--reason", default=None, help="the reason recorded (e.g. for a shorter period)")
    add_writing_options(p, "it was given in writing")
    conf = p.add_mutually_exclusive_group()
    conf.add_argument("--confidential", dest="confidential", action="store_true", default=None)
    conf.add_argument("--not-confidential", dest="confidential", action="store_false")
    p.add_argument("--note", default="", help="a note on the timeline about the change")
    p.add_argument("--json", action="store_true", help="print JSON: the case")
    return p


def _assign_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text,
                       description="Hand a case to another officer, or take it: the case's owner changes "
                                   "and its timeline records who changed it and when.")
    p.add_argument("owner", metavar="NAME", help="the officer's user name (as $LOGNAME or $USER gives it)")
    p.add_argument("--note", default="", help="a note on the timeline (why it changed hands)")
    p.add_argument("--json", action="store_true", help="print JSON: the case")
    return p


def _attach_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text,
                       description="Keep an evidence file (a letter, an email, a scan) with a case: stored in "
                                   "the case log, its SHA-256 on the case's hash chain, which 'audit verify' "
                                   "checks. Files up to 20 MB.")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--note", default="", help="a note on the timeline (what the file is)")
    p.add_argument("--json", action="store_true", help="print JSON: the attachment's number, name, size, SHA-256")
    return p


def _attachment_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text,
                       description="Write attachment N of a case to a file, byte for byte, once its SHA-256 "
                                   "is checked against the one recorded when it was attached.")
    p.add_argument("n", type=whole_number(1, 10**6), metavar="N", help="its number ('compact-tui case ID' lists them)")
    p.add_argument("--output", "-o", required=True, metavar="PATH",
                   help="the file to write (an existing file is left alone unless --force)")
    p.add_argument("--force", action="store_true", help="replace the file at PATH if there is one")
    return p


def _close_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text, description="Close a case that is not a dispute (a dispute "
                                                          "closes at an outcome of its procedure).")
    p.add_argument("--outcome", default="", help="what came of it, e.g. 'consultation extended to 12 weeks'")
    p.add_argument("--note", default="")
    p.add_argument("--json", action="store_true")
    return p


def _reopen_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text, description="Open a closed case again; a dispute goes back to "
                                                          "the stage it reached its outcome from.")
    p.add_argument("--note", default="", help="why it is reopened")
    p.add_argument("--json", action="store_true")
    return p


def _withdraw_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text,
                       description="Withdraw a case logged by mistake: it leaves the lists, what is due and "
                                   "the reports, and stays on the record ('case ID' shows it).")
    p.add_argument("--reason", required=True, help="why it is withdrawn")
    p.add_argument("--json", action="store_true")
    return p


def _reinstate_parser(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p = one_case_parser(sub, name, help_text,
                       description="Bring back a case withdrawn by mistake: it returns to the status it was "
                                   "withdrawn from (open or closed), and to the lists, what is due and the "
                                   "reports. The timeline keeps both events and their reasons.")
    p.add_argument("--reason", required=True, help="why it is brought back")
    p.add_argument("--json", action="store_true")
    return p


#: Each command's sub-parser, by the command's name.
PARSERS: dict[str, Callable[[Any, str, str], argparse.ArgumentParser]] = {
    "log": _log_parser,
    "cases": _cases_parser,
    "case": _case_parser,
    "note": _note_parser,
    "advance": _advance_parser,
    "update": _update_parser,
    "assign": _assign_parser,
    "attach": _attach_parser,
    "attachment": _attachment_parser,
    "close": _close_parser,
    "reopen": _reopen_parser,
    "withdraw": _withdraw_parser,
    "reinstate": _reinstate_parser,
}
