"""The case log's open SQLite connection: the few calls the core makes on it, in plain sqlite3.

A :class:`~compact_tui.caselog.store.Store` hands this out as ``store.db``. It offers the calls the
core uses (``execute``, ``query``, ``executescript``, ``table_names``, ``conn``, ``close``),
with sqlite-utils' meaning: a statement run outside a transaction is committed at once, and
``query`` yields each row as a dict. sqlite-utils itself is imported only to apply a
migration (:meth:`compact_tui.caselog.migrations.Migrations.apply`), because importing it would be
a large share of a ``log``'s time (figures: docs/performance.md, "Hand-written beside a library").

The connection runs in SQLite's own autocommit mode (``isolation_level=None``): Python
never opens a transaction behind our back, and every transaction the core makes is its own
``BEGIN IMMEDIATE`` ... ``COMMIT`` (:meth:`compact_tui.caselog.store.Store.write`). It turns
``recursive_triggers`` on as ``sqlite_utils.Database`` does, so a connection behaves the same
whether or not a migration was applied on it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence

#: Names for mypy only, as in every module ``log`` imports: importing ``typing`` (and making a
#: Protocol with it) would cost each command more than parsing its arguments does.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Protocol

    #: Values for the ``?`` or ``:name`` placeholders of a statement.
    Parameters = Sequence[Any] | Mapping[str, Any]

    class LogDb(Protocol):
        """What the core's SQL asks of an open case log: a :class:`Connection`, or the
        ``sqlite_utils.Database`` a migration is given (the same calls, with the same meaning)."""

        conn: sqlite3.Connection

        def execute(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None, /) -> sqlite3.Cursor: ...

        def query(self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None, /) -> Iterator[dict[str, Any]]: ...


class Connection:
    """An open case-log file (or ``:memory:``)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        conn.isolation_level = None
        conn.execute("PRAGMA recursive_triggers=on")
        self.conn = conn

    def execute(self, sql: str, parameters: Parameters | None = None) -> sqlite3.Cursor:
        return self.conn.execute(sql) if parameters is None else self.conn.execute(sql, parameters)

    def query(self, sql: str, parameters: Parameters | None = None) -> Iterator[dict[str, Any]]:
        """Each row of ``sql`` as a dict of column name -> value (the statement runs at once)."""
        cursor = self.execute(sql, parameters)
        if cursor.description is None:
            raise ValueError("query() is for SQL that returns rows; use execute() for other statements")
        keys = [d[0] for d in cursor.description]
        return (dict(zip(keys, row)) for row in cursor)

    def executescript(self, sql: str) -> None:
        """Several statements; inside an open transaction they stay part of it (sqlite3's own
        ``executescript`` would commit it first)."""
        if not self.conn.in_transaction:
            self.conn.executescript(sql)
            return
        statement = ""
        for line in sql.splitlines(keepends=True):
            statement += line
            if sqlite3.complete_statement(statement):
                self.conn.execute(statement)
                statement = ""
        if statement.strip():
            self.conn.execute(statement)

    def table_names(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        self.conn.close()


def explain(exc: sqlite3.DatabaseError, path: object) -> str:
    """One sentence for a database error met anywhere."""
    text = str(exc)
    if "locked" in text or "busy" in text:
        return f"the database {path} is locked by another process; try again in a moment."
    if "malformed" in text or "corrupt" in text:
        return (f"the database {path} is damaged ({text}); nothing more was written to it. "
                f"Restore it from a backup ('compact-tui audit verify' says what SQLite found).")
    if "not a database" in text or "file is encrypted" in text:
        return f"{path} is not a compact-tui database (it is not a SQLite file)."
    if "readonly" in text or "read-only" in text:
        return f"the database {path} is read-only for you: it can be read, but nothing can be written to it."
    if "unable to open" in text:
        return f"cannot open the database {path}: {text}."
    return f"database error in {path}: {text}."
