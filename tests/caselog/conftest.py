"""Shared fixtures for the case-log tests: a real SQLite file in tmp_path and the real
registry of installed compact plugins (found through their entry points)."""

from __future__ import annotations

import pytest

from compact_tui.caselog.case_log import CaseLog
from compact_tui.content.plugins import load_registry
from compact_tui.caselog.store import Store


@pytest.fixture(autouse=True)
def _no_default_db(tmp_path, monkeypatch):
    """Never touch the user's own case log: the default database is a file in tmp_path."""
    monkeypatch.setenv("COMPACT_TUI_DB", str(tmp_path / "default.db"))


@pytest.fixture(scope="session")
def registry():
    reg = load_registry()
    assert not reg.errors, reg.errors
    return reg


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "t.db"


@pytest.fixture
def store(db_path):
    s = Store(db_path)
    yield s
    s.close()


@pytest.fixture
def log(store, registry):
    return CaseLog(store, registry, actor="tester")
