"""The case log's SQLite file: where it lives, how it is opened and brought up to date.

One :class:`Store` per process opens the file once, migrates it (the migrations are in
:mod:`compact_tui.caselog.schema_migrations`), and hands out write transactions (``BEGIN
IMMEDIATE``, so concurrent writers queue on the busy timeout rather than failing). The file is
created readable by its owner only; share it with a team through a group (see the README).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager

from .case_list import DB_ENV, db_path_and_default, default_db_path, read_only_uri  # noqa: F401 (where the file is)
from .connection import Connection, explain  # noqa: F401 (explain: the cli imports it from here)
from ..errors import UserError
from .schema_migrations import migrations, schema_version

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .connection import Parameters
    from typing import Any

BUSY_TIMEOUT_MS = 30_000


class Store:
    """The open case-log database."""

    #: The file (None for a log in memory), as given (``~`` expanded).
    path: str | None
    #: Why this file cannot be written (read-only, or a newer schema), or None.
    refusal: str | None

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
        self.refusal = None
        if memory:
            self.path = None
            conn = sqlite3.connect(":memory:")
        else:
            conn = self._open_file(path, check_only=check_only)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        self.db = Connection(conn)
        try:
            applied = migrations.applied(self.db)
            self._check_is_ours(applied)
            self.refusal = self._newer_schema(applied) or self.refusal
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("PRAGMA cell_size_check=ON")
            if self.refusal is None:
                self._bring_up_to_date(applied, announce=announce, accept=accept, progress=progress)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise UserError(explain(exc, self.path)) from None
        except UserError:
            conn.close()
            raise

    def _open_file(self, path: str | os.PathLike[str] | None, *, check_only: bool) -> sqlite3.Connection:
        """Connect to the file at ``path`` (the default one if None), created if it does not
        exist (unless ``check_only``); read-only, with ``refusal`` saying why, when it is only
        to be checked or is not writable for this user."""
        if path:
            file, is_default = os.path.expanduser(path), False
        else:
            file, is_default = db_path_and_default()
        self.path = file
        if check_only:
            if not os.path.isfile(file):
                raise UserError(f"there is no case log at {file} to check.")
            self.refusal = f"the case log {file} is open to be checked only."
        else:
            _create_private(file, make_folder=is_default)
        if check_only or not os.access(file, os.W_OK):
            self.refusal = self.refusal or (f"the database {file} is read-only for you: it can be read, "
                                            f"but nothing can be written to it.")
            return sqlite3.connect(read_only_uri(file), uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        return sqlite3.connect(file, timeout=BUSY_TIMEOUT_MS / 1000)

    def _bring_up_to_date(self, applied: list[str], *, announce: Callable[[str], None] | None,
                          accept: Collection[str], progress: Callable[[int, int, str], None] | None) -> None:
        """Switch a writable file to WAL and apply the migrations it lacks. An earlier version's
        log is upgraded before anything else touches it, so an upgrade refused (chain_upgrade)
        leaves it byte for byte as it was; a new file goes to WAL first."""
        pending = bool(set(migrations.names) - set(applied))
        upgrading = bool(applied) and pending
        in_file = self.path is not None
        if in_file and not upgrading:
            self._use_wal()
        self.db.execute("PRAGMA synchronous=NORMAL")
        if pending:
            self._migrate(announce=announce, accept=accept, progress=progress)
        if in_file and upgrading:
            self._use_wal()

    def _migrate(self, *, announce: Callable[[str], None] | None, accept: Collection[str],
                 progress: Callable[[int, int, str], None] | None) -> None:
        """Apply the pending migrations under the write lock, so two first runs cannot both
        migrate; which are pending is asked again under it (another process may have just
        migrated). sqlite-utils and the chain's upgrade are imported only here."""
        with self.write():
            had = migrations.applied(self.db)
            if not set(migrations.names) - set(had):
                return
            if had and announce is not None:
                announce(f"bringing the case log {self.path} up to this version's schema "
                         f"(version {schema_version(had)} to {schema_version(migrations.names)}); "
                         f"this happens once, and takes a few seconds on a large log...")
            from .chain_upgrade import accepting

            with accepting(accept):
                migrations.apply(self.db, progress=progress)

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


def _create_private(path: str, make_folder: bool) -> None:
    """Create the file, owner-only (or 0660 in a shared group folder), if it does not exist
    yet. Only the default data folder is created; a named one must exist already."""
    from ..files import create_file, make_private_dirs, new_file_mode, parent

    if os.path.exists(path):
        if os.path.isdir(path):
            raise UserError(f"{path} is a folder, not a database file.")
        return
    folder = parent(path)
    if make_folder:
        make_private_dirs(folder)
    elif not os.path.isdir(folder):
        raise UserError(f"the folder {folder} does not exist, so there is no case log at {path}; "
                        f"check the path (--db or ${DB_ENV}), or create the folder first.")
    try:
        os.close(create_file(path, new_file_mode(path)))
    except FileExistsError:
        pass
    except OSError as exc:
        raise UserError(f"cannot create the database {path}: {exc.strerror or exc}.") from None
