"""A case log made before the chain was keyed (schema m002) is sealed on first open: its
events still verify, an ``upgraded`` event says so, and its rows are covered from then on."""

from __future__ import annotations

import json
import sqlite3

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlite_utils import Database

from compact_tui.caselog.audit import verify
from compact_tui.caselog.audit_unkeyed import GENESIS, event_hash
from compact_tui.cli import main
from compact_tui.caselog.audit_unkeyed import problem_code
from compact_tui.caselog.case_log import CaseLog, NewCase
from compact_tui.caselog.schema_migrations import migrations, schema_version
from compact_tui.caselog.store import Store
from compact_tui.errors import UserError

from .caselog_helpers import tamper


def old_log(path) -> None:
    """What compact-tui wrote before issue 7: schema m001-m002, plain SHA-256 chain, and a
    ``logged`` event whose detail is only the case's columns."""
    db = Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="m003_keyed_chain")
    conn = db.conn
    conn.execute("INSERT INTO organisations (id, name, side, created_at) VALUES (1, 'Age UK', 'vcs', '2025-01-01')")
    conn.execute("INSERT INTO signatures VALUES (1, 'southampton', '2025-01-02')")
    prev = GENESIS
    for case_id, title in ((1, "first"), (2, "second")):
        case = {"compact": "southampton", "kind": "meeting", "title": title, "status": "closed", "opened": "2026-01-05",
                "on": "2026-01-05", "parties": "Age UK", "cites": "2.4"}
        conn.execute('INSERT INTO cases (id, compact, kind, title, status, opened, "on", parties, cites, created_by, '
                     "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'old', '2026-01-05T10:00:00+00:00', "
                     "'2026-01-05T10:00:00+00:00')", [case_id, *case.values()])
        conn.execute("INSERT INTO case_parties VALUES (?, 'Age UK', 1)", [case_id])
        conn.execute("INSERT INTO case_cites VALUES (?, '2.4')", [case_id])
        row = {"id": case_id, "case_id": case_id, "at": "2026-01-05T10:00:00+00:00", "happened_on": "2026-01-05",
               "actor": "old", "action": "logged", "detail": json.dumps({"set": case}, sort_keys=True), "note": ""}
        row["hash"] = event_hash(prev, row)
        conn.execute("INSERT INTO events VALUES (:id, :case_id, :at, :happened_on, :actor, :action, :detail, :note, "
                     ":prev, :hash)", {**row, "prev": prev})
        prev = row["hash"]
    conn.execute("INSERT INTO chain_head VALUES (1, 2, ?)", [prev])
    conn.commit()
    conn.close()


def test_an_old_log_is_sealed_with_an_event_saying_so_and_verifies(tmp_path):
    path = tmp_path / "old.db"
    old_log(path)
    store = Store(path)
    events = store.query("SELECT id, case_id, action, detail, note FROM events ORDER BY id")
    assert [e["action"] for e in events] == ["logged", "logged", "upgraded"]
    upgraded = json.loads(events[2]["detail"])
    assert upgraded["unkeyed_events"] == 2 and upgraded["unkeyed_check"] == []
    assert events[2]["case_id"] is None and "2 earlier events re-sealed" in events[2]["note"]
    result = verify(store.db)
    assert result.ok, result.problems
    assert (result.events, result.cases) == (3, 2)
    store.close()


def test_an_old_logs_rows_are_covered_after_the_upgrade(tmp_path, capsys):
    path = tmp_path / "old.db"
    old_log(path)
    Store(path).close()
    tamper(path, "UPDATE case_parties SET name = 'Someone Else' WHERE case_id = 2")
    tamper(path, "UPDATE signatures SET signed_on = '2020-01-01'")
    assert main(["--db", str(path), "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "case_parties: case 2 has party 'Someone Else', which its events do not record" in out
    assert "signatures row (organisation 1, southampton): signed_on is '2020-01-01', its events recorded " \
           "'2025-01-02'" in out


def test_an_old_log_tampered_before_the_upgrade_has_that_recorded(tmp_path):
    path = tmp_path / "old.db"
    old_log(path)
    tamper(path, "UPDATE events SET note = 'edited' WHERE id = 1")
    with pytest.raises(UserError, match="that version's own check finds 1 problem in it, so it has not been "
                                        "upgraded"):
        Store(path)
    code = problem_code("event 1 (case 1) was edited")
    store = Store(path, accept=[code])
    detail = json.loads(store.one("SELECT detail FROM events WHERE action = 'upgraded'")["detail"])
    assert detail["unkeyed_check"] == ["event 1 (case 1) was edited"]
    assert detail["accepted"] == [{"code": code, "problem": "event 1 (case 1) was edited"}]
    store.close()


def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cli(path, capsys, *args) -> tuple[int, str, str]:
    code = main(["--db", str(path), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_finding_4_verify_reports_an_earlier_problem_and_changes_nothing_until_told(tmp_path, capsys):
    """A log made by the release before the keyed chain, a title edited in SQL: this release's
    'audit verify' checks it as that release did, says so, and leaves the file byte for byte as
    it was; the first write refuses to seal it; 'audit upgrade --accept CODE' seals it, and the
    accepted problem is reported from then on."""
    path = tmp_path / "old.db"
    old_log(path)
    tamper(path, "UPDATE cases SET title = 'renamed' WHERE id = 1")
    before = sha256(path)
    problem = "case 1: title differs from what its events recorded"
    code = problem_code(problem)
    assert cli(path, capsys, "audit", "verify") == (
        1, f"1 problem found (to upgrade anyway, accepting one: 'compact-tui audit upgrade --accept CODE'):\n"
           f"  - [{code}] {problem}\n",
        f"Note: {path} was made by an earlier compact-tui and has not been sealed with a key; it was checked as "
        f"that version checks it, and not changed ('compact-tui audit upgrade' upgrades it).\n")
    assert sha256(path) == before
    done, _, err = cli(path, capsys, "note", "1", "hello")
    assert done == 1 and "so it has not been upgraded (nothing was changed)" in err
    assert cli(path, capsys, "audit", "upgrade", "--accept", "00000000")[0] == 1
    assert sha256(path) == before
    assert Database(sqlite3.connect(path)).execute("SELECT count(*) FROM events").fetchone()[0] == 2

    assert cli(path, capsys, "audit", "upgrade", "--accept", code) == (
        0, f"Upgraded {path} from schema version 2 to {schema_version(migrations.names)}, accepting 1 problem its "
           f"earlier check found ('compact-tui audit verify' lists it from now on).\n", "")
    done, out, _ = cli(path, capsys, "audit", "verify")
    assert done == 0, out
    assert out.endswith("Accepted when the log was upgraded, and still true of its events before then:\n"
                        f"  - [{code}] {problem} (found by the earlier version's check, and accepted when the log "
                        f"was upgraded on {date.today().isoformat()})\n")
    assert f"[{code}] case 1: title differs" in cli(path, capsys, "case", "1")[1]
    assert "Note:" not in cli(path, capsys, "case", "2")[1]
    assert cli(path, capsys, "audit", "upgrade")[1] == (
        f"{path} is up to date (schema version {schema_version(migrations.names)}); nothing to upgrade.\n")


def test_verify_never_writes_to_the_log_it_checks(tmp_path, capsys, registry):
    path = tmp_path / "current.db"
    store = Store(path)
    CaseLog(store, registry, actor="tester").log(NewCase(kind="dispute", compact="essex", title="t"))
    store.close()
    before = sha256(path)
    assert cli(path, capsys, "audit", "verify")[0] == 0
    assert cli(path, capsys, "audit", "head")[0] == 0
    assert sha256(path) == before
    assert cli(tmp_path / "nothing.db", capsys, "audit", "verify")[2] == (
        f"compact-tui: there is no case log at {tmp_path / 'nothing.db'} to check.\n")
    assert not (tmp_path / "nothing.db").exists()


def test_a_log_sealed_over_a_problem_nobody_accepted_fails_verify(tmp_path, capsys):
    """Before issue 18 an upgrade sealed whatever the earlier check found, and said so only
    inside its event's JSON: verify now names it."""
    path = tmp_path / "old.db"
    old_log(path)
    tamper(path, "UPDATE events SET note = 'edited' WHERE id = 1")
    from compact_tui.caselog.audit import append_event

    store = Store(path, accept=[problem_code("event 1 (case 1) was edited")])
    with store.write() as db:  # written again as the earlier release wrote it: recorded, never accepted
        last, detail, note = db.execute("SELECT id, detail, note FROM events WHERE action = 'upgraded'").fetchone()
        prev = db.execute("SELECT hash FROM events WHERE id = ?", [last - 1]).fetchone()[0]
        db.execute("DELETE FROM events WHERE id = ?", [last])
        db.execute("UPDATE chain_head SET last_event_id = ?, last_hash = ?", [last - 1, prev])
        detail = json.loads(detail)
        del detail["accepted"]
        append_event(db, None, "upgraded", detail, actor="compact-tui", happened_on="2026-01-05", note=note)
    result = verify(store.db)
    store.close()
    assert result.problems == [
        f"the log was upgraded on {date.today().isoformat()} although the earlier version's check had found a "
        f"problem, which nobody accepted: event 1 (case 1) was edited"]

