"""``log``, ``cases``, ``case``, ``note``, ``advance``, ``update``, ``close``, ``reopen``,
``withdraw`` and ``reinstate``: the case log."""

# long: one sub-parser after another; split per command once issues 18 and 24 land (their pending commits add options here)
from __future__ import annotations

import argparse
import sys
from datetime import date

from ..content.model import CASE_KINDS
from ..errors import UserError
from ..text import one_line, terminal
from .output import CASE_ID, open_caselog, print_json, whole_number, wrap

DATE_OPTIONS = {
    "start": "consultation start", "end": "consultation close", "notified": "date notice was given",
    "effective": "date the change takes effect", "period_end": "end of the current funding period",
    "on": "date it happened (meeting, review, appointment, signing)", "opened": "date the case opened (default today)",
}
#: The mark in the ! column of ``cases``: a case's worst finding, as the app's list shows it.
MARKS = {"breach": "B", "warning": "W"}
DATE_HELP = "Dates: YYYY-MM-DD or DD/MM/YYYY, 'today', or an offset such as +12w, -3d, +3m."


def add_date_options(parser) -> None:
    """``--start``, ``--end``, ``--notified`` ... : the dates a case carries (``log`` and ``update``)."""
    for field, text in DATE_OPTIONS.items():
        parser.add_argument(f"--{field.replace('_', '-')}", dest=field, metavar="DATE", help=text)


def dates_given(args: argparse.Namespace, today: date | None = None) -> dict[str, date]:
    """The date options given on the command line, parsed (relative ones from ``today``)."""
    from ..rules.dates import parse_date

    return {f: parse_date(getattr(args, f), today, f"--{f.replace('_', '-')}")
            for f in DATE_OPTIONS if getattr(args, f) is not None}


# long: one sub-parser after another; split per command once issues 18 and 24 land (their pending commits add options here)
def add_parser(sub, name: str, help_text: str) -> None:
    if name == "log":
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
        p.add_argument("--verbal", action="store_true", help="the notice was not given in writing")
        p.add_argument("--confidential", action="store_true", help="keep it out of reports unless asked")
        p.add_argument("--note", default="", help="a first note on the timeline")
        p.add_argument("--json", action="store_true", help="print JSON: id and findings")
        p.set_defaults(run=run_log)
    elif name == "cases":
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
        p.set_defaults(run=run_cases)
    elif name == "case":
        p = sub.add_parser(name, help=help_text, description="Show one case: timeline, findings, next moves.")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=run_case)
    elif name == "note":
        p = sub.add_parser(name, help=help_text, description="Add a note to a case's timeline.")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("text")
        p.add_argument("--on", metavar="DATE", help="when it happened (default today)")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=run_note)
    elif name == "advance":
        p = sub.add_parser(name, help=help_text,
                           description="Move a dispute to the next stage of its compact's procedure. "
                                       "'compact-tui case ID' lists the moves allowed now and their conditions.")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("stage", help="the stage to move to")
        p.add_argument("--note", default="")
        p.add_argument("--confirm", action="append", default=[], metavar="CONDITION",
                       help="confirm a condition the move needs (repeatable)")
        p.add_argument("--member", action="append", default=[], metavar="NAME:SECTOR",
                       help="a mediator on the team, SECTOR statutory or vcs (repeatable)")
        p.add_argument("--on", metavar="DATE", help="when it happened (default today)")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=run_advance)
    elif name == "update":
        p = sub.add_parser(name, help=help_text, epilog=DATE_HELP,
                           description="Change a case: its title, parties, compact, dates, reason, writing or "
                                       "confidentiality, or add cited clauses. The compact's rules are applied "
                                       "again; the timeline records what each field was.")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("--title", default=None, help="a new title")
        p.add_argument("--party", action="append", default=None, metavar="NAME",
                       help="the parties, all of them (repeatable; replaces the list)")
        p.add_argument("--no-parties", action="store_true", help="the case names no party")
        p.add_argument("--compact", default=None, metavar="ID", help="move the case to another compact")
        add_date_options(p)
        p.add_argument("--cite", action="append", default=[], metavar="REF", help="add a cited clause (repeatable)")
        p.add_argument("--reason", default=None, help="the reason recorded (e.g. for a shorter period)")
        writing = p.add_mutually_exclusive_group()
        writing.add_argument("--verbal", dest="in_writing", action="store_false", default=None,
                             help="the notice was not given in writing")
        writing.add_argument("--in-writing", dest="in_writing", action="store_true", help="it was given in writing")
        conf = p.add_mutually_exclusive_group()
        conf.add_argument("--confidential", dest="confidential", action="store_true", default=None)
        conf.add_argument("--not-confidential", dest="confidential", action="store_false")
        p.add_argument("--note", default="", help="a note on the timeline about the change")
        p.add_argument("--json", action="store_true", help="print JSON: the case")
        p.set_defaults(run=run_update)
    elif name == "assign":
        p = sub.add_parser(name, help=help_text,
                           description="Hand a case to another officer, or take it: the case's owner changes "
                                       "and its timeline records who changed it and when.")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("owner", metavar="NAME", help="the officer's user name (as $LOGNAME or $USER gives it)")
        p.add_argument("--note", default="", help="a note on the timeline (why it changed hands)")
        p.add_argument("--json", action="store_true", help="print JSON: the case")
        p.set_defaults(run=run_assign)
    elif name == "attach":
        p = sub.add_parser(name, help=help_text,
                           description="Keep an evidence file (a letter, an email, a scan) with a case: stored in "
                                       "the case log, its SHA-256 on the case's hash chain, which 'audit verify' "
                                       "checks. Files up to 20 MB.")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("file", metavar="FILE")
        p.add_argument("--note", default="", help="a note on the timeline (what the file is)")
        p.add_argument("--json", action="store_true", help="print JSON: the attachment's number, name, size, SHA-256")
        p.set_defaults(run=run_attach)
    elif name == "attachment":
        p = sub.add_parser(name, help=help_text,
                           description="Write attachment N of a case to a file, byte for byte, once its SHA-256 "
                                       "is checked against the one recorded when it was attached.")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("n", type=whole_number(1, 10**6), metavar="N", help="its number ('compact-tui case ID' lists them)")
        p.add_argument("--output", "-o", required=True, metavar="PATH",
                       help="the file to write (an existing file is left alone unless --force)")
        p.add_argument("--force", action="store_true", help="replace the file at PATH if there is one")
        p.set_defaults(run=run_attachment)
    elif name == "close":
        p = sub.add_parser(name, help=help_text, description="Close a case that is not a dispute (a dispute "
                                                              "closes at an outcome of its procedure).")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("--outcome", default="", help="what came of it, e.g. 'consultation extended to 12 weeks'")
        p.add_argument("--note", default="")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=run_close)
    elif name == "reopen":
        p = sub.add_parser(name, help=help_text, description="Open a closed case again; a dispute goes back to "
                                                              "the stage it reached its outcome from.")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("--note", default="", help="why it is reopened")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=run_reopen)
    elif name == "withdraw":
        p = sub.add_parser(name, help=help_text,
                           description="Withdraw a case logged by mistake: it leaves the lists, what is due and "
                                       "the reports, and stays on the record ('case ID' shows it).")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("--reason", required=True, help="why it is withdrawn")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=run_withdraw)
    elif name == "reinstate":
        p = sub.add_parser(name, help=help_text,
                           description="Bring back a case withdrawn by mistake: it returns to the status it was "
                                       "withdrawn from (open or closed), and to the lists, what is due and the "
                                       "reports. The timeline keeps both events and their reasons.")
        p.add_argument("id", type=CASE_ID)
        p.add_argument("--reason", required=True, help="why it is brought back")
        p.add_argument("--json", action="store_true")
        p.set_defaults(run=run_reinstate)


def run_log(args: argparse.Namespace) -> int:
    from ..caselog.case_log import NewCase

    today = date.today()
    dates = dates_given(args, today)
    log = open_caselog(args)
    case = log.log(NewCase(kind=args.kind, compact=args.compact, title=args.title, dates=dates, orgs=args.org,
                           cites=args.cite, reason=args.reason, confidential=args.confidential,
                           in_writing=False if args.verbal else None, note=args.note), today=today)
    if args.json:
        print_json(case)
        return 0
    compact = log.registry.get(case["compact"])
    print(f"Logged case {case['id']}: {case['kind']} under {one_line(compact.info.name)}.")
    print_checks(case, compact)
    if case["kind"] == "dispute" and not case["stage"]:
        from ..rules.disputes import pending_message
        print(wrap(pending_message(compact, log.registry), indent="  "))
    return 0


def run_cases(args: argparse.Namespace) -> int:
    from ..caselog.case_log import CaseFilter

    log = open_caselog(args)
    flt = CaseFilter(text=args.text, compact=args.compact, kind=args.kind, status=args.status, org=args.org,
                     include_confidential=not args.no_confidential, owner=args.owner, mine=args.mine,
                     finding=args.finding)
    if args.json and args.limit is None and args.page is None:  # a script gets every match
        rows = log.list(flt, sort=args.sort, limit=-1)
        left_out = 0
    else:
        limit, page = args.limit or 50, args.page or 1
        rows = log.list(flt, sort=args.sort, limit=limit, offset=(page - 1) * limit)
        left_out = max(0, log.count(flt) - (page - 1) * limit - len(rows))
        more = (f"{left_out} more matching case{'s' if left_out != 1 else ''} not shown: --page {page + 1} "
                f"for the next {limit}" + (", or --json without --limit and --page for every match" if args.json
                                            else "") + ".")
    if args.json:
        for r in rows:
            r["confidential"] = bool(r["confidential"])
        print_json(rows)
        if left_out:
            print(f"compact-tui: {more}", file=sys.stderr)
        return 0
    if not rows:
        print("No cases match.")
        return 0
    print(f"{'ID':>6} {'!':<1} {'COMPACT':<11} {'KIND':<14} {'STATUS':<7} {'DUE':<10}  {'OWNER':<10}  TITLE")
    for r in rows:
        print(f"{r['id']:>6} {MARKS.get(r['finding'], ' ')} {one_line(r['compact']):<11} {one_line(r['kind']):<14} "
              f"{one_line(r['status']):<7} {one_line(r['due']):<10}  {one_line(r['owner']):<10}  {one_line(r['title'])}"
              f"{' (confidential)' if r['confidential'] else ''}")
    if left_out:
        print(more)
    if any(r["finding"] for r in rows):
        print("! B: a breach was found; W: a warning ('compact-tui case ID' says which).")
    return 0


def run_case(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.get(args.id)
    if args.json:
        print_json(case)
        return 0
    print_case(log, case)
    return 0


# long: one line after another of a case's text; split with the rest of this module once issues 18 and 24 land
def print_case(log, case: dict) -> None:
    compact = log.registry.get(case["compact"])
    name = one_line(compact.info.name if compact else case["compact"])
    print(f"Case {case['id']}: {one_line(case['title'])}")
    print(f"  {one_line(case['kind'])} under {name}; {one_line(case['status'])}"
          + (" (confidential)" if case["confidential"] else ""))
    dates = ", ".join(f"{k} {one_line(case[k])}" for k in ("opened", "start", "end", "notified", "effective", "period_end", "on")
                      if case.get(k))
    print(f"  {dates}")
    print(f"  Held by: {one_line(case['owner'])}")
    if case["parties"]:
        print(f"  Parties: {one_line('; '.join(case['parties']))}")
    if case["cites"]:
        print(f"  Cites: {one_line(', '.join(case['cites']))}")
    if case["stage"]:
        print(f"  Stage: {one_line(case['stage'])}"
              + (f" (outcome: {one_line(case['outcome'])})" if case["outcome"] else ""))
    if case["due"]:
        print(f"  Due: {one_line(case['due'])}, {one_line(case['due_what'])}")
    if case["procedure_note"]:
        print(wrap(case["procedure_note"], indent="  "))
    for a in case.get("accepted") or ():
        said = "accepted when the log was upgraded" if a["accepted"] else "sealed, but never accepted,"
        print(wrap(f"Note: the earlier version's check found, and it was {said} on {a['on']}: [{a['code']}] "
                   f"{a['problem']}", indent="  "))
    print("Rules:")
    print_checks(case, compact)
    if case["next"]:
        print("Moves allowed now:")
        for m in case["next"]:
            conds = "; ".join(
                (f"team of {c['team_size']}, {c['min_per_sector']}+ from each sector (--member NAME:SECTOR)"
                 if c["team_size"] else f"--confirm {c['id']}") for c in m["conditions"])
            print(f"  {one_line(m['stage'])}: {one_line(m['title'])}" + (f"  [needs {one_line(conds)}]" if conds else ""))
            if m["standing"] == "reading":
                print(wrap(f"READING (not stated by the text): {m['reading']}", indent="      "))
            for c in m["conditions"]:
                if c["standing"] == "reading":
                    print(wrap(f"Condition {one_line(c['id'])} is a READING: {c['reading']}", indent="      "))
    if case["attachments"]:
        print("Attachments:")
        for a in case["attachments"]:
            print(f"  {a['n']}. {one_line(a['name'])} ({_size(a['size'])}, SHA-256 {a['sha256'][:16]}...)")
    from ..caselog.case_export import attachments

    left = [a for a in attachments(case) if not a["kept"]]
    if left:
        print("Attachments in the case log it was imported from (attach each again to keep it here):")
        for a in left:
            print(f"  {one_line(a['name'])} ({_size(a['size'])}, SHA-256 {one_line(a['sha256'])[:16]}...)")
    print("Timeline:")
    from ..caselog.timeline import describe

    def stage_title(stage_id: str) -> str:
        stage = compact.procedure.stage(stage_id) if compact and compact.procedure else None
        return stage.title if stage else stage_id

    for e in case["events"]:
        said = describe(e, stage_title)
        print(f"  {one_line(e['happened_on'])}  {one_line(e['action']):<8} by {one_line(e['actor'])}"
              + (f": {one_line(said)}" if said else "")
              + ((" · " if said else ": ") + terminal(e["note"]) if e["note"] else ""))


def print_checks(case: dict, compact) -> None:
    """Every rule of the case's compact for its kind: broken (as a finding), met, a noted
    exception, not checked (with what it needs) or not applying; and a line saying so where the
    compact has no rule for this kind of case."""
    if not case["checks"]:
        name = one_line(compact.info.name) if compact else one_line(case["compact"])
        said = f"{name} states no notice rule for a {one_line(case['kind'])}." if compact else \
            f"The compact {name} is not installed, so its rules were not checked."
        print(f"  {said}")
        return
    for check in case["checks"]:
        if check["outcome"] in ("breach", "warning"):
            print_finding({**check, "severity": check["outcome"]})
            continue
        reading = " (a reading)" if check["standing"] == "reading" else ""
        print(f"  {terminal(check['message'])}{reading}")


def print_finding(f: dict) -> None:
    """A finding, and, where its rule or its severity is our reading of the text, that reading."""
    print(f"  {one_line(f['severity']).upper()}"
          f"{' (reading)' if 'reading' in (f['standing'], f['severity_standing']) else ''}: {terminal(f['message'])}")
    if f["standing"] == "reading":
        print(wrap(f"The rule is our reading, not stated by the text: {f['reading']}", indent="      "))
    if f["severity_standing"] == "reading":
        print(wrap(f"Its severity is our reading: {f['severity_reading']}", indent="      "))


def on_date(text: str | None) -> date | None:
    """``--on``: the day it happened; left out, today. Given empty, it is a mistake (a script's
    unset variable), not today."""
    from ..rules.dates import parse_date

    if text is None:
        return None
    if not text.strip():
        raise UserError("--on is empty: give the day it happened (e.g. 2026-03-02, or today), or leave --on out "
                        "for today.")
    return parse_date(text, field="--on")


def run_note(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    event = log.note(args.id, args.text, on_date(args.on))
    if args.json:
        print_json({"case": args.id, "event": event["id"]})
    else:
        print(f"Noted on case {args.id}.")
    return 0


def run_advance(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.advance(args.id, args.stage, note=args.note, confirm=args.confirm, team=args.member,
                       on=on_date(args.on))
    if args.json:
        print_json(case)
    else:
        print(f"Case {args.id} moved to {one_line(args.stage)}."
              + (f" Outcome: {one_line(case['outcome'])}." if case["outcome"] else ""))
    return 0


def run_close(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.close(args.id, note=args.note, outcome=args.outcome)
    if args.json:
        print_json(case)
    else:
        print(f"Case {args.id} closed." + (f" Outcome: {one_line(case['outcome'])}." if case["outcome"] else ""))
    return 0


def run_reopen(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.reopen(args.id, note=args.note)
    if args.json:
        print_json(case)
    else:
        print(f"Case {args.id} reopened." + (f" Stage: {one_line(case['stage'])}." if case["stage"] else ""))
    return 0


def run_withdraw(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.withdraw(args.id, args.reason)
    if args.json:
        print_json(case)
    else:
        print(f"Case {args.id} withdrawn; it stays on the record ('compact-tui case {args.id}').")
    return 0


def run_reinstate(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.reinstate(args.id, args.reason)
    if args.json:
        print_json(case)
    else:
        print(f"Case {args.id} reinstated; it is {one_line(case['status'])} again.")
    return 0


def run_update(args: argparse.Namespace) -> int:
    dates = dates_given(args)
    log = open_caselog(args)
    parties = [] if args.no_parties else args.party
    case = log.update(args.id, dates=dates, reason=args.reason, in_writing=args.in_writing,
                      confidential=args.confidential, cites=args.cite, title=args.title, parties=parties,
                      compact=args.compact, note=args.note)
    if args.json:
        print_json(case)
        return 0
    print(f"Case {args.id} changed.")
    print_checks(case, log.registry.get(case["compact"]))
    return 0


def run_assign(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.set_owner(args.id, args.owner, note=args.note)
    if args.json:
        print_json(case)
    else:
        print(f"Case {args.id} is now held by {one_line(case['owner'])}.")
    return 0


def run_attach(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    item = log.attach(args.id, args.file, note=args.note)
    if args.json:
        print_json(item)
    else:
        print(f"Attached {one_line(item['name'])} to case {args.id} as attachment {item['n']} ({_size(item['size'])}).")
    return 0


def run_attachment(args: argparse.Namespace) -> int:
    from ..caselog.attachments import content, save

    log = open_caselog(args)
    item, data = content(log, args.id, args.n)
    save(data, args.output, replace=args.force)
    print(f"Wrote {one_line(item['name'])} ({_size(item['size'])}) to {one_line(args.output)}.")
    return 0


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"
