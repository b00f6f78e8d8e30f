"""The case log's schema, migration by migration, in the order they shipped.

Each ``mNNN_what`` below is registered on :data:`migrations` and is given a
``sqlite_utils.Database`` when it is applied (:class:`~compact_tui.caselog.store.Store` applies
what is pending when it opens a file). Which are applied, and applying them, is
:mod:`compact_tui.caselog.migrations`' work: asking is one plain query, and sqlite-utils is
imported only when one is due. A shipped migration never changes; a new one goes at the end
(ARCHITECTURE.md, "A migration"), and the list's read-only first page
(``case_list.MIGRATIONS``) takes the names from here.
"""

from __future__ import annotations

from collections.abc import Iterable

from .migrations import Migrations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from sqlite_utils import Database

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
    year's report reads that year's cases, not every case of the compact (figures:
    docs/performance.md). Index only: no row changes, no event."""
    db.execute(REPORT_YEAR_INDEX)


def schema_version(names: Iterable[str]) -> int:
    """The highest ``mNNN_`` migration number among ``names`` (0 if none)."""
    numbers = [int(n[1:4]) for n in names if len(n) > 4 and n[0] == "m" and n[1:4].isdigit()]
    return max(numbers, default=0)
