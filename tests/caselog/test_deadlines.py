"""What is due or overdue across all cases, overdue first."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from compact_tui.cli import main
from compact_tui.due.deadlines import deadlines

from .caselog_helpers import d, new

TODAY = d("2026-03-01")


def test_overdue_comes_first(log, store, registry):
    soon = log.log(new("consultation", "southampton", "closes soon", start="2026-01-05", end="2026-03-30"))
    late = log.log(new("consultation", "southampton", "closed already", start="2025-11-01", end="2026-02-20"))
    items = deadlines(store, registry, today=TODAY)
    assert items[0].case_id == late["id"] and items[0].overdue and items[0].due == "2026-02-20"
    assert items[0].what == "consultation closes"
    flags = [i.overdue for i in items]
    assert flags == sorted(flags, reverse=True)  # every overdue item before any that is not
    upcoming = [i for i in items if not i.overdue]
    assert [i.case_id for i in upcoming if i.case_id] == [soon["id"]]
    dated = [i.due for i in items if i.overdue and i.due]
    assert dated == sorted(dated)


def test_closed_cases_and_far_dates_are_left_out(log, store, registry):
    far = log.log(new("consultation", "southampton", "far off", start="2026-01-05", end="2026-12-01"))
    done = log.log(new("consultation", "essex", "done", start="2026-01-05", end="2026-02-01"))
    log.close(done["id"])
    ids = {i.case_id for i in deadlines(store, registry, today=TODAY, within_days=60)}
    assert far["id"] not in ids and done["id"] not in ids
    assert far["id"] in {i.case_id for i in deadlines(store, registry, today=TODAY, within_days=300)}


@pytest.mark.parametrize("effective, notice_by", [
    ("2026-07-15", "2026-04-15"),
    ("2026-06-01", "2026-03-01"),
    ("2026-04-30", "2026-01-31"),  # three months from 31 January reaches 30 April
])
def test_a_funding_change_without_notice_shows_when_notice_is_due(log, store, registry, effective, notice_by):
    case = log.log(new("funding-change", "southampton", "grant ends", effective=effective))
    assert (case["due"], case["due_what"]) == (notice_by, "notice due (4.5)")
    [item] = [i for i in deadlines(store, registry, today=d(notice_by) - timedelta(days=5)) if i.case_id]
    assert (item.due, item.what, item.overdue) == (notice_by, "notice due (4.5)", False)
    # the date shown is the last that complies: notice that day is no breach, a day later is one
    on_time = log.log(new("funding-change", "southampton", "x", notified=notice_by, effective=effective))
    late = log.log(new("funding-change", "southampton", "x", effective=effective,
                       notified=(d(notice_by) + timedelta(days=1)).isoformat()))
    assert on_time["findings"] == [] and [f["ref"] for f in late["findings"]] == ["4.5"]


def test_annual_reviews_due_come_from_the_last_one(log, store, registry):
    # Essex, section 7: "to review ... the operation and implementation of the Essex Compact annually"
    log.log(new("annual-review", "essex", "review", on="2025-02-01"))
    items = [i for i in deadlines(store, registry, today=TODAY) if i.compact == "essex" and i.ref == "7.b2"]
    assert [(i.due, i.overdue, i.what) for i in items] == [
        ("2026-02-01", True, "Review the operation and implementation of the Essex Compact annually and publish "
                             "a report (7.b2): last on 2025-02-01")]


def test_a_recurring_duty_never_recorded_is_listed_as_overdue(store, registry):
    items = deadlines(store, registry, today=TODAY)
    # Southend 10.4: "there will be an annual meeting ... to review the operation of the Compact"
    [item] = [i for i in items if i.compact == "southend" and i.ref == "10.4"]
    assert (item.overdue, item.due, item.what) == (
        True, None, "Annual meeting to review the operation of the Compact (10.4): none recorded yet")


def test_cli_deadlines_json_lists_each_item(db_path, capsys):
    """On a database with two consultations and nothing else: the one that closed yesterday,
    then every yearly or quarterly duty of the five compacts (none recorded yet), then the one
    that closes in ten days."""
    today = date.today()
    for title, start, end in (("Closed yesterday", "-90d", "-1d"), ("Closes soon", "-80d", "+10d")):
        assert main(["--db", str(db_path), "log", "consultation", "--compact", "essex", "--title", title,
                     f"--start={start}", f"--end={end}", "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", str(db_path), "deadlines", "--within", "30", "--json"]) == 0
    items = json.loads(capsys.readouterr().out)
    first, *duties, last = items
    assert (first["case_id"], first["due"], first["overdue"], first["what"]) == (
        1, (today - timedelta(days=1)).isoformat(), True, "consultation closes")
    assert (last["case_id"], last["due"], last["overdue"], last["what"]) == (
        2, (today + timedelta(days=10)).isoformat(), False, "consultation closes")
    assert sorted((i["compact"], i["ref"], i["due"], i["overdue"], i["what"].split(": ")[-1]) for i in duties) == [
        ("essex", "7.b2", None, True, "none recorded yet"),
        ("essex", "MS.complaints.p2", None, True, "none recorded yet"),
        ("essex", "MS.panel.p2", None, True, "none recorded yet"),  # the Panel Chair, elected annually
        ("havering", "5.3.p3", None, True, "none recorded yet"),
        ("havering", "5.4.2", None, True, "none recorded yet"),
        ("havering", "5.4.2.b1", None, True, "none recorded yet"),
        ("high_peak", "7.2.b6", None, True, "none recorded yet"),
        ("southend", "10.4", None, True, "none recorded yet"),
    ]


def test_a_dispute_waiting_at_a_step_with_no_time_limit_is_listed_after_dated_items(tmp_path):
    """'A dispute step waiting': none of the five texts gives a step a time limit, so an open
    dispute is listed as waiting (no date), after what is overdue and what has a date."""
    from datetime import date

    from compact_tui.caselog.case_log import CaseLog, NewCase
    from compact_tui.due.deadlines import deadlines
    from compact_tui.content.plugins import load_registry
    from compact_tui.caselog.store import Store

    log = CaseLog(Store(tmp_path / "w.db"), load_registry(), actor="tester")
    dispute = log.log(NewCase(kind="dispute", compact="essex", title="Cut without notice",
                              dates={"opened": date(2026, 11, 2)}), today=date(2026, 11, 2))
    log.log(NewCase(kind="consultation", compact="southampton", title="Libraries",
                    dates={"start": date(2026, 11, 1), "end": date(2027, 1, 31)}), today=date(2026, 11, 2))
    items = deadlines(log.store, log.registry, today=date(2026, 12, 1), within_days=90)
    waiting = [d for d in items if d.case_id == dispute["id"]]
    assert len(waiting) == 1 and waiting[0].due is None and not waiting[0].overdue
    assert "waiting since 2026-11-02" in waiting[0].what
    dated = [i for i, d in enumerate(items) if d.due is not None and not d.overdue]
    assert dated and max(dated) < items.index(waiting[0])
    log.advance(dispute["id"], "raise-with-organisation", confirm=["full-information"], on=date(2026, 11, 20))
    again = [d for d in deadlines(log.store, log.registry, today=date(2026, 12, 1)) if d.case_id == dispute["id"]]
    assert "waiting since 2026-11-20" in again[0].what
