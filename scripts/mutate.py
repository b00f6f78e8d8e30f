"""Mutation testing: ``./dev mutate [MODULE ...] [--jobs N] [--fresh] [--verbose]``.

mutmut (3.x) makes single-point changes to a module (a comparison flipped, a constant moved by
one, ``and`` for ``or``, a string changed, a return emptied...) and runs, for each one, only the
tests that call the function it changed (it records which tests call which function in a first
pass). A change no test notices *survived*: either a behaviour no test checks (a test to write)
or a change that alters nothing an officer could see (listed, with the reason, in
``docs/mutation-survivors.toml``). What is printed at the end: per module, the mutants, how many
were killed, the kill rate, the survivors listed as changing nothing, the survivors that still
need a test (each with its diff), the time taken (wall and CPU) and the load average.

MODULE is a module's name (``notice``, ``audit``, ``rules.dates``) or its path. With none, every
module in :data:`DECIDING` (the ones that decide findings, dates, dispute moves, the lifecycle,
the audit and the evidence). The modules named are mutated in one run, after one first pass of
the tests.

Each set of modules runs in a folder of its own under ``.mutants/`` (not committed), so the
record of which tests call which function is kept for that set's next run; ``--fresh`` starts it
again (do so after a test or the code changed much, and for figures you quote). The tests run
are those of ``tests/caselog``, ``tests/core`` and ``tests/plugins`` (``[tool.mutmut]`` in
pyproject.toml): the app's Pilot tests decide nothing these modules do not, and are left out for
time, as are those that pip-install and the type check (it would check the mutated copy).
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
DECIDING = ("notice", "dates", "disputes", "lifecycle", "case_log", "audit", "evidence")

#: What the mutated copy needs beside src/ and tests/ (tests read these at import).
LINKED = ("src", "tests", "docs", "scripts", "pyproject.toml", "README.md", "ARCHITECTURE.md")

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
    seconds: float = 0.0  # the time its mutants' tests took, added up

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


def dotted(module: Path) -> str:
    return ".".join(module.relative_to(SRC).with_suffix("").parts)


def prepare(modules: list[Path], fresh: bool) -> Path:
    """The folder the run works in: one per set of modules, so the record of which tests call
    which function (mutmut's first pass) is kept for that set's next run."""
    names = sorted(dotted(m).removeprefix("compact_tui.") for m in modules)
    deciding = {find_module(name) for name in _deciding_names()}
    folder = WORK / ("deciding" if set(modules) == deciding else "+".join(names))
    if fresh and folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(REPO / name)
    # the installed plugins' own files, where a test looks for them (by path, beside tests/)
    plugins = folder / "mutants" / "plugins"
    plugins.parent.mkdir(exist_ok=True)
    if not plugins.is_symlink():
        plugins.symlink_to(Path(os.environ.get("MUTATE_PLUGINS", REPO / "plugins")))
    for module in modules:  # a run stopped while it wrote a mutated copy leaves it cut short: make it again
        copy = folder / "mutants" / module.relative_to(REPO)
        if copy.exists() and not _parses(copy):
            copy.unlink()
    stale_tests = folder / "mutants" / "tests"
    if stale_tests.exists():  # copied again by mutmut; a deleted test must not linger
        shutil.rmtree(stale_tests)
    return folder


def _parses(path: Path) -> bool:
    import ast

    try:
        text = path.read_text(encoding="utf-8")
        ast.parse(text)
    except (OSError, SyntaxError, ValueError):
        return False
    return bool(text.strip())


def run(modules: list[Path], jobs: int, fresh: bool, size: int | None = None, again: bool = False) -> list[Outcome]:
    """One mutmut run over ``modules`` (one first pass of the tests for all of them); an
    :class:`Outcome` per module."""
    folder = prepare(modules, fresh)
    env = dict(os.environ)
    env.setdefault("COMPACT_TUI_SEEDS", str(REPO.parent / "shared" / "seeds"))
    env["MUTATE_ONLY"] = os.pathsep.join(str(m.relative_to(REPO)) for m in modules)
    started, cpu_before, load_before = time.monotonic(), _children_cpu(), _load()
    command = [sys.executable, __file__, "--inner", "--jobs", str(jobs)]
    if size is not None:
        command += ["--sample", str(size)]
    if again:
        command += ["--again"]
    code = subprocess.call(command, cwd=folder, env=env)
    wall, cpu = time.monotonic() - started, _children_cpu() - cpu_before
    if code != 0:
        raise SystemExit(f"mutate: mutmut stopped (exit {code}); see its output above.")
    print(f"mutate: {len(modules)} modules in {wall:.0f} s ({cpu:.0f} s CPU), load {load_before} before, "
          f"{_load()} after", flush=True)
    listed = _listed_survivors()
    outcomes = []
    for module in modules:
        rel = module.relative_to(REPO)
        meta = json.loads((folder / "mutants" / (str(rel) + ".meta")).read_text())
        chosen = sample(meta["exit_code_by_key"], size)
        outcome = Outcome(dotted(module), {name: meta["exit_code_by_key"][name] for name in chosen},
                          seconds=sum(meta.get("durations_by_key", {}).get(name, 0) for name in chosen))
        for name, code in sorted(outcome.statuses.items()):
            if code in KILLED:
                continue
            diff = _diff(folder, name)
            reason = _match(listed, name, diff)
            if reason is not None:
                outcome.listed.append((name, reason))
            else:
                if code in NO_TESTS:
                    outcome.no_tests.append(name)
                outcome.unlisted.append((name, diff))
        outcomes.append(outcome)
    return outcomes


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


#: What SQLite does not care about: the case of a keyword, a table or a column name.
_SQL = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|FROM|WHERE|VALUES|ORDER BY|PRAGMA)\b", re.IGNORECASE)
SQL_CASE = "SQLite reads keywords and table and column names in any case: the statement is the same"


def _match(listed: list[dict], name: str, diff: str) -> str | None:
    function = _function_of(name)
    minus, plus = _changed_lines(diff)
    if (minus != plus and minus.lower() == plus.lower() and _SQL.search(minus)
            and re.findall(r"'[^']*'", minus) == re.findall(r"'[^']*'", plus)):  # a quoted value is not a name
        return SQL_CASE
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
          "still to test | its tests' time |")
    print("|---|---|---|---|---|---|---|---|")
    for o in outcomes:
        print(f"| {o.module} | {o.total} | {o.killed} | {o.rate:.1%} | {len(o.listed)} | {o.rate_of_the_rest:.1%} | "
              f"{len(o.unlisted)} | {o.seconds:.0f} s |")


def sample(names, size: int | None) -> list[str]:
    """``size`` of ``names`` spread evenly through them in sorted order (all if ``size`` is None or
    there are no more): the same mutants every run of the same code, so runs compare."""
    names = sorted(names)
    if size is None or len(names) <= size:
        return names
    return [names[(i * len(names)) // size] for i in range(size)]


def inner(jobs: int, size: int | None, again: bool = False) -> None:
    """Inside ``.mutants/<set>/``: run mutmut on the modules named by $MUTATE_ONLY (a sample of
    each, if ``size``)."""
    import mutmut.__main__ as mutmut_main
    from mutmut import configuration

    config = configuration.config()
    config.only_mutate = os.environ["MUTATE_ONLY"].split(os.pathsep)
    if size is not None:
        collect = mutmut_main.collect_source_file_mutation_data

        def sampled(*args, **kwargs):
            mutants, by_path = collect(*args, **kwargs)
            by_module: dict[str, list] = {}
            for m in mutants:
                by_module.setdefault(str(m[0].path), []).append(m)
            keep = set()
            for found in by_module.values():
                keep |= set(sample([m[1] for m in found], size))
            return [m for m in mutants if m[1] in keep], by_path

        mutmut_main.collect_source_file_mutation_data = sampled
    names: list[str] = []
    if again:  # only the last run's survivors, against the tests as they are now
        for path in config.only_mutate:
            meta = json.loads((Path("mutants") / (path + ".meta")).read_text())["exit_code_by_key"]
            names += [n for n in sample(meta, size) if meta[n] is not None and meta[n] not in KILLED]
        if not names:
            print("mutate: no survivors to run again")
            return
    mutmut_main.cli(["run", "--max-children", str(jobs), *names], standalone_mode=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="./dev mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE")
    parser.add_argument("--jobs", type=int, default=2, help="mutants tested at once (default 2)")
    parser.add_argument("--fresh", action="store_true", help="forget the last run's record of this module")
    parser.add_argument("--verbose", action="store_true", help="print every survivor's diff")
    parser.add_argument("--sample", type=int, metavar="N",
                        help="test N mutants of each module, spread evenly through them (default: all)")
    parser.add_argument("--again", action="store_true",
                        help="run only the last run's survivors again, against the tests as they are now")
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.inner:
        inner(args.jobs, args.sample, args.again)
        return
    modules = [find_module(m) for m in (args.modules or _deciding_names())]
    print(f"mutate: {', '.join(str(m.relative_to(REPO)) for m in modules)} (load {_load()})", flush=True)
    report(run(modules, args.jobs, args.fresh, args.sample, args.again), args.verbose)


def _deciding_names() -> list[str]:
    """The modules of :data:`DECIDING` that exist today."""
    out = []
    for name in DECIDING:
        try:
            find_module(name)
        except SystemExit:
            continue
        out.append(name)
    return out


if __name__ == "__main__":
    main()
