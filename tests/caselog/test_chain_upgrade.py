"""A case log made before the chain was keyed (schema m002) is sealed on first open: its
events still verify, an ``upgraded`` event says so, and its rows are covered from then on."""

from __future__ import annotations

import json
import sqlite3

from sqlite_utils import Database

from compact_tui.caselog.audit import verify
from compact_tui.caselog.audit_unkeyed import GENESIS, event_hash
from compact_tui.cli import main
from compact_tui.caselog.store import Store, migrations


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
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE case_parties SET name = 'Someone Else' WHERE case_id = 2")
        conn.execute("UPDATE signatures SET signed_on = '2020-01-01'")
    conn.close()
    assert main(["--db", str(path), "audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "case_parties: case 2 has party 'Someone Else', which its events do not record" in out
    assert "signatures row (organisation 1, southampton): signed_on is '2020-01-01', its events recorded " \
           "'2025-01-02'" in out


def test_an_old_log_tampered_before_the_upgrade_has_that_recorded(tmp_path):
    path = tmp_path / "old.db"
    old_log(path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE events SET note = 'edited' WHERE id = 1")
    conn.close()
    store = Store(path)
    detail = json.loads(store.one("SELECT detail FROM events WHERE action = 'upgraded'")["detail"])
    assert detail["unkeyed_check"] == ["event 1 (case 1) was edited"]
    store.close()
