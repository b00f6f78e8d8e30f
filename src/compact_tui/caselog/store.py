"""The case log's SQLite file: where it lives, how it is opened, its schema and migrations.

One :class:`Store` per process opens the file once, migrates it, and hands out write
transactions (``BEGIN IMMEDIATE``, so concurrent writers queue on the busy timeout rather
than failing). The file is created readable by its owner only; share it with a team
through a group (see the README).
"""

# long module: the six migrations, in the order they shipped, live with the Store that applies them; they move to a module of their own next
from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .case_list import DB_ENV, db_path_and_default, default_db_path  # noqa: F401 (where the file is)
from .connection import Connection, Parameters, explain  # noqa: F401 (explain: the cli imports it from here)
from ..errors import UserError
from .migrations import Migrations

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 30_000
MIGRATION_SET = "compact_tui"

migrations = Migrations(MIGRATION_SET)


# long: a shipped migration never changes: the first schema, one script as it shipped
@migrations(name="m001_initial")
def m001_initial(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE organisations (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            side TEXT NOT NULL,
            locality TEXT NOT NULL DEFAULT '',
            champion TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE TABLE signatures (
            organisation_id INTEGER NOT NULL REFERENCES organisations(id),
            compact TEXT NOT NULL,
            signed_on TEXT NOT NULL,
            PRIMARY KEY (organisation_id, compact)
        );
        CREATE INDEX signatures_compact ON signatures(compact, signed_on);
        CREATE TABLE cases (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            compact TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            stage TEXT,
            stage_since TEXT,
            outcome TEXT,
            opened TEXT NOT NULL,
            start TEXT, "end" TEXT, notified TEXT, effective TEXT, period_end TEXT, "on" TEXT,
            reason TEXT NOT NULL DEFAULT '',
            in_writing INTEGER,
            confidential INTEGER NOT NULL DEFAULT 0,
            due TEXT,
            due_what TEXT,
            parties TEXT NOT NULL DEFAULT '',
            cites TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX cases_compact_kind ON cases(compact, kind, id);
        CREATE INDEX cases_kind ON cases(kind, id);
        CREATE INDEX cases_status_due ON cases(status, due);
        CREATE INDEX cases_compact_kind_on ON cases(compact, kind, "on");
        CREATE INDEX cases_opened ON cases(opened);
        CREATE TABLE case_parties (
            case_id INTEGER NOT NULL REFERENCES cases(id),
            name TEXT NOT NULL COLLATE NOCASE,
            organisation_id INTEGER REFERENCES organisations(id)
        );
        CREATE INDEX case_parties_case ON case_parties(case_id);
        CREATE INDEX case_parties_name ON case_parties(name);
        CREATE TABLE case_cites (
            case_id INTEGER NOT NULL REFERENCES cases(id),
            ref TEXT NOT NULL
        );
        CREATE INDEX case_cites_case ON case_cites(case_id);
        CREATE INDEX case_cites_ref ON case_cites(ref, case_id);
        CREATE TABLE findings (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            compact TEXT NOT NULL,
            rule_id TEXT NOT NULL,
            ref TEXT NOT NULL,
            severity TEXT NOT NULL,
            message TEXT NOT NULL,
            due TEXT
        );
        CREATE INDEX findings_case ON findings(case_id);
        CREATE INDEX findings_compact ON findings(compact, severity);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            at TEXT NOT NULL,
            happened_on TEXT NOT NULL,
            actor TEXT NOT NULL,
            action TEXT NOT NULL,
            detail TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        CREATE INDEX events_case ON events(case_id, id);
        CREATE TABLE chain_head (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            last_event_id INTEGER NOT NULL,
            last_hash TEXT NOT NULL
        );
        """
    )


@migrations(name="m002_disputes_waiting")
def m002_disputes_waiting(db: Database) -> None:
    """Open disputes by how long they have waited at their stage, for the deadlines list."""
    db.execute("CREATE INDEX cases_kind_status_since ON cases(kind, status, stage_since)")


@migrations(name="m003_keyed_chain")
def m003_keyed_chain(db: Database) -> None:
    """Events may be about an organisation (no case); the chain is sealed with a key. An
    older log's events are re-sealed and an ``upgraded`` event records its rows as they stood."""
    from .chain_upgrade import seal_older_log

    seal_older_log(db)


@migrations(name="m004_case_owner")
def m004_case_owner(db: Database) -> None:
    """Each case has an owner, the officer who holds it: at first whoever logged it (as the
    ``logged`` event implies, so ``audit verify`` agrees), changed by an ``owner-changed`` event."""
    db.execute("ALTER TABLE cases ADD COLUMN owner TEXT NOT NULL DEFAULT ''")
    db.execute("UPDATE cases SET owner = created_by")
    db.execute("CREATE INDEX cases_owner ON cases(owner, id)")


@migrations(name="m005_attachments")
def m005_attachments(db: Database) -> None:
    """Evidence files kept with a case: numbered per case, their bytes and SHA-256 (which the
    ``attached`` event carries onto the hash chain)."""
    db.executescript(
        """
        CREATE TABLE attachments (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES cases(id),
            n INTEGER NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            content BLOB NOT NULL,
            UNIQUE (case_id, n)
        );
        """
    )


#: m006's indexes. Each ends in a sort's columns exactly as ``case_list.SORTS`` orders them,
#: so SQLite reads the rows in that order (a test checks ``EXPLAIN QUERY PLAN`` for each).
_BY_DUE = '("due" IS NULL), "due", "id" DESC'
_BY_TITLE = '"title" COLLATE NOCASE, "id" DESC'
CASE_LIST_INDEXES = (
    f'CREATE INDEX cases_by_due ON cases({_BY_DUE}, status, title, parties)',
    f'CREATE INDEX cases_by_title ON cases({_BY_TITLE}, status, parties)',
    'CREATE INDEX cases_compact_by_id ON cases(compact, "id")',
    f'CREATE INDEX cases_compact_by_due ON cases(compact, {_BY_DUE})',
    f'CREATE INDEX cases_compact_by_title ON cases(compact, {_BY_TITLE})',
    f'CREATE INDEX cases_kind_by_due ON cases(kind, {_BY_DUE})',
    f'CREATE INDEX cases_kind_by_title ON cases(kind, {_BY_TITLE})',
    'CREATE INDEX cases_status_by_id ON cases(status, "id")',
    f'CREATE INDEX cases_status_by_due ON cases(status, {_BY_DUE})',
    f'CREATE INDEX cases_status_by_title ON cases(status, {_BY_TITLE})',
    f'CREATE INDEX cases_owner_by_due ON cases(owner, {_BY_DUE})',
    f'CREATE INDEX cases_owner_by_title ON cases(owner, {_BY_TITLE})',
    f'CREATE INDEX cases_compact_kind_by_due ON cases(compact, kind, {_BY_DUE})',
    f'CREATE INDEX cases_compact_kind_by_title ON cases(compact, kind, {_BY_TITLE})',
    'CREATE INDEX findings_severity ON findings(severity, case_id)',
)


#: m008's index: ``report._in_year`` reads through it (the same expression, so SQLite uses it).
REPORT_YEAR_INDEX = ('CREATE INDEX cases_compact_year ON cases(compact, coalesce("on", opened), status, '
                     'confidential, kind)')


@migrations(name="m006_case_list_sorts")
def m006_case_list_sorts(db: Database) -> None:
    """Indexes that give the Cases list's first page in each of its sorts (``case_list.SORTS``)
    without sorting the matching cases: for no filter, and for ``compact:``, ``kind:``,
    ``status:``, ``owner:`` (and ``mine``) and ``compact:`` with ``kind:``. The id sorts of
    ``kind``, ``owner`` and ``compact`` with ``kind`` had theirs already (m001, m004). The two
    unfiltered ones also hold what a free-text search and the default status test read, so a
    word that matches nothing is one pass over the index, not a look-up of every case. And
    ``finding:`` finds its cases by severity. Indexes only: no row changes, so the events
    (``audit verify``) are untouched."""
    for statement in CASE_LIST_INDEXES:
        db.execute(statement)


@migrations(name="m007_case_text_index")
def m007_case_text_index(db: Database) -> None:
    """The index of the words in each case's title and parties (``text_index.py``), kept in
    step with ``cases`` by triggers, so a free word few cases hold is looked up rather than
    tested on every case. Derived from ``cases`` (no row changes, no event); ``audit verify``
    checks it against them."""
    from .text_index import create

    create(db.execute)


@migrations(name="m008_report_year")
def m008_report_year(db: Database) -> None:
    """An index of each compact's cases by the day that puts them in a year (``on``, else
    ``opened``: ``report._in_year``), carrying what the annual report counts them by, so a
    year's report reads that year's cases, not every case of the compact (1.1 s of queries for
    Essex's 3,573 cases of 2025 among its 30,000). Index only: no row changes, no event."""
    db.execute(REPORT_YEAR_INDEX)


def schema_version(names: Iterable[str]) -> int:
    """The highest ``mNNN_`` migration number among ``names`` (0 if none)."""
    numbers = [int(n[1:4]) for n in names if len(n) > 4 and n[0] == "m" and n[1:4].isdigit()]
    return max(numbers, default=0)


class Store:
    """The open case-log database."""

    # long: opening, refusing and upgrading the file are one sequence here; each to a method of its own next
    def __init__(self, path: str | os.PathLike[str] | None = None, *, memory: bool = False,
                 announce: Callable[[str], None] | None = None, check_only: bool = False,
                 accept: Collection[str] = (), progress: Callable[[int, int, str], None] | None = None) -> None:
        """Open (and create, or bring up to date) the case log. ``announce`` is told, in one
        sentence, before an existing log is upgraded to this version's schema (the command
        line prints it: on a large log that takes a few seconds, once); ``progress(step,
        steps, name)`` as each migration of that upgrade begins (the app shows it). ``accept``:
        the codes of problems an earlier version's check found that the upgrade may seal
        (``chain_upgrade``).

        ``check_only`` opens an existing file read-only, exactly as it is: not created, not
        switched to WAL, not upgraded (``audit verify`` must not change what it checks)."""
        #: Why this file cannot be written (read-only, or a newer schema), or None.
        self.refusal: str | None = None
        if memory:
            conn = sqlite3.connect(":memory:")
            self.path: Path | None = None
        else:
            if path:
                self.path, is_default = Path(path).expanduser(), False
            else:
                self.path, is_default = db_path_and_default()
            if check_only:
                if not self.path.is_file():
                    raise UserError(f"there is no case log at {self.path} to check.")
                self.refusal = f"the case log {self.path} is open to be checked only."
            else:
                _create_private(self.path, make_folder=is_default)
            if check_only or not os.access(self.path, os.W_OK):
                self.refusal = self.refusal or (f"the database {self.path} is read-only for you: it can be read, "
                                                f"but nothing can be written to it.")
                conn = sqlite3.connect(self.path.resolve().as_uri() + "?mode=ro", uri=True,
                                       timeout=BUSY_TIMEOUT_MS / 1000)
            else:
                conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db = Connection(conn)
        try:
            applied = migrations.applied(self.db)
            self._check_is_ours(applied)
            newer = self._newer_schema(applied)
            if newer:
                self.refusal = newer
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA cell_size_check=ON")
            if self.refusal is None:
                # An earlier version's log is upgraded before anything else touches it, so an upgrade
                # refused (chain_upgrade) leaves it byte for byte as it was; a new file goes to WAL first.
                upgrading = bool(applied) and bool(set(migrations.names) - set(applied))
                if not memory and not upgrading:
                    self._use_wal()
                self.db.execute("PRAGMA synchronous=NORMAL")
                if set(migrations.names) - set(applied):
                    with self.write():  # holds the write lock, so two first runs cannot both migrate
                        had = migrations.applied(self.db)  # again: another process may have just migrated
                        if set(migrations.names) - set(had):
                            if had and announce is not None:
                                announce(f"bringing the case log {self.path} up to this version's schema "
                                         f"(version {schema_version(had)} to {schema_version(migrations.names)}); "
                                         f"this happens once, and takes a few seconds on a large log...")
                            from .chain_upgrade import accepting

                            with accepting(accept):
                                migrations.apply(self.db, progress=progress)
                if upgrading and not memory:
                    self._use_wal()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise UserError(explain(exc, self.path)) from None
        except UserError:
            conn.close()
            raise

    def _use_wal(self) -> None:
        """Switch the file to WAL once. SQLite refuses the switch at once (no busy wait) while
        another process has the new file open, so several first runs retry until the timeout."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                if self.db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                import random  # only here: a first run waiting on another's

                time.sleep(0.005 + random.random() * 0.02)

    def _check_is_ours(self, applied: list[str]) -> None:
        """A file with tables but none of our migrations applied is someone else's."""
        if not applied and self.db.table_names():
            raise UserError(f"{self.path} is a SQLite database but not a compact-tui case log.")

    def _newer_schema(self, applied: list[str]) -> str | None:
        """A sentence if a newer compact-tui has migrated this file past what this one knows."""
        known = set(migrations.names)
        if set(applied) <= known:
            return None
        from .. import __version__

        return (f"{self.path} was changed by a newer compact-tui (its schema is version "
                f"{schema_version(applied)}; compact-tui {__version__} knows up to version {schema_version(known)}): "
                f"it can be read but not written; upgrade compact-tui to change it.")

    @property
    def schema_current(self) -> bool:
        """True once every migration this version knows has been applied."""
        return not migrations.pending(self.db)

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """One write transaction: everything inside is committed together, or nothing is."""
        if self.refusal:
            raise UserError(self.refusal)
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise UserError(explain(exc, self.path)) from None
        try:
            yield self.db
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        else:
            try:
                conn.execute("COMMIT")
            except sqlite3.OperationalError as exc:
                conn.execute("ROLLBACK")
                raise UserError(explain(exc, self.path)) from None

    def query(self, sql: str, params: Parameters = ()) -> list[dict[str, Any]]:
        return list(self.db.query(sql, params))

    def one(self, sql: str, params: Parameters = ()) -> dict[str, Any] | None:
        return next(self.db.query(sql, params), None)

    def close(self) -> None:
        self.db.close()


def _create_private(path: Path, make_folder: bool) -> None:
    """Create the file, owner-only (or 0660 in a shared group folder), if it does not exist
    yet. Only the default data folder is created; a named one must exist already."""
    from ..files import create_file, make_private_dirs, new_file_mode

    if path.exists():
        if path.is_dir():
            raise UserError(f"{path} is a folder, not a database file.")
        return
    if make_folder:
        make_private_dirs(path.parent)
    elif not path.parent.is_dir():
        raise UserError(f"the folder {path.parent} does not exist, so there is no case log at {path}; "
                        f"check the path (--db or ${DB_ENV}), or create the folder first.")
    try:
        os.close(create_file(path, new_file_mode(path)))
    except FileExistsError:
        pass
    except OSError as exc:
        raise UserError(f"cannot create the database {path}: {exc.strerror or exc}.") from None
