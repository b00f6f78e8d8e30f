"""The timeline of events: only ever appended to, hash-chained with a secret key.

Each event's hash is a MAC (keyed BLAKE2b-256) under the chain key (``chain_key.py``), of its own fields
and the previous event's hash; ``chain_head`` records the last event and the key's id. The
events are the source of truth for every table a user's record lives in (``evidence.py``):
:func:`verify` walks the chain, replays it into the rows it implies, compares them with the
tables, and runs SQLite's own integrity and foreign-key checks, naming each problem: the
table, the row, what differs.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from datetime import date, datetime, timezone

from ..record import field, record
from .chain_key import key_id, key_path, load_key
from ..digests import blake2b
from ..errors import UserError
from .evidence import CASE_EVENTS, EVENT_ROWS, Derived, Event, Problems, compare
from . import text_index

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .connection import LogDb
    from typing import Any

    import threading

    from ..content.model import Compact
    from .lifecycle import Replay

GENESIS = "0" * 64
EVENT_COLUMNS = ("id", "case_id", "at", "happened_on", "actor", "action", "detail", "note")


def event_message(prev_hash: str, fields: Iterable[object]) -> str:
    """What an event's hash covers: the previous hash and its :data:`EVENT_COLUMNS`, joined by
    NUL. No field may hold a NUL (text is checked on the way in, the detail is JSON), so exactly
    eight NULs make the joining unambiguous; :func:`verify` reports any event with more."""
    i, case_id, at, happened_on, actor, action, detail, note = fields
    return f"{prev_hash}\0{i}\0{'' if case_id is None else case_id}\0{at}\0{happened_on}\0{actor}\0{action}\0{detail}\0{note}"


def event_hash(key: bytes, prev_hash: str, fields: Iterable[object]) -> str:
    """The keyed hash of one event: BLAKE2b-256 in its keyed mode (a MAC, like HMAC, and
    several times cheaper per event in Python) under the chain key."""
    return blake2b(event_message(prev_hash, fields).encode("utf-8"), key=key, digest_size=32).hexdigest()


def happened_on(on: date | None) -> str:
    """The day something happened (today unless given), in the range the case log takes."""
    from ..rules.dates import check_date

    return check_date(on, "the date it happened").isoformat() if on else date.today().isoformat()


def current_user() -> str:
    """The officer's user name, recorded as each event's actor: found as ``getpass.getuser``
    finds it (``$LOGNAME``, ``$USER``, ``$LNAME``, ``$USERNAME``, else the account's name),
    without importing ``getpass``, which brings the terminal's modules every command would pay for."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        user = os.environ.get(name)
        if user:
            return user
    try:
        import pwd

        return pwd.getpwuid(os.getuid())[0]
    except Exception:  # no such account (a container's bare uid), or no pwd module
        return "unknown"


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def append_event(db: LogDb, case_id: int | None, action: str, detail: dict[str, Any], *, actor: str,
                 happened_on: str, note: str = "", at: str | None = None) -> dict[str, Any]:
    """Append one event inside the caller's write transaction (and stamp the case's
    ``updated_at`` with it). ``case_id`` is None for an event about an organisation."""
    if action not in EVENT_ROWS:
        raise ValueError(f"event kind {action!r} is not in evidence.EVENT_ROWS")
    if "\0" in actor + note + happened_on:
        raise UserError("an event cannot hold a NUL character.")
    key = load_key()
    kid = key_id(key)
    head = db.execute("SELECT last_event_id, last_hash, key_id FROM chain_head WHERE id = 1").fetchone()
    if head and head[2] and head[2] != kid:
        raise UserError(wrong_key_sentence(head[2], kid))
    prev, last_id = (head[1], head[0]) if head else (GENESIS, 0)
    row: dict[str, Any] = {"id": last_id + 1, "case_id": case_id, "at": at or now(), "happened_on": happened_on,
           "actor": actor, "action": action,
           "detail": json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str), "note": note,
           "prev_hash": prev}
    row["hash"] = event_hash(key, prev, (row[c] for c in EVENT_COLUMNS))
    db.execute(
        "INSERT INTO events (id, case_id, at, happened_on, actor, action, detail, note, prev_hash, hash) "
        "VALUES (:id, :case_id, :at, :happened_on, :actor, :action, :detail, :note, :prev_hash, :hash)", row)
    db.execute("INSERT INTO chain_head (id, last_event_id, last_hash, key_id) VALUES (1, ?, ?, ?) "
               "ON CONFLICT(id) DO UPDATE SET last_event_id = excluded.last_event_id, "
               "last_hash = excluded.last_hash, key_id = excluded.key_id", [row["id"], row["hash"], kid])
    if case_id is not None:
        db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", [row["at"], case_id])
    return row


def wrong_key_sentence(theirs: str, ours: str) -> str:
    return (f"this case log's timeline is sealed with key {theirs}, but your key ({key_path()}) is {ours}; "
            f"a shared case log needs the team's key file named by $COMPACT_TUI_KEY_FILE (see the README).")


@record
class Head:
    events: int
    hash: str

    def __str__(self) -> str:
        return f"{self.events}:{self.hash}"

    @classmethod
    def parse(cls, text: str) -> Head:
        count, sep, digest = text.strip().partition(":")
        if not sep or not count.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise UserError(f"{text!r} is not a published head: give it as N:HASH, as 'compact-tui audit head' "
                            f"prints it (N events, a 64-character hash).")
        return cls(int(count), digest)


def head(db: LogDb) -> Head:
    """The count and hash of the last event, as ``chain_head`` records them."""
    row = db.execute("SELECT last_event_id, last_hash FROM chain_head WHERE id = 1").fetchone()
    return Head(row[0], row[1]) if row else Head(0, GENESIS)


@record
class AuditResult:
    events: int
    cases: int
    problems: list[str]
    head: Head = field(default_factory=lambda: Head(0, GENESIS))
    #: Problems an earlier version's check found that an officer accepted when the log was
    #: upgraded: reported each time, not counted against it.
    accepted: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what could not be checked, and why

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(db: LogDb | sqlite3.Connection, *, published: Head | None = None, limit_problems: int = 50,
           key: bytes | None = None, registry: Iterable[Compact] | None = None) -> AuditResult:
    """Check the whole case log: SQLite's integrity and foreign keys, the keyed chain, the
    published head if given, every table against the rows the events imply, and each case's
    story: every event a change its case could take in the state its events had left it in
    (``lifecycle.Replay``; a dispute's moves against its compact in ``registry``, if given)."""
    from .lifecycle import Replay

    given: Any = db
    conn: sqlite3.Connection = getattr(given, "conn", given)  # the Store's db, or a connection (or a stand-in)
    key = key if key is not None else load_key(create=False)
    problems = Problems(limit_problems)
    checks = _FileChecks(conn)
    checks.start()
    count, cases, last, accepted = 0, 0, Head(0, GENESIS), list[str]()
    replay = Replay({c.id: c for c in registry} if registry is not None else {})
    try:
        derived, count, last = _walk(conn, key, problems, published, replay)
        if not problems.full:
            _check_head(conn, key, problems, last)
        if not problems.full:
            cases = compare(conn, derived, problems)
        accepted = _found_at_upgrades(derived, problems)
    except Exception as exc:  # a damaged file stops the walk; SQLite's own check names it below
        if type(exc).__module__ != "sqlite3":
            raise
        problems.add(f"the file could not be read to the end ({exc})")
    checks.join()
    problems[0:0] = checks.problems
    return AuditResult(count, cases, list(problems), last, accepted, checks.notes)


def _found_at_upgrades(derived: Derived, problems: Problems) -> list[str]:
    """What the earlier check found when this log was upgraded: accepted, or a problem."""
    from .audit_unkeyed import found_at_upgrade

    accepted: list[str] = []
    for at, detail in derived.upgrades:
        for item in found_at_upgrade(at, detail):
            if item["accepted"]:
                accepted.append(f"[{item['code']}] {item['problem']} (found by the earlier version's check, and "
                                f"accepted when the log was upgraded on {item['on']})")
            else:
                problems.add(f"the log was upgraded on {item['on']} although the earlier version's check had found "
                             f"a problem, which nobody accepted: {item['problem']}")
    return accepted


def _walk(conn: sqlite3.Connection, key: bytes, problems: Problems, published: Head | None,
          replay: Replay | None = None) -> tuple[Derived, int, Head]:
    state = Derived()
    cases = state.cases
    story: list[str] = []  # the events the lifecycle could not have made, since the last upgrade
    prev, expected, count = GENESIS, 1, 0
    rows = EVENT_ROWS
    published_seen = published is None or published.events == 0
    for row in conn.execute("SELECT id, case_id, at, happened_on, actor, action, detail, note, prev_hash, hash "
                            "FROM events ORDER BY id"):
        count += 1
        event_id = row[0]
        if event_id != expected:
            if event_id > expected:
                problems.add(f"events row {expected}" + (f" to {event_id - 1}" if event_id - 1 > expected else "")
                             + " deleted")
        if row[8] != prev:
            problems.add(f"events row {event_id} does not follow the event before it (a row was removed or inserted)")
        message = (f"{row[8]}\0{event_id}\0{'' if row[1] is None else row[1]}\0{row[2]}\0{row[3]}\0{row[4]}\0"
                   f"{row[5]}\0{row[6]}\0{row[7]}")  # event_message, inlined: this loop runs a million times
        if blake2b(message.encode("utf-8"), key=key, digest_size=32).hexdigest() != row[9]:
            problems.add(f"events row {event_id} (case {row[1]}) was edited, or its hash was not made with this "
                         f"chain's key")
        elif message.count("\0") != 8:
            problems.add(f"events row {event_id} (case {row[1]}) holds a NUL character, which no event may")
        if published is not None and event_id == published.events:
            published_seen = True
            if row[9] != published.hash:
                problems.add(f"the published head {published} is not part of today's timeline: event "
                             f"{event_id}'s hash is now {row[9]} (the timeline was rewritten up to there)")
        prev, expected = row[9], event_id + 1
        handler = rows.get(row[5])
        if handler is None:
            problems.add(f"events row {event_id}: its kind {row[5]!r} is not one this version knows")
        elif row[1] is None and row[5] in CASE_EVENTS:
            problems.add(f"events row {event_id}: a {row[5]!r} event that names no case (its case_id was cleared)")
        elif row[6] != "{}" or row[5] in ("logged", "imported"):  # a case's first event is always replayed
            try:
                detail = json.loads(row[6])
                if replay is not None and row[1] is not None:
                    why = replay.check(row[5], row[1], cases.get(row[1]), detail)
                    if why is not None:
                        story.append(f"case {row[1]}, event {event_id} ({row[5]}): {why}")
                elif row[5] == "upgraded":  # the rows as they stood then: the story starts again
                    story.clear()
                handler(state, Event(event_id, row[1], row[2], row[4]), detail)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                problems.add(f"events row {event_id}: its detail cannot be read ({type(exc).__name__})")
        else:
            handler(state, Event(event_id, row[1], row[2], row[4]), {})
        if problems.full:
            break
    for text in story:
        problems.add(text)
    if not published_seen:
        problems.add(f"the published head {published} is not part of today's timeline: it has only {count} events "
                     f"(events were removed)")
    return state, count, Head(expected - 1, prev)


def _check_head(conn: sqlite3.Connection, key: bytes, problems: Problems, last: Head) -> None:
    row = conn.execute("SELECT last_event_id, last_hash, key_id FROM chain_head WHERE id = 1").fetchone()
    if row is None:
        if last.events:
            problems.add("chain_head: the record of the timeline's last event is missing")
        return
    if row[2] and row[2] != key_id(key):
        problems.insert(0, wrong_key_sentence(row[2], key_id(key)))
    if row[0] != last.events or row[1] != last.hash:
        problems.add(f"chain_head: the timeline should end at event {row[0]} but ends at {last.events} "
                     f"(events deleted from the end, or the head was altered)")


class _FileChecks:
    """SQLite's integrity and foreign-key checks, and the tables derived from ``cases`` rather
    than from the events (the search index: ``text_index.check``), on a second connection to
    the same file, run on a thread beside the chain walk (SQLite lets go of Python's lock
    while it works)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.problems: list[str] = []
        self.notes: list[str] = []
        self.path = next((r[2] for r in conn.execute("PRAGMA database_list") if r[1] == "main"), "")
        self.conn = conn if not self.path else None
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        from pathlib import Path

        try:
            conn = self.conn or sqlite3.connect(Path(self.path).as_uri() + "?mode=ro", uri=True)
            found = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
            if found != ["ok"]:
                self.problems.append("the file is damaged: SQLite's integrity check says: " + "; ".join(found[:5]))
            for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check"):
                if len(self.problems) >= 20:
                    break
                self.problems.append(f"{table} row {rowid} refers to a {parent} row that does not exist")
            if self.conn is None:
                conn.close()
                # the search index's own check is an INSERT (that writes nothing): a connection that
                # may write, where the file lets it (SQLite opens a read-only file for reading)
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            found, note = text_index.check(conn)
            self.problems += found
            self.notes += [note] if note else []
            if self.conn is None:
                conn.close()
        except sqlite3.DatabaseError as exc:
            self.problems.append(f"the file is damaged: SQLite says: {exc}")

    def start(self) -> None:
        if self.conn is not None:  # an in-memory database: no second connection; check inline
            self.run()
            return
        import threading

        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def join(self) -> None:
        if self.thread is not None:
            self.thread.join()
