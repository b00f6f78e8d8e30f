"""The index of the words in each case's title and parties (free words in the Cases filter).

An SQLite FTS5 table with the trigram tokenizer, made by migration m007. It holds no text of
its own: its content is the ``cases`` table (``content='cases'``), and three triggers on
``cases`` keep its index in step with every insert, change and delete of a title or parties,
whoever writes them (the case log, an import, ``sqlite3`` behind the app's back), in the same
transaction. It is *derived* from ``cases`` as ``cases`` is derived from the events, so it is
not evidence; but an index that has lost a case hides that case from every search, so
``audit verify`` checks it (:func:`check`): the table and its triggers are exactly as m007
made them, and the index holds exactly the words of every case (FTS5's own integrity check
against its content table).

A search never trusts the index alone: the list's query asks the index which cases may hold
each word of three or more letters, and then tests the word against the case's own title and
parties (``LIKE``), so an entry added to the index by hand cannot put a case in a list. A
word of one or two letters is not in a trigram index; it is tested on every case (such words
match many cases, so the first page fills at once).
"""

from __future__ import annotations

from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import sqlite3

    #: ``execute(sql, parameters=None)``: a connection's, ours or sqlite3's
    Execute = Callable[..., Any]

TABLE = "cases_text"
MIGRATION = "m007_case_text_index"
#: The tables this one consists of (FTS5's shadow tables): derived, not evidence.
SHADOW_TABLES = tuple(f"{TABLE}_{part}" for part in ("data", "idx", "docsize", "config"))
#: Shortest word the index can answer for (the trigram tokenizer's tokens are 3 characters).
MIN_WORD = 3

CREATE_TABLE = (f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, parties, content='cases', "
                f"content_rowid='id', tokenize='trigram', detail=none)")
_ADD = f"INSERT INTO {TABLE}(rowid, title, parties) VALUES (new.id, new.title, new.parties);"
_REMOVE = f"INSERT INTO {TABLE}({TABLE}, rowid, title, parties) VALUES ('delete', old.id, old.title, old.parties);"
#: name -> the statement, exactly as SQLite keeps it in ``sqlite_master`` (verify compares them).
TRIGGERS = {
    f"{TABLE}_after_insert": f"CREATE TRIGGER {TABLE}_after_insert AFTER INSERT ON cases BEGIN {_ADD} END",
    f"{TABLE}_after_update": (f"CREATE TRIGGER {TABLE}_after_update AFTER UPDATE OF title, parties ON cases "
                              f"BEGIN {_REMOVE} {_ADD} END"),
    f"{TABLE}_after_delete": f"CREATE TRIGGER {TABLE}_after_delete AFTER DELETE ON cases BEGIN {_REMOVE} END",
}
REBUILD = f"INSERT INTO {TABLE}({TABLE}) VALUES ('rebuild')"


def create(execute: Execute) -> None:
    """Make the index and its triggers, and index every case there is (m007)."""
    execute(CREATE_TABLE)
    for statement in TRIGGERS.values():
        execute(statement)
    execute(REBUILD)


def rebuild(execute: Execute) -> None:
    """Make the index and its triggers again from the cases (``audit reindex``), whatever
    state they were left in."""
    import sqlite3

    for name in TRIGGERS:
        execute(f"DROP TRIGGER IF EXISTS {name}")
    try:
        execute(f"DROP TABLE IF EXISTS {TABLE}")
    except sqlite3.DatabaseError:  # one of its own tables is gone or damaged, so FTS5 cannot open
        # it to drop it: take it out of the schema by hand (SQLite's documented way), then those tables
        version = execute("PRAGMA schema_version").fetchone()[0]
        execute("PRAGMA writable_schema = ON")
        execute("DELETE FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE])
        execute(f"PRAGMA schema_version = {version + 1}")  # so SQLite reads the schema again
        execute("PRAGMA writable_schema = OFF")
        for name in SHADOW_TABLES:
            execute(f"DROP TABLE IF EXISTS {name}")
    create(execute)


def match(words: list[str]) -> str | None:
    """The FTS5 query for the cases that may hold every one of ``words``: each three letters
    of each word, in any order (the index keeps which cases hold a trigram, not where: it is
    a quarter the size, and the list tests the words themselves); ``None`` if no word is long
    enough to look up."""
    trigrams = dict.fromkeys(w[i:i + MIN_WORD] for w in words for i in range(len(w) - MIN_WORD + 1))
    if not trigrams:
        return None
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in trigrams)


def check(conn: sqlite3.Connection) -> tuple[list[str], str | None]:
    """What is wrong with the index, in sentences (none if it is as m007 made it and holds
    exactly the cases' words), and a note if part of it could not be checked (FTS5's check is
    an ``INSERT``: a file open only for reading cannot run it). Run by ``audit verify``."""
    import sqlite3

    made = conn.execute("SELECT 1 FROM sqlite_master WHERE name = '_sqlite_migrations'").fetchone() and \
        conn.execute("SELECT 1 FROM _sqlite_migrations WHERE name = ?", [MIGRATION]).fetchone()
    if not made:  # an older case log, open only for reading: it has no index yet
        return [], None
    problems = []
    table = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE]).fetchone()
    if table is None:
        return [f"the search index {TABLE} is missing, so free words in the Cases filter cannot be looked "
                f"up ('compact-tui audit reindex' makes it again)"], None
    if _same(table[0]) != _same(CREATE_TABLE):
        problems.append(f"the search index {TABLE} was altered: it is not the table migration {MIGRATION} made")
    have = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    for name, sql in TRIGGERS.items():
        found = have.pop(name, None)
        if found is None:
            problems.append(f"the trigger {name} is missing, so the search index no longer follows the cases")
        elif _same(found) != _same(sql):
            problems.append(f"the trigger {name} was altered: it is not the one migration {MIGRATION} made")
    for name in sorted(have):  # a trigger runs on every write: one nobody made can change anything
        problems.append(f"a trigger {name} was added by hand: no version of compact-tui makes it")
    try:
        conn.execute(f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('integrity-check', 1)")
    except sqlite3.DatabaseError as exc:
        if "readonly" in str(exc):
            return problems, "the search index was not checked against the cases: the file is open only for reading"
        problems.append(f"the search index {TABLE} does not hold exactly the words of every case ({exc}: edited "
                        f"by hand, or cases written while its triggers were gone), so a search can miss a case; "
                        f"'compact-tui audit reindex' makes it again from the cases")
    return problems, None


def _same(sql: str) -> str:
    return " ".join(sql.split())
