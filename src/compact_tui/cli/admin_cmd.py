"""``orgs``, ``which``, ``deadlines``, ``report`` and ``audit``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import UserError
from ..text import one_line, quoted
from .output import answer, open_caselog, open_store, print_json, registry_or_fail, warn_about_key, whole_number


def add_parser(sub: Any, name: str, help_text: str) -> None:
    """The sub-parser of command ``name``: one function each, below."""
    PARSERS[name](sub, name, help_text)


def _orgs_parser(sub: Any, name: str, help_text: str) -> None:
    p = sub.add_parser(name, help=help_text, description="Add and list organisations.")
    osub = p.add_subparsers(dest="orgs_command", metavar="ACTION")
    a = osub.add_parser("add", help="add an organisation")
    a.add_argument("name")
    a.add_argument("--side", required=True, choices=("statutory", "vcs", "parish"),
                   help="statutory, vcs (voluntary and community) or parish (parish or town council)")
    a.add_argument("--locality", default="")
    a.add_argument("--champion", default="", help="its Compact Champion")
    a.add_argument("--json", action="store_true")
    s = osub.add_parser("sign", help="record that an organisation signed a compact")
    s.add_argument("name")
    s.add_argument("compact")
    s.add_argument("--on", default="today", metavar="DATE")
    s.add_argument("--json", action="store_true")
    c = osub.add_parser("champion", help="name an organisation's Compact Champion")
    c.add_argument("name")
    c.add_argument("person")
    c.add_argument("--json", action="store_true")
    ls = osub.add_parser("list", help="list organisations (the default)")
    ls.add_argument("--compact", default="", help="only those that signed this compact")
    ls.add_argument("--json", action="store_true")
    p.add_argument("--json", action="store_true", help="print JSON: a list of organisations")
    p.set_defaults(run=run_orgs)


def _which_parser(sub: Any, name: str, help_text: str) -> None:
    p = sub.add_parser(name, help=help_text,
                       description="Which compact applies to an organisation or locality: the most local "
                                   "first, then each level up.")
    p.add_argument("target", metavar="ORG-or-LOCALITY")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run_which)


def _deadlines_parser(sub: Any, name: str, help_text: str) -> None:
    p = sub.add_parser(name, help=help_text, description="What is due or overdue across all cases, overdue first,\n"
                       "then each rule that could not be checked for want of a date or fact.",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="For cron (mails the digest only when something is due or a rule is not checked,\n"
                              "and keeps a calendar file fresh):\n  0 7 * * 1-5  compact-tui deadlines --within 14d "
                              "--digest --ics ~/compact-deadlines.ics")
    p.add_argument("--within", default="60", metavar="PERIOD",
                   help="look ahead this far: days (14 or 14d), weeks (2w) or months (1m); default 60 days")
    p.add_argument("--json", action="store_true",
                   help="print JSON: a list of deadlines, then each rule not checked (\"unchecked\": true)")
    p.add_argument("--ics", metavar="FILE", help="write an iCalendar file: one event per due or overdue item, and one naming the rules not checked")
    p.add_argument("--digest", action="store_true",
                   help="print a plain-text digest for a cron mail (nothing at all when nothing is due and no rule is "
                        "left unchecked)")
    p.add_argument("--check", action="store_true", help="exit 1 when anything is overdue (for cron and monitoring)")
    p.add_argument("--include-confidential", action="store_true",
                   help="name confidential cases in the digest and calendar (by default: only their number)")
    p.set_defaults(run=run_deadlines)


def _report_parser(sub: Any, name: str, help_text: str) -> None:
    p = sub.add_parser(name, help=help_text, description="Reports. 'annual' is the annual review report.")
    rsub = p.add_subparsers(dest="report_command", metavar="REPORT", required=True)
    a = rsub.add_parser("annual", help="the annual review for a compact and a year")
    a.add_argument("--compact", required=True, metavar="ID")
    a.add_argument("--year", required=True, type=whole_number(1900, 2200), help="1900 to 2200")
    a.add_argument("--format", choices=("md", "csv", "json", "toml"), default="md")
    a.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of the screen")
    a.add_argument("--include-confidential", action="store_true")
    p.set_defaults(run=run_report)


def _audit_parser(sub: Any, name: str, help_text: str) -> None:
    p = sub.add_parser(name, help=help_text, description="Check the case log: its keyed, hash-chained "
                       "timeline, every table against it, and the file itself.")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    v = asub.add_parser("verify", help="find edited, added or deleted rows, an impossible story, a damaged file; "
                                       "it never changes the file")
    v.add_argument("--head", metavar="N:HASH", help="also prove that a head published earlier "
                   "('compact-tui audit head') is still the start of today's timeline")
    v.add_argument("--json", action="store_true")
    h = asub.add_parser("head", help="print the timeline's event count and last hash, to publish")
    h.add_argument("--json", action="store_true")
    u = asub.add_parser("upgrade", help="bring a case log made by an earlier compact-tui up to this version",
                        description="Upgrade a case log made by an earlier compact-tui. A log from before the "
                                    "keyed chain is first checked as that version checked it; if that check "
                                    "finds a problem, it is not upgraded unless you accept the problem by its "
                                    "code (as 'audit verify' lists it). Accepted problems are recorded, and "
                                    "'audit verify' and 'case ID' report them from then on.")
    u.add_argument("--accept", action="append", default=[], metavar="CODE",
                   help="accept one problem the earlier check found, by its code (repeatable)")
    asub.add_parser("reindex", help="make the search index of the cases' titles and parties again from "
                    "the cases (when 'audit verify' says it no longer matches them)")
    p.set_defaults(run=run_audit)


#: Each command's sub-parser, by the command's name.
PARSERS: dict[str, Callable[[Any, str, str], None]] = {
    "orgs": _orgs_parser,
    "which": _which_parser,
    "deadlines": _deadlines_parser,
    "report": _report_parser,
    "audit": _audit_parser,
}


def run_orgs(args: argparse.Namespace) -> int:
    from ..caselog import orgs
    from ..rules.dates import parse_date

    store = open_store(args)
    action = args.orgs_command or "list"
    if action == "add":
        org = orgs.add_org(store, args.name, args.side, args.locality, args.champion)
        return answer(args, org, f"Added {one_line(org['name'])} ({orgs.SIDE_NAMES[org['side']]}).")
    if action == "sign":
        org = orgs.sign(store, registry_or_fail(), args.name, args.compact, parse_date(args.on, field="--on"))
        return answer(args, org, f"{one_line(org['name'])} signed {one_line(args.compact)}.")
    if action == "champion":
        org = orgs.set_champion(store, args.name, args.person)
        return answer(args, org, f"{one_line(org['name'])}'s Compact Champion is {one_line(org['champion']) or 'nobody'}.")
    rows = orgs.list_orgs(store, getattr(args, "compact", ""))
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No organisations yet ('compact-tui orgs add NAME --side vcs').")
    for r in rows:
        signed = one_line(", ".join(f"{s['compact']} {s['signed_on']}" for s in r["signed"])) or "no compact signed"
        champ = f"; champion {one_line(r['champion'])}" if r["champion"] else ""
        print(f"{one_line(r['name'])} ({one_line(orgs.SIDE_NAMES.get(r['side'], r['side']))}): {signed}{champ}")
    return 0


def run_which(args: argparse.Namespace) -> int:
    from ..caselog.orgs import which

    registry = registry_or_fail()
    store = open_store(args)
    levels = which(store, registry, args.target)
    if args.json:
        print_json([lv.__dict__ for lv in levels])
        return 0 if levels else 1
    if not levels:
        raise UserError(f"no installed compact covers {quoted(args.target)}, and no organisation of that name has signed one.")
    for i, lv in enumerate(levels):
        state = " (installed, cannot be used)" if not lv.usable else "" if lv.installed else " (not installed here)"
        print(f"{'  ' * i}{one_line(lv.name)}{state}: {one_line(lv.why)}")
    return 0


def run_deadlines(args: argparse.Namespace) -> int:
    from datetime import date

    from ..due.deadlines import deadlines, unchecked_rules

    today = date.today()
    within = within_days(args.within, today)
    log = open_caselog(args)
    items = deadlines(log.store, log.registry, today=today, within_days=within)
    unchecked = unchecked_rules(log.store, log.registry)  # each goes wherever what is due goes
    overdue = any(d.overdue for d in items)
    code = 1 if args.check and overdue else 0
    if args.ics:
        from ..due.reminders import to_ics
        from ..report import write_report

        calendar = to_ics(items, log.registry, store=log.store, today=today, within_days=within,
                          include_confidential=args.include_confidential, unchecked=unchecked)
        write_report(args.ics, calendar, confidential=args.include_confidential)
        if not args.digest and not args.json:
            count, cancelled = calendar.count("BEGIN:VEVENT"), calendar.count("STATUS:CANCELLED")
            notes = [f"{cancelled} cancelled: no longer due"] if cancelled else []
            rules = "rule" if len(unchecked) == 1 else f"{len(unchecked)} rules"
            notes += [f"one names the {rules} not checked"] if unchecked else []
            print(f"Wrote {one_line(args.ics)}: {count} event{'s' if count != 1 else ''}"
                  + (f" ({'; '.join(notes)})." if notes else "."))
            return code
    if args.json:  # the rules not checked last, each marked "unchecked": true
        print_json([d.as_dict() for d in [*items, *unchecked]])
        return code
    if args.digest:
        from ..due.reminders import digest

        sys.stdout.write(digest(items, log.registry, today=today, within_days=within,
                                include_confidential=args.include_confidential, unchecked=unchecked))
        return code
    if not items and not unchecked:
        print("Nothing due.")
    for flag, d in [("OVERDUE  " if d.overdue else "waiting  " if d.due is None else "due      ", d) for d in items] + \
            [("UNCHECKED", u) for u in unchecked]:
        where = f"case {d.case_id}: " if d.case_id else ""
        print(f"{flag} {one_line(d.due or '----------')}  {one_line(d.compact):<11} {where}{one_line(d.what)}"
              + (f" ({one_line(d.title)})" if d.case_id else ""))
    if unchecked:
        print(f"{len(unchecked)} rule{'s' if len(unchecked) != 1 else ''} not checked on open cases: "
              f"give what each needs with 'compact-tui update ID'.")
    return code


def within_days(text: str, today) -> int:
    """``14``, ``14d``, ``2w`` or ``1m`` from ``today``, in days (``rules.dates.days_ahead``)."""
    from ..rules.dates import days_ahead

    return days_ahead(text, today, "--within")


def run_report(args: argparse.Namespace) -> int:
    from ..report import annual_report, render, write_report

    registry = registry_or_fail()
    registry.require(args.compact)
    report = annual_report(open_store(args), registry, args.compact, args.year, args.include_confidential)
    text = render(report, args.format)
    if args.output:
        path = Path(args.output).expanduser().absolute()
        write_report(path, text, confidential=args.include_confidential)
        print(f"Wrote {one_line(str(path))}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def run_audit(args: argparse.Namespace) -> int:
    from ..caselog.audit import Head, head, verify
    from ..caselog.schema_migrations import migrations, schema_version
    from ..caselog.store import Store

    if args.audit_command == "upgrade":
        return _audit_upgrade(args)
    if args.audit_command == "reindex":
        return _audit_reindex(args)
    published = Head.parse(args.head) if getattr(args, "head", None) else None
    store = Store(args.db or None, check_only=True)  # as it is: never created, switched or upgraded
    warn_about_key()
    applied = migrations.applied(store.db)
    if "m003_keyed_chain" not in applied:
        return _audit_unkeyed(args, store)
    pending = migrations.pending(store.db)
    if pending:
        print(f"Note: {store.path} was made by an earlier compact-tui (schema version {schema_version(applied)}); "
              f"it was checked as it is and not upgraded ('compact-tui audit upgrade' upgrades it).", file=sys.stderr)
    if args.audit_command == "head":
        now = head(store.db)
        if args.json:
            print_json({"events": now.events, "hash": now.hash, "head": str(now)})
        else:
            print(f"Head: {now}\n({now.events} events. Publish it, e.g. in the annual report; "
                  f"'compact-tui audit verify --head {now}' later proves the timeline still starts with it.)")
        return 0
    result = verify(store.db, published=published, registry=registry_or_fail())
    for note in result.notes:  # what could not be checked here
        print(f"Note: {one_line(note)}.", file=sys.stderr)
    if args.json:
        print_json({"ok": result.ok, "events": result.events, "cases": result.cases, "head": str(result.head),
                    "problems": result.problems, "accepted": result.accepted, "notes": result.notes})
        return 0 if result.ok else 1
    if result.ok:
        print(f"OK: {result.events} events and {result.cases} cases check out, each event a change its case "
              f"could take then, and so does the file itself."
              + (f"\nThe published head {published} is the start of today's timeline." if published else ""))
    else:
        print(f"{len(result.problems)} problem{'s' if len(result.problems) != 1 else ''} found:")
        for p in result.problems:
            print(f"  - {one_line(p)}")
    if result.accepted:
        print("Accepted when the log was upgraded, and still true of its events before then:")
        for p in result.accepted:
            print(f"  - {one_line(p)}")
    return 0 if result.ok else 1


def _audit_reindex(args) -> int:
    """Make the search index of the cases' titles and parties again (``text_index.rebuild``)."""
    from ..caselog.text_index import rebuild

    store = open_store(args)
    with store.write() as db:
        rebuild(db.execute)
        n = db.execute("SELECT count(*) FROM cases").fetchone()[0]
    print(f"Made the search index again from the {n} case{'' if n == 1 else 's'} in {one_line(str(store.path))}.")
    return 0


def _audit_unkeyed(args, store) -> int:
    """A case log from before the chain was keyed: checked as the version that made it checked
    it, and left as it is (``audit upgrade`` seals it)."""
    from ..caselog.audit_unkeyed import problem_code, verify

    if args.audit_command == "head":
        raise UserError(f"{store.path} has not been sealed with a key yet, so it has no head to publish; "
                        f"'compact-tui audit upgrade' seals it.")
    result = verify(store.db)
    print(f"Note: {store.path} was made by an earlier compact-tui and has not been sealed with a key; it was "
          f"checked as that version checks it, and not changed ('compact-tui audit upgrade' upgrades it).",
          file=sys.stderr)
    if args.json:
        print_json({"ok": result.ok, "events": result.events, "cases": result.cases,
                    "problems": result.problems, "codes": [problem_code(p) for p in result.problems]})
    elif result.ok:
        print(f"OK: {result.events} events and {result.cases} cases check out.")
    else:
        print(f"{len(result.problems)} problem{'s' if len(result.problems) != 1 else ''} found (to upgrade anyway, "
              f"accepting one: 'compact-tui audit upgrade --accept CODE'):")
        for p in result.problems:
            print(f"  - [{problem_code(p)}] {one_line(p)}")
    return 0 if result.ok else 1


def _audit_upgrade(args) -> int:
    """Bring an earlier version's case log up to this version's schema, explicitly: refused if
    the earlier version's own check finds a problem not named by ``--accept``."""
    from ..caselog.schema_migrations import migrations, schema_version
    from ..caselog.store import Store

    check = Store(args.db or None, check_only=True)
    had, path = migrations.applied(check.db), check.path
    check.close()
    if not set(migrations.names) - set(had):
        print(f"{path} is up to date (schema version {schema_version(had)}); nothing to upgrade.")
        return 0
    store = Store(args.db or None, accept=args.accept)
    if store.refusal:
        raise UserError(store.refusal)
    print(f"Upgraded {path} from schema version {schema_version(had)} to {schema_version(migrations.names)}"
          + (f", accepting {len(args.accept)} problem{'s' if len(args.accept) != 1 else ''} its earlier check "
             f"found ('compact-tui audit verify' lists {'them' if len(args.accept) != 1 else 'it'} from now on)."
             if args.accept else "."))
    return 0
