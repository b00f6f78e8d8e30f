"""Benchmark ``log``, ``advance`` and ``update`` against the code before issue 18's lifecycle.

Issue 18 moved every change's read and check inside its write transaction and added a look at
the case's last event (the view it was asked on). Budget: no slower than before. On a fresh copy
of the benchmark's seeded case log (100,000 cases, 1,000,000 events; ``seed_db.py``), each of
the two versions (today's code, and ``BEFORE`` run from that commit's own code by ``git
archive``) runs, in a process of its own and alternately, ``OPS`` rounds of: log a Southend
dispute, move it to mediation, change its opened date. Each call's CPU time is taken
(``time.process_time``), and the whole-process ``log`` command's wall time beside it.

Run: ``.venv/bin/python scripts/bench_changes.py`` (prints figures; never fails on time).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed_db  # noqa: E402

BEFORE = "88b0777"  # main just before issue 18's lifecycle
PYTHON = sys.executable
OPS, ROUNDS, CLI_RUNS = 40, 3, 8

CHILD = r"""
import json, sys, time
from datetime import date
from compact_tui.caselog.case_log import CaseLog, NewCase
from compact_tui.caselog.store import Store
from compact_tui.content.plugins import load_registry

log = CaseLog(Store(sys.argv[1]), load_registry(), actor="bench")
times = {"log": [], "advance": [], "update": []}
for i in range(int(sys.argv[2])):
    started = time.process_time()
    case = log.log(NewCase(kind="dispute", compact="southend", title=f"bench {i}", dates={"opened": date(2026, 3, 2)}))
    times["log"].append(time.process_time() - started)
    started = time.process_time()
    log.advance(case["id"], "mediation", confirm=["resolution-not-possible", "mediator-mutually-agreed"])
    times["advance"].append(time.process_time() - started)
    started = time.process_time()
    log.update(case["id"], dates={"opened": date(2026, 3, 1)})
    times["update"].append(time.process_time() - started)
print(json.dumps(times))
"""

CLI = "import sys; from compact_tui.cli import main; sys.exit(main(sys.argv[1:]))"


def code_of(commit: str) -> str:
    """The ``PYTHONPATH`` that runs ``commit``'s own code and its own five plugins (a later
    commit's compact files may carry fields an earlier checker does not know)."""
    root = seed_db.CACHE / f"before-{commit}" / "code-and-plugins"
    if not (root / "src").exists():
        root.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "archive", commit, "src", "plugins"], capture_output=True,
                                 cwd=Path(__file__).resolve().parent.parent, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    return os.pathsep.join([str(root / "src"), *sorted(str(p) for p in (root / "plugins").glob("*/src"))])


def run(src: str, db: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(src)}
    done = subprocess.run([PYTHON, "-c", CHILD, str(db), str(OPS)], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise SystemExit(f"bench: {src}: {done.stderr.strip()[-500:]}")
    calls = json.loads(done.stdout.strip().splitlines()[-1])
    wall = []
    for i in range(CLI_RUNS):
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", CLI, "--db", str(db), "log", "meeting", "--compact", "essex", "--title",
                        f"cli {i}", "--on", "2026-03-02"], capture_output=True, env=env, check=True)
        wall.append(time.perf_counter() - started)
    calls["cli log"] = wall
    return calls


def main() -> None:
    seed_db.bytecode_as_installed()
    seed_db.use_bench_key()
    seed, _ = seed_db.cached_seed()
    work = seed_db.CACHE / f"changes-{os.getpid()}"
    work.mkdir(exist_ok=True)
    here = str(Path(__file__).resolve().parent.parent / "src")
    versions = {f"before ({BEFORE})": code_of(BEFORE), "today": here}
    dbs = {name: seed_db.fresh_copy(seed, work / f"{i}.db") for i, name in enumerate(versions)}
    print(f"log, advance and update: {OPS} of each per round, {ROUNDS} rounds alternately, on copies of {seed.name}; "
          f"load average before: {os.getloadavg()[0]:.1f}")
    results: dict[str, dict[str, list[float]]] = {name: {} for name in versions}
    try:
        for _ in range(ROUNDS):
            for name, src in versions.items():
                for op, times in run(src, dbs[name]).items():
                    results[name].setdefault(op, []).extend(times)
        print(f"   load average after: {os.getloadavg()[0]:.1f}")
        before, today = results[f"before ({BEFORE})"], results["today"]
        for op in ("log", "advance", "update", "cli log"):
            b, t = statistics.median(before[op]) * 1000, statistics.median(today[op]) * 1000
            what = "wall, whole process" if op == "cli log" else "CPU per call"
            print(f"   {op:<8} median {what}: before {b:6.2f} ms, today {t:6.2f} ms: {t / b:.2f}x "
                  f"[{'PASS' if t <= b * 1.05 else 'OVER'} (within 5%, the noise between runs)]")
    finally:
        for db in dbs.values():
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db}{suffix}").unlink(missing_ok=True)
        work.rmdir()


if __name__ == "__main__":
    os.environ.pop("COMPACT_TUI_DB", None)
    main()
