"""The list of cases: where the case log is, the filter, the sorts and the one query.

Kept apart from :mod:`compact_tui.caselog.case_log` (which writes cases and imports sqlite-utils, the
audit chain and the model) so the app can draw the Cases list's first page straight from the
file (:func:`first_page`) before any of that is imported; the case log itself is opened when
something needs it. No textual here.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Mapping

from ..record import record
from ..errors import UserError
from ..text import check_text, quoted
from .schema_migrations import MIGRATION_SET, migrations, schema_version
from .text_index import TABLE as TEXT_INDEX
from .text_index import MIN_WORD, match

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import sqlite3

DB_ENV = "COMPACT_TUI_DB"
#: The case log's migrations, in order, as ``schema_migrations`` registers them. A file with
#: exactly these applied can be read without sqlite-utils.
MIGRATIONS = tuple(migrations.names)

SORTS = {"newest": '"id" DESC', "oldest": '"id" ASC', "due": '"due" IS NULL, "due" ASC, "id" DESC',
         "title": '"title" COLLATE NOCASE ASC, "id" DESC'}
#: A case's worst finding (``breach``, else ``warning``, else NULL), for the list's B/W mark.
WORST_FINDING = ("(SELECT CASE WHEN max(severity = 'breach') THEN 'breach' WHEN count(*) THEN 'warning' END "
                 "FROM findings WHERE case_id = cases.id)")
#: The rules of that worst finding (one a line), for whether the mark is our reading (``mark_readings``).
WORST_RULES = ("(SELECT group_concat(rule_id, char(10)) FROM findings WHERE case_id = cases.id AND severity = "
               "CASE WHEN EXISTS (SELECT 1 FROM findings WHERE case_id = cases.id AND severity = 'breach') "
               "THEN 'breach' ELSE 'warning' END)")
COLUMNS = ("id, compact, kind, title, status, stage, opened, due, due_what, confidential, parties, owner, "
           f"{WORST_FINDING} AS finding, {WORST_RULES} AS finding_rules")


def mark_readings(rows: list[dict[str, Any]], readings: Mapping[str, Collection[str]]) -> list[dict[str, Any]]:
    """Each row of the list with ``finding_rules`` turned into ``finding_reading``: whether its
    B or W mark is our reading of the text, not stated by it (every finding of that severity
    has a rule, or a severity, that the installed compact marks as a reading: ``readings``, as
    ``listing.reading_rules`` gives them). A rule the compact no longer has is not called a reading."""
    for row in rows:
        ours = readings.get(row["compact"], ())
        found = [rule_id for rule_id in (row.pop("finding_rules", None) or "").split("\n") if rule_id]
        row["finding_reading"] = bool(found) and all(rule_id in ours for rule_id in found)
    return rows


#: The letter of a case's worst finding in the list (the app's and ``cases``'), upper case when
#: the text states it; see :func:`finding_mark`.
FINDING_LETTERS = {"breach": "B", "warning": "W"}


def finding_mark(row: Mapping[str, Any]) -> str:
    """B a case with a breach, W with a warning; b, w where each such finding is our reading of
    the text, not stated by it (:func:`mark_readings`); empty for a case with neither."""
    letter = FINDING_LETTERS.get(row["finding"] or "", "")
    return letter.lower() if row.get("finding_reading") else letter


def default_db_path() -> str:
    return db_path_and_default()[0]


def db_path_and_default() -> tuple[str, bool]:
    """``$COMPACT_TUI_DB``, else ``cases.db`` in the platform's user data folder (a path as
    text, as :func:`compact_tui.user_folders.user_folder` gives it); and whether it is that default."""
    env = os.environ.get(DB_ENV)
    if env:
        return os.path.expanduser(env), False
    from ..user_folders import user_folder

    return os.path.join(user_folder("data"), "cases.db"), True


def read_only_uri(path: str | os.PathLike[str]) -> str:
    """The SQLite URI that opens the file at ``path`` read-only (``pathlib`` quotes what a URI
    cannot hold; imported here, for the reads that need it, not for every command)."""
    from pathlib import Path

    return f"{Path(path).resolve().as_uri()}?mode=ro"


#: The ``field:value`` words of the filter.
FIELDS = ("compact", "kind", "status", "org", "owner", "finding")
#: The values ``status:`` and ``finding:`` can take (the others' come from the plugins and the model).
STATUSES, FINDINGS = ("open", "closed", "withdrawn"), ("breach", "warning")
#: The fields whose values are a closed, lower-case vocabulary, matched whatever the case typed.
FOLDED = ("compact", "kind", "status", "finding")


@record
class CaseFilter:
    text: str = ""
    compact: str = ""
    kind: str = ""
    status: str = ""
    org: str = ""
    include_confidential: bool = True
    owner: str = ""  # cases this officer holds
    mine: bool = False  # cases the case log's own user holds
    finding: str = ""  # cases with a finding of this severity: breach or warning

    def __post_init__(self) -> None:
        """Compact ids, kinds, statuses and severities are lower case (a compact's id must be:
        ``check.py``), so ``compact:Essex`` or ``--compact Essex`` means ``essex``, as
        ``log --compact Essex`` does."""
        for name in FOLDED:
            value = getattr(self, name)
            if isinstance(value, str):
                setattr(self, name, value.lower())

    @classmethod
    def parse(cls, query: str, known: dict[str, tuple[str, ...]] | None = None,
              typing: bool = False) -> CaseFilter:
        """``compact:essex kind:dispute status:open org:"Age UK" owner:jo finding:breach mine
        late notice`` -> a filter; ``mine`` means the cases you hold; other words without a
        ``field:`` prefix search titles and parties. Parsed on every key typed, so what is
        half typed reads as the officer means it so far: ``compact:`` with nothing after it
        filters nothing yet (it used to search for the word "compact:", a pass over every
        case), and ``org:"Age UK`` with its quote not yet closed is ``org:Age UK``. Given
        ``known`` (a field's values, e.g. the installed compacts), a value that only begins
        one (``compact:ess``) is still being typed and filters nothing yet; a value that
        begins none (``compact:esx``) is a filter, so the list says no case matches."""
        flt, free = cls(), []
        for word in _words(query):
            key, sep, value = _field(word)
            if sep and key in FIELDS:
                values = (known or {}).get(key, ())
                half = value not in values and any(v.startswith(value) for v in values)
                if value and not half:  # a field with nothing (or half a name) after it yet
                    setattr(flt, key, value)  # is not yet a filter, nor a word searched for
            elif word.lower() == "mine":
                flt.mine = True
            else:
                free.append(word)
        if typing and short_last_word(query, free):
            free.pop()  # one or two letters still being typed: not a search yet (see below)
        flt.text = " ".join(free)
        return flt


def short_last_word(query: str, free: list[str]) -> bool:
    """While the officer types (``typing``), a free word of one or two letters at the end, not
    yet followed by a space, is still being typed: it is no search yet, as half a compact's name
    is none. Such a word is in no trigram of the search index (``text_index``), so searching
    for it is a pass over every case (the slowest keys the filter had: ``ze``, ``compact:essex
    ki``); the third letter, a space or Enter makes it one."""
    return bool(free) and not query[-1:].isspace() and len(free[-1]) < MIN_WORD and \
        bool(_words(query)) and _words(query)[-1] == free[-1]


def _field(word: str) -> tuple[str, str, str]:
    """``Compact:Essex`` -> ``("compact", ":", "essex")``: the field's name, and its value folded
    to lower case for the fields in :data:`FOLDED`."""
    key, sep, value = word.partition(":")
    key = key.lower()
    return key, sep, value.lower() if key in FOLDED else value


def _words(query: str) -> list[str]:
    import shlex

    for closing in ("", '"'):  # a double quote not closed yet, while typing: as if closed
        try:
            return shlex.split(query + closing)
        except ValueError:  # an apostrophe (People's): words as typed
            pass
    return query.split()


def unfinished(query: str, known: dict[str, tuple[str, ...]], typing: bool = False) -> list[str]:
    """What in ``query`` names none of the ``known`` values, in a few words for the list's
    status line: a value still being typed (``compact:ess... (essex)``, not a filter yet), or
    one that begins none (``no compact esx (essex, ...)``: no case can match it)."""
    notes = []
    for word in _words(query):
        key, sep, value = _field(word)
        values = known.get(key, ()) if sep and key in FIELDS else ()
        if not values or not value or value in values:
            continue
        begun = [v for v in values if v.startswith(value)]
        notes.append(f"{key}:{value}... ({', '.join(begun)})" if begun else f"no {key} {value} ({', '.join(values)})")
    if typing:
        free = [w for w in _words(query) if not (_field(w)[1] and _field(w)[0] in FIELDS) and w.lower() != "mine"]
        if short_last_word(query, free):
            notes.append(f"{free[-1]}... (a third letter, a space or Enter searches)")
    return notes


def where(flt: CaseFilter, actor: str, indexed: bool = False) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause and its parameters for ``flt``; ``actor`` is who ``mine`` means.
    ``indexed``: the free words' cases are first looked up in the text index (m007), which
    pays when few cases hold them (see :func:`read`); each word is still tested on the case."""
    check_text(flt.text, "the text searched for", 1000, single_line=True, required=False)
    for what, value in (("the compact", flt.compact), ("the kind", flt.kind), ("the status", flt.status),
                        ("the organisation", flt.org), ("the finding", flt.finding)):
        check_text(value, what, 200, single_line=True, required=False)
    clauses, params = [], []
    if flt.compact:
        clauses.append("compact = ?")
        params.append(flt.compact)
    if flt.kind:
        clauses.append("kind = ?")
        params.append(flt.kind)
    if flt.status:
        clauses.append("status = ?")
        params.append(flt.status)
    else:  # a case withdrawn as a mistake is listed only when asked for (status:withdrawn)
        clauses.append("status != 'withdrawn'")
    if flt.org:
        clauses.append("id IN (SELECT case_id FROM case_parties WHERE name = ?)")
        params.append(flt.org)
    if flt.finding:  # breach or warning; any other word matches nothing, as a status would
        clauses.append("id IN (SELECT case_id FROM findings WHERE severity = ?)")
        params.append(flt.finding)
    words = flt.text.split()
    found = match(words) if indexed else None
    if found is not None:
        clauses.append(f"id IN (SELECT rowid FROM {TEXT_INDEX} WHERE {TEXT_INDEX} MATCH ?)")
        params.append(found)
    for word in words:
        clauses.append("(title LIKE ? ESCAPE '\\' OR parties LIKE ? ESCAPE '\\')")
        like = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [like, like]
    for owner in ([flt.owner] if flt.owner else []) + ([actor] if flt.mine else []):
        clauses.append("owner = ?")
        params.append(owner)
    if not flt.include_confidential:
        clauses.append("confidential = 0")
    return ("WHERE " + " AND ".join(clauses)) if clauses else "", params


def select(flt: CaseFilter, actor: str, sort: str, indexed: bool = False) -> tuple[str, list[Any]]:
    """The list's one query (``SELECT ... LIMIT ? OFFSET ?``, those two left to add) and its
    parameters, for ``flt`` in ``sort`` order; ``actor`` is who ``mine`` means."""
    if sort not in SORTS:
        raise UserError(f"cannot sort by {quoted(sort)} (choose from {', '.join(SORTS)}).")
    clause, params = where(flt, actor, indexed)
    return f"SELECT {COLUMNS} FROM cases {clause} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?", params


#: How far the list is read case by case for its free words before the text index is asked,
#: in thousands of SQLite's steps (about 10 a case: some 5,000 cases). A word that many cases
#: hold fills a page long before that, in the list's own order, which the index cannot give; a
#: word that few or no cases hold (the slow one: a pass over every case) is then looked up, and
#: only the cases the index names are read. Figures: docs/performance.md, "Figures once kept in
#: comments".
SCAN_STEPS, STEP = 50, 1000


def read(conn: sqlite3.Connection, flt: CaseFilter, actor: str, sort: str, limit: int,
         offset: int = 0) -> list[dict[str, Any]]:
    """A page of the list (up to ``limit`` cases from ``offset``) read on ``conn`` (a plain
    ``sqlite3`` connection), as dicts. Free words of three letters or more are read case by
    case up to :data:`SCAN_STEPS`, then through the text index. An ``interrupt()`` of
    ``conn`` from another thread stops either read (``sqlite3.OperationalError``)."""
    import sqlite3

    sql, params = select(flt, actor, sort)
    if match(flt.text.split()) is None:
        return _rows(conn.execute(sql, [*params, limit, offset]))
    steps = 0

    def count_steps() -> bool:
        nonlocal steps
        steps += 1
        return steps > SCAN_STEPS  # True stops the read

    conn.set_progress_handler(count_steps, STEP)
    try:
        return _rows(conn.execute(sql, [*params, limit, offset]))
    except sqlite3.OperationalError:
        if steps <= SCAN_STEPS:  # interrupted from outside, or another error: not ours to handle
            raise
    finally:
        conn.set_progress_handler(None, 0)
    indexed, indexed_params = select(flt, actor, sort, indexed=True)
    try:
        return _rows(conn.execute(indexed, [*indexed_params, limit, offset]))
    except sqlite3.DatabaseError as exc:
        if "interrupted" in str(exc):
            raise
    # the index is damaged or gone ('audit verify' says so): every case is read, as before it
    return _rows(conn.execute(sql, [*params, limit, offset]))


def _rows(cursor: sqlite3.Cursor) -> list[dict[str, Any]]:
    keys = [d[0] for d in cursor.description]
    return [dict(zip(keys, row)) for row in cursor]


class CaseReader:
    """Pages of the list read on a connection of their own, so a thread other than the app's
    can read while the officer types: one read at a time (a lock), and :meth:`interrupt`
    (from any thread) stops the read under way, which a newer filter has made stale.
    Read-only. Made by ``CaseLog.reader()``, once the file is open and migrated."""

    def __init__(self, path: str | os.PathLike[str], actor: str):
        import sqlite3
        import threading

        self._sqlite3 = sqlite3
        self.path, self.actor = os.fspath(path), actor
        self.conn = sqlite3.connect(read_only_uri(self.path), uri=True, timeout=30,
                                    check_same_thread=False)
        self.lock = threading.Lock()

    def page(self, flt: CaseFilter, sort: str, limit: int, offset: int = 0) -> list[dict[str, Any]] | None:
        """Up to ``limit`` cases from ``offset``, as ``CaseLog.list`` gives them; ``None`` if
        :meth:`interrupt` stopped the read."""
        with self.lock:
            try:
                return read(self.conn, flt, self.actor, sort, limit, offset)
            except self._sqlite3.OperationalError as exc:
                if "interrupted" in str(exc):
                    return None
                from .connection import explain

                raise UserError(explain(exc, self.path)) from None

    def interrupt(self) -> None:
        self.conn.interrupt()

    def close(self) -> None:
        self.interrupt()
        with self.lock:
            self.conn.close()


def upgrade_due(path: str | os.PathLike[str] | None) -> tuple[int, int] | None:
    """The schema versions (from, to) when opening the case log at ``path`` will upgrade it
    (a file of ours, that this user may write, with some of this version's migrations not
    applied yet and none it does not know); otherwise ``None``. Read-only, no sqlite-utils:
    the app asks at start, to show the upgrade as it happens rather than freeze on it."""
    import sqlite3

    target = os.path.expanduser(path) if path else default_db_path()
    if not os.path.isfile(target) or not os.access(target, os.W_OK):
        return None
    conn = _read_only(target)
    if conn is None:
        return None
    try:
        applied = migrations.applied(conn)
    except sqlite3.Error:  # not a database of ours
        return None
    finally:
        conn.close()
    if not applied or not set(applied) < set(MIGRATIONS):
        return None
    return schema_version(applied), schema_version(MIGRATIONS)


def first_page(path: str | os.PathLike[str] | None, sort: str, limit: int) -> list[dict[str, Any]] | None:
    """The first ``limit`` cases of the unfiltered list in ``sort`` order, read straight from
    the file (read-only, no sqlite-utils); ``None`` when that cannot be done safely (no file
    yet, a migration not applied, any error), and the case log then opens it the usual way."""
    import sqlite3

    target = os.path.expanduser(path) if path else default_db_path()
    if sort not in SORTS or not os.path.isfile(target):
        return None
    conn = _read_only(target)
    if conn is None:
        return None
    try:
        conn.row_factory = sqlite3.Row
        if tuple(migrations.applied(conn)) != MIGRATIONS:
            return None
        sql, params = select(CaseFilter(), "", sort)
        rows = conn.execute(sql, [*params, limit, 0])
        return [dict(row) for row in rows]
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _read_only(target: str) -> sqlite3.Connection | None:
    """``target`` opened read-only, or ``None`` if SQLite will not open it."""
    import sqlite3

    try:
        return sqlite3.connect(read_only_uri(target), uri=True, timeout=5)
    except sqlite3.Error:
        return None
