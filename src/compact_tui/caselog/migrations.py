"""How the case log's migrations are kept: which are applied is read with one plain query;
applying them is sqlite-utils' work.

Every command opens the file and asks whether a migration is pending, but one is applied only
once per file: so asking is plain SQL on sqlite-utils' own ``_sqlite_migrations`` table (the
same rows, the same order), and sqlite-utils, whose import would be a large share of a
``log``'s time (docs/performance.md, "Hand-written beside a library"), is imported only when there is
something to apply. The migrations themselves live in
:mod:`compact_tui.caselog.schema_migrations`; each is given a ``sqlite_utils.Database``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Migration = Callable[[Any], None]  # given a sqlite_utils.Database

MIGRATIONS_TABLE = "_sqlite_migrations"


class Migrations:
    """A named, ordered set of migrations (sqlite-utils' ``Migrations`` underneath)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._functions: list[tuple[str, Migration]] = []

    def __call__(self, *, name: str) -> Callable[[Migration], Migration]:
        def register(function: Migration) -> Migration:
            if name in self.names:
                raise ValueError(f"migration {name!r} is already in set {self.name!r}")
            self._functions.append((name, function))
            return function

        return register

    @property
    def names(self) -> list[str]:
        """Every migration this version knows, in the order they apply."""
        return [name for name, _ in self._functions]

    def applied(self, db: Any) -> list[str]:
        """The names applied to ``db`` (a connection, ours or sqlite-utils'), in order."""
        conn: sqlite3.Connection = getattr(db, "conn", db)
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        [MIGRATIONS_TABLE]).fetchone() is None:
            return []
        return [row[0] for row in conn.execute(
            f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", [self.name])]

    def pending(self, db: Any) -> list[str]:
        done = set(self.applied(db))
        return [name for name in self.names if name not in done]

    def apply(self, db: Any, *, stop_before: str | Iterable[str] | None = None,
              progress: Callable[[int, int, str], None] | None = None) -> None:
        """Apply what is pending, each migration in a transaction with its record.
        ``progress(step, steps, name)`` is told as each pending migration begins."""
        from sqlite_utils import Database
        from sqlite_utils.migrations import Migrations as SqliteUtilsMigrations

        conn: sqlite3.Connection = getattr(db, "conn", db)
        work = SqliteUtilsMigrations(self.name)
        pending = self.pending(db)
        for name, function in self._functions:
            if progress is not None and name in pending:
                function = _told(function, progress, pending.index(name) + 1, len(pending), name)
            work(name=name)(function)
        work.apply(db if isinstance(db, Database) else Database(conn, execute_plugins=False), stop_before=stop_before)


def _told(function: Migration, progress: Callable[[int, int, str], None], step: int, steps: int,
          name: str) -> Migration:
    def migration(db: Any) -> None:
        progress(step, steps, name)
        function(db)

    return migration
