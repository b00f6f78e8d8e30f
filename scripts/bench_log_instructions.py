"""Count the instructions of a ``compact-tui log`` against ``python -c 'import sqlite3'`` (issue 23's
floor, budget 3.0x), with valgrind's callgrind: a count the other engineers' load on the shared
machine cannot move, where CPU time moves by a few per cent from run to run.

Every command runs in a fresh interpreter under valgrind, in a folder of its own (case log,
cache, config, chain key), from compiled bytecode as an officer's install runs. ``log`` is counted
three ways: with the plugins found and asked (no snapshot, or one it may not trust: then it makes
it again), from a snapshot it may trust (the usual case; made under valgrind, whose own
environment counts in the snapshot's stamp), and the imports alone, step by step. ``--src DIR``
counts another checkout's ``src`` (put first on ``PYTHONPATH``; the plugins stay this one's). Prints the
figures; never fails on them. ``.venv/bin/python scripts/bench_log_instructions.py``
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed_db  # noqa: E402

PYTHON = sys.executable
CLI = str(Path(PYTHON).with_name("compact-tui"))
LOG_NOTE = [CLI, "log", "note", "--compact", "essex", "--title", "Bench note"]
LOG_CONSULTATION = [CLI, "log", "consultation", "--compact", "southampton", "--title", "Bench consultation",
                    "--start", "today", "--end", "+8w", "--cite", "2.4"]
#: An organisation that signed Southend's compact (which sits under Essex's), for ``log --org``.
ORG = "Bench Southend Trust"
ORG_SETUP = [[CLI, "orgs", "add", ORG, "--side", "vcs", "--locality", "Southend-on-Sea"],
             [CLI, "orgs", "sign", ORG, "southend"]]
LOG_FUNDING_CHANGE = [CLI, "log", "funding-change", "--org", ORG, "--title", "Bench grant ends",
                      "--notified", "today", "--effective", "+6w"]
#: The imports of ``log``, one after another (each line adds to those above it).
STEPS = [
    ("python -c pass", "pass"),
    ("python -c 'import sqlite3' (the floor)", "import sqlite3"),
    ("+ import compact_tui.cli (argparse, re)", "import sqlite3, compact_tui.cli"),
    ("+ dataclasses (inspect, ast, dis)", "import sqlite3, compact_tui.cli, dataclasses"),
    ("+ the model", "import sqlite3, compact_tui.cli, compact_tui.content.model"),
    ("+ cli/case_cmd.py", "import sqlite3, compact_tui.cli, compact_tui.cli.case_cmd"),
    ("+ caselog/case_log.py (store, chain, rules)",
     "import sqlite3, compact_tui.cli, compact_tui.cli.case_cmd, compact_tui.caselog.case_log"),
]


def instructions(cmd: list[str], env: dict[str, str]) -> int:
    """The instructions callgrind counted for one run of ``cmd`` (which must succeed)."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          env=env, capture_output=True, text=True)
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode != 0 or not found:
        raise SystemExit(f"bench: {' '.join(cmd)} failed: {done.stderr.strip()[-500:]}")
    return int(found.group(1))


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--src", help="count this checkout's src folder instead (e.g. an older commit's)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("bench_log_instructions: valgrind is not installed; nothing counted.")
        return
    seed_db.bytecode_as_installed()
    work = Path(tempfile.mkdtemp(prefix="bench-log-instructions-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("COMPACT_TUI_") and k != "PYTHONDONTWRITEBYTECODE"}
    env.update({"COMPACT_TUI_DB": str(work / "cases.db"), "COMPACT_TUI_CACHE": str(work / "cache"),
                "COMPACT_TUI_CONFIG": str(work / "config.toml"), "XDG_CONFIG_HOME": str(work / "config"),
                "XDG_DATA_HOME": str(work / "data"), "XDG_STATE_HOME": str(work / "state")})
    if args.src:
        env["PYTHONPATH"] = str(Path(args.src).resolve())
    try:
        print(f"log's instructions (valgrind callgrind) of {args.src or 'this checkout'}, load average "
              f"{os.getloadavg()[0]:.1f} (it does not count)")
        floor = instructions([PYTHON, "-c", "import sqlite3"], env)
        subprocess.run(LOG_NOTE, env=env, capture_output=True, check=True)  # the case log made
        for setup in ORG_SETUP:
            subprocess.run(setup, env=env, capture_output=True, check=True)
        rows = [("python -c 'import sqlite3' (the floor)", floor)]
        instructions(LOG_NOTE, env)  # the parsed files cached under valgrind's own environment
        (work / "cache" / "registry.json").unlink(missing_ok=True)
        rows.append(("log note, the plugins asked, the snapshot made", instructions(LOG_NOTE, env)))
        rows.append(("log note, from the snapshot", instructions(LOG_NOTE, env)))
        rows.append(("log consultation with a finding, from the snapshot", instructions(LOG_CONSULTATION, env)))
        rows.append(("log funding-change, compact from --org, snapshot", instructions(LOG_FUNDING_CHANGE, env)))
        for label, count in rows:
            print(f"   {label:<52} {count / 1e6:6.1f} M  {count / floor:5.2f}x  "
                  f"{'' if count == floor else '[3.0x: ' + ('PASS' if count <= 3 * floor else 'OVER') + ']'}")
        print("   the imports of log, one after another:")
        for label, code in STEPS:
            count = instructions([PYTHON, "-c", code], env)
            print(f"   {label:<52} {count / 1e6:6.1f} M  {count / floor:5.2f}x")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
