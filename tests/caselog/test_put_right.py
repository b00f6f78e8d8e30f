"""Mistakes can be put right, and the record shows it (issue 12, part 3): close with an
outcome, reopen, withdraw with a reason, change the title, parties and compact. Each is an
event saying what changed from what to what, and who did it; ``audit verify`` stays OK
after each, and names a change made behind the app's back to what it wrote.

Expected findings are worked out by hand: Southampton 2.4 ("a minimum of 12 weeks for
consultation") finds a consultation from 2026-11-01 to 2026-12-01 too short; Southampton 4.5
("at least three months notice") finds notice on 2026-11-01 of a change from 2026-12-01 a
breach."""

from __future__ import annotations

from datetime import date

import pytest

from compact_tui.caselog.audit import verify
from compact_tui.caselog.case_log import CaseFilter
from compact_tui.due.deadlines import deadlines, open_breaches
from compact_tui.errors import UserError
from compact_tui.report import annual_report
from compact_tui.caselog.timeline import describe

from .caselog_helpers import new, tamper


def ok(store) -> None:
    result = verify(store.db)
    assert result.ok, result.problems


def last(log, case_id) -> dict:
    return log.get(case_id)["events"][-1]


@pytest.fixture
def consultation(log):
    return log.log(new("consultation", "southampton", "Youth strategy", start="2026-11-01", end="2026-12-01",
                       orgs=["Age UK"]))["id"]


def test_close_with_an_outcome_then_reopen(log, store, consultation):
    closed = log.close(consultation, outcome="Extended to 12 weeks", note="agreed at the forum")
    assert (closed["status"], closed["outcome"], closed["due"]) == ("closed", "Extended to 12 weeks", None)
    event = last(log, consultation)
    assert (event["action"], event["actor"], event["note"]) == ("closed", "tester", "agreed at the forum")
    assert describe(event) == "status open → closed; outcome (none) → 'Extended to 12 weeks'"
    ok(store)
    with pytest.raises(UserError, match="already closed"):
        log.close(consultation)

    reopened = log.reopen(consultation, note="the forum asked for more")
    assert (reopened["status"], reopened["outcome"]) == ("open", None)
    assert (reopened["due"], reopened["due_what"]) == ("2026-12-01", "consultation closes")
    assert describe(last(log, consultation)) == "status closed → open; outcome 'Extended to 12 weeks' → (none)"
    ok(store)
    with pytest.raises(UserError, match="not closed"):
        log.reopen(consultation)


def test_a_dispute_reopened_goes_back_to_the_stage_it_left_for_its_outcome(log, store):
    case_id = log.log(new("dispute", "essex", "Grant dispute"))["id"]
    log.advance(case_id, "raise-with-organisation", confirm=["full-information"])
    done = log.advance(case_id, "resolved")
    assert (done["status"], done["outcome"]) == ("closed", "resolved")
    with pytest.raises(UserError, match="already closed"):
        log.close(case_id)
    again = log.reopen(case_id)
    assert (again["status"], again["stage"], again["outcome"]) == ("open", "raise-with-organisation", None)
    stage_titles = {"resolved": "Resolved", "raise-with-organisation": "2) Raise it"}
    assert describe(last(log, case_id), lambda s: stage_titles[s]) == \
        "status closed → open; outcome 'resolved' → (none); stage 'Resolved' → '2) Raise it'"
    ok(store)


def test_withdrawn_leaves_lists_due_items_and_reports_but_stays_on_the_record(log, store, registry, consultation):
    grant = log.log(new("funding-change", "southampton", "Grant cut", notified="2026-11-01",
                        effective="2026-12-01"))["id"]
    assert [b.case_id for b in open_breaches(store)] == [grant]
    assert annual_report(store, registry, "southampton", 2026)["cases_by_kind"]["consultation"] == 1
    with pytest.raises(UserError, match="reason is empty"):
        log.withdraw(consultation, "  ")
    case = log.withdraw(consultation, "Logged twice; see case 2")
    assert case["status"] == "withdrawn" and case["due"] is None
    event = last(log, consultation)
    assert (event["action"], event["note"], event["detail"]["reason"]) == ("withdrawn", "Logged twice; see case 2",
                                                                          "Logged twice; see case 2")
    assert describe(event) == "status open → withdrawn"
    assert [r["id"] for r in log.list()] == [grant] and log.count() == 1
    assert [r["id"] for r in log.list(CaseFilter(status="withdrawn"))] == [consultation]
    assert consultation not in [d.case_id for d in deadlines(store, registry, today=date(2026, 11, 20))]
    log.withdraw(grant, "Logged under the wrong compact")
    assert open_breaches(store) == []
    assert annual_report(store, registry, "southampton", 2026)["cases_by_kind"]["consultation"] == 0
    assert log.get(consultation)["title"] == "Youth strategy"  # still shown
    for put_right in (lambda: log.close(consultation), lambda: log.reopen(consultation),
                      lambda: log.update(consultation, title="x")):
        with pytest.raises(UserError, match="was withdrawn"):
            put_right()
    with pytest.raises(UserError, match="^case 1 is already withdrawn.$"):
        log.withdraw(consultation, "again")
    ok(store)


def test_title_parties_and_compact_changed_with_the_rules_applied_again(log, store, consultation):
    assert [f["ref"] for f in log.get(consultation)["findings"]] == ["2.4"]
    case = log.update(consultation, title="Youth strategy 2027", parties=["Age UK", "Carers Trust"])
    assert case["title"] == "Youth strategy 2027" and case["parties"] == ["Age UK", "Carers Trust"]
    assert describe(last(log, consultation)) == ("title 'Youth strategy' → 'Youth strategy 2027'; "
                                                 "parties 'Age UK' → 'Age UK; Carers Trust'")
    ok(store)

    moved = log.update(consultation, compact="havering")  # Havering states no 12-week rule
    assert moved["compact"] == "havering"
    assert "2.4" not in [f["ref"] for f in moved["findings"]]
    assert describe(last(log, consultation)) == "compact southampton → havering"
    ok(store)
    back = log.update(consultation, compact="southampton", cites=["2.4"])
    assert [f["ref"] for f in back["findings"]] == ["2.4"] and back["cites"] == ["2.4"]
    with pytest.raises(UserError, match="no clause '2.4', which this case cites"):
        log.update(consultation, compact="essex")
    assert log.get(consultation)["compact"] == "southampton"
    ok(store)


def test_a_dispute_past_its_first_stage_cannot_change_compact(log):
    case_id = log.log(new("dispute", "essex", "Grant dispute"))["id"]
    log.advance(case_id, "raise-with-organisation", confirm=["full-information"])
    with pytest.raises(UserError, match="past its first stage"):
        log.update(case_id, compact="southend")


@pytest.mark.parametrize("mutate, sql, named", [
    (lambda log, c: log.update(c, title="Youth strategy 2027"), "UPDATE cases SET title = 'Renamed' WHERE id = 1",
     "cases row 1: title is 'Renamed', its events recorded 'Youth strategy 2027'"),
    (lambda log, c: log.update(c, parties=["Age UK", "Carers Trust"]),
     "DELETE FROM case_parties WHERE name = 'Carers Trust'", "case_parties: case 1's party"),
    (lambda log, c: log.close(c, outcome="Extended"), "UPDATE cases SET outcome = 'Dropped' WHERE id = 1",
     "cases row 1: outcome is 'Dropped', its events recorded 'Extended'"),
    (lambda log, c: log.withdraw(c, "Logged twice"), "UPDATE cases SET status = 'open' WHERE id = 1",
     "cases row 1: status is 'open', its events recorded 'withdrawn'"),
    (lambda log, c: (log.close(c), log.reopen(c)), "UPDATE cases SET status = 'closed' WHERE id = 1",
     "cases row 1: status is 'closed', its events recorded 'open'"),
    (lambda log, c: log.update(c, compact="havering"), "UPDATE cases SET compact = 'southampton' WHERE id = 1",
     "cases row 1: compact is 'southampton', its events recorded 'havering'"),
    (lambda log, c: log.close(c, outcome="Extended"),
     "UPDATE events SET detail = replace(detail, 'Extended', 'Dropped') WHERE action = 'closed'", "was edited"),
])
def test_verify_names_a_change_behind_the_apps_back_to_what_each_wrote(log, store, db_path, consultation,
                                                                       mutate, sql, named):
    mutate(log, consultation)
    ok(store)
    tamper(db_path, sql)
    problems = verify(store.db).problems
    assert any(named in p for p in problems), problems


def run(db_path, capsys, *args) -> tuple[int, str, str]:
    from compact_tui.cli import main

    code = main(["--db", str(db_path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_command_line_puts_right_and_shows_what_changed(db_path, capsys, consultation, monkeypatch):
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        monkeypatch.setenv(name, "tester")  # the command line's officer, as the fixture's
    assert run(db_path, capsys, "update", str(consultation), "--title", "Youth strategy 2027", "--party", "Age UK",
               "--party", "Carers Trust")[0] == 0
    assert run(db_path, capsys, "close", str(consultation), "--outcome", "Extended")[1] == \
        f"Case {consultation} closed. Outcome: Extended.\n"
    assert run(db_path, capsys, "reopen", str(consultation))[1] == f"Case {consultation} reopened.\n"
    assert run(db_path, capsys, "withdraw", str(consultation), "--reason", "Logged twice")[0] == 0
    code, out, err = run(db_path, capsys, "cases")
    assert (code, out) == (0, "No cases match.\n")
    code, out, err = run(db_path, capsys, "case", str(consultation))
    assert "; withdrawn" in out
    assert "changed  by tester: title 'Youth strategy' → 'Youth strategy 2027'; " \
           "parties 'Age UK' → 'Age UK; Carers Trust'" in out
    assert "closed   by tester: status open → closed; outcome (none) → 'Extended'" in out
    assert "withdrawn by tester: status open → withdrawn · Logged twice" in out
    code, out, err = run(db_path, capsys, "close", str(consultation))
    assert code == 1 and "was withdrawn" in err
    assert run(db_path, capsys, "audit", "verify")[0] == 0
