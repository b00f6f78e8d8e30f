"""Bytes written to the terminal: what an officer on a slow link waits for (issue 20, item 10).

Each program runs on an 80x24 pseudo-terminal as over SSH (``TERM=xterm-256color``, no
``COLORTERM``); every byte it writes is counted. The first screen is everything written from
start until the program has written nothing for a second; each key is everything written after
it until nothing more comes for half a second. Beside compact-tui, a bare Textual app: for the
first screen the same one ``bench_tui.py`` starts (Header, DataTable, Footer); for the keys a
bare app of the same shape as the Cases list (an Input over a DataTable of 40 rows).

Budgets: first screen at most 2x the bare app's; a key typed into the Cases filter at most
5 KB; a cursor move at most 1 KB. Bytes do not depend on the machine's load.

    .venv/bin/python scripts/bench_bytes.py [--cases N]
"""

from __future__ import annotations

import argparse
import os
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_tui import BARE_APP, CLI, ESCAPES, PYTHON, pty_pair  # noqa: E402

FIRST_SCREEN_BUDGET, FILTER_KEY_BUDGET, CURSOR_BUDGET = 2.0, 5 * 1024, 1024
QUIET_START, QUIET_KEY = 1.0, 0.5
BARE_LIST_APP = '''\
from textual.app import App
from textual.widgets import DataTable, Input


class BareList(App):
    def compose(self):
        yield Input(placeholder="filter")
        yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("#", "!", "Compact", "Kind", "Status", "Due", "Title")
        for i in range(40):
            table.add_row(str(40 - i), "", "essex", "consultation", "open", "2026-03-30",
                          f"Grants to village halls {i}")
        table.focus()

    def on_input_changed(self, event):
        table = self.query_one(DataTable)
        table.clear()
        for i in range(40):
            if event.value in f"Grants to village halls {i}":
                table.add_row(str(40 - i), "", "essex", "consultation", "open", "2026-03-30",
                              f"Grants to village halls {i}")


BareList().run()
'''
FILTER_TYPED = "compact:essex youth"


class Pty:
    """A program on an 80x24 pseudo-terminal; ``read_until_quiet`` counts what it writes."""

    def __init__(self, argv: list[str], env: dict[str, str]):
        self.master, slave = pty_pair()
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
        os.close(slave)
        self.screen = b""

    def read_until_quiet(self, quiet: float, marker: bytes = b"", limit: float = 60.0) -> int:
        """Bytes written until ``marker`` is on screen and then nothing comes for ``quiet`` s."""
        count, text, start = 0, b"", time.monotonic()
        last = start
        while time.monotonic() - start < limit:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    break
                count += len(chunk)
                text += chunk
                last = time.monotonic()
            elif time.monotonic() - last >= quiet and (not marker or marker in ESCAPES.sub(b"", text)):
                break
        self.screen = text
        return count

    def key(self, data: bytes, quiet: float = QUIET_KEY) -> int:
        os.write(self.master, data)
        return self.read_until_quiet(quiet)

    def close(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        os.close(self.master)


def environment(db: Path, work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL_DRIVER")}
    env.update(TERM="xterm-256color", COMPACT_TUI_DB=str(db), COMPACT_TUI_CONFIG=str(work / "none.toml"),
               COMPACT_TUI_STATE=str(work / "state"), COLUMNS="80", LINES="24")
    return env


def measure_app(db: Path, work: Path) -> dict:
    env = environment(db, work)
    figures: dict = {}
    term = Pty([CLI, "--db", str(db)], env)
    try:
        term.read_until_quiet(QUIET_START, b"Compacts")  # once, to have the snapshot cache made
    finally:
        term.close()
    term = Pty([CLI, "--db", str(db)], env)
    try:
        figures["first screen (compacts list)"] = term.read_until_quiet(QUIET_START, b"Compacts")
        figures["cursor move (down, compacts list)"] = term.key(b"\x1b[B")
        figures["screen switch (2: the Cases list)"] = term.key(b"2", QUIET_START)
        figures["cursor move (down, Cases list)"] = term.key(b"\x1b[B")
        term.key(b"/")
        typed = [term.key(ch.encode()) for ch in FILTER_TYPED]
        figures["filter key (median)"] = int(statistics.median(typed))
        figures["filter key (largest)"] = max(typed)
        figures["filter keys, each"] = typed
        figures["screen switch (1: the compacts list)"] = term.key(b"1", QUIET_START)
    finally:
        term.close()
    term = Pty([CLI, "--db", str(db), "--start", "cases"], env)
    try:
        figures["first screen (the Cases list, --start cases)"] = term.read_until_quiet(QUIET_START, b"Cases")
    finally:
        term.close()
    return figures


def measure_bare(work: Path) -> dict:
    env = environment(work / "unused.db", work)
    bare, bare_list = work / "bare_app.py", work / "bare_list.py"
    bare.write_text(BARE_APP)
    bare_list.write_text(BARE_LIST_APP)
    figures = {}
    term = Pty([PYTHON, str(bare)], env)
    try:
        figures["first screen"] = term.read_until_quiet(QUIET_START, b"Bare Textual app")
    finally:
        term.close()
    term = Pty([PYTHON, str(bare_list)], env)
    try:
        term.read_until_quiet(QUIET_START, b"village halls")
        figures["cursor move (down, a table)"] = term.key(b"\x1b[B")
        term.key(b"\x1b[Z")  # to the input
        typed = [term.key(ch.encode()) for ch in "halls 1"]
        figures["filter key (median)"] = int(statistics.median(typed))
        figures["filter key (largest)"] = max(typed)
    finally:
        term.close()
    return figures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=2000, help="cases in the seeded case log (default 2,000)")
    args = ap.parse_args()
    from seed_db import cached_seed, fresh_copy, use_bench_key

    use_bench_key()
    seed_path, _ = cached_seed(args.cases, args.cases * 10)
    with tempfile.TemporaryDirectory(prefix="bench-bytes-") as tmp:
        work = Path(tmp)
        db = fresh_copy(seed_path, work / "cases.db")
        bare = measure_bare(work)
        app = measure_app(db, work)
    print(f"Bytes written to an 80x24 terminal (TERM=xterm-256color, no COLORTERM), a case log of "
          f"{args.cases:,} cases; load average {os.getloadavg()[0]:.1f}:")
    print(f"  {'bare Textual app':<48} {'':>9}")
    for name, n in bare.items():
        print(f"    {name:<46} {n:>9,}")
    print("  compact-tui")
    for name, n in app.items():
        if isinstance(n, list):  # each key of FILTER_TYPED in turn
            print(f"    {name:<46} " + " ".join(f"{c}:{b:,}" for c, b in zip(FILTER_TYPED, n)))
        else:
            print(f"    {name:<46} {n:>9,}")
    first = app["first screen (compacts list)"] / bare["first screen"]
    checks = [
        (f"first screen {first:.2f}x the bare app's (budget {FIRST_SCREEN_BUDGET}x)", first <= FIRST_SCREEN_BUDGET),
        (f"filter key: largest {app['filter key (largest)']:,} bytes (budget {FILTER_KEY_BUDGET:,})",
         app["filter key (largest)"] <= FILTER_KEY_BUDGET),
        (f"cursor move: {max(app['cursor move (down, compacts list)'], app['cursor move (down, Cases list)']):,} "
         f"bytes (budget {CURSOR_BUDGET:,})",
         max(app["cursor move (down, compacts list)"], app["cursor move (down, Cases list)"]) <= CURSOR_BUDGET),
    ]
    for said, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {said}")


if __name__ == "__main__":
    main()
