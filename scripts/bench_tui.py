"""Benchmark the terminal app against issues 4, 10 and 23 and print the figures.

1. Start-up as an officer sees it: the real console command (``compact-tui --db SEEDED``,
   the five plugins, a database of 100,000 cases and 1,000,000 events from ``seed_db.py``)
   on an 80x24 pseudo-terminal, timed from spawn until the first screen's content (a
   compact's name; on the Cases list, the newest case's title) is in the terminal's output;
   against a bare Textual app (Header, DataTable, Footer) timed until its title is on screen.
   The kinds alternate in one run (the machine is shared), median of 7 each; budget: at most
   1.3x the bare app (starting on the Cases list too, since issue 23). Then where the time goes, measured
   inside the process: interpreter, imports, the compacts (snapshot or plugin discovery),
   the first query, the first frame, and the plugin re-discovery done after it.
2. Each keystroke in the case filter repaints within 50 ms at 100,000 cases: a headless
   Pilot types into the filter one key at a time. The filter reads in a thread, so for each
   key two figures: the key drawn (the app's thread: the filter's handler, plus a full frame
   rendered afterwards) and the key's cases shown (that, plus the read in its thread and the
   page put into the table). Press -> cases shown through the Pilot is printed too, beside
   the same keys typed into a bare Textual Input: the Pilot's own waits dominate that figure.
3. Peak memory (``VmHWM``) of the app process under 100 MB: the real command at its first
   screen and on the Cases list, and the process that typed into the filter, beside a bare
   Textual Input typed into by the same Pilot in a process of its own.

4. The report preview (issue 23: at most 0.5 s): the Report screen's first visit, then the
   preview of the seeded log's two largest compact-years drawn again, through the Pilot.
5. The first open of a log an earlier version made (the seed taken back to schema m005), the
   real command on a pty: when the upgrade's progress line is on screen, and when the Cases
   list is, the upgrade done.

``--only start`` runs part 1 alone; ``--only typing`` parts 2 and 3 for the typing alone;
``--only report`` and ``--only upgrade`` parts 4 and 5. The load average is printed at the
start and the end.
It prints the figures and PASS or OVER against each budget; it never fails on time. Run it
with ``./dev bench`` (or ``.venv/bin/python scripts/bench_tui.py``).
"""

from __future__ import annotations

import sys
import time

if __name__ == "__main__" and len(sys.argv) > 1 and sys.argv[1] == "--phases":
    # A child process on a pseudo-terminal: start the app the way the command does, and
    # time each phase from inside. It imports only what the app under test imports.
    import json
    import os

    kind, db, out, spawned = sys.argv[2], sys.argv[3], sys.argv[4], float(sys.argv[5])
    began = time.time()
    phases: dict[str, float] = {"interpreter": began - spawned}

    def finish(app) -> None:
        with open(out, "w") as handle:
            json.dump(phases, handle)
        app.exit()

    def time_the_first_frame(App) -> None:
        """Textual writes a frame in ``App._display`` (not inside a ``batch_update``, which
        throws it away): the first one written ends the first frame."""
        display = App._display

        def timed_display(self, screen, renderable) -> None:
            display(self, screen, renderable)
            if renderable is not None and not self._batch_count and "drawn" not in phases:
                now = time.time()
                phases["drawn"] = now - spawned
                phases["first frame"] = now - phases.pop("run_started") - phases.get("first query", 0.0)
                if not getattr(self, "registry_is_snapshot", False):  # else once found again
                    self.call_later(finish, self)

        App._display = timed_display

    if kind == "bare":
        from textual.app import App
        from textual.widgets import DataTable, Footer, Header

        class Bare(App):
            def compose(self):
                yield Header()
                yield DataTable()
                yield Footer()

        phases["imports"] = time.time() - began
        time_the_first_frame(App)
        phases["run_started"] = time.time()
        Bare().run()
    else:
        import compact_tui.cli
        import compact_tui.cli.app_cmd
        import compact_tui.tui.app as app_module

        phases["imports"] = time.time() - began
        CompactApp, real_make_app = app_module.CompactApp, app_module.make_app
        time_the_first_frame(CompactApp)

        def make_app(*args, **kwargs):
            started = time.time()
            app = real_make_app(*args, **kwargs)
            phases["compacts"] = time.time() - started
            phases["compacts from"] = "snapshot" if app.registry_is_snapshot else "discovery"
            phases["run_started"] = time.time()
            return app

        def timed(name, method):
            def wrapper(self, *args, **kwargs):
                started = time.time()
                try:
                    return method(self, *args, **kwargs)
                finally:
                    phases.setdefault(name, time.time() - started)
            return wrapper

        if kind == "cases":  # (its imports then count as imports, not as the first frame)
            from compact_tui.tui.screens.cases import CasesScreen

            CasesScreen.reload = timed("first query", CasesScreen.reload)
        rediscover = CompactApp.rediscover_plugins

        def rediscover_and_exit(self):
            started = time.time()
            rediscover(self)
            phases["after the frame: plugins found again"] = time.time() - started
            finish(self)

        app_module.make_app = make_app
        CompactApp.rediscover_plugins = rediscover_and_exit
        compact_tui.cli.main(["--db", db, "app"] + (["--start", "cases"] if kind == "cases" else []))
    sys.exit(0)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import fcntl  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import select  # noqa: E402
import signal  # noqa: E402
import sqlite3  # noqa: E402
import statistics  # noqa: E402
import struct  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import termios  # noqa: E402
from pathlib import Path  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed_db  # noqa: E402

PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("compact-tui"))
START_BUDGET, CASES_START_BUDGET, KEY_BUDGET_MS, MEMORY_BUDGET_MB = 1.3, 1.3, 50.0, 100.0
REPORT_BUDGET_S = 0.5
FILTER_TEXT = "compact:essex kind:dispute youth"
#: What is typed into the filter: FILTER_TEXT, six backspaces, the rest taken back to nothing,
#: then a word no case holds (the search index's case: issue 23).
TYPING = list(FILTER_TEXT) + ["backspace"] * len(FILTER_TEXT) + list("zebra")


def typed_after_each_key() -> list[str]:
    out, text = [], ""
    for key in TYPING:
        text = text[:-1] if key == "backspace" else text + key
        out.append(text)
    return out
BARE_TITLE = "Bare Textual app"
BARE_APP = f'''\
from textual.app import App
from textual.widgets import DataTable, Footer, Header


class Bare(App):
    TITLE = "{BARE_TITLE}"

    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()


Bare().run()
'''
#: escape sequences in a terminal's output: CSI, OSC, charset and keypad modes
ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
KINDS = {
    "bare": "bare Textual app (Header, DataTable, Footer)",
    "real": "compact-tui --db SEEDED (the compacts list)",
    "cases": "compact-tui --db SEEDED app --start cases",
}


def pty_pair(rows: int = 24, cols: int = 80) -> tuple[int, int]:
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    return master, slave


def until_on_screen(argv: list[str], marker: str, env: dict[str, str], timeout: float = 60.0,
                    also: str | None = None) -> dict:
    """Spawn ``argv`` on an 80x24 pseudo-terminal; read what it writes until ``marker`` is in
    the text on screen (escape sequences taken out). Returns the seconds from spawn and the
    process's peak memory; the process is then killed."""
    master, slave = pty_pair()
    started = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    wanted, output, seen, also_seen = marker.encode(), b"", None, None
    try:
        while seen is None and time.perf_counter() - started < timeout:
            ready, _, _ = select.select([master], [], [], 0.2)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the process has gone and its end of the terminal with it
                break
            if not chunk:
                break
            output += chunk
            screen = ESCAPES.sub(b"", output)
            if also is not None and also_seen is None and also.encode() in screen:
                also_seen = time.perf_counter() - started
            if wanted in screen:
                seen = time.perf_counter() - started
    finally:
        peak_kb = _peak_memory_kb(proc.pid)
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = -signal.SIGKILL
        os.close(master)
    if seen is None:
        text = ESCAPES.sub(b"", output).decode(errors="replace")[-600:]
        raise SystemExit(f"{argv!r}: {marker!r} never appeared on screen; the end of its output:\n{text}")
    return {"s": seen, "cpu_s": usage.ru_utime + usage.ru_stime, "maxrss_mb": peak_kb / 1024, "also_s": also_seen}


def _peak_memory_kb(pid: int) -> float:
    """The process's peak resident memory so far (``VmHWM``, the same as its ``ru_maxrss``)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return float(line.split()[1])
    except OSError:
        pass
    return float("nan")


def officer_start(db: Path, work: Path, runs: int) -> dict[str, list[dict]]:
    """Each kind ``runs`` times, alternating (the order turning each round), after one warm-up
    each (the file cache, .pyc files, and the compacts' snapshot of an earlier start)."""
    bare = work / "bare_app.py"
    bare.write_text(BARE_APP)
    newest = sqlite3.connect(db).execute("SELECT title FROM cases ORDER BY id DESC LIMIT 1").fetchone()[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPACT_TUI_")}
    env.update(TERM="xterm-256color", COMPACT_TUI_CONFIG=str(work / "no-config.toml"),
               COMPACT_TUI_CACHE=str(work / "cache"))
    env.pop("NO_COLOR", None)
    how = {"bare": ([PYTHON, str(bare)], BARE_TITLE),
           "real": ([CLI, "--db", str(db)], "Essex Compact"),
           "cases": ([CLI, "--db", str(db), "app", "--start", "cases"], newest[:16])}
    results: dict[str, list[dict]] = {kind: [] for kind in how}
    kinds = list(how)
    for kind in kinds:
        until_on_screen(*how[kind], env)
    for i in range(runs):
        for kind in kinds[i % 3:] + kinds[:i % 3]:
            results[kind].append(until_on_screen(*how[kind], env))
    return results


def phases_once(kind: str, db: Path, work: Path) -> dict:
    out = work / f"phases-{kind}.json"
    out.unlink(missing_ok=True)
    master, slave = pty_pair()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPACT_TUI_")}
    env.update(TERM="xterm-256color", COMPACT_TUI_CONFIG=str(work / "no-config.toml"),
               COMPACT_TUI_CACHE=str(work / "cache"))
    spawned = time.time()
    proc = subprocess.Popen([PYTHON, __file__, "--phases", kind, str(db), str(out), repr(spawned)],
                            stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    output = b""
    while True:  # drain the terminal so the app never blocks writing to it
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            output += chunk
        elif proc.poll() is not None:
            break
    os.close(master)
    if proc.wait(timeout=60) != 0 or not out.exists():
        text = ESCAPES.sub(b"", output).decode(errors="replace")[-1500:]
        raise SystemExit(f"the {kind} app did not start in the breakdown run:\n{text}")
    return json.loads(out.read_text())


def breakdown(db: Path, work: Path, runs: int) -> dict[str, dict[str, float]]:
    """The median of each phase over ``runs`` in-process starts of each kind (alternating)."""
    got: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for _ in range(runs):
        for kind in KINDS:
            got[kind].append(phases_once(kind, db, work))
    medians = {}
    for kind, runs_of_kind in got.items():
        names = [k for k in runs_of_kind[0] if isinstance(runs_of_kind[0][k], float)]
        medians[kind] = {name: statistics.median(r.get(name, 0.0) for r in runs_of_kind) for name in names}
        if "compacts from" in runs_of_kind[0]:
            medians[kind]["compacts from"] = runs_of_kind[0]["compacts from"]
    return medians
async def type_into_filter(db: Path) -> dict:
    """Open the cases at 100,000 rows and time each key typed into the filter. The filter
    reads in a thread, so two figures per key: the key drawn (the app's thread: the filter's
    handler, then a full frame rendered) and the key's cases shown (that, plus the read in its
    thread and the page put into the table, then a frame). Press -> cases shown through the
    Pilot is printed too; the Pilot's own waits are measured by ``type_into_bare_input``."""
    from textual.widgets import DataTable

    from compact_tui.caselog.case_list import CaseReader
    from compact_tui.tui.app import make_app
    from compact_tui.tui.screens.cases import CasesScreen

    ui_ms: list[float] = []
    read_ms: list[float] = []

    def timed(method, into):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                into.append((time.perf_counter() - started) * 1000)
        return wrapper

    CasesScreen.on_input_changed = timed(CasesScreen.on_input_changed, ui_ms)
    CasesScreen.on_cases_screen_page_read = timed(CasesScreen.on_cases_screen_page_read, ui_ms)
    CaseReader.page = timed(CaseReader.page, read_ms)
    keys = TYPING
    app = make_app(db_path=db, keymap={})
    drawn, shown, pilot_ms, rows, reads = [], [], [], [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one("#case-table", DataTable)
        first_page = table.row_count
        await pilot.press("slash")
        for key in keys:
            ui_before, read_before = len(ui_ms), len(read_ms)
            started = time.perf_counter()
            await pilot.press(key)
            handler = sum(ui_ms[ui_before:])
            await app.workers.wait_for_complete()
            await pilot.pause()
            painted = time.perf_counter()
            app.screen._compositor.render_update(full=True)  # the frame the terminal would get
            frame = (time.perf_counter() - painted) * 1000
            pilot_ms.append((time.perf_counter() - started) * 1000)
            drawn.append(handler + frame)
            shown.append(sum(ui_ms[ui_before:]) + sum(read_ms[read_before:]) + frame)
            reads.append(len(read_ms) - read_before)
            rows.append(table.row_count)
    return {"drawn_ms": drawn, "ms": shown, "pilot_ms": pilot_ms, "rows": rows, "reads": reads,
            "read_ms": read_ms, "first_page": first_page, "maxrss_mb": _peak_memory_kb(os.getpid()) / 1024}


async def type_into_bare_input() -> dict:
    """The same keys typed by the same Pilot into a bare Textual Input (its own process, so
    its peak memory is the harness's and textual's alone)."""
    from textual.app import App
    from textual.widgets import Input

    class BareInput(App):
        def compose(self):
            yield Input()

    floor = []
    bare = BareInput()
    async with bare.run_test(size=(80, 24)) as pilot:
        for key in TYPING:
            started = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            bare.screen._compositor.render_update(full=True)
            floor.append((time.perf_counter() - started) * 1000)
    return {"floor_ms": floor, "maxrss_mb": _peak_memory_kb(os.getpid()) / 1024}


def typing_child(what: str) -> dict:
    """Run ``--typing-only WHAT`` in a process of its own and read its figures. Its peak
    memory is its ``VmHWM``, not ``ru_maxrss``: subprocess starts a child with vfork, and
    Linux carries the larger of the parent's peak and the child's across the exec into the
    child's ``ru_maxrss`` (so it reported this process's 440 MB of building the seed, when
    the seed was built in the same run)."""
    typed = subprocess.run([PYTHON, __file__, "--typing-only", what], capture_output=True, text=True, timeout=600)
    if typed.returncode != 0:
        raise SystemExit(f"typing into the filter ({what}) failed:\n{typed.stderr[-2000:]}")
    return json.loads(typed.stdout.strip().splitlines()[-1])


async def report_preview(db: Path) -> dict:
    """The Report screen as an officer opens it (key 5 from the compacts list), until its
    preview is on the screen, then the preview of each of the two largest compact-years of the
    seeded log drawn again (the compact or year changed): ``refresh_report`` (the report's
    queries, its Markdown, rich's layout of it) plus a full 80x24 frame, median of 3 each."""
    import sqlite3

    from textual.widgets import Input, Static

    from compact_tui.tui.app import make_app

    conn = sqlite3.connect(db)
    largest = conn.execute(
        "SELECT compact, substr(coalesce(\"on\", opened), 1, 4) AS year, count(*) FROM cases "
        "WHERE status != 'withdrawn' AND confidential = 0 AND compact IN ('essex', 'southend') "
        "GROUP BY 1, 2 ORDER BY 3 DESC").fetchall()
    conn.close()
    wanted = [next(r for r in largest if r[0] == c) for c in ("southend", "essex")]
    app = make_app(db_path=db, keymap={}, start="compacts")
    out: dict = {"years": []}
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        started = time.perf_counter()
        await pilot.press("5")
        for _ in range(400):
            if type(app.screen).__name__ == "ReportScreen" and app.screen.shown_markdown:
                break
            await pilot.pause()
        app.screen._compositor.render_update(full=True)
        out["first_visit_s"] = time.perf_counter() - started
        screen = app.screen
        for compact, year, n in wanted:
            times = []
            for _ in range(3):
                screen.query_one("#r-year", Input).value = year
                app.last_compact = compact
                screen.query_one("#r-compact").value = compact  # set from the program: no Changed message
                await pilot.pause()
                started = time.perf_counter()
                screen.refresh_report()
                screen.query_one("#report-md", Static).refresh(layout=True)
                await pilot.pause()
                screen._compositor.render_update(full=True)
                times.append(time.perf_counter() - started)
            out["years"].append({"compact": compact, "year": year, "cases": n, "s": times,
                                 "total": screen.report["cases_total"]})
    return out


def print_report(report: dict) -> None:
    print("\n4. The report preview (the Report screen's annual review), in-process through the Pilot:")
    print(f"   first visit (key 5 from the compacts list until the preview is drawn, the case log opened and "
          f"the screen's modules imported on the way): {report['first_visit_s']:.2f} s")
    worst = 0.0
    for y in report["years"]:
        med = statistics.median(y["s"])
        worst = max(worst, med)
        print(f"   {y['compact']} {y['year']} ({y['total']:,} cases in its report): the preview drawn again "
              f"median {med:.3f} s (min {min(y['s']):.3f}, max {max(y['s']):.3f})")
    print(f"   worst median {worst:.3f} s  [budget {REPORT_BUDGET_S} s: {verdict(worst <= REPORT_BUDGET_S)}]")


def older_copy(seed: Path, dest: Path) -> Path:
    """A copy of the seed taken back to schema m005, as a compact-tui before m006 left it."""
    from compact_tui.caselog import text_index
    from compact_tui.caselog.schema_migrations import CASE_LIST_INDEXES

    seed_db.fresh_copy(seed, dest)
    conn = sqlite3.connect(dest, isolation_level=None)
    conn.execute("BEGIN")
    for statement in CASE_LIST_INDEXES:
        conn.execute("DROP INDEX IF EXISTS " + statement.split()[2])
    for name in text_index.TRIGGERS:
        conn.execute(f"DROP TRIGGER IF EXISTS {name}")
    conn.execute(f"DROP TABLE IF EXISTS {text_index.TABLE}")
    conn.execute("DROP INDEX IF EXISTS cases_compact_year")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name >= 'm006'")
    conn.execute("COMMIT")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return dest


def upgrade_start(seed: Path, work: Path) -> dict:
    """The real command on an 80x24 pty, started on the Cases list of a log at schema m005:
    seconds from spawn until the progress line is on screen, and until the newest case is
    (the upgrade done, the list drawn); beside it the bare Textual app's start in the same run."""
    old = older_copy(seed, work / "old.db")
    newest = sqlite3.connect(old).execute("SELECT title FROM cases ORDER BY id DESC LIMIT 1").fetchone()[0]
    bare = work / "bare_app.py"
    bare.write_text(BARE_APP)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPACT_TUI_")}
    env.update(TERM="xterm-256color", COMPACT_TUI_CONFIG=str(work / "no-config.toml"),
               COMPACT_TUI_CACHE=str(work / "cache"))
    floor = until_on_screen([PYTHON, str(bare)], BARE_TITLE, env)
    got = until_on_screen([CLI, "--db", str(old), "app", "--start", "cases"], newest[:16], env, timeout=600,
                          also="Upgrading the case log")
    return {"bare_s": floor["s"], "line_s": got["also_s"], "rows_s": got["s"], "cpu_s": got["cpu_s"]}


def print_upgrade(up: dict) -> None:
    print("\n5. The first open of a log an earlier version made (the seed taken back to schema m005), the real "
          "command on an 80x24 pty, started on the Cases list:")
    print(f"   the progress line on screen {up['line_s']:.2f} s after spawn (the bare Textual app's first screen "
          f"in the same run: {up['bare_s']:.2f} s); the upgrade done and the newest case on screen "
          f"{up['rows_s']:.1f} s after spawn ({up['cpu_s']:.1f} s of CPU)")


def verdict(ok: bool) -> str:
    return "PASS" if ok else "OVER"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="starts of each kind, alternating (default 7)")
    parser.add_argument("--only", choices=("start", "typing", "report", "upgrade"),
                        help="only part 1 (start-up and its breakdown), parts 2 and 3 for the process that "
                             "typed into the filter (and the bare Input beside it), part 4 (the report "
                             "preview) or part 5 (the first open of a log that needs an upgrade)")
    parser.add_argument("--start-only", action="store_true", help=argparse.SUPPRESS)  # = --only start
    parser.add_argument("--typing-only", choices=("app", "bare", "report"), help=argparse.SUPPRESS)  # a child
    args = parser.parse_args()
    if args.typing_only == "bare":  # the child typing into a bare Input: needs no database
        print(json.dumps(asyncio.run(type_into_bare_input())))
        return
    only = "start" if args.start_only else args.only
    seed_db.bytecode_as_installed()
    seed, took = seed_db.cached_seed()
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as tmp:
        work = Path(tmp)
        db = seed_db.fresh_copy(seed, work / "cases.db")
        if args.typing_only == "report":  # the child that opens the report: its figures as JSON
            print(json.dumps(asyncio.run(report_preview(db))))
            return
        if args.typing_only:  # the child that types into the filter: print its figures as JSON
            print(json.dumps(asyncio.run(type_into_filter(db))))
            return
        print(f"compact-tui terminal app benchmark (seed: {seed}{'' if took is None else f', built in {took:.0f} s'})")
        print(f"   load average at the start: {os.getloadavg()[0]:.1f}")
        starts = phases = typing = report = upgrade = None
        if only in (None, "start"):
            starts = officer_start(db, work, args.runs)
            phases = breakdown(db, work, max(3, args.runs // 2))
        if only in (None, "typing"):
            typing = typing_child("app")
            typing["bare"] = typing_child("bare")
        if only in (None, "report"):
            report = typing_child("report")
        if only in (None, "upgrade"):
            upgrade = upgrade_start(seed, work)
    if starts is not None:
        print_start(starts, phases, args.runs)
    if typing is not None:
        print_typing(typing)
    if starts is not None or typing is not None:
        print_memory(starts, typing)
    if report is not None:
        print_report(report)
    if upgrade is not None:
        print_upgrade(upgrade)
    print(f"\n   load average at the end: {os.getloadavg()[0]:.1f}")


def print_start(starts: dict, phases: dict, runs: int) -> None:

    med = {kind: statistics.median(r["s"] for r in runs) for kind, runs in starts.items()}
    print(f"\n1. Start-up as the officer sees it: spawn until the first screen's content is in the "
          f"output of an 80x24 pty; median of {runs}, alternating (min..max):")
    for kind, label in KINDS.items():
        seen = [r["s"] * 1000 for r in starts[kind]]
        print(f"   {label:<52} {med[kind] * 1000:5.0f} ms  ({min(seen):.0f}..{max(seen):.0f})")
    cpu = {kind: statistics.median(r["cpu_s"] for r in runs) for kind, runs in starts.items()}
    print(f"   CPU time used by then (user + system; steadier when the machine is busy): bare "
          f"{cpu['bare'] * 1000:.0f} ms, compact-tui {cpu['real'] * 1000:.0f} ms "
          f"({cpu['real'] / cpu['bare']:.2f}x), on the Cases list {cpu['cases'] * 1000:.0f} ms "
          f"({cpu['cases'] / cpu['bare']:.2f}x)")
    ratio, cases_ratio = med["real"] / med["bare"], med["cases"] / med["bare"]
    print(f"   ratio compact-tui / bare: {ratio:.2f}  [budget {START_BUDGET}x: {verdict(ratio <= START_BUDGET)}]")
    print(f"   starting on the Cases list / bare: {cases_ratio:.2f}  "
          f"[budget {CASES_START_BUDGET}x: {verdict(cases_ratio <= CASES_START_BUDGET)}]")
    print("   where the time goes, measured inside each process (median ms; a separate set of runs, "
          "timed to the first frame written to the terminal):")
    names = ["interpreter", "imports", "compacts", "first query", "first frame", "drawn",
             "after the frame: plugins found again"]
    print("   " + f"{'':<38}" + "".join(f"{kind:>9}" for kind in KINDS))
    for name in names:
        cells = "".join(f"{phases[kind][name] * 1000:9.0f}" if name in phases[kind] else f"{'-':>9}"
                        for kind in KINDS)
        label = {"compacts": f"compacts ({phases['real'].get('compacts from', '?')})",
                 "first query": "first query (rows that fit put in)",
                 "first frame": "first frame (laid out, drawn, written)",
                 "drawn": "total to the first frame written"}.get(name, name)
        print(f"   {label:<38}{cells}")



def print_memory(starts: dict | None, typing: dict | None) -> None:
    print("\n3. Peak memory (VmHWM of the app process):")
    said, worst = [], 0.0
    if starts is not None:
        peak = {kind: max(r["maxrss_mb"] for r in runs) for kind, runs in starts.items()}
        said.append(f"bare app at its first screen {peak['bare']:.0f} MB; compact-tui at its first screen "
                    f"{peak['real']:.0f} MB; on the Cases list {peak['cases']:.0f} MB")
        worst = max(peak["real"], peak["cases"])
    if typing is not None:
        said.append(f"the process that typed into the filter {typing['maxrss_mb']:.0f} MB (the same Pilot "
                    f"typing into a bare Textual Input, in its own process: {typing['bare']['maxrss_mb']:.0f} MB)")
        worst = max(worst, typing["maxrss_mb"])
    print("   " + "; ".join(said))
    print(f"   worst {worst:.0f} MB  [budget {MEMORY_BUDGET_MB:.0f} MB: {verdict(worst < MEMORY_BUDGET_MB)}]")


def print_typing(typing: dict) -> None:
    ms, drawn, keys = typing["ms"], typing["drawn_ms"], TYPING
    floor = typing["bare"]["floor_ms"]
    typed = typed_after_each_key()  # the filter after each key
    print(f"\n2. Each keystroke in the case filter at 100,000 cases ({len(ms)} keys: "
          f"{FILTER_TEXT!r}, backspaces to nothing, then 'zebra', which no case holds):")
    print(f"   first page shown: {typing['first_page']} rows; rows after each key: "
          f"{min(typing['rows'])}..{max(typing['rows'])}; {sum(typing['reads'])} reads for {len(ms)} keys "
          f"(a key that leaves the filter as it was reads nothing: a space, compact: or kind:disp half typed)")
    print(f"   the key drawn (the app's thread: the filter's handler + a full 80x24 frame): "
          f"median {statistics.median(drawn):.1f} ms, max {max(drawn):.1f} ms  "
          f"[budget {KEY_BUDGET_MS:.0f} ms: {verdict(max(drawn) <= KEY_BUDGET_MS)}]")
    print(f"   the key's cases shown (that + the read in its thread + the page into the table + a frame): "
          f"median {statistics.median(ms):.1f} ms, p90 {sorted(ms)[int(len(ms) * 0.9)]:.1f} ms, "
          f"max {max(ms):.1f} ms  [budget {KEY_BUDGET_MS:.0f} ms: {verdict(max(ms) <= KEY_BUDGET_MS)}]")
    reads = typing["read_ms"]
    if reads:
        print(f"   the reads alone (SQLite, in the thread): median {statistics.median(reads):.1f} ms, "
              f"max {max(reads):.1f} ms")
    slow = sorted(zip(ms, range(len(keys))), reverse=True)[:3]
    print("   slowest keys (the filter after it): " + ", ".join(f"{typed[i]!r} {t:.1f} ms" for t, i in slow))
    print(f"   through the Pilot, press -> cases shown -> frame: median {statistics.median(typing['pilot_ms']):.1f} "
          f"ms, max {max(typing['pilot_ms']):.1f} ms; the same keys into a bare Textual Input: median "
          f"{statistics.median(floor):.1f} ms (the Pilot's own waits)")


if __name__ == "__main__":
    main()
