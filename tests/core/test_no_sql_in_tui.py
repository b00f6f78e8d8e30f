"""No SQL lives in ``tui/``: the screens ask the core (``caselog``, ``orgs``, ``deadlines``,
``report``) and never touch the database themselves.

Each module in ``src/compact_tui/tui`` is read with :mod:`ast` (not run), and three things
count as SQL:

- a call of ``execute``, ``executemany`` or ``executescript`` on anything;
- a call of ``query``, ``one`` or ``write`` on something named ``store``, ``db`` or ``conn``
  (a :class:`~compact_tui.caselog.store.Store` or a connection; Textual's own ``self.query("#id")``
  is a DOM query and is not counted), or indexing ``db[...]`` (sqlite-utils' tables);
- a string (or a piece of an f-string) holding an SQL statement, written as this code base
  writes SQL: ``SELECT ... FROM``, ``INSERT INTO``, ``UPDATE x SET``, ``DELETE FROM``,
  ``CREATE TABLE``/``INDEX``, ``PRAGMA``. English in a message ("Select a compact from the
  list") is not uppercase and is not counted.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import compact_tui

TUI = Path(compact_tui.__file__).parent / "tui"

RUNS_SQL = {"execute", "executemany", "executescript"}
STORE_CALLS = {"query", "one", "write"}
STORE_NAMES = {"store", "db", "conn"}
SQL_TEXT = re.compile(r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+(OR\s+\w+\s+)?INTO\b|\bUPDATE\s+\w+\s+SET\b|"
                      r"\bDELETE\s+FROM\b|\bCREATE\s+(TABLE|INDEX|UNIQUE\s+INDEX)\b|\bPRAGMA\s+\w+")


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def sql_in(source: str, filename: str = "<source>") -> list[str]:
    """Each place ``source`` runs SQL, as ``file:line: what``, in the order they are written."""
    found = []
    for node in sorted((n for n in ast.walk(ast.parse(source, filename)) if hasattr(n, "lineno")),
                       key=lambda n: (n.lineno, n.col_offset)):
        where = f"{filename}:{node.lineno}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, owner = node.func.attr, _name(node.func.value)
            if method in RUNS_SQL:
                found.append(f"{where}: calls .{method}()")
            elif method in STORE_CALLS and owner in STORE_NAMES:
                found.append(f"{where}: calls {owner}.{method}()")
        elif isinstance(node, ast.Subscript) and _name(node.value) == "db":
            found.append(f"{where}: indexes db[...]")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_TEXT.search(node.value):
            found.append(f"{where}: SQL in a string: {node.value[:60]!r}")
    return found


def test_no_module_in_tui_runs_sql():
    files = sorted(TUI.rglob("*.py"))
    assert len(files) >= 10, files  # the app, the palette and the screens are all read
    problems = [p for f in files for p in sql_in(f.read_text(encoding="utf-8"), str(f.relative_to(TUI.parent)))]
    assert problems == []


def test_the_check_finds_sql_written_in_each_way():
    bad = '''
rows = self.app.caselog.store.query("SELECT name FROM organisations ORDER BY name")
self.app.caselog.store.one(sql, params)
with store.write() as db:
    db.execute(statement)
    db.conn.executemany(statement, rows)
    db["cases"].insert(row)
self.notify(f"INSERT INTO cases ({columns}) VALUES (?)")
text = "UPDATE cases SET title = ?"
'''
    found = sql_in(bad)
    assert [line.split(": ", 1)[1] for line in found] == [
        "calls store.query()", "SQL in a string: 'SELECT name FROM organisations ORDER BY name'",
        "calls store.one()", "calls store.write()", "calls .execute()", "calls .executemany()", "indexes db[...]",
        "SQL in a string: 'INSERT INTO cases ('", "SQL in a string: 'UPDATE cases SET title = ?'",
    ]


def test_the_check_leaves_textual_queries_and_english_alone():
    fine = '''
self.query_one("#form-error", Static).display = False
for row in self.query(".member-row"):
    pass
self.query(Input).first().focus()
self.notify("Select a compact from the list, then update the case.")
rows = orgs.list_orgs(self.app.caselog.store)
'''
    assert sql_in(fine) == []
