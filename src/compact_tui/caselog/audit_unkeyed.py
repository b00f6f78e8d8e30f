"""The timeline's check as it was before the chain was keyed (schema up to m002).

Kept for two uses: ``schema_migrations.m003_keyed_chain`` runs it on an older case log before sealing
that log with a key (and records what it found in the ``upgraded`` event), and
``scripts/bench_caselog.py`` measures it beside today's :func:`compact_tui.caselog.audit.verify`.
Each event's hash is a plain SHA-256 of its fields and the previous hash, so anyone with the
file could re-compute it: that is why it was replaced.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any, TypedDict

from ..record import record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .connection import LogDb

GENESIS = "0" * 64
#: Fields of a case that its events set, and that verify checks against the case row.
REPLAYED = ("compact", "kind", "title", "stage", "status", "confidential")


def event_hash(prev_hash: str, row: dict[str, Any]) -> str:
    body = json.dumps(
        [row["id"], row["case_id"], row["at"], row["happened_on"], row["actor"], row["action"],
         row["detail"], row["note"]],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


@record
class AuditResult:
    events: int
    cases: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(db: LogDb, limit_problems: int = 50) -> AuditResult:
    """Walk the whole chain; report edited, deleted or inserted events and altered cases."""
    problems: list[str] = []
    prev, expected_id, count = GENESIS, 1, 0
    state: dict[int, dict[str, Any]] = {}
    for row in db.query("SELECT * FROM events ORDER BY id"):
        count += 1
        if row["id"] != expected_id:
            if row["id"] > expected_id:
                problems.append(f"event {expected_id}" + (f" to {row['id'] - 1}" if row["id"] - 1 > expected_id else "")
                                + " deleted")
        if row["prev_hash"] != prev:
            problems.append(f"event {row['id']} does not follow the event before it (a row was removed or inserted)")
        if event_hash(row["prev_hash"], row) != row["hash"]:
            problems.append(f"event {row['id']} (case {row['case_id']}) was edited")
        prev, expected_id = row["hash"], row["id"] + 1
        try:
            changes = json.loads(row["detail"]).get("set", {})
        except (ValueError, AttributeError):
            changes = {}
        state.setdefault(row["case_id"], {}).update({k: v for k, v in changes.items() if k in REPLAYED})
        if len(problems) >= limit_problems:
            break
    head = next(db.query("SELECT last_event_id, last_hash FROM chain_head WHERE id = 1"), None)
    if head and len(problems) < limit_problems:
        if head["last_event_id"] != expected_id - 1 or head["last_hash"] != prev:
            problems.append(f"the chain should end at event {head['last_event_id']} but ends at {expected_id - 1} "
                            f"(events deleted from the end, or the head was altered)")
    elif count and not head:
        problems.append("the record of the chain's last event is missing")
    cases = 0
    if len(problems) < limit_problems:
        for case in db.query(f"SELECT id, {', '.join(REPLAYED)} FROM cases ORDER BY id"):
            cases += 1
            replay = state.get(case["id"])
            if replay is None:
                problems.append(f"case {case['id']} has no events (it was inserted by hand, or its events deleted)")
            else:
                for field in REPLAYED:
                    if field in replay and replay[field] != case[field]:
                        problems.append(f"case {case['id']}: {field} differs from what its events recorded")
            if len(problems) >= limit_problems:
                break
    return AuditResult(events=count, cases=cases, problems=problems)


def problem_code(problem: str) -> str:
    """A short, stable name for one problem this check found, to accept it by when upgrading."""
    return hashlib.sha256(problem.encode("utf-8")).hexdigest()[:8]


class FoundAtUpgrade(TypedDict):
    """One problem the unkeyed check found when the log was upgraded (:func:`found_at_upgrade`)."""

    on: str
    problem: str
    code: str
    accepted: bool


def found_at_upgrade(at: str, detail: dict[str, Any]) -> list[FoundAtUpgrade]:
    """What an ``upgraded`` event recorded of this check: ``{"on", "problem", "code",
    "accepted"}`` per problem (``accepted`` False for one sealed by a version that did not ask:
    before issue 18 an upgrade sealed whatever this check found, and said so only here)."""
    accepted = {a.get("problem") for a in detail.get("accepted") or () if isinstance(a, dict)}
    return [{"on": str(at)[:10], "problem": str(p), "code": problem_code(str(p)), "accepted": p in accepted}
            for p in detail.get("unkeyed_check") or ()]


def accepted_problems(conn: sqlite3.Connection, case_id: int | None = None) -> list[FoundAtUpgrade]:
    """Every problem an upgrade of this log recorded (:func:`found_at_upgrade`); with
    ``case_id``, those that name that case."""
    import re

    out: list[FoundAtUpgrade] = []
    # Before the keyed chain every event was about a case; the upgrade that sealed it wrote the
    # first event about no case. So that one event is read (one step of the events_case index),
    # not every organisation's event, on each 'case ID'.
    for at, detail in conn.execute("SELECT at, detail FROM (SELECT at, detail, action FROM events "
                                   "WHERE case_id IS NULL ORDER BY id LIMIT 1) WHERE action = 'upgraded'"):
        try:
            found = found_at_upgrade(at, json.loads(detail))
        except (TypeError, ValueError, AttributeError):
            continue
        out += [f for f in found if case_id is None or str(case_id) in re.findall(r"\bcase (\d+)\b", f["problem"])]
    return out
