"""Several real processes writing one database file at once lose nothing and never surface
'database is locked'. A barrier on stdin makes them start together (no sleeps)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sqlite_utils import Database

from compact_tui.caselog.audit import verify
from compact_tui.caselog.schema_migrations import migrations
from compact_tui.caselog.store import Store

from .caselog_helpers import start_together

WORKERS = 8
EACH = 25
EXE = Path(sys.executable).with_name("compact-tui")

CHILD = r"""
import sys
from datetime import date
from compact_tui.caselog.case_log import CaseLog, NewCase
from compact_tui.content.plugins import load_registry
from compact_tui.caselog.store import Store

path, worker, each = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
registry = load_registry()
print("ready", flush=True)
assert sys.stdin.readline().strip() == "go"
log = CaseLog(Store(path), registry, actor=f"worker{worker}")  # all open (and one migrates) the new file at once
kinds = [("consultation", "southampton", {"start": date(2026, 1, 5), "end": date(2026, 2, 1)}),
         ("funding-change", "southend", {"notified": date(2026, 4, 2), "period_end": date(2026, 3, 31)}),
         ("meeting", "essex", {"on": date(2026, 2, 1)}),
         ("dispute", "essex", {"opened": date(2026, 1, 10)})]
for i in range(each):
    kind, compact, dates = kinds[i % len(kinds)]
    case = log.log(NewCase(kind=kind, compact=compact, title=f"w{worker} case {i}", dates=dates))
    if i % 5 == 0:
        log.note(case["id"], f"note from worker {worker}")
print("done", flush=True)
"""


def test_processes_logging_at_once_lose_nothing(tmp_path):
    path = tmp_path / "shared.db"  # does not exist yet: the workers race to create and migrate it
    results = start_together([[sys.executable, "-c", CHILD, str(path), str(w), str(EACH)]
                              for w in range(WORKERS)], timeout=60)
    for r in results:
        assert r.returncode == 0, r.stderr
        assert r.stdout.strip() == "done"
        assert "locked" not in r.stderr.lower()
    store = Store(path)
    try:
        notes = WORKERS * len(range(0, EACH, 5))
        assert store.one("SELECT count(*) AS n FROM cases")["n"] == WORKERS * EACH
        assert store.one("SELECT count(*) AS n FROM events")["n"] == WORKERS * EACH + notes
        per_worker = store.query("SELECT created_by, count(*) AS n FROM cases GROUP BY created_by ORDER BY 1")
        assert per_worker == [{"created_by": f"worker{w}", "n": EACH} for w in range(WORKERS)]
        every = len(migrations.pending(Database(memory=True)))  # each applied once, not once per process
        assert store.one("SELECT count(*) AS n FROM _sqlite_migrations")["n"] == every
        # findings were stored for every case that breaks a rule (southampton 2.4, southend 6.3(c))
        assert store.one("SELECT count(DISTINCT case_id) AS n FROM findings")["n"] == WORKERS * sum(
            1 for i in range(EACH) if i % 4 in (0, 1))
        result = verify(store.db)
        assert result.ok, result.problems
        assert (result.events, result.cases) == (WORKERS * EACH + notes, WORKERS * EACH)
    finally:
        store.close()


def test_command_line_processes_logging_at_once_lose_nothing(tmp_path):
    path = tmp_path / "team.db"
    Store(path).close()
    n = 8
    procs = [subprocess.Popen([str(EXE), "--db", str(path), "log", "meeting", "--compact", "essex",
                               "--title", f"officer {i}", "--on", "2026-02-01", "--json"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for i in range(n)]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * n, [e for _, e in outs]
    assert all("locked" not in err.lower() for _, err in outs)
    ids = sorted(json.loads(out)["id"] for out, _ in outs)
    assert ids == list(range(1, n + 1))
    check = subprocess.run([str(EXE), "--db", str(path), "audit", "verify"], capture_output=True, text=True,
                           timeout=60)
    assert check.returncode == 0 and check.stdout.startswith(f"OK: {n} events and {n} cases check out,")
