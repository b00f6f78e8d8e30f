"""Benchmark ``compact-tui import``: 10,000 rows of a spreadsheet into a new case log.

The CSV mixes the kinds an officer keeps (consultations, funding changes, meetings and annual
reviews citing their clauses, notes, disputes) over the five compacts, with parties and
cited clauses. It times, as whole processes of the real command line on a fresh file each
run: ``import --dry-run`` (every row checked, then rolled back) and ``import`` (written, in one
transaction), median of 3; then ``export --format csv`` of the result and ``audit verify``.
It prints figures and never fails on time. Run it with ``./dev bench``.
"""

from __future__ import annotations

import csv
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("compact-tui"))
ROWS, RUNS = 10_000, 3
COMPACTS = ("southampton", "essex", "southend", "havering", "high_peak")


def rows():
    yield ["title", "kind", "compact", "opened", "start", "end", "notified", "effective", "on", "parties",
           "clauses cited", "reason", "confidential"]
    first = date(2020, 1, 6)
    for i in range(ROWS):
        compact, day = COMPACTS[i % 5], first + timedelta(days=i // 5)
        iso = day.isoformat()
        blank = [""] * 13
        row = {"title": f"Case {i} {compact}", "compact": compact, "opened": iso,
               "parties": f"Org {i % 97}; Council {i % 13}", "confidential": "yes" if i % 50 == 0 else ""}
        shape = i % 6
        if shape == 0:
            row |= {"kind": "consultation", "start": iso, "end": (day + timedelta(weeks=8 + i % 6)).isoformat()}
        elif shape == 1:
            row |= {"kind": "funding-change", "notified": iso, "effective": (day + timedelta(days=60 + i % 60)).isoformat()}
        elif shape == 2 and compact == "havering":
            row |= {"kind": "meeting", "on": iso, "clauses cited": "5.3.p3"}
        elif shape == 3:
            row |= {"kind": "annual-review", "on": iso}
        elif shape == 4:
            row |= {"kind": "dispute"}
        else:
            row |= {"kind": "note", "reason": "kept from the old spreadsheet"}
        header = ["title", "kind", "compact", "opened", "start", "end", "notified", "effective", "on", "parties",
                  "clauses cited", "reason", "confidential"]
        yield [row.get(h, blank[0]) for h in header]


def run(*args) -> tuple[float, subprocess.CompletedProcess]:
    """Wall time in ms; the child's CPU time (user + system) is kept in ``run.cpu`` (ms)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([CLI, *args], capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.cpu = (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
    return (time.perf_counter() - start) * 1000, done


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="compact-tui-bench-import-"))
    source = work / "kept.csv"
    with open(source, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows())
    print(f"import: {ROWS:,} rows ({source.stat().st_size / 1024:.0f} KB) into a new case log, whole process, "
          f"median of {RUNS}")
    for label, extra in (("import --dry-run", ["--dry-run"]), ("import", [])):
        times, cpus = [], []
        for n in range(RUNS):
            db = work / f"{label.replace(' ', '')}-{n}.db"
            ms, done = run("--db", str(db), "import", str(source), *extra)
            if done.returncode != 0:
                print(done.stderr[:2000])
                raise SystemExit(f"{label} failed")
            times.append(ms)
            cpus.append(run.cpu)
        wall, cpu = statistics.median(times), statistics.median(cpus)
        print(f"  {label:<18} {wall / 1000:6.2f} s wall, {cpu / 1000:.2f} s CPU ({ROWS / cpu * 1000:,.0f} rows a CPU "
              f"second; runs {', '.join(f'{t / 1000:.2f}' for t in times)} s)  {done.stdout.strip()}")
    db = work / "import-0.db"
    ms, done = run("--db", str(db), "export", "--format", "csv", "-o", str(work / "out.csv"))
    print(f"  export --format csv {ms / 1000:6.2f} s wall, {run.cpu / 1000:.2f} s CPU for {ROWS:,} cases with timelines")
    ms, done = run("--db", str(db), "audit", "verify")
    print(f"  audit verify        {ms / 1000:6.2f} s wall, {run.cpu / 1000:.2f} s CPU  {done.stdout.strip().splitlines()[0]}")


if __name__ == "__main__":
    main()
