"""``log``, ``cases``, ``case``, ``note``, ``advance``, ``update``, ``close``, ``reopen``,
``withdraw`` and ``reinstate``: the case log."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from ..errors import UserError
from ..text import one_line, terminal
from .case_parsers import DATE_OPTIONS, PARSERS
from .output import answer, open_caselog, print_json, wrap

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any



def dates_given(args: argparse.Namespace, today: date | None = None) -> dict[str, date]:
    """The date options given on the command line, parsed (relative ones from ``today``)."""
    from ..rules.dates import parse_date

    return {f: parse_date(getattr(args, f), today, f"--{f.replace('_', '-')}")
            for f in DATE_OPTIONS if getattr(args, f) is not None}


def add_parser(sub: Any, name: str, help_text: str) -> None:
    """The sub-parser of command ``name`` (:mod:`compact_tui.cli.case_parsers`), run by its ``run_`` function."""

    PARSERS[name](sub, name, help_text).set_defaults(run=RUNS[name])


def run_log(args: argparse.Namespace) -> int:
    from ..caselog.case_log import NewCase

    today = date.today()
    dates = dates_given(args, today)
    log = open_caselog(args)
    try:
        case = log.log(NewCase(kind=args.kind, compact=args.compact, title=args.title, dates=dates, orgs=args.org,
                               cites=args.cite, reason=args.reason, confidential=args.confidential,
                               in_writing=args.in_writing, note=args.note), today=today)
    finally:
        log.store.close()  # now, not at exit: see cli.console
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
    from ..caselog.case_list import finding_mark
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
        mark = finding_mark(r) or " "  # as the app's list marks it
        print(f"{r['id']:>6} {mark} {one_line(r['compact']):<11} {one_line(r['kind']):<14} "
              f"{one_line(r['status']):<7} {one_line(r['due']):<10}  {one_line(r['owner']):<10}  {one_line(r['title'])}"
              f"{' (confidential)' if r['confidential'] else ''}")
    if left_out:
        print(more)
    if any(r["finding"] for r in rows):
        print("! B: a breach was found; W: a warning ('compact-tui case ID' says which)"
              + ("; b, w: the same by our reading of the text, not stated by it." if any(r["finding_reading"] for r in rows)
                 else "."))
    return 0


def run_case(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.get(args.id)
    if args.json:
        print_json(case)
        return 0
    print_case(log, case)
    return 0


def print_case(log, case: dict) -> None:
    compact = log.registry.get(case["compact"])
    name = one_line(compact.info.name if compact else case["compact"])
    print(f"Case {case['id']}: {one_line(case['title'])}")
    print(f"  {one_line(case['kind'])} under {name}; {one_line(case['status'])}"
          + (" (confidential)" if case["confidential"] else ""))
    from ..caselog.timeline import header_dates

    dates = one_line(", ".join(header_dates(case)))
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
    print_moves(case)
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


def print_moves(case: dict) -> None:
    """The moves a dispute may make now, with what each needs, and which are readings."""
    if not case["next"]:
        return
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


def print_checks(case: dict, compact) -> None:
    """Every rule of the case's compact for its kind: broken (as a finding), met, a noted
    exception, not checked (with what it needs) or not applying; and a line saying so where the
    compact has no rule for this kind of case."""
    from ..rules.notice import no_rule_for

    if not case["checks"]:
        name = one_line(compact.info.name) if compact else one_line(case["compact"])
        said = one_line(no_rule_for(name, case["kind"])) if compact else \
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
    return answer(args, {"case": args.id, "event": event["id"]}, f"Noted on case {args.id}.")


def run_advance(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.advance(args.id, args.stage, note=args.note, confirm=args.confirm, team=args.member,
                       on=on_date(args.on))
    return answer(args, case,
                  f"Case {args.id} moved to {one_line(args.stage)}."
                  + (f" Outcome: {one_line(case['outcome'])}." if case["outcome"] else ""))


def run_close(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.close(args.id, note=args.note, outcome=args.outcome)
    return answer(args, case,
                  f"Case {args.id} closed." + (f" Outcome: {one_line(case['outcome'])}." if case["outcome"] else ""))


def run_reopen(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.reopen(args.id, note=args.note)
    return answer(args, case,
                  f"Case {args.id} reopened." + (f" Stage: {one_line(case['stage'])}." if case["stage"] else ""))


def run_withdraw(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.withdraw(args.id, args.reason)
    return answer(args, case,
                  f"Case {args.id} withdrawn; it stays on the record ('compact-tui case {args.id}').")


def run_reinstate(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    case = log.reinstate(args.id, args.reason)
    return answer(args, case, f"Case {args.id} reinstated; it is {one_line(case['status'])} again.")


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
    return answer(args, case, f"Case {args.id} is now held by {one_line(case['owner'])}.")


def run_attach(args: argparse.Namespace) -> int:
    log = open_caselog(args)
    item = log.attach(args.id, args.file, note=args.note)
    return answer(args, item,
                  f"Attached {one_line(item['name'])} to case {args.id} as attachment {item['n']} ({_size(item['size'])}).")


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


#: The function each command runs, by the command's name.
RUNS = {
    "log": run_log,
    "cases": run_cases,
    "case": run_case,
    "note": run_note,
    "advance": run_advance,
    "update": run_update,
    "assign": run_assign,
    "attach": run_attach,
    "attachment": run_attachment,
    "close": run_close,
    "reopen": run_reopen,
    "withdraw": run_withdraw,
    "reinstate": run_reinstate,
}
