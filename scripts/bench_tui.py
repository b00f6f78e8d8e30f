"""Benchmark the terminal app against issue 4's budgets and print the figures.

1. Cold start to the first painted screen: the real app (the five plugins, a database of
   100,000 cases and 1,000,000 events from ``seed_db.py``) against a bare Textual app with a
   Header, a Footer and an empty DataTable, both measured the same way in the same run: a
   fresh process on an 80x24 pseudo-terminal, timed from spawn until the app's ``Ready``
   event (sent once its first frame has been drawn), where it exits. Median of 7 each,
   alternating; budget: at most 1.3 times the bare app.
2. Each keystroke in the case filter repaints within 50 ms at 100,000 cases: a headless
   Pilot types into the filter one key at a time; for each key the app's own work is timed
   (the filter's handler, which queries and refills the table, plus a full frame rendered
   afterwards). Press -> idle through the Pilot is printed too, beside the same keys typed
   into a bare Textual Input: the Pilot's own waits dominate that figure.
3. Peak memory (``ru_maxrss``) of the app process under 100 MB: the cold start and the
   process that typed into the filter.

It prints the figures and PASS or OVER against each budget; it never fails on time. Run it
with ``./dev bench`` (or ``.venv/bin/python scripts/bench_tui.py``).
"""

from __future__ import annotations

import sys
import time

if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "--runner":
    # A child process: import only what the app under test imports, then run it.
    import json
    import os
    import resource

    kind, db, out, spawned = sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])

    def on_ready(self) -> None:
        ready = time.time() - spawned
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        with open(out, "w") as handle:
            json.dump({"ready_s": ready, "maxrss_mb": rss}, handle)
        self.exit()

    if kind == "bare":
        from textual.app import App
        from textual.widgets import DataTable, Footer, Header

        class Bare(App):
            def compose(self):
                yield Header()
                yield DataTable()
                yield Footer()

            on_ready = on_ready

        Bare().run()
    else:
        os.environ["COMPACT_TUI_CONFIG"] = os.devnull + ".absent"  # no user keymap on this machine
        from compact_tui.tui.app import CompactApp, make_app

        CompactApp.on_ready = on_ready
        if kind == "real-cases":
            CompactApp.DEFAULT_MODE = "cases"
        make_app(db_path=db).run()
    sys.exit(0)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import fcntl  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import pty  # noqa: E402
import statistics  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import termios  # noqa: E402
import threading  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed_db  # noqa: E402

PYTHON = sys.executable
START_BUDGET, KEY_BUDGET_MS, MEMORY_BUDGET_MB = 1.3, 50.0, 100.0
FILTER_TEXT = "compact:essex kind:dispute youth"


def start_once(kind: str, db: Path, work: Path) -> dict:
    """Spawn the app on an 80x24 pseudo-terminal; it exits itself once its first frame is up."""
    out = work / f"{kind}.json"
    out.unlink(missing_ok=True)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    drained = threading.Thread(target=_drain, args=(master,), daemon=True)
    drained.start()
    spawned = time.time()
    proc = subprocess.Popen([PYTHON, __file__, "--runner", kind, str(db), str(out), repr(spawned)],
                            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    code = proc.wait(timeout=120)
    total = time.time() - spawned
    drained.join(timeout=5)
    if code != 0 or not out.exists():
        raise SystemExit(f"the {kind} app did not start (exit code {code}).")
    return {**json.loads(out.read_text()), "exit_s": total}


def _drain(fd: int) -> None:
    """Read the terminal's output so the app never blocks writing it."""
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass
    finally:
        os.close(fd)


def cold_start(db: Path, work: Path, runs: int) -> dict[str, list[dict]]:
    results: dict[str, list[dict]] = {"bare": [], "real": [], "real-cases": []}
    for kind in results:  # one warm-up each: the file cache, .pyc files
        start_once(kind, db, work)
    for _ in range(runs):
        for kind in results:
            results[kind].append(start_once(kind, db, work))
    return results


async def type_into_filter(db: Path) -> dict:
    """Open the cases at 100,000 rows and time each key typed into the filter: the app's own
    work (the filter's handler: the query and the table refilled, then a full frame rendered)
    and, for comparison, press -> idle through the Pilot, whose own waits are measured on a
    bare Textual Input."""
    import resource

    from textual.app import App
    from textual.widgets import DataTable, Input

    from compact_tui.tui.app import make_app
    from compact_tui.tui.screens.cases import CasesScreen

    handler_ms: list[float] = []
    original = CasesScreen.on_input_changed

    def timed(self, event):
        started = time.perf_counter()
        original(self, event)
        handler_ms.append((time.perf_counter() - started) * 1000)

    CasesScreen.on_input_changed = timed
    keys = list(FILTER_TEXT) + ["backspace"] * 6
    app = make_app(db_path=db, keymap={})
    work, pilot_ms, rows = [], [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#case-table", DataTable)
        first_page = table.row_count
        await pilot.press("slash")
        for key in keys:
            before = len(handler_ms)
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            painted = time.perf_counter()
            app.screen._compositor.render_update(full=True)  # the frame the terminal would get
            frame = (time.perf_counter() - painted) * 1000
            pilot_ms.append((time.perf_counter() - started) * 1000)
            work.append(sum(handler_ms[before:]) + frame)
            rows.append(table.row_count)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    class BareInput(App):
        def compose(self):
            yield Input()

    floor = []
    bare = BareInput()
    async with bare.run_test(size=(80, 24)) as pilot:
        for key in keys:
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            bare.screen._compositor.render_update(full=True)
            floor.append((time.perf_counter() - started) * 1000)
    return {"ms": work, "pilot_ms": pilot_ms, "floor_ms": floor, "rows": rows, "first_page": first_page,
            "maxrss_mb": maxrss}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="cold starts of each app (default 7)")
    parser.add_argument("--typing-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    seed, took = seed_db.cached_seed()
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp:
        work = Path(tmp)
        db = seed_db.fresh_copy(seed, work / "cases.db")
        if args.typing_only:  # the child that types into the filter: print its figures as JSON
            print(json.dumps(asyncio.run(type_into_filter(db))))
            return
        print(f"compact-tui terminal app benchmark (seed: {seed}{'' if took is None else f', built in {took:.0f} s'})")
        starts = cold_start(db, work, args.runs)
        typed = subprocess.run([PYTHON, __file__, "--typing-only"], capture_output=True, text=True, timeout=600)
        if typed.returncode != 0:
            raise SystemExit(f"typing into the filter failed:\n{typed.stderr[-2000:]}")
        typing = json.loads(typed.stdout.strip().splitlines()[-1])

    med = {k: statistics.median(r["ready_s"] for r in v) for k, v in starts.items()}
    ratio = med["real"] / med["bare"]
    print(f"\n1. Cold start to first painted screen, 80x24 pty, median of {args.runs} "
          f"(spawn -> Ready; min..max):")
    for kind, label in (("bare", "bare Textual app (Header, Footer, empty DataTable)"),
                        ("real", "compact-tui, five plugins, 100,000-case database"),
                        ("real-cases", "compact-tui starting on the Cases list (100,000 cases)")):
        ready = [r["ready_s"] * 1000 for r in starts[kind]]
        print(f"   {label:<56} {med[kind] * 1000:6.0f} ms  ({min(ready):.0f}..{max(ready):.0f})")
    print(f"   ratio compact-tui / bare: {ratio:.2f}  [budget 1.3x: {verdict(ratio <= START_BUDGET)}]")
    cases_ratio = med["real-cases"] / med["bare"]
    print(f"   (starting on the Cases list instead: {cases_ratio:.2f}x)")

    ms, keys = typing["ms"], list(FILTER_TEXT) + ["backspace"] * 6
    print(f"\n2. Each keystroke in the case filter at 100,000 cases ({len(ms)} keys: "
          f"{FILTER_TEXT!r} then 6 backspaces):")
    print(f"   first page shown: {typing['first_page']} rows; rows after each key: "
          f"{min(typing['rows'])}..{max(typing['rows'])}")
    print(f"   the app's work per key (query + table refilled + a full 80x24 frame rendered): "
          f"median {statistics.median(ms):.1f} ms, p90 {sorted(ms)[int(len(ms) * 0.9)]:.1f} ms, "
          f"max {max(ms):.1f} ms  [budget {KEY_BUDGET_MS:.0f} ms: {verdict(max(ms) <= KEY_BUDGET_MS)}]")
    slow = sorted(zip(ms, keys), reverse=True)[:3]
    print("   slowest keys: " + ", ".join(f"{k!r} {t:.1f} ms" for t, k in slow))
    print(f"   through the Pilot, press -> idle -> frame: median {statistics.median(typing['pilot_ms']):.1f} ms, "
          f"max {max(typing['pilot_ms']):.1f} ms; the same keys into a bare Textual Input: median "
          f"{statistics.median(typing['floor_ms']):.1f} ms (the Pilot's own waits); the difference of the "
          f"medians, {statistics.median(typing['pilot_ms']) - statistics.median(typing['floor_ms']):.1f} ms, "
          f"is a rough, noisy figure for the app's share with layout included")

    peak = {k: max(r["maxrss_mb"] for r in v) for k, v in starts.items()}
    worst = max(peak["real"], peak["real-cases"], typing["maxrss_mb"])
    print("\n3. Peak memory (ru_maxrss of the app process):")
    print(f"   bare app at first paint {peak['bare']:.0f} MB; compact-tui at first paint {peak['real']:.0f} MB; "
          f"on the Cases list {peak['real-cases']:.0f} MB; after typing the filter {typing['maxrss_mb']:.0f} MB")
    print(f"   worst {worst:.0f} MB  [budget {MEMORY_BUDGET_MB:.0f} MB: {verdict(worst < MEMORY_BUDGET_MB)}]")


if __name__ == "__main__":
    main()
