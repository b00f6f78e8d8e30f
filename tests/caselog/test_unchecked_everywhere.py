"""A rule not checked for want of a date is counted and named wherever what is due goes:
``deadlines`` (text and ``--json``), the reminder digest, the calendar file, and every format of
the annual report (issue 19: "What is due and the annual report count unchecked rules").

The case is the issue's: a funding change for Age UK Southend under Southend, notified
2026-03-02 and taking effect 2026-04-13, with no funding period end. Southend 6.3(c) asks that
voluntary and community organisations be informed "about future funding as early as possible,
normally before the end of the current funding period", so without that date it cannot be
checked; the rule is our reading of a code still to be written, so it is marked a reading."""

from __future__ import annotations

import csv
import io
import json
import tomllib
from datetime import date, datetime, timezone

import pytest
from icalendar import Calendar

from compact_tui.cli import main
from compact_tui.due.deadlines import deadlines, unchecked_rules
from compact_tui.due.reminders import digest, to_ics
from compact_tui.report import annual_report, render

from .caselog_helpers import d, new

SOUTHEND = "A Compact for Southend-on-Sea"
#: What 6.3(c) needs, in the words every place uses (the rule's own message, marked a reading).
NEEDS = (f"{SOUTHEND} 6.3(c) not checked: needs the end of the current funding period (--period-end). "
         "(a reading)")
TODAY = date(2026, 3, 2)


@pytest.fixture
def grant(log):
    return log.log(new("funding-change", "southend", "Age UK Southend grant", notified="2026-03-02",
                       effective="2026-04-13"))["id"]


def run(db_path, capsys, *args: str) -> str:
    capsys.readouterr()
    assert main(["--db", str(db_path), *args]) == 0
    return capsys.readouterr().out


def test_deadlines_names_the_rule_and_counts_it(grant, db_path, capsys):
    lines = run(db_path, capsys, "deadlines").splitlines()
    assert [line for line in lines if line.startswith("UNCHECKED")] == [
        f"UNCHECKED ----------  southend    case {grant}: {NEEDS} (Age UK Southend grant)"]
    assert lines[-1] == "1 rule not checked on open cases: give what each needs with 'compact-tui update ID'."


def test_deadlines_json_lists_the_rule_marked_unchecked(grant, db_path, capsys):
    items = json.loads(run(db_path, capsys, "deadlines", "--json"))
    assert [i for i in items if i["unchecked"]] == [{
        "due": None, "what": NEEDS, "compact": "southend", "case_id": grant, "title": "Age UK Southend grant",
        "overdue": False, "ref": "6.3(c)", "confidential": False, "kind": "", "unchecked": True,
        "needs": ["period_end"], "reading": True}]
    assert not any(i["unchecked"] for i in items[:-1])  # the rules not checked come last


def test_the_digest_counts_and_names_it(log, grant):
    items = deadlines(log.store, log.registry, today=TODAY, within_days=14)
    text = digest(items, log.registry, today=TODAY, within_days=14, unchecked=unchecked_rules(log.store, log.registry))
    lines = text.splitlines()
    assert lines[0] == "Compact deadlines on 2026-03-02: 8 overdue, 0 due by 2026-03-16, 1 rule not checked."
    start = lines.index("NOT CHECKED (a date or fact each rule needs is not recorded)")
    assert lines[start + 1:] == [
        f"  -           case {grant}: Age UK Southend grant",
        "              A Compact for Southend-on-Sea 6.3(c) not checked: needs the end",
        "              of the current funding period (--period-end). (a reading)",
        "",
        "compact-tui deadlines lists these; 'compact-tui case ID' shows a case.",
        "'compact-tui update ID' gives a case what a rule needs to be checked."]


def test_a_digest_with_only_a_rule_not_checked_is_sent(log, grant):
    """Nothing due in the look-ahead but a rule that cannot be checked: the mail still goes."""
    text = digest([], log.registry, today=TODAY, within_days=14, unchecked=unchecked_rules(log.store, log.registry))
    assert text.splitlines()[0] == "Compact deadlines on 2026-03-02: 0 overdue, 0 due by 2026-03-16, 1 rule not checked."
    assert digest([], log.registry, today=TODAY, within_days=14) == ""


def test_a_confidential_case_is_named_by_number_in_the_digest_and_calendar(log):
    secret = log.log(new("funding-change", "southend", "Staff restructure", notified="2026-03-02",
                         effective="2026-04-13", confidential=True))["id"]
    unchecked = unchecked_rules(log.store, log.registry)
    assert f"case {secret}: (confidential)" in digest([], log.registry, today=TODAY, within_days=14, unchecked=unchecked)
    ics = to_ics([], log.registry, store=log.store, today=TODAY, unchecked=unchecked)
    assert "Staff restructure" not in ics
    assert "Staff restructure" in to_ics([], log.registry, store=log.store, today=TODAY, unchecked=unchecked,
                                         include_confidential=True)


def events(text: str) -> dict[str, dict]:
    cal = Calendar.from_ical(text)
    return {str(e["UID"]): {"start": e.decoded("DTSTART"), "summary": str(e["SUMMARY"]),
                            "lines": str(e["DESCRIPTION"]).split("\n"), "sequence": int(e["SEQUENCE"]),
                            "categories": [str(c) for c in e["CATEGORIES"].cats], "status": str(e["STATUS"])}
            for e in cal.walk("VEVENT")}


def test_the_calendar_has_an_event_naming_each_rule_not_checked_and_the_case_event_says_so(log, grant):
    items = deadlines(log.store, log.registry, today=TODAY, within_days=60)
    unchecked = unchecked_rules(log.store, log.registry)
    now = datetime(2026, 3, 2, 7, tzinfo=timezone.utc)
    found = events(to_ics(items, log.registry, store=log.store, today=TODAY, within_days=60, now=now,
                          unchecked=unchecked))
    event = found["not-checked@compact-tui"]
    assert (event["start"], event["status"], event["categories"]) == (TODAY, "CONFIRMED", ["Compact", "not checked"])
    assert event["summary"] == "NOT CHECKED: 1 rule on an open case (a date or fact each needs is not recorded)"
    assert event["lines"] == [f"Case {grant}: Age UK Southend grant", f"  {NEEDS}",
                              "Give what each needs with: compact-tui update ID"]
    # the case's own event (the change taking effect) carries the line 'case N' prints for the rule
    own = found[f"case-{grant}-funding-change-takes-effect@compact-tui"]
    assert own["start"] == date(2026, 4, 13)
    assert own["lines"][:4] == [f"Case {grant}: Age UK Southend grant", f"Compact: {SOUTHEND}",
                                "Due: 2026-04-13, funding change takes effect", NEEDS]
    # written again after a change to the case log, the event keeps its UID and its SEQUENCE rises
    log.note(grant, "asked the funder for the period end")
    again = events(to_ics(items, log.registry, store=log.store, today=TODAY, within_days=60, now=now,
                          unchecked=unchecked_rules(log.store, log.registry)))
    assert again["not-checked@compact-tui"]["sequence"] > event["sequence"]
    # once the period end is given, 6.3(c) is checked and the calendar has no such event
    log.update(grant, dates={"period_end": d("2026-03-31")})
    assert unchecked_rules(log.store, log.registry) == []
    assert "not-checked@compact-tui" not in events(to_ics(items, log.registry, store=log.store, today=TODAY,
                                                          within_days=60, now=now))


def test_the_calendar_command_says_one_event_names_the_rule(grant, db_path, capsys, tmp_path):
    out = run(db_path, capsys, "deadlines", "--ics", str(tmp_path / "d.ics"))
    assert out.endswith(" events (one names the rule not checked).\n")
    assert "not-checked@compact-tui" in events((tmp_path / "d.ics").read_text())


# -- the annual report, in each of its four formats -------------------------------------------

ROW = {"ref": "6.3(c)", "needs": "period_end",
       "message": f"{SOUTHEND} 6.3(c) not checked: needs the end of the current funding period (--period-end).",
       "standing": "reading"}


def report(log):
    return annual_report(log.store, log.registry, "southend", 2026)


def test_the_report_in_markdown_counts_and_names_it(log, grant):
    text = render(report(log), "md")
    assert ("Each notice rule of the compact, on each case of the year it applies to: 0 broken (above), 0 met, "
            "0 noted exceptions the text allows, 1 not checked (what each needs is below) and 0 not applying "
            "(a meeting that does not cite the rule's clause).") in text
    assert f"### Rules not checked\n\n- case {grant}, 6.3(c): {ROW['message']} (a reading)\n" in text


def test_the_report_in_csv_counts_and_names_it(log, grant):
    rows = list(csv.reader(io.StringIO(render(report(log), "csv"))))
    assert ["rule_checks", "unchecked", "count", "1"] in rows
    assert [r for r in rows if r[0] == "unchecked"] == [
        ["unchecked", "1", "case_id", str(grant)], ["unchecked", "1", "ref", "6.3(c)"],
        ["unchecked", "1", "needs", "period_end"], ["unchecked", "1", "message", ROW["message"]],
        ["unchecked", "1", "standing", "reading"]]


@pytest.mark.parametrize("fmt, parse", [("json", json.loads), ("toml", tomllib.loads)])
def test_the_report_in_json_and_toml_counts_and_names_it(log, grant, fmt, parse):
    document = parse(render(report(log), fmt))
    assert document["rule_checks"] == {"breach": 0, "warning": 0, "exception": 0, "met": 0, "unchecked": 1,
                                       "not-applicable": 0}
    assert document["unchecked"] == [{"case_id": grant, **ROW}]


def test_the_report_marks_a_finding_from_a_reading_as_case_n_does(log):
    """Readings are marked wherever they are shown: a 6.3(c) warning (the rule is our reading) in
    the report's findings, as 'case N' marks it, and its standing in the formats that carry data;
    a finding under a stated rule (Southampton 4.5) carries no mark."""
    late = log.log(new("funding-change", "southend", "Late", notified="2026-04-01", effective="2026-05-13",
                       period_end="2026-03-31"))["id"]
    text = render(report(log), "md")
    assert (f"- case {late}, 6.3(c) (warning): {SOUTHEND} 6.3(c): Future funding made known before the end of the "
            "current funding period (normally): 1 day late; it was due by 2026-03-31. (a reading)\n") in text
    [finding] = json.loads(render(report(log), "json"))["findings"]
    assert (finding["standing"], finding["severity_standing"]) == ("reading", "stated")
    stated = log.log(new("funding-change", "southampton", "Short", notified="2026-01-31", effective="2026-03-14",
                         in_writing=True))["id"]
    southampton = render(annual_report(log.store, log.registry, "southampton", 2026), "md")
    line = next(x for x in southampton.splitlines() if x.startswith(f"- case {stated}, 4.5 (breach)"))
    assert not line.endswith("(a reading)")


def test_a_compact_with_no_rule_for_the_kind_says_so_in_words(db_path, capsys):
    """Southampton's text sets no annual review: 'log' says so, naming the kind as words."""
    out = run(db_path, capsys, "log", "annual-review", "--compact", "southampton", "--title", "Review", "--on",
              "2026-03-02")
    assert out.splitlines()[1:] == ["  Southampton Compact states no notice rule for an annual review."]
    out = run(db_path, capsys, "log", "funding-change", "--compact", "essex", "--title", "Grant", "--notified",
              "2026-03-02")
    assert out.splitlines()[1:] == ["  Essex Compact states no notice rule for a funding change."]
