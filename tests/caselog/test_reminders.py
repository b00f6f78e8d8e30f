"""Reminders that reach the officer: ``deadlines --ics`` (read back with ``icalendar``),
``--check`` for cron and monitoring, and ``--digest`` for a cron mail."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from compact_tui.cli import main
from compact_tui.due.deadlines import deadlines
from compact_tui.due.reminders import digest, to_ics

from .caselog_helpers import d, new

TODAY = d("2026-03-02")

#: The eight recurring duties of the five compacts (clauses by hand from the seed texts).
DUTIES = [("southend", "10.4"), ("havering", "5.4.2"), ("havering", "5.3.p3"), ("havering", "5.4.2.b1"),
          ("essex", "7.b2"), ("essex", "MS.complaints.p2"), ("essex", "MS.panel.p2"), ("high_peak", "7.2.b6")]


def events(text: str) -> dict[str, dict]:
    """The calendar's events by UID: start date, summary, description and sequence."""
    cal = Calendar.from_ical(text)
    out = {}
    for e in cal.walk("VEVENT"):
        out[str(e["UID"])] = {"start": e.decoded("DTSTART"), "end": e.decoded("DTEND"), "summary": str(e["SUMMARY"]),
                              "description": str(e["DESCRIPTION"]), "sequence": int(e["SEQUENCE"])}
    return out


@pytest.fixture
def cases(log):
    """Southampton: a grant ending 2026-05-15 with no notice yet (4.5: three months' notice, so
    notice is due by 2026-02-15, overdue on 2 March); a consultation closing 2026-03-10; a
    confidential one closing 2026-03-12; an Essex dispute waiting at its first step."""
    grant = log.log(new("funding-change", "southampton", "Youth grant ends", effective="2026-05-15"))
    libraries = log.log(new("consultation", "southampton", "Library hours", start="2025-12-01", end="2026-03-10",
                            reason="budget timetable"))
    secret = log.log(new("consultation", "southampton", "Staff restructure", start="2025-12-01", end="2026-03-12",
                         reason="budget timetable", confidential=True))
    dispute = log.log(new("dispute", "essex", "Cut without notice", opened="2026-02-01"))
    return {"grant": grant["id"], "libraries": libraries["id"], "secret": secret["id"], "dispute": dispute["id"]}


def test_the_calendar_has_one_event_per_due_or_overdue_item(log, store, registry, cases):
    items = deadlines(store, registry, today=TODAY, within_days=14)
    found = events(to_ics(items, registry, store=store, today=TODAY, within_days=14, now=datetime(2026, 3, 2, 7, tzinfo=timezone.utc)))
    expected = {
        f"case-{cases['grant']}-notice-due-4-5@compact-tui": date(2026, 2, 15),
        f"case-{cases['libraries']}-consultation-closes@compact-tui": date(2026, 3, 10),
        f"case-{cases['secret']}-consultation-closes@compact-tui": date(2026, 3, 12),
        **{f"duty-{c.replace('_', '-')}-{ref.lower().replace('.', '-')}@compact-tui": TODAY for c, ref in DUTIES},
    }
    assert {uid: e["start"] for uid, e in found.items()} == expected  # the waiting dispute is not due
    assert all(e["end"] == e["start"] + timedelta(days=1) for e in found.values())
    grant = found[f"case-{cases['grant']}-notice-due-4-5@compact-tui"]
    assert grant["summary"] == f"OVERDUE: notice due (4.5) - case {cases['grant']}: Youth grant ends"
    # Southampton 4.5, as the compact gives it, and the last date that complies
    assert "Clause 4.5: \"Give at least three months notice in writing" in grant["description"]
    assert "Due: 2026-02-15, notice due (4.5)" in grant["description"]
    secret = found[f"case-{cases['secret']}-consultation-closes@compact-tui"]
    assert secret["summary"] == f"consultation closes - case {cases['secret']}: (confidential)"
    assert "Staff restructure" not in secret["description"]
    review = found["duty-southend-10-4@compact-tui"]
    assert review["summary"] == ("OVERDUE: Annual meeting to review the operation of the Compact (10.4): "
                                 "none recorded yet - A Compact for Southend-on-Sea")


def test_exporting_again_keeps_each_uid_and_raises_the_sequence(log, store, registry, cases):
    first = events(to_ics(deadlines(store, registry, today=TODAY, within_days=14), registry, store=store, today=TODAY, within_days=14,
                          now=datetime(2026, 3, 2, 7, tzinfo=timezone.utc)))
    log.update(cases["libraries"], dates={"end": d("2026-03-13")})
    second = events(to_ics(deadlines(store, registry, today=TODAY, within_days=14), registry, store=store, today=TODAY, within_days=14,
                           now=datetime(2026, 3, 3, 7, tzinfo=timezone.utc)))
    assert set(first) == set(second)
    uid = f"case-{cases['libraries']}-consultation-closes@compact-tui"
    assert (first[uid]["start"], second[uid]["start"]) == (date(2026, 3, 10), date(2026, 3, 13))
    assert second[uid]["sequence"] > first[uid]["sequence"]  # from the case's events: see test_calendar_reads_right


def test_names_of_confidential_cases_only_when_asked(log, store, registry, cases):
    items = deadlines(store, registry, today=TODAY, within_days=14)
    assert "Staff restructure" in to_ics(items, registry, store=store, today=TODAY, include_confidential=True)
    assert "Staff restructure" in digest(items, registry, today=TODAY, within_days=14, include_confidential=True)
    assert "Staff restructure" not in digest(items, registry, today=TODAY, within_days=14)


def test_the_digest_lists_overdue_then_due_then_waiting(log, store, registry, cases):
    items = deadlines(store, registry, today=TODAY, within_days=14)
    text = digest(items, registry, today=TODAY, within_days=14)
    lines = text.splitlines()
    assert lines[0] == "Compact deadlines on 2026-03-02: 9 overdue, 2 due by 2026-03-16, 1 dispute waiting."
    assert lines[2:5] == [
        "OVERDUE",
        f"  2026-02-15  case {cases['grant']}: Youth grant ends",
        "              notice due (4.5) (Southampton Compact)",
    ]
    due = lines.index("DUE BY 2026-03-16")
    assert lines[due + 1:due + 5] == [
        f"  2026-03-10  case {cases['libraries']}: Library hours",
        "              consultation closes (Southampton Compact)",
        f"  2026-03-12  case {cases['secret']}: (confidential)",
        "              consultation closes (Southampton Compact)",
    ]
    waiting = lines.index("WAITING (no time limit stated)")
    assert lines[waiting + 1] == f"  no date     case {cases['dispute']}: Cut without notice"
    assert in_order(lines, "OVERDUE", "DUE BY 2026-03-16", "WAITING (no time limit stated)")


def in_order(lines, *headings) -> bool:
    return [lines.index(h) for h in headings] == sorted(lines.index(h) for h in headings)


def test_the_digest_is_empty_when_nothing_is_due(log, store, registry):
    for compact, ref in DUTIES:
        kind = "annual-review" if ref in ("10.4", "5.4.2.b1", "7.b2", "7.2.b6") else "meeting"
        log.log(new(kind, compact, "held", on="2026-02-20", cites=[ref] if kind == "meeting" else []))
    items = deadlines(store, registry, today=TODAY, within_days=14)
    assert [i for i in items if i.overdue or i.due] == []
    assert digest(items, registry, today=TODAY, within_days=14) == ""


# -- the command line, on today's date ------------------------------------------------------------

def cli(db, *args) -> int:
    return main(["--db", str(db), *args])


def test_check_exits_1_when_anything_is_overdue_and_0_when_nothing_is(db_path, tmp_path, capsys):
    assert cli(db_path, "log", "consultation", "--compact", "southampton", "--title", "Libraries",
               "--start=-80d", "--end=+10d", "--reason", "budget", "--json") == 0
    for compact, ref in DUTIES:
        kind = "annual-review" if ref in ("10.4", "5.4.2.b1", "7.b2", "7.2.b6") else "meeting"
        cite = ["--cite", ref] if kind == "meeting" else []
        assert cli(db_path, "log", kind, "--compact", compact, "--title", "held", "--on=-10d", *cite, "--json") == 0
    capsys.readouterr()
    assert cli(db_path, "deadlines", "--within", "14d", "--check") == 0
    assert "consultation closes" in capsys.readouterr().out
    assert cli(db_path, "deadlines", "--within", "14d", "--digest") == 0
    assert capsys.readouterr().out.startswith(f"Compact deadlines on {date.today().isoformat()}: 0 overdue, 1 due")

    assert cli(db_path, "log", "consultation", "--compact", "essex", "--title", "Closed yesterday",
               "--start=-30d", "--end=-1d", "--json") == 0
    capsys.readouterr()
    assert cli(db_path, "deadlines", "--within", "14d", "--check") == 1
    assert cli(db_path, "deadlines", "--within", "14d", "--check", "--ics", str(tmp_path / "d.ics")) == 1
    out = capsys.readouterr().out
    # the two due, the eight duties just met, sent with next year's date (a calendar may hold them
    # overdue), and one naming the rule not checked: Southampton 2.4 on 'Libraries', whose writing
    # is not recorded
    assert out.endswith("Wrote " + str(tmp_path / "d.ics") + ": 11 events (one names the rule not checked).\n")
    yesterday = date.today() - timedelta(days=1)
    found = events((tmp_path / "d.ics").read_text())
    assert sorted(e["start"] for uid, e in found.items() if uid.startswith("case-")) == [
        yesterday, date.today() + timedelta(days=10)]
    assert all(e["start"] > date.today() + timedelta(days=14) for uid, e in found.items() if uid.startswith("duty-"))


@pytest.mark.parametrize("within, days", [("14", 14), ("14d", 14), ("2w", 14), ("0", 0)])
def test_within_takes_days_or_weeks(db_path, capsys, within, days):
    assert cli(db_path, "log", "consultation", "--compact", "essex", "--title", "Closes in 14 days",
               "--start=-30d", "--end=+14d", "--json") == 0
    capsys.readouterr()
    cli(db_path, "deadlines", "--within", within, "--json")
    import json

    listed = [i["title"] for i in json.loads(capsys.readouterr().out) if i["case_id"]]
    assert listed == (["Closes in 14 days"] if days >= 14 else [])


@pytest.mark.parametrize("within", ["2x", "-3d", "", "fortnight"])
def test_within_refuses_what_is_not_a_period(db_path, capsys, within):
    assert cli(db_path, "deadlines", f"--within={within}") == 1
    assert capsys.readouterr().err == (f"compact-tui: --within '{within}' is not a period: use days (14 or 14d), "
                                       "weeks (2w) or months (1m).\n")
