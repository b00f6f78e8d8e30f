"""Mutation testing, one module at a time: ``./dev mutate [MODULE ...] [--jobs N] [--fresh]``.

mutmut (3.x) makes single-point changes to a module (a comparison flipped, a constant moved by
one, ``and`` for ``or``, a string changed, a return emptied...) and runs, for each one, only the
tests that call the function it changed (it records which tests call which function in a first
pass). A change no test notices *survived*: either a behaviour no test checks (a test to write)
or a change that alters nothing an officer could see (listed, with the reason, in
``docs/mutation-survivors.toml``). What is printed at the end: per module, the mutants, how many
were killed, the kill rate, the survivors listed as changing nothing, the survivors that still
need a test (each with its diff), the time taken (wall and CPU) and the load average.

MODULE is a module's name (``rules``, ``audit``, ``compact_tui.rules``) or its path under
``src/``. With none, every module in :data:`DECIDING` (the ones that decide findings, dates,
dispute moves, the lifecycle, the audit and the evidence).

Each module runs in a folder of its own, ``.mutants/<module>/`` (not committed), so the record
of which tests call which function is kept for the next run of that module; ``--fresh`` starts
it again (do so after a test or the code changed much, and for figures you quote). The tests
run are those of ``tests/caselog``, ``tests/core`` and ``tests/plugins`` (the app's Pilot tests
decide nothing these modules do not; they are left out for time), less those that pip-install.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SRC = REPO / "src"
WORK = REPO / ".mutants"
SURVIVORS = REPO / "docs" / "mutation-survivors.toml"

#: The modules that decide what an officer is told: findings, dates, dispute moves, the
#: lifecycle, the audit and the evidence. Found wherever they live under src/compact_tui.
DECIDING = ("rules", "dates", "disputes", "lifecycle", "caselog", "audit", "evidence")

#: What the mutated copy needs beside src/ and tests/ (tests read these at import).
LINKED = ("src", "tests", "docs", "pyproject.toml", "README.md", "ARCHITECTURE.md")

KILLED = {1, 3, 36, 24, -24, 152, 255}  # a test failed, or the mutant made them hang (a timeout)
NO_TESTS = {5, 33}


def find_module(name: str) -> Path:
    """``rules`` -> ``src/compact_tui/rules.py`` (or wherever in the package it now lives)."""
    if name.endswith(".py") and (REPO / name).is_file():
        return (REPO / name).resolve()
    dotted = name.removeprefix("compact_tui.").replace("/", ".")
    parts = dotted.split(".")
    found = [p for p in (SRC / "compact_tui").rglob(f"{parts[-1]}.py")
             if "scaffold" not in p.parts and p.with_suffix("").parts[-len(parts):] == tuple(parts)]
    if len(found) != 1:
        where = ", ".join(str(p.relative_to(REPO)) for p in found) or "no such module"
        raise SystemExit(f"mutate: {name!r} names {len(found)} modules under src/compact_tui ({where}).")
    return found[0]


@dataclass
class Outcome:
    module: str
    statuses: dict[str, int]  # mutant name -> exit code
    listed: list[tuple[str, str]] = field(default_factory=list)       # (mutant, reason)
    unlisted: list[tuple[str, str]] = field(default_factory=list)     # (mutant, diff)
    no_tests: list[str] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0
    load: str = ""

    @property
    def total(self) -> int:
        return len(self.statuses)

    @property
    def killed(self) -> int:
        return sum(1 for code in self.statuses.values() if code in KILLED)

    @property
    def rate(self) -> float:
        return self.killed / self.total if self.total else 1.0

    @property
    def rate_of_the_rest(self) -> float:
        """The kill rate once the survivors that change nothing are set aside."""
        rest = self.total - len(self.listed)
        return self.killed / rest if rest else 1.0


def prepare(module: Path, fresh: bool) -> Path:
    rel = module.relative_to(SRC).with_suffix("")
    folder = WORK / ".".join(rel.parts)
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(REPO / name)
    stale_tests = folder / "mutants" / "tests"
    if stale_tests.exists():  # copied again by mutmut; a deleted test must not linger
        shutil.rmtree(stale_tests)
    return folder


def run_one(module: Path, jobs: int, fresh: bool) -> Outcome:
    folder = prepare(module, fresh)
    rel = module.relative_to(REPO)
    env = dict(os.environ)
    env.setdefault("COMPACT_TUI_SEEDS", str(REPO.parent / "shared" / "seeds"))
    env["MUTATE_ONLY"] = str(rel)
    started, cpu_before = time.monotonic(), _children_cpu()
    code = subprocess.call([sys.executable, __file__, "--inner", "--jobs", str(jobs)], cwd=folder, env=env)
    wall, cpu = time.monotonic() - started, _children_cpu() - cpu_before
    if code != 0:
        raise SystemExit(f"mutate: mutmut stopped on {rel} (exit {code}); see its output above.")
    meta = json.loads((folder / "mutants" / (str(rel) + ".meta")).read_text())
    outcome = Outcome(".".join(module.relative_to(SRC).with_suffix("").parts), meta["exit_code_by_key"],
                      wall=wall, cpu=cpu, load=_load())
    listed = _listed_survivors()
    for name, code in sorted(outcome.statuses.items()):
        if code in KILLED:
            continue
        diff = _diff(folder, name)
        reason = _match(listed, name, diff)
        if reason is not None:
            outcome.listed.append((name, reason))
        elif code in NO_TESTS:
            outcome.no_tests.append(name)
            outcome.unlisted.append((name, diff))
        else:
            outcome.unlisted.append((name, diff))
    return outcome


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def _diff(folder: Path, name: str) -> str:
    out = subprocess.run([sys.executable, "-m", "mutmut", "show", name], cwd=folder, capture_output=True, text=True)
    return "\n".join(line for line in out.stdout.splitlines() if line.startswith(("-", "+"))
                     and not line.startswith(("---", "+++")))


def _changed_lines(diff: str) -> tuple[str, str]:
    """The lines a mutant removed and added, each squashed to single spaces (to match the list)."""
    minus = " | ".join(" ".join(line[1:].split()) for line in diff.splitlines() if line.startswith("-"))
    plus = " | ".join(" ".join(line[1:].split()) for line in diff.splitlines() if line.startswith("+"))
    return minus, plus


def _function_of(name: str) -> str:
    """``compact_tui.dates.x_describe_days__mutmut_7`` -> ``compact_tui.dates.describe_days``;
    a method's mutant (``xǁClassǁmethod__mutmut_3``) -> ``...Class.method``."""
    module, _, last = name.rpartition(".")
    last = re.sub(r"__mutmut_\d+$", "", last).removeprefix("x_").removeprefix("xǁ")
    return f"{module}.{last.replace('ǁ', '.')}"


def _listed_survivors() -> list[dict]:
    if not SURVIVORS.exists():
        return []
    return tomllib.loads(SURVIVORS.read_text(encoding="utf-8")).get("survivor", [])


def _match(listed: list[dict], name: str, diff: str) -> str | None:
    function = _function_of(name)
    minus, plus = _changed_lines(diff)
    for entry in listed:
        if entry["function"] == function and " ".join(entry["from"].split()) == minus \
                and " ".join(entry["to"].split()) == plus:
            return entry["reason"]
    return None


def report(outcomes: list[Outcome], verbose: bool) -> None:
    for o in outcomes:
        if not o.unlisted:
            continue
        print(f"\n== {o.module}: {len(o.unlisted)} survivors that no test catches and no entry in "
              f"{SURVIVORS.relative_to(REPO)} explains")
        for name, diff in o.unlisted:
            print(f"\n{name} ({_function_of(name)}){' [no test calls it]' if name in o.no_tests else ''}")
            if verbose or len(o.unlisted) <= 60:
                print(diff)
    print("\n| module | mutants | killed | kill rate | changing nothing (listed) | rate of the rest | "
          "still to test | wall | CPU | load (1, 5, 15 min) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for o in outcomes:
        print(f"| {o.module} | {o.total} | {o.killed} | {o.rate:.0%} | {len(o.listed)} | {o.rate_of_the_rest:.0%} | "
              f"{len(o.unlisted)} | {o.wall:.0f} s | {o.cpu:.0f} s | {o.load} |")


def inner(jobs: int) -> None:
    """Inside ``.mutants/<module>/``: run mutmut on the one module named by $MUTATE_ONLY."""
    from mutmut import configuration
    from mutmut.__main__ import cli

    config = configuration.config()
    config.only_mutate = [os.environ["MUTATE_ONLY"]]
    cli(["run", "--max-children", str(jobs)], standalone_mode=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="./dev mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--fresh", action="store_true", help="forget the last run's record of this module")
    parser.add_argument("--verbose", action="store_true", help="print every survivor's diff")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        inner(args.jobs)
        return
    modules = [find_module(m) for m in (args.modules or [m for m in DECIDING if _exists(m)])]
    outcomes = []
    for module in modules:
        print(f"mutate: {module.relative_to(REPO)} (load {_load()})", flush=True)
        outcomes.append(run_one(module, args.jobs, args.fresh))
    report(outcomes, args.verbose)


def _exists(name: str) -> bool:
    try:
        find_module(name)
    except SystemExit:
        return False
    return True


if __name__ == "__main__":
    main()
