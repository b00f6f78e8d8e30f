"""The annual review report for one compact and one year, in Markdown, CSV, JSON and TOML.

:func:`annual_report` gathers the figures as plain data; the ``render_*`` functions only
format them. Confidential cases are left out unless ``include_confidential``.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Callable, Sequence
from typing import Any, TypedDict

from .content.model import CASE_KINDS, Compact
from .content.registry import Registry
from .caselog.store import Store
from .text import csv_cell, markdown, serialised

FORMATS = ("md", "csv", "json", "toml")
#: A row of a list the report carries (a disagreement, a finding, a champion ...): its fields by name.
Row = dict[str, Any]


class Timeline(TypedDict):
    """The case log's head when the report was made (:func:`_timeline`)."""

    events: int
    head: str


class AnnualReport(TypedDict):
    """The figures of one compact's year (:func:`annual_report`), which each format renders."""

    compact: str
    name: str
    year: int
    confidential_included: bool
    cases_by_kind: dict[str, int]
    cases_total: int
    disputes: list[Row]
    findings: list[Row]
    findings_summary: dict[str, int]
    rule_checks: dict[str, int]
    exceptions: list[Row]
    unchecked: list[Row]
    champions: list[Row]
    signatories: list[Row]
    annual_reviews: list[Row]
    measures: list[Row]
    timeline: Timeline


def annual_report(store: Store, registry: Registry, compact_id: str, year: int,
                  include_confidential: bool = False) -> AnnualReport:
    compact = registry.get(compact_id)
    start, end = f"{year:04d}-01-01", f"{year:04d}-12-31"
    in_year = _in_year("cases", include_confidential)
    params = [compact_id, start, end]
    by_kind = {k: 0 for k in CASE_KINDS}
    for r in store.query(f"SELECT kind, count(*) AS n FROM cases WHERE {in_year} GROUP BY kind", params):
        by_kind[r["kind"]] = r["n"]
    proc = compact.procedure if compact else None
    disputes: list[Row] = []
    steps_taken = {r["case_id"]: r["n"] for r in store.query(
        f"SELECT case_id, count(*) AS n FROM events WHERE action = 'advanced' AND case_id IN "
        f"(SELECT id FROM cases WHERE kind = 'dispute' AND {in_year}) GROUP BY case_id", params)}
    for r in store.query(f"SELECT id, title, stage, status, outcome, opened FROM cases WHERE kind = 'dispute' "
                         f"AND {in_year} ORDER BY opened, id", params):
        stage = proc.stage(r["stage"]) if proc and r["stage"] else None
        steps = steps_taken.get(r["id"], 0)
        disputes.append({"id": r["id"], "title": r["title"], "opened": r["opened"],
                         "stage": r["stage"] or "", "stage_title": stage.title if stage else "",
                         "steps_taken": steps, "status": r["status"], "outcome": r["outcome"] or ""})
    findings = [_marked(compact, f) for f in store.query(
        f"SELECT f.case_id, f.rule_id, f.ref, f.severity, f.message, f.due FROM findings f JOIN cases "
        f"ON cases.id = f.case_id WHERE {in_year} ORDER BY f.case_id, f.id", params)]
    champions = store.query(f"SELECT id, title, parties, \"on\" FROM cases WHERE kind = 'champion' AND {in_year} "
                            f"ORDER BY \"on\", id", params)
    signatories = store.query(
        "SELECT o.name, o.side, s.signed_on FROM signatures s JOIN organisations o ON o.id = s.organisation_id "
        "WHERE s.compact = ? AND s.signed_on BETWEEN ? AND ? ORDER BY s.signed_on, o.name", params)
    reviews = store.query(f"SELECT id, title, \"on\" FROM cases WHERE kind = 'annual-review' AND {in_year} "
                          f"ORDER BY \"on\"", params)
    breaches = sum(1 for f in findings if f["severity"] == "breach")
    checks, exceptions, unchecked = _rule_account(store, compact, in_year, params)
    report: AnnualReport = {
        "compact": compact_id,
        "name": compact.info.name if compact else compact_id,
        "year": year,
        "confidential_included": include_confidential,
        "cases_by_kind": by_kind,
        "cases_total": sum(by_kind.values()),
        "disputes": disputes,
        "findings": findings,
        "findings_summary": {"breach": breaches, "warning": len(findings) - breaches},
        "rule_checks": checks,
        "exceptions": exceptions,
        "unchecked": unchecked,
        "champions": champions,
        "signatories": signatories,
        "annual_reviews": reviews,
        "measures": _measures(compact, by_kind, len(signatories), len(champions)),
        "timeline": _timeline(store),
    }
    return report


def _rule_account(store: Store, compact: Compact | None, in_year: str,
                  params: Sequence[object]) -> tuple[dict[str, int], list[Row], list[Row]]:
    """Every rule applied to every case of the year, counted by outcome (``rules.notice.OUTCOMES``),
    with the noted exceptions (each with its reason) and the rules not checked (each with what
    it needs) listed: the year's findings say what was broken, these say what was not looked at."""
    from .caselog.case_log import case_checks
    from .caselog.last_held_once import previous_for
    from .rules.notice import OUTCOMES

    counts = {o: 0 for o in OUTCOMES}
    exceptions: list[Row] = []
    unchecked: list[Row] = []
    kinds = sorted({r.applies_to for r in compact.rules}) if compact else []
    if compact is None or not kinds:
        return counts, exceptions, unchecked
    marks = ", ".join("?" for _ in kinds)
    rows = store.query(f"SELECT * FROM cases WHERE {in_year} AND kind IN ({marks}) ORDER BY id", [*params, *kinds])
    ids = [r["id"] for r in rows]
    cites: dict[int, list[str]] = {}
    stored: dict[int, list[Row]] = {}
    for chunk in (ids[i:i + 500] for i in range(0, len(ids), 500)):
        held = ", ".join("?" for _ in chunk)
        for c in store.query(f"SELECT case_id, ref FROM case_cites WHERE case_id IN ({held})", chunk):
            cites.setdefault(c["case_id"], []).append(c["ref"])
        for f in store.query(f"SELECT case_id, rule_id, ref, severity, message, due FROM findings "
                             f"WHERE case_id IN ({held}) ORDER BY id", chunk):
            stored.setdefault(f.pop("case_id"), []).append(f)
    previous = previous_for(store, compact, rows)  # when each recurring duty was last met, read once
    for row in rows:
        for check in case_checks(store, compact, row, cites.get(row["id"], []), stored.get(row["id"], []), previous):
            counts[check["outcome"]] = counts.get(check["outcome"], 0) + 1
            if check["outcome"] == "exception":
                exceptions.append({"case_id": row["id"], "ref": check["ref"], "reason": check["reason"],
                                   "message": check["message"], "standing": check["standing"]})
            elif check["outcome"] == "unchecked":
                unchecked.append({"case_id": row["id"], "ref": check["ref"], "needs": " ".join(check["needs"]),
                                  "message": check["message"], "standing": check["standing"]})
    return counts, exceptions, unchecked


def _marked(compact: Compact | None, finding: Row) -> Row:
    """A finding with whether its rule and its severity are stated by the text or our reading
    ("unknown" for a rule the installed compact no longer has)."""
    from .rules.notice import with_standing

    full = with_standing(compact, finding)
    finding.pop("rule_id")
    return {**finding, "standing": full["standing"], "severity_standing": full["severity_standing"]}


def _reading(row: Row) -> str:
    """" (a reading)" after a line whose rule or severity is our reading, as ``case N`` marks it."""
    return " (a reading)" if "reading" in (row.get("standing"), row.get("severity_standing")) else ""


def _timeline(store: Store) -> Timeline:
    """The case log's head when the report was made: publishing it lets anyone prove later,
    with ``compact-tui audit verify --head N:HASH``, that nothing before it was rewritten."""
    from .caselog.audit import head

    now = head(store.db)
    return {"events": now.events, "head": str(now)}


def _in_year(table: str, include_confidential: bool) -> str:
    """Cases of one compact whose date (``on``, else ``opened``) falls in the year, less those
    withdrawn."""
    sql = (f'{table}.compact = ? AND coalesce({table}."on", {table}.opened) BETWEEN ? AND ? '
           f"AND {table}.status != 'withdrawn'")  # a case logged by mistake is no case of the year
    return sql if include_confidential else sql + f" AND {table}.confidential = 0"


def _measures(compact: Compact | None, by_kind: dict[str, int], signatories: int, champions: int) -> list[Row]:
    """Success measures a compact states (``kind = "provision"``, theme ``review``, with a
    note starting ``countable:``), counted where the case log can count them."""
    if compact is None:
        return []
    counts = {"signatories": signatories, "champions": champions, **by_kind}
    out: list[Row] = []
    for clause in compact.clauses:
        note = clause.note.strip()
        if not note.lower().startswith("countable:"):
            continue
        # the first word that names something counted: "Countable: number of signatories (...)"
        words = [w.strip(".,;:()'\"").lower() for w in note.split(":", 1)[1].split()]
        key = next((w for w in words if w in counts), "")
        out.append({"ref": clause.ref, "measure": clause.text, "count": counts.get(key), "counted_as": key})
    return out


def write_report(path: str | os.PathLike[str], text: str, confidential: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename):
    owner-only, or for the group in a shared folder (``files.py``); 0600 if ``confidential``."""
    from .files import write_text_whole

    write_text_whole(path, text, confidential)


#: What the JSON and TOML report calls itself, first in the file, and the version of its fields
#: (the README lists them). Version 1 (the releases before) had the same fields without these two.
FORMAT, VERSION = "compact-tui annual report", 2


def render(report: AnnualReport, fmt: str) -> str:
    if fmt in ("json", "toml"):
        document = {"format": FORMAT, "version": VERSION, **report}
        if fmt == "json":
            return serialised(json.dumps(document, indent=2, ensure_ascii=False)) + "\n"
        import tomli_w

        return serialised(tomli_w.dumps(_drop_none(document)))
    if fmt == "csv":
        return render_csv(report)
    return render_markdown(report)


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def render_csv(report: AnnualReport) -> str:
    """One flat table: section, item, field, value, so a spreadsheet can pivot it. Every cell
    goes through :func:`~compact_tui.text.csv_cell` (no formula, no control character)."""
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["section", "item", "field", "value"])
    for kind, n in report["cases_by_kind"].items():
        w.writerow(["cases_by_kind", csv_cell(kind), "count", n])
    for key, n in report.get("rule_checks", {}).items():
        w.writerow(["rule_checks", csv_cell(key), "count", n])
    lists: dict[str, Any] = dict(report)
    for section in ("disputes", "findings", "exceptions", "unchecked", "champions", "signatories",
                    "annual_reviews", "measures"):
        for i, row in enumerate(lists.get(section, []), 1):
            for key, value in row.items():
                w.writerow([section, i, key, csv_cell(value)])
    if "timeline" in report:
        for key, value in report["timeline"].items():
            w.writerow(["timeline", "", key, value])
    return buf.getvalue()


def render_markdown(r: AnnualReport, limit: int | None = None) -> str:
    """The report as Markdown; every stored value goes through :func:`~compact_tui.text.markdown`,
    so a title cannot make a heading, a link or a table cell. With ``limit`` (the app's preview),
    each list shows its first ``limit`` items and says how many more the written report has."""
    def first(items: list[Row], what: str) -> tuple[list[Row], list[str]]:
        if limit is None or len(items) <= limit:
            return items, []
        return items[:limit], [f"*... and {len(items) - limit} more {what}: the report written out lists every one.*"]

    disputes, more_disputes = first(r["disputes"], "disagreements")
    findings, more_findings = first(r["findings"], "findings")
    champions, more_champions = first(r["champions"], "champions")
    signatories, more_signatories = first(r["signatories"], "signatories")
    reviews, more_reviews = first(r["annual_reviews"], "annual reviews")
    lines = [f"# {_md(r['name'])}: annual review {r['year']}", ""]
    lines.append(f"{_n(r['cases_total'], 'case', 'cases')} logged in {r['year']}"
                 + ("" if r["confidential_included"] else " (confidential cases left out)") + ".")
    lines += ["", "## Cases by kind", "", "| kind | cases |", "| --- | ---: |"]
    lines += [f"| {_md(k)} | {n} |" for k, n in r["cases_by_kind"].items()]
    lines += ["", "## Disagreements", ""]
    if disputes:
        lines += ["| case | title | opened | reached | outcome |", "| ---: | --- | --- | --- | --- |"]
        lines += [f"| {d['id']} | {_md(d['title'])} | {_md(d['opened'])} | {_md(d['stage_title'] or d['stage'] or '-')} "
                  f"({_n(d['steps_taken'], 'step', 'steps')}) | {_md(d['outcome'] or 'open')} |" for d in disputes]
        lines += ["", *more_disputes] if more_disputes else []
    else:
        lines.append("None raised.")
    s = r["findings_summary"]
    lines += ["", "## Rule findings", "", f"{_n(s['breach'], 'breach', 'breaches')}, {_n(s['warning'], 'warning', 'warnings')}.", ""]
    lines += [f"- case {f['case_id']}, {_md(f['ref'])} ({_md(f['severity'])}): {_md(f['message'])}{_reading(f)}"
              for f in findings]
    lines += ["", *more_findings] if more_findings else []
    lines += _rules_applied(r, first) if "rule_checks" in r else []
    lines += ["", "## Compact Champions", ""]
    lines += [f"- {_md(c['on'] or '')} {_md(c['title'])} ({_md(c['parties'])})" for c in champions] or ["None recorded."]
    lines += ["", *more_champions] if more_champions else []
    lines += ["", "## Signatories", ""]
    lines += [f"- {_md(s['signed_on'])} {_md(s['name'])} ({_md(s['side'])})" for s in signatories] or ["None recorded."]
    lines += ["", *more_signatories] if more_signatories else []
    lines += ["", "## Annual reviews held", ""]
    lines += [f"- {_md(a['on'])} {_md(a['title'])}" for a in reviews] or ["None recorded."]
    lines += ["", *more_reviews] if more_reviews else []
    if r["measures"]:
        lines += ["", "## Success measures", ""]
        for m in r["measures"]:
            count = "not countable from the case log" if m["count"] is None else m["count"]
            lines.append(f"- {_md(m['ref'])} {_md(m['measure'])}: {count}")
    if "timeline" in r:
        t = r["timeline"]
        lines += ["", "## The case log's timeline", "",
                  f"{_n(t['events'], 'event', 'events')} when this report was made; head {t['head']}. "
                  f"Running compact-tui audit verify --head {t['head']} later proves that none of them "
                  f"was changed."]
    return "\n".join(lines) + "\n"


def _rules_applied(r: AnnualReport, first: Callable[[list[Row], str], tuple[list[Row], list[str]]]) -> list[str]:
    """The report's 'Every rule applied': each notice rule on each case of the year, counted by
    outcome, with the noted exceptions and the rules not checked listed."""
    lines: list[str] = []
    c = r["rule_checks"]
    lines += ["", "## Every rule applied", "",
              f"Each notice rule of the compact, on each case of the year it applies to: "
              f"{_n(c['breach'] + c['warning'], 'broken', 'broken')} (above), {c['met']} met, "
              f"{_n(c['exception'], 'noted exception', 'noted exceptions')} the text allows, "
              f"{c['unchecked']} not checked (what each needs is below) and {c['not-applicable']} not "
              f"applying (a meeting that does not cite the rule's clause)."]
    exceptions, more_exceptions = first(r["exceptions"], "noted exceptions")
    if exceptions:
        lines += ["", "### Noted exceptions", ""]
        lines += [f"- case {e['case_id']}, {_md(e['ref'])}: {_md(e['message'])}{_reading(e)}" for e in exceptions]
        lines += ["", *more_exceptions] if more_exceptions else []
    unchecked, more_unchecked = first(r["unchecked"], "rules not checked")
    if unchecked:
        lines += ["", "### Rules not checked", ""]
        lines += [f"- case {u['case_id']}, {_md(u['ref'])}: {_md(u['message'])}{_reading(u)}" for u in unchecked]
        lines += ["", *more_unchecked] if more_unchecked else []
    return lines


def _n(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _md(text: object) -> str:
    return markdown(text or "")
