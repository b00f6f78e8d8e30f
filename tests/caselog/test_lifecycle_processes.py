"""Several real processes change one case at once (issue 18, finding 2): moves, an update, a
close, a withdrawal, a note. Every recorded change starts from the state it really left (the
events' ``from`` and ``was`` follow each other, and ``audit verify`` replays the story), and
every process that lost got a sentence, never a traceback. A barrier on stdin makes them start
together (no sleeps)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from compact_tui.caselog.audit import verify
from compact_tui.caselog.case_log import CaseLog, NewCase
from compact_tui.caselog.store import Store

from .caselog_helpers import start_together

EXE = Path(sys.executable).with_name("compact-tui")

CHILD = r"""
import json, sys
from datetime import date
from compact_tui.caselog.case_log import CaseLog
from compact_tui.content.plugins import load_registry
from compact_tui.caselog.store import Store
from compact_tui.errors import UserError

path, who, change = sys.argv[1], sys.argv[2], sys.argv[3]
log = CaseLog(Store(path), load_registry(), actor=who)
seen = log.get(1)["seen"]  # what this officer's screen shows, before any of them acts
print("ready", flush=True)
assert sys.stdin.readline().strip() == "go"
act = {
    "mediation": lambda: log.advance(1, "mediation", confirm=["resolution-not-possible", "mediator-mutually-agreed"],
                                     seen=seen),
    "resolved": lambda: log.advance(1, "resolved-between-parties", seen=seen),
    "no-agreement": lambda: log.advance(1, "no-agreement", confirm=["no-mediator-agreed"], seen=seen),
    "close": lambda: log.close(1, outcome="settled", seen=seen),
    "withdraw": lambda: log.withdraw(1, "logged twice", seen=seen),
    "update": lambda: log.update(1, dates={"opened": date(2026, 1, 5)}, seen=seen),
    "note": lambda: log.note(1, "phoned both parties"),
}[change]
try:
    act()
    print(json.dumps({"ok": True}))
except UserError as exc:
    print(json.dumps({"ok": False, "said": str(exc)}))
"""

CHANGES = ("mediation", "resolved", "no-agreement", "close", "withdraw", "update", "note")


def states_follow(store: Store) -> None:
    """Each event's recorded ``from``/``was`` is the state the events before it left."""
    state: dict = {}
    for e in store.query("SELECT id, action, detail FROM events WHERE case_id = 1 ORDER BY id"):
        detail = json.loads(e["detail"])
        for key, value in (detail.get("was") or {}).items():
            assert state.get(key) == value, (e["id"], e["action"], key, state.get(key), value)
        if e["action"] == "advanced":
            assert detail["from"] == state["stage"], (e["id"], detail["from"], state["stage"])
        state.update(detail.get("set") or {})


def test_processes_changing_one_case_at_once_each_start_from_the_state_they_left(tmp_path, registry):
    path = tmp_path / "team.db"
    store = Store(path)
    CaseLog(store, registry, actor="setup").log(NewCase(kind="dispute", compact="southend", title="Hall lease"))
    store.close()
    for round_ in range(3):  # the order they get the lock in differs from run to run
        results = start_together([[sys.executable, "-c", CHILD, str(path), f"officer{i}", change]
                                  for i, change in enumerate(CHANGES)], timeout=120)
        said = {}
        for change, r in zip(CHANGES, results):
            assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
            said[change] = json.loads(r.stdout.strip().splitlines()[-1])
        assert said["note"] == {"ok": True}
        if round_ == 0:  # all started from 'between-parties': exactly one change of state went through
            moved = [c for c in ("mediation", "resolved", "no-agreement", "withdraw") if said[c]["ok"]]
            assert len(moved) == 1, said
            assert not said["close"]["ok"]  # a dispute at a stage closes only by a move
            for change in ("mediation", "resolved", "no-agreement", "withdraw"):  # the losers: who moved it
                if not said[change]["ok"]:
                    assert said[change]["said"].startswith("case 1 changed after you looked at it: officer"), said
        for change, answer in said.items():  # later rounds start from where the last left it
            if not answer["ok"]:
                assert answer["said"].endswith(".") and "\n" not in answer["said"], answer
        store = Store(path)
        states_follow(store)
        result = verify(store.db, registry=registry)
        assert result.ok, result.problems
        store.close()


def test_command_line_moves_at_once_one_wins_the_others_say_why(tmp_path):
    """The issue's journey on the command line: each command's view is the case as it read it
    when it started; a loser gets one sentence on stderr and exit 1."""
    path = tmp_path / "team.db"
    assert subprocess.run([str(EXE), "--db", str(path), "log", "dispute", "--compact", "southend", "--title",
                           "Hall lease"], capture_output=True).returncode == 0
    moves = [["mediation", "--confirm", "resolution-not-possible", "--confirm", "mediator-mutually-agreed"],
             ["resolved-between-parties"], ["no-agreement", "--confirm", "no-mediator-agreed"]] * 2
    procs = [subprocess.Popen([str(EXE), "--db", str(path), "advance", "1", *m], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for m in moves]
    outs = [p.communicate(timeout=120) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes.count(0) >= 1 and set(codes) <= {0, 1}, outs
    for (out, err), code in zip(outs, codes):
        if code:
            assert err.startswith("compact-tui: ") and err.count("\n") == 1 and "Traceback" not in err, err
    store = Store(path)
    states_follow(store)
    moves_made = store.one("SELECT count(*) AS n FROM events WHERE action = 'advanced'")["n"]
    assert moves_made == codes.count(0)
    store.close()
    check = subprocess.run([str(EXE), "--db", str(path), "audit", "verify"], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout
