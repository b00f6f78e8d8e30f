"""``import`` and ``export``: cases in from a spreadsheet, and out with their timelines."""

from __future__ import annotations

import argparse
import sys

from ..text import one_line
from .output import open_caselog, print_json


def add_parser(sub, name: str, help_text: str) -> None:
    if name == "import":
        p = sub.add_parser(name, help=help_text, formatter_class=argparse.RawDescriptionHelpFormatter,
                           description="Import the cases of a CSV file (or of a JSON export), each checked exactly "
                                       "as 'log' checks it: all of them, or, if any row has a problem, none (every "
                                       "bad row is listed by its number; the header is row 1). A row that looks "
                                       "wrong (the same case twice, a case already in the case log, a date that "
                                       "cannot be right) is warned about. Each case's first event says it was "
                                       "imported, from which file and row.",
                           epilog="Columns (first row; case and spacing ignored): title, kind, compact, opened, "
                                  "start, end, notified,\neffective, period_end, on, parties (separated by ;), "
                                  "cites (clause references), reason, note,\nconfidential and in_writing (yes/no), "
                                  "owner, status (open/closed/withdrawn), outcome, closed_on,\nwithdrawn_on, "
                                  "withdrawn_reason, stage and stage_since (disputes), attachments. An export's\n"
                                  "worked-out columns (id, due, due_what, findings, timeline) are read past.\n"
                                  "Dates: YYYY-MM-DD or DD/MM/YYYY (day first, as England writes it); 31/12/26 only "
                                  "with --short-years.")
        p.add_argument("file", metavar="FILE", help="a CSV file, or a JSON file written by 'export --format json'")
        p.add_argument("--compact", metavar="ID", help="the compact for rows with no compact column (or an empty one)")
        p.add_argument("--dry-run", action="store_true", help="check every row and say what would happen; write nothing")
        p.add_argument("--strict", action="store_true",
                       help="treat each warning (a duplicate, a date that cannot be right) as a problem: "
                            "import nothing")
        p.add_argument("--short-years", action="store_true",
                       help="read a two-figure year (31/12/26, as a sheet saved with UK settings writes it) as "
                            "this century (2026)")
        p.add_argument("--json", action="store_true", help="print JSON: rows, ids, findings, warnings, errors")
        p.set_defaults(run=run_import)
    elif name == "export":
        p = sub.add_parser(name, help=help_text,
                           description="Write every case with its parties, cited clauses, findings, attachments' "
                                       "names and timeline; 'import' reads the file back as the same cases. "
                                       "Confidential cases are included (the file is made readable by you only).")
        p.add_argument("--format", choices=("csv", "json"), default="csv")
        p.add_argument("--compact", metavar="ID", help="only this compact's cases")
        p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of the screen")
        p.set_defaults(run=run_export)


def run_import(args: argparse.Namespace) -> int:
    from ..caselog.transfer import SHOWN_WARNINGS, import_file

    log = open_caselog(args)
    result = import_file(log, args.file, args.compact, dry_run=args.dry_run, strict=args.strict,
                         short_years=args.short_years)
    if args.json:
        print_json({"rows": result.rows, "imported": result.written, "ids": result.ids,
                    "findings": result.findings, "warnings": result.warnings, "errors": result.errors})
        return 1 if result.errors else 0
    name = one_line(args.file)
    if result.errors:
        count = len(result.errors)
        print(f"compact-tui: {name}: {count} of {result.rows} rows {'has a problem' if count == 1 else 'have problems'}; "
              f"nothing was imported:", file=sys.stderr)
        for error in result.errors:
            print(f"  {one_line(error)}", file=sys.stderr)
        return 1
    if result.warnings:
        count = len(result.warnings)
        print(f"compact-tui: {name}: {count} warning{'s' if count != 1 else ''} (--strict refuses the file "
              f"instead):", file=sys.stderr)
        for warning in result.warnings[:SHOWN_WARNINGS]:
            print(f"  {one_line(warning)}", file=sys.stderr)
        if count > SHOWN_WARNINGS:
            print(f"  ... and {count - SHOWN_WARNINGS} more ('--json' lists them all).", file=sys.stderr)
    cases = f"{result.rows:,} case{'s' if result.rows != 1 else ''}"
    findings = f"{result.findings:,} finding{'s' if result.findings != 1 else ''}"
    if args.dry_run:
        print(f"{name}: all {cases} can be imported ({findings}). Nothing was written (--dry-run).")
    elif result.ids:
        print(f"Imported {cases} from {name} (case {result.ids[0]} to {result.ids[-1]}), {findings}.")
    else:
        print(f"{name} has no rows to import.")
    return 0


def run_export(args: argparse.Namespace) -> int:
    from ..caselog.case_export import export_cases

    log = open_caselog(args)
    text = export_cases(log, args.format, args.compact)
    if args.output:
        from ..files import write_text_whole

        write_text_whole(args.output, text, True)
        print(f"Wrote {one_line(args.output)}.", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
