"""Helpers the case-log tests share (fixtures are in conftest.py)."""

from __future__ import annotations

from datetime import date

from compact_tui.caselog.case_log import NewCase
from compact_tui.caselog.store import Store


def d(text: str) -> date:
    return date.fromisoformat(text)


def new(kind: str, compact: str, title: str = "a case", **kw) -> NewCase:
    """A NewCase; date fields may be given as ISO strings by name (start='2026-01-05')."""
    dates = {k: d(v) for k, v in list(kw.items()) if k in ("opened", "start", "end", "notified", "effective",
                                                           "period_end", "on")}
    for k in dates:
        kw.pop(k)
    return NewCase(kind=kind, compact=compact, title=title, dates=dates, **kw)


def counts(store: Store) -> dict[str, int]:
    return {t: store.one(f"SELECT count(*) AS n FROM {t}")["n"]
            for t in ("cases", "events", "findings", "case_parties", "case_cites", "signatures")}
