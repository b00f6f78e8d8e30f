"""The calendar file read as another program reads it (``vobject``, a parser of its own, not the
``icalendar`` that writes it), each case's event checked against what ``case N`` says: the date
named for what it is, every finding with its severity, clause and compliant date; a case no
longer due sent cancelled; SEQUENCE worked out from the case's events (issue 24, items 1-3)."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import vobject

from compact_tui.cli import main
from compact_tui.due.deadlines import deadlines
from compact_tui.due.reminders import KEEP_DAYS, to_ics

from .caselog_helpers import d, new

NOW = datetime(2026, 12, 6, 7, tzinfo=timezone.utc)


def read(text: str) -> dict[str, dict]:
    """Each VEVENT by UID, as vobject reads it."""
    cal = vobject.readOne(text)
    out = {}
    for event in cal.vevent_list:
        out[event.uid.value] = {
            "start": event.dtstart.value, "end": event.dtend.value, "summary": event.summary.value,
            "lines": event.description.value.split("\n"), "sequence": int(event.sequence.value),
            "status": event.status.value,
        }
    return out


def calendar(log, today: date, within: int = 60, now: datetime = NOW) -> dict[str, dict]:
    items = deadlines(log.store, log.registry, today=today, within_days=within)
    return read(to_ics(items, log.registry, store=log.store, today=today, within_days=within, now=now))


def case_says(db_path, capsys, case_id: int) -> list[str]:
    """``case N`` as the officer reads it, each line stripped of its indent."""
    capsys.readouterr()
    assert main(["--db", str(db_path), "case", str(case_id)]) == 0
    return [line.strip() for line in capsys.readouterr().out.splitlines()]


def test_a_breach_is_in_the_calendar_as_case_n_says_it(log, db_path, capsys):
    """The issue's case: Southampton, notified 2026-12-01, taking effect 2027-02-01. ``case 1``
    says BREACH, compliant date 2027-03-01; the event sits on 2027-02-01 named for what happens
    then, and carries the breach with its clause and compliant date."""
    case = log.log(new("funding-change", "southampton", "Youth grant ends", notified="2026-12-01",
                       effective="2027-02-01"))
    said = case_says(db_path, capsys, case["id"])
    assert said[4] == "Due: 2027-02-01, funding change takes effect"
    breach = next(line for line in said if line.startswith("BREACH"))
    assert breach == ("BREACH: Southampton Compact 4.5: 8 weeks 6 days given, 3 months owed (the text allows an "
                      "exception: 'apart from in exceptional circumstances'; record the circumstances as the reason); "
                      "compliant date 2027-03-01.")
    event = calendar(log, today=d("2026-12-06"))[f"case-{case['id']}-funding-change-takes-effect@compact-tui"]
    assert (event["start"], event["end"]) == (date(2027, 2, 1), date(2027, 2, 2))
    assert event["summary"] == f"BREACH 4.5: funding change takes effect - case {case['id']}: Youth grant ends"
    assert event["lines"][:4] == [f"Case {case['id']}: Youth grant ends", "Compact: Southampton Compact",
                                  "Due: 2027-02-01, funding change takes effect", breach]
    assert not any("Compliant date" in line for line in event["lines"])


def test_every_cases_event_says_what_its_case_says(log, db_path, capsys):
    """Cases of each shape that is due (a consultation with a warning, one without, a notice not
    yet given, a change notified late and not in writing: two breaches): for each, the event is
    on the case's due date, and its Due line and every finding line are ``case N``'s, word for
    word. (No installed compact gives a dispute step a time limit, so none is due.)"""
    made = [
        log.log(new("consultation", "southampton", "Library hours", start="2026-11-23", end="2026-12-21",
                    cites=["2.4"])),
        log.log(new("funding-change", "southampton", "Grant ends", effective="2027-01-31")),
        log.log(new("consultation", "essex", "Bus routes", start="2026-10-01", end="2026-12-20")),
        log.log(new("funding-change", "southampton", "Late notice", notified="2026-12-01", effective="2027-01-15",
                    in_writing=False)),
    ]
    found = calendar(log, today=d("2026-12-06"))
    checked = 0
    for case in made:
        full = log.get(case["id"])
        if not full["due"]:
            continue
        [(uid, event)] = [(u, e) for u, e in found.items() if u.startswith(f"case-{case['id']}-")]
        said = case_says(db_path, capsys, case["id"])
        assert event["start"] == d(full["due"])
        due_line = next(line for line in said if line.startswith("Due: "))
        findings = [line for line in said if line.startswith(("BREACH", "WARNING"))]
        assert len(findings) == len(full["findings"])
        assert event["lines"][2:3 + len(findings)] == [due_line, *findings]
        checked += len(findings)
    assert checked == 3


def test_a_case_no_longer_due_is_sent_cancelled_for_as_long_as_a_calendar_may_hold_it(log):
    kept = log.log(new("consultation", "essex", "Kept", start="2026-11-01", end="2026-12-15"))
    closed = log.log(new("consultation", "essex", "Closed early", start="2026-11-01", end="2026-12-16"))
    gone = log.log(new("consultation", "essex", "Logged twice", start="2026-11-01", end="2026-12-17"))
    before = calendar(log, today=d("2026-12-06"))
    uid = f"case-{closed['id']}-consultation-closes@compact-tui"
    withdrawn_uid = f"case-{gone['id']}-consultation-closes@compact-tui"
    assert before[uid]["status"] == before[withdrawn_uid]["status"] == "CONFIRMED"
    log.close(closed["id"], on=d("2026-12-07"), outcome="Done")
    log.withdraw(gone["id"], "logged twice", on=d("2026-12-07"))
    after = calendar(log, today=d("2026-12-08"))
    assert (after[uid]["status"], after[uid]["start"]) == ("CANCELLED", date(2026, 12, 16))
    assert after[uid]["summary"] == f"CANCELLED: consultation closes - case {closed['id']}: Closed early"
    assert after[uid]["lines"][1] == "No longer due: the case was closed on 2026-12-07."
    assert after[withdrawn_uid]["lines"][1] == "No longer due: the case was withdrawn on 2026-12-07."
    assert after[uid]["sequence"] > before[uid]["sequence"]
    assert after[f"case-{kept['id']}-consultation-closes@compact-tui"]["status"] == "CONFIRMED"
    # still sent on the last day a calendar may hold it; gone the day after
    events_at = log.store.one("SELECT at FROM events WHERE case_id = ? AND action = 'closed'", [closed["id"]])["at"]
    changed = date.fromisoformat(events_at[:10])
    assert uid in calendar(log, today=changed + timedelta(days=KEEP_DAYS))
    assert uid not in calendar(log, today=changed + timedelta(days=KEEP_DAYS + 1))


def test_what_is_due_changing_cancels_the_old_event_and_adds_the_new(log):
    """Notice not yet given: the event is 'notice due (4.5)'; once notice is recorded, the case
    waits on the change taking effect, a different event; the old one is cancelled."""
    case = log.log(new("funding-change", "southampton", "Grant ends", effective="2027-03-31"))
    first = calendar(log, today=d("2026-12-06"))
    notice = f"case-{case['id']}-notice-due-4-5@compact-tui"
    assert first[notice]["start"] == date(2026, 12, 31)
    log.update(case["id"], dates={"notified": d("2026-12-06")})
    second = calendar(log, today=d("2026-12-06"), within=120)
    assert second[notice]["status"] == "CANCELLED"
    assert second[notice]["lines"][1] == ("No longer due: the case now waits on this instead: funding change "
                                          "takes effect, 2027-03-31.")
    assert second[f"case-{case['id']}-funding-change-takes-effect@compact-tui"]["start"] == date(2027, 3, 31)


def test_sequence_comes_from_the_case_log_not_the_clock(log):
    """Two files from the same case log, written a minute or a day apart, carry the same
    SEQUENCE; a moved date raises it, even within the same minute."""
    case = log.log(new("consultation", "essex", "Bus routes", start="2026-11-01", end="2026-12-20"))
    uid = f"case-{case['id']}-consultation-closes@compact-tui"
    today = d("2026-12-06")
    a = calendar(log, today, now=NOW)[uid]
    b = calendar(log, today, now=NOW + timedelta(days=1))[uid]
    assert a["sequence"] == b["sequence"]
    log.update(case["id"], dates={"end": d("2026-12-22")})
    c = calendar(log, today, now=NOW)[uid]
    assert (c["start"], c["sequence"] > a["sequence"]) == (date(2026, 12, 22), True)
    # overdue: the summary changes, so the sequence rises with it, once
    late = calendar(log, d("2026-12-23"))[uid]
    assert late["summary"].startswith("OVERDUE") and late["sequence"] == c["sequence"] + 1
    assert calendar(log, d("2026-12-30"))[uid]["sequence"] == late["sequence"]


def test_an_event_moved_past_the_look_ahead_is_sent_with_its_new_date(log):
    case = log.log(new("consultation", "essex", "Bus routes", start="2026-11-01", end="2026-12-10"))
    uid = f"case-{case['id']}-consultation-closes@compact-tui"
    assert calendar(log, d("2026-12-06"), within=14)[uid]["start"] == date(2026, 12, 10)
    log.update(case["id"], dates={"end": d("2027-02-10")})
    moved = calendar(log, d("2026-12-06"), within=14)[uid]
    assert (moved["start"], moved["status"]) == (date(2027, 2, 10), "CONFIRMED")


def test_a_duty_met_is_sent_with_its_next_date(log):
    """Southend 10.4 (an annual meeting): overdue while none is recorded; once one is held, the
    calendar moves the event a year on, past a 14-day look-ahead, with a higher SEQUENCE."""
    uid = "duty-southend-10-4@compact-tui"
    first = calendar(log, d("2026-12-06"), within=14)[uid]
    assert first["summary"].startswith("OVERDUE") and first["start"] == date(2026, 12, 6)
    log.log(new("annual-review", "southend", "Review", on="2026-12-05"))
    second = calendar(log, d("2026-12-06"), within=14)[uid]
    assert second["start"] == date(2027, 12, 5) and not second["summary"].startswith("OVERDUE")
    assert second["sequence"] > first["sequence"]
    assert second["lines"][1] == "Due by: 2027-12-05 (the last day that meets the clause)"
