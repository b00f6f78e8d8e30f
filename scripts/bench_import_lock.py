"""Benchmark how long ``compact-tui import`` keeps colleagues waiting: a 100,000-row CSV.

A colleague's write waits while an import holds the case log's write lock. This runs the real
command line: a new case log with one case in it, then ``import`` of 100,000 rows (the mixed
kinds of ``bench_import.py``) in one process while this one, on its own connection, tries
``BEGIN IMMEDIATE`` every 20 ms (a failed try means the lock is held), and a colleague's
``compact-tui log`` is started 1 s into the import. It prints the import's wall and CPU time,
how long the lock was held (the longest stretch and the total), how long the colleague's
``log`` took, and the load average before and after. It never fails on time.

    .venv/bin/python scripts/bench_import_lock.py [ROWS]
"""

from __future__ import annotations

import csv
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import bench_import  # noqa: E402  (the same rows)

CLI = bench_import.CLI


def probe(path: Path, stop: threading.Event, held: list[tuple[float, float]]) -> None:
    """Record each stretch during which ``BEGIN IMMEDIATE`` could not be had."""
    conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    since = None
    while not stop.is_set():
        now = time.perf_counter()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            if since is not None:
                held.append((since, now))
                since = None
        except sqlite3.OperationalError:
            since = since if since is not None else now
        time.sleep(0.02)
    if since is not None:
        held.append((since, time.perf_counter()))
    conn.close()


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    bench_import.ROWS = rows
    work = Path(tempfile.mkdtemp(prefix="compact-tui-bench-lock-"))
    source, db = work / "kept.csv", work / "team.db"
    with open(source, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(bench_import.rows())
    env = {**os.environ, "COMPACT_TUI_DB": str(db)}
    subprocess.run([CLI, "log", "note", "--compact", "essex", "--title", "first"], env=env, check=True,
                   capture_output=True)
    print(f"import of {rows:,} rows ({source.stat().st_size / 1024 / 1024:.1f} MB); load average before "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    stop, held = threading.Event(), []
    watcher = threading.Thread(target=probe, args=(db, stop, held))
    watcher.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    importing = subprocess.Popen([CLI, "import", str(source)], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    colleague_start = time.perf_counter()
    colleague = subprocess.run([CLI, "log", "note", "--compact", "essex", "--title", "a colleague's note"],
                               env=env, capture_output=True, text=True)
    colleague_wall = time.perf_counter() - colleague_start
    out, err = importing.communicate()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    stop.set()
    watcher.join()
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    longest = max((b - a for a, b in held), default=0.0)
    total = sum(b - a for a, b in held)
    print(f"  import: exit {importing.returncode}, {wall:.2f} s wall, {cpu:.2f} s CPU (import and the colleague's log)")
    print(f"    {(out or err).strip().splitlines()[-1][:150]}")
    print(f"  write lock held: longest {longest:.2f} s, total {total:.2f} s ({total / wall:.0%} of the import's wall time)")
    print(f"  a colleague's log started 1 s in: exit {colleague.returncode}, {colleague_wall:.2f} s "
          f"{(colleague.stdout or colleague.stderr).strip().splitlines()[0][:100]}")
    print(f"  load average after {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
