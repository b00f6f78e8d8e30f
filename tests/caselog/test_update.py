"""Changing a case applies its compact's rules again and appends to the timeline."""

from datetime import date

import pytest

from compact_tui.caselog.audit import verify
from compact_tui.caselog.case_log import CaseLog, NewCase
from compact_tui.errors import UserError
from compact_tui.content.plugins import load_registry
from compact_tui.caselog.store import Store


@pytest.fixture
def log(tmp_path):
    store = Store(tmp_path / "u.db")
    yield CaseLog(store, load_registry(), actor="tester")
    store.close()


def test_notice_recorded_later_is_checked_then_and_the_reason_clears_it(log):
    case = log.log(NewCase(kind="funding-change", compact="southampton", title="Grant ends",
                           dates={"effective": date(2027, 3, 31)}), today=date(2026, 11, 24))
    assert case["findings"] == [] and case["due_what"] == "notice due (4.5)"
    changed = log.update(case["id"], dates={"notified": date(2027, 2, 1)}, on=date(2027, 2, 1))
    assert [f["ref"] for f in changed["findings"]] == ["4.5"]
    assert changed["findings"][0]["due"] == "2027-05-01"
    assert changed["due_what"] == "funding change takes effect"
    cleared = log.update(case["id"], reason="Exceptional circumstances: the funder withdrew")
    assert cleared["findings"] == []
    assert [e["action"] for e in cleared["events"]] == ["logged", "changed", "changed"]
    assert verify(log.store.db).ok


def test_cites_are_added_once_and_checked(log):
    case = log.log(NewCase(kind="meeting", compact="havering", title="Steering group",
                           dates={"on": date(2026, 1, 5)}), today=date(2026, 1, 5))
    log.update(case["id"], cites=["5.3.p3", "5.3.p3"])
    assert log.get(case["id"])["cites"] == ["5.3.p3"]
    with pytest.raises(UserError, match="no clause"):
        log.update(case["id"], cites=["99.9"])


def test_nothing_to_change_and_bad_order_are_refused_and_write_nothing(log):
    case = log.log(NewCase(kind="consultation", compact="southampton", title="Libraries",
                           dates={"start": date(2026, 1, 5), "end": date(2026, 3, 30)}), today=date(2026, 1, 5))
    events = len(log.get(case["id"])["events"])
    with pytest.raises(UserError, match="nothing to change"):
        log.update(case["id"])
    with pytest.raises(UserError, match="close before it starts"):
        log.update(case["id"], dates={"end": date(2025, 12, 1)})
    after = log.get(case["id"])
    assert len(after["events"]) == events and after["end"] == "2026-03-30"


def test_confidential_change_is_replayed_by_audit(log):
    case = log.log(NewCase(kind="note", compact="essex", title="Private"), today=date(2026, 1, 5))
    log.update(case["id"], confidential=True)
    assert log.get(case["id"])["confidential"] is True
    assert verify(log.store.db).ok
