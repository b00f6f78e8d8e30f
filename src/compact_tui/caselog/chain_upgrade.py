"""Migration m003: seal the timeline with a key.

The ``events`` table is rebuilt so an event may be about an organisation (no case), and
``chain_head`` gains the id of the key the chain is sealed with. On a case log that already
has events (made before this version) it then:

1. checks the old, unkeyed chain as the old version did (``audit_unkeyed.verify``);
2. re-computes every event's hash with the key (the events' fields are unchanged);
3. appends an ``upgraded`` event that records what step 1 found, the old head, and a snapshot
   of every row the old events did not carry (cases, parties, cited clauses, findings,
   organisations, signatures), so from that event on all of them are covered by the chain.

It runs inside the store's write transaction, so it happens whole or not at all.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from typing import Any

from . import audit_unkeyed
from .audit_unkeyed import problem_code
from .audit import EVENT_COLUMNS, GENESIS, append_event, current_user, event_hash
from .chain_key import key_id, load_key

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .connection import LogDb

EVENTS_TABLE = """
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER REFERENCES cases(id),
    at TEXT NOT NULL,
    happened_on TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
)"""


#: The codes of the problems the earlier check found that the officer has accepted (``accepting``).
_accepted: set[str] = set()


@contextmanager
def accepting(codes: Collection[str]) -> Iterator[None]:
    """While upgrading: the problems (by :func:`problem_code`) the officer named to accept."""
    _accepted.clear()
    _accepted.update(c.strip().lower() for c in codes)
    try:
        yield
    finally:
        _accepted.clear()


def refused_sentence(path: object, problems: list[str]) -> str:
    n = len(problems)
    return (f"the case log {path} was made by an earlier compact-tui, and that version's own check finds "
            f"{n} problem{'s' if n != 1 else ''} in it, so it has not been upgraded (nothing was changed): "
            f"'compact-tui audit verify' lists {'them' if n != 1 else 'it'} with {'their codes' if n != 1 else 'its code'}; "
            f"'compact-tui audit upgrade --accept CODE' upgrades it accepting each problem named, and records that.")


def seal_older_log(db: LogDb) -> None:
    conn = db.conn
    had = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    old_check = audit_unkeyed.verify(db) if had else None
    found = old_check.problems if old_check else []
    unaccepted = [p for p in found if problem_code(p) not in _accepted]
    if unaccepted:
        from ..errors import UserError

        path = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
        raise UserError(refused_sentence(path, unaccepted))
    old_head = conn.execute("SELECT last_event_id, last_hash FROM chain_head WHERE id = 1").fetchone()
    conn.execute("DROP INDEX events_case")
    conn.execute("ALTER TABLE events RENAME TO events_unkeyed")
    conn.execute(EVENTS_TABLE)
    conn.execute("CREATE INDEX events_case ON events(case_id, id)")
    conn.execute("ALTER TABLE chain_head ADD COLUMN key_id TEXT NOT NULL DEFAULT ''")
    if not had:
        conn.execute("DROP TABLE events_unkeyed")
        return
    key = load_key()
    prev, rows = GENESIS, []
    for row in conn.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events_unkeyed ORDER BY id"):
        digest = event_hash(key, prev, row)
        rows.append((*row, prev, digest))
        prev = digest
    conn.executemany(f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}, prev_hash, hash) "
                     f"VALUES ({', '.join('?' * (len(EVENT_COLUMNS) + 2))})", rows)
    conn.execute("DROP TABLE events_unkeyed")
    conn.execute("INSERT OR REPLACE INTO chain_head (id, last_event_id, last_hash, key_id) VALUES (1, ?, ?, ?)",
                 [rows[-1][0], prev, key_id(key)])
    detail = {
        "unkeyed_events": len(rows),
        "unkeyed_head": f"{old_head[0]}:{old_head[1]}" if old_head else "",
        "unkeyed_check": found,
        "accepted": [{"code": problem_code(p), "problem": p} for p in found],
        "snapshot": snapshot(conn),
    }
    who = current_user()
    append_event(db, None, "upgraded", detail, actor="compact-tui",
                 happened_on=audit_now()[:10],
                 note=f"Timeline sealed with a key: {len(rows)} earlier events re-sealed; "
                      + ("the unkeyed chain checked out." if not found else
                         f"the unkeyed chain had {len(found)} problem(s), accepted by {who} and recorded here."))



def snapshot(conn: sqlite3.Connection) -> dict[str, Any]:
    cases = conn.execute("SELECT * FROM cases ORDER BY id")
    case_columns = [d[0] for d in cases.description]
    orgs = conn.execute("SELECT * FROM organisations ORDER BY id")
    org_columns = [d[0] for d in orgs.description]
    rows: dict[str, Any] = json.loads(json.dumps({
        "case_columns": case_columns, "cases": [list(r) for r in cases],
        "case_parties": [list(r) for r in conn.execute(
            "SELECT case_id, name, organisation_id FROM case_parties ORDER BY case_id, rowid")],
        "case_cites": [list(r) for r in conn.execute("SELECT case_id, ref FROM case_cites ORDER BY case_id, rowid")],
        "findings": [list(r) for r in conn.execute(
            "SELECT case_id, compact, rule_id, ref, severity, message, due FROM findings ORDER BY case_id, id")],
        "organisation_columns": org_columns, "organisations": [list(r) for r in orgs],
        "signatures": [list(r) for r in conn.execute(
            "SELECT organisation_id, compact, signed_on FROM signatures ORDER BY organisation_id, compact")],
    }))
    return rows


def audit_now() -> str:
    from .audit import now

    return now()
