"""What the hand-written stand-in for a library saves an officer: CPU of ``compact-tui log``.

``caselog/connection.py`` is the open SQLite connection, where ``sqlite_utils.Database`` (already a
dependency, for the migrations) would do the same job. (A hand-written entry-point reader was
measured the same way beside ``importlib.metadata``, which saved too little to keep: see
docs/performance.md, "Hand-written beside a library".)

Each variant runs ``compact-tui --db FILE log note ...`` on a current (migrated) case log in a
fresh interpreter, the variants in turn so that the machine's load falls on each alike; the figure
is the child's CPU time (user + system), which the other engineers' work on the machine disturbs
far less than wall time. The floors: ``python -c pass`` and ``python -c "import pluggy, sqlite3"``.
Prints medians and the load average before and after; never fails on time.

    .venv/bin/python scripts/bench_handwritten.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PYTHON = sys.executable

LOG = """
import sys
from compact_tui.cli import main
sys.exit(main(["--db", sys.argv[1], "log", "note", "--compact", "essex", "--title", "bench"]))
"""

# sqlite-utils' Database in place of the hand-written connection (the same calls, the same autocommit mode)
WITH_SQLITE_UTILS = """
import sqlite_utils
import compact_tui.caselog.store as _store

class _Database(sqlite_utils.Database):
    def __init__(self, conn):
        conn.isolation_level = None
        super().__init__(conn)

_store.Connection = _Database
"""

VARIANTS = {
    "floor: python -c pass": "pass",
    "floor: import pluggy, sqlite3": "import pluggy, sqlite3",
    "floor: import importlib.metadata": "import importlib.metadata",
    "floor: import sqlite_utils": "import sqlite_utils",
    "log, as shipped": LOG,
    "log, sqlite-utils for the connection": WITH_SQLITE_UTILS + LOG,
}


def cpu_ms(code: str, db: Path) -> float:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run([PYTHON, "-c", code, str(db)], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"a run failed: {done.stderr[-500:]}")
    return 1000 * ((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-handwritten-") as work:
        db = Path(work) / "cases.db"
        env_db = {**os.environ, "COMPACT_TUI_DB": str(db)}
        subprocess.run([PYTHON, "-c", LOG, str(db)], check=True, capture_output=True, env=env_db)  # made, migrated
        for code in VARIANTS.values():  # each checked once, and the disk cache warm
            cpu_ms(code, db)
        load_before = os.getloadavg()
        times: dict[str, list[float]] = {name: [] for name in VARIANTS}
        for _ in range(args.runs):
            for name, code in VARIANTS.items():
                times[name].append(cpu_ms(code, db))
        load_after = os.getloadavg()
    print(f"CPU time (user + system) of each, median of {args.runs}, in turn; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    shipped = statistics.median(times["log, as shipped"])
    for name, values in times.items():
        median = statistics.median(values)
        extra = f"  {median - shipped:+6.1f} ms against as shipped" if name.startswith("log, ") else ""
        print(f"  {name:45s} {median:6.1f} ms (quartiles {statistics.quantiles(values, n=4)[0]:.1f}"
              f"–{statistics.quantiles(values, n=4)[2]:.1f}){extra}")


if __name__ == "__main__":
    main()
