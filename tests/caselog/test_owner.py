"""Who holds a case: whoever logged it, until it is handed on with an ``owner-changed`` event;
``cases --mine`` and the ``mine`` filter word list what you hold."""

from __future__ import annotations

import json
import sqlite3

import pytest

from compact_tui.caselog.audit import verify
from compact_tui.caselog.case_log import CaseFilter, CaseLog
from compact_tui.cli import main
from compact_tui.errors import UserError
from compact_tui.caselog.store import Store

from .caselog_helpers import new
from .test_chain_upgrade import old_log


def test_whoever_logs_a_case_holds_it(log):
    case = log.log(new("consultation", "essex", "Library hours", start="2026-01-05", end="2026-04-05"))
    assert case["owner"] == "tester"
    assert log.get(case["id"])["owner"] == "tester"


def test_handing_a_case_on_is_an_event_on_its_timeline(log):
    case = log.log(new("consultation", "essex", "Library hours", start="2026-01-05", end="2026-04-05"))
    after = log.set_owner(case["id"], "jo.bloggs", note="Jo covers consultations")
    assert after["owner"] == "jo.bloggs"
    last = after["events"][-1]
    assert (last["action"], last["actor"], last["note"]) == ("owner-changed", "tester", "Jo covers consultations")
    assert last["detail"] == {"set": {"owner": "jo.bloggs"}, "from": "tester", "was": {"owner": "tester"}}
    assert verify(log.store.db).ok


@pytest.mark.parametrize("owner, refused", [
    ("tester", "case 1 is already held by 'tester'."),
    ("", "the owner's name is empty."),
    ("jo\x1b[31m", "the owner's name"),
])
def test_a_change_that_is_not_one_is_refused_and_writes_nothing(log, owner, refused):
    log.log(new("note", "essex", "A note", note="kept open"))
    with pytest.raises(UserError) as err:
        log.set_owner(1, owner)
    assert str(err.value).startswith(refused)
    assert [e["action"] for e in log.get(1)["events"]] == ["logged"]


def test_mine_and_owner_filter_the_list(store, registry):
    mine, theirs = CaseLog(store, registry, actor="sam"), CaseLog(store, registry, actor="jo")
    mine.log(new("note", "essex", "Sam's", note="open"))
    theirs.log(new("note", "essex", "Jo's", note="open"))
    theirs.log(new("note", "southend", "Jo's, handed to Sam", note="open"))
    theirs.set_owner(3, "sam")
    assert [c["title"] for c in mine.list(CaseFilter(mine=True))] == ["Jo's, handed to Sam", "Sam's"]
    assert [c["title"] for c in theirs.list(CaseFilter(mine=True))] == ["Jo's"]
    assert [c["title"] for c in mine.list(CaseFilter.parse("mine compact:essex"))] == ["Sam's"]
    assert [c["title"] for c in mine.list(CaseFilter.parse("owner:jo"))] == ["Jo's"]
    assert mine.count(CaseFilter.parse("mine")) == 2


def test_an_owner_changed_behind_the_apps_back_is_named_by_audit_verify(log, db_path):
    log.log(new("note", "essex", "A note", note="open"))
    conn = sqlite3.connect(db_path)
    conn.execute("UPDATE cases SET owner = 'mallory' WHERE id = 1")
    conn.commit()
    conn.close()
    assert verify(log.store.db).problems == ["cases row 1: owner is 'mallory', its events recorded 'tester'"]


def test_a_case_log_made_before_owners_gives_each_case_to_whoever_logged_it(tmp_path, registry):
    path = tmp_path / "old.db"
    old_log(path)  # two cases logged by 'old', before the key and before owners
    store = Store(path)
    assert [r["owner"] for r in store.query("SELECT owner FROM cases ORDER BY id")] == ["old", "old"]
    assert verify(store.db).ok
    CaseLog(store, registry, actor="sam").set_owner(2, "sam")
    assert verify(store.db).ok
    store.close()


def test_cli_assign_and_cases_mine(db_path, capsys, monkeypatch):
    monkeypatch.setenv("LOGNAME", "sam")
    assert main(["--db", str(db_path), "log", "note", "--compact", "essex", "--title", "Sam's", "--note", "x"]) == 0
    assert main(["--db", str(db_path), "log", "note", "--compact", "essex", "--title", "Other", "--note", "x"]) == 0
    assert main(["--db", str(db_path), "assign", "2", "jo", "--note", "Jo's patch"]) == 0
    assert capsys.readouterr().out.endswith("Case 2 is now held by jo.\n")
    assert main(["--db", str(db_path), "cases", "--mine", "--json"]) == 0
    assert [(c["id"], c["owner"]) for c in json.loads(capsys.readouterr().out)] == [(1, "sam")]
    assert main(["--db", str(db_path), "cases", "--owner", "jo", "--json"]) == 0
    assert [(c["id"], c["owner"]) for c in json.loads(capsys.readouterr().out)] == [(2, "jo")]
    assert main(["--db", str(db_path), "case", "2"]) == 0
    out = capsys.readouterr().out
    assert "  Held by: jo\n" in out and "owner-changed by sam: held by 'sam' → 'jo' · Jo's patch" in out
    assert main(["--db", str(db_path), "assign", "2", "jo"]) == 1
    assert capsys.readouterr().err == "compact-tui: case 2 is already held by 'jo'.\n"
