"""When a recurring duty was last met, read once for all of a year's cases (the annual report's
``last_held_once.previous_for``), answers what ``case_reads.last_held`` answers case by case: on
meetings citing the clause and not citing it, across the turn of the year, on the same day, with
withdrawn meetings, and with dates written behind the app's back as bytes and as no real day."""

from __future__ import annotations

import sqlite3
from datetime import date

from compact_tui.caselog.case_reads import last_held
from compact_tui.caselog.last_held_once import previous_for
from compact_tui.errors import UserError
from compact_tui.report import annual_report, render

from .caselog_helpers import new

REPORT, PANEL = "MS.complaints.p2", "MS.panel.p2"  # Essex's two recurring duties, for meetings citing them


def essex_log(log) -> dict[str, int]:
    """Essex meetings and annual reviews either side of 2025, by a name for each."""
    made = {}
    for name, kind, on, cites in [
        ("report 2023", "meeting", "2023-03-01", [REPORT]),
        ("report 2024", "meeting", "2024-12-31", [REPORT]),
        ("panel 2024", "meeting", "2024-11-30", [PANEL]),
        ("uncited new year", "meeting", "2025-01-01", []),
        ("report new year", "meeting", "2025-01-01", [REPORT, PANEL]),
        ("report same day", "meeting", "2025-01-01", [REPORT]),
        ("report withdrawn", "meeting", "2025-06-30", [REPORT]),
        ("uncited summer", "meeting", "2025-07-15", []),
        ("report late", "meeting", "2025-12-31", [REPORT]),
        ("report 2026", "meeting", "2026-01-01", [REPORT, PANEL]),
        ("review 2024", "annual-review", "2024-06-01", []),
        ("review 2025", "annual-review", "2025-07-01", []),
        ("review withdrawn", "annual-review", "2025-09-01", []),
    ]:
        made[name] = log.log(new(kind, "essex", name, on=on, cites=cites))["id"]
    log.withdraw(made["report withdrawn"], "logged twice")
    log.withdraw(made["review withdrawn"], "logged by mistake")
    return made


def answer(ask):
    try:
        return ask()
    except UserError as e:
        return f"refused: {e}"


def every_answer(store, compact, rows, previous) -> dict[tuple[str, int], object]:
    """Each recurring rule asked about each row of its kind, through ``previous``."""
    return {(rule.id, row["id"]): answer(lambda: previous(rule, row))
            for rule in compact.rules if rule.type == "recurring"
            for row in rows if row["kind"] == rule.applies_to}


def case_by_case(store, compact):
    def previous(rule, case):
        return last_held(store, compact.id, rule, before=case.get("on") or case.get("opened"), exclude=case["id"])
    return previous


def cases(store, where: str = "1") -> list[dict]:
    return store.query(f"SELECT * FROM cases WHERE compact = 'essex' AND {where} ORDER BY id")


def test_read_once_answers_as_case_by_case_for_the_year_and_for_every_case(log, store, registry):
    made = essex_log(log)
    essex = registry.get("essex")
    for rows in (cases(store, "coalesce(\"on\", opened) BETWEEN '2025-01-01' AND '2025-12-31' "
                              "AND status != 'withdrawn'"), cases(store)):
        once = every_answer(store, essex, rows, previous_for(store, essex, rows))
        assert once == every_answer(store, essex, rows, case_by_case(store, essex))
    # and what they both say, written out: not vacuous agreement
    by = {name: once[(rule, made[name])] for rule, name in [
        ("mediation-report-to-forum", "report new year"), ("mediation-report-to-forum", "report same day"),
        ("mediation-report-to-forum", "report late"), ("mediation-report-to-forum", "report 2026"),
        ("mediation-report-to-forum", "report 2023"), ("annual-review", "review 2025")]}
    assert by == {"report new year": date(2024, 12, 31),   # not the uncited meeting the same day
                  "report same day": date(2024, 12, 31),   # a meeting the same day is not before it
                  "report late": date(2025, 1, 1),         # the withdrawn one in June does not count
                  "report 2026": date(2025, 12, 31),
                  "report 2023": None,
                  "review 2025": date(2024, 6, 1)}
    assert once[("panel-chair-elected-annually", made["report 2026"])] == date(2025, 1, 1)


def test_the_case_asking_is_never_its_own_last_meeting(log, store, registry):
    # two reports, and a third asked about as though it were dated after both (a case moving
    # from its date): the last before it is the other one, whichever is excluded
    log.log(new("meeting", "essex", "first", on="2025-01-01", cites=[REPORT]))
    second = log.log(new("meeting", "essex", "second", on="2025-03-01", cites=[REPORT]))["id"]
    log.log(new("meeting", "essex", "third", on="2025-05-01", cites=[REPORT]))
    essex = registry.get("essex")
    rule = next(r for r in essex.rules if r.id == "mediation-report-to-forum")
    rows = cases(store)
    previous = previous_for(store, essex, rows)
    for asking in ({"id": second, "on": "2025-03-02", "kind": "meeting"},
                   {"id": second, "on": "2025-05-01", "kind": "meeting"},
                   {"id": rows[2]["id"], "on": "2025-05-02", "kind": "meeting"},
                   {"id": None, "on": "2026-01-01", "kind": "meeting"},  # beyond what it read: asked of last_held
                   {"id": second, "on": None, "opened": "2024-01-01", "kind": "meeting"}):
        assert previous(rule, asking) == case_by_case(store, essex)(rule, asking), asking
    assert previous(rule, {"id": second, "on": "2025-03-02", "kind": "meeting"}) == date(2025, 1, 1)
    assert previous(rule, {"id": rows[2]["id"], "on": "2025-05-02", "kind": "meeting"}) == date(2025, 3, 1)


def test_leaving_out_the_case_asking_reaches_below_the_earliest_date_asked_about(log, store, registry):
    # read for the cases from 1 March on; asked, at 1 March, leaving out the report of 1 January:
    # the answer is the one before that, in 2024
    log.log(new("meeting", "essex", "2024", on="2024-06-01", cites=[REPORT]))
    first = log.log(new("meeting", "essex", "first", on="2025-01-01", cites=[REPORT]))["id"]
    log.log(new("meeting", "essex", "second", on="2025-03-01", cites=[REPORT]))
    essex = registry.get("essex")
    rule = next(r for r in essex.rules if r.id == "mediation-report-to-forum")
    previous = previous_for(store, essex, cases(store, "\"on\" >= '2025-03-01'"))
    asking = {"id": first, "on": "2025-03-01", "kind": "meeting"}
    assert previous(rule, asking) == case_by_case(store, essex)(rule, asking) == date(2024, 6, 1)


def test_dates_written_behind_the_apps_back_are_answered_as_last_held_answers_them(log, store, registry, db_path):
    made = essex_log(log)
    with sqlite3.connect(db_path) as raw:  # bytes (SQLite orders them after any text) and no real day
        raw.execute('UPDATE cases SET "on" = ? WHERE id = ?', [b"2024-12-31", made["report 2024"]])
        raw.execute('UPDATE cases SET "on" = ? WHERE id = ?', ["2025-02-30", made["report same day"]])
    essex = registry.get("essex")
    for rows in (cases(store, "coalesce(\"on\", opened) BETWEEN '2025-01-01' AND '2025-12-31'"), cases(store)):
        once = every_answer(store, essex, rows, previous_for(store, essex, rows))
        assert once == every_answer(store, essex, rows, case_by_case(store, essex))
    assert once[("mediation-report-to-forum", made["report new year"])] == date(2023, 3, 1)
    assert once[("mediation-report-to-forum", made["report late"])] == (
        "refused: a previous case's date '2025-02-30' is not a date; correct it with 'compact-tui update'.")


def test_the_report_reads_the_same_as_asked_case_by_case(log, store, registry, monkeypatch):
    essex_log(log)
    once = render(annual_report(store, registry, "essex", 2025, include_confidential=True), "json")
    import compact_tui.caselog.last_held_once as last_held_once

    monkeypatch.setattr(last_held_once, "previous_for", lambda store, compact, rows: case_by_case(store, compact))
    report = annual_report(store, registry, "essex", 2025, include_confidential=True)
    assert render(report, "json") == once
    assert report["rule_checks"] == {"breach": 1, "warning": 0, "met": 4, "exception": 0, "unchecked": 0,
                                     "not-applicable": 6}
