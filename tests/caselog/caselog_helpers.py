"""Helpers the case-log tests share (fixtures are in conftest.py)."""

from __future__ import annotations

import sqlite3
import subprocess
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


def tamper(db_path, sql, params=()):
    """Change the file behind the app's back, as someone with sqlite3 could."""
    conn = sqlite3.connect(db_path)
    with conn:
        conn.execute(sql, params)
    conn.close()


def start_together(cmds: list[list[str]], timeout: float) -> list[subprocess.CompletedProcess]:
    """Run ``cmds`` as processes that each print ``ready``, then wait for ``go`` on stdin: every
    one is started and ready before any is told to go, so they race for real. Each one's result."""
    procs = [subprocess.Popen(c, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for c in cmds]
    try:
        for p in procs:  # wait until every one is ready (or has failed)
            assert p.stdout.readline().strip() == "ready", p.communicate()[1]
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        results = []
        for p, c in zip(procs, cmds):
            out, err = p.communicate(timeout=timeout)
            results.append(subprocess.CompletedProcess(c, p.returncode, out, err))
        return results
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
