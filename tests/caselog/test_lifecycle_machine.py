"""A stateful property test of the case log (issue 18): hypothesis drives random sequences of
every change (log, update, note, advance, close, reopen, withdraw, reinstate, assign, attach, and
a move made on a view another officer has made stale) through ``CaseLog``, over every kind and
the five real compacts, on a real SQLite file. After each step:

- ``audit verify``, with the installed compacts, is OK (the chain, every table, and each case's
  story replayed through the lifecycle);
- a change succeeded exactly when the lifecycle (and, for a move, the compact's procedure) said
  it could, judged on the case as it was before the step;
- the list, what is due and the annual report agree with the statuses the events leave, and a
  withdrawn case appears only where withdrawn cases are asked for;
- every recorded move is one its compact allows from the stage the case was at before it.

The example count is kept modest so the suite stays within a few minutes on CI's 2 cores.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, initialize, invariant, rule

from compact_tui.caselog import lifecycle
from compact_tui.caselog.audit import verify
from compact_tui.caselog.case_list import CaseFilter
from compact_tui.caselog.case_log import CaseLog, NewCase, StaleCase
from compact_tui.caselog.store import Store
from compact_tui.content.plugins import load_registry
from compact_tui.due.deadlines import deadlines
from compact_tui.errors import UserError
from compact_tui.report import annual_report
from compact_tui.rules import disputes

REGISTRY = load_registry()
COMPACTS = ("essex", "southend", "southampton", "havering", "high_peak")
YEAR = 2026
DATES = {"consultation": {"start": date(2026, 3, 2), "end": date(2026, 4, 13)},
         "funding-change": {"notified": date(2026, 5, 1), "effective": date(2026, 6, 1)},
         "dispute": {"opened": date(2026, 2, 2)},
         "champion": {"on": date(2026, 1, 12)}, "signatory": {"on": date(2026, 1, 19)},
         "meeting": {"on": date(2026, 2, 9)}, "annual-review": {"on": date(2026, 3, 9)}, "note": {}}
TODAY = date(2026, 3, 16)


class CaseLogMachine(RuleBasedStateMachine):
    cases = Bundle("cases")

    def __init__(self):
        super().__init__()
        self.folder = tempfile.TemporaryDirectory()
        self.store = Store(Path(self.folder.name) / "machine.db")
        self.log = CaseLog(self.store, REGISTRY, actor="officer")
        self.other = CaseLog(self.store, REGISTRY, actor="colleague")
        self.attachment = Path(self.folder.name) / "letter.txt"
        self.attachment.write_text("Dear officer,\n")

    def teardown(self):
        self.store.close()
        self.folder.cleanup()

    # -- the changes ----------------------------------------------------------------------

    @initialize(target=cases, compact=st.sampled_from(["essex", "southend", "southampton"]))
    def a_dispute_to_start_with(self, compact):
        return self.log.log(NewCase(kind="dispute", compact=compact, title="a dispute", dates=DATES["dispute"]),
                            today=TODAY)["id"]

    @rule(target=cases, kind=st.sampled_from(sorted(DATES) + ["dispute"] * 4), compact=st.sampled_from(COMPACTS),
          note=st.booleans())
    def log_case(self, kind, compact, note):
        case = self.log.log(NewCase(kind=kind, compact=compact, title=f"a {kind}", dates=DATES[kind],
                                    note="still to do" if note else ""), today=TODAY)
        return case["id"]

    def attempt(self, change: str, case_id: int, action, *, move_to: str | None = None, confirm=(), team=()):
        """Do ``action``; it must succeed exactly when the lifecycle allows ``change`` now."""
        row = self.log.row(case_id)
        compact = REGISTRY.get(row["compact"])
        why = lifecycle.refusal(change, row, compact)
        if why is None and move_to is not None:
            members = [disputes.TeamMember.parse(t) for t in team]
            why = disputes.refusal(compact, row["stage"], move_to, set(confirm), members)
        try:
            action()
        except UserError as exc:
            assert why is not None, f"{change} of case {case_id} refused ({exc}) though the lifecycle allows it"
            assert self.log.last_event(case_id) == self.last_before, "a refused change wrote an event"
            return False
        assert why is None, f"{change} of case {case_id} done though the lifecycle says: {why}"
        return True

    def before(self, case_id: int) -> None:
        self.last_before = self.log.last_event(case_id)

    @rule(case_id=cases, field=st.sampled_from(["title", "reason", "confidential", "dates", "compact"]),
          compact=st.sampled_from(COMPACTS))
    def update(self, case_id, field, compact):
        self.before(case_id)
        row = self.log.row(case_id)
        change = {"title": {"title": row["title"] + " (renamed)"}, "reason": {"reason": "urgent"},
                  "confidential": {"confidential": not row["confidential"]},
                  "dates": {"dates": {"opened": date(2026, 1, 5)}},
                  "compact": {"compact": compact}}[field]
        try:
            self.log.update(case_id, **change)
        except StaleCase:
            raise
        except UserError as exc:  # the lifecycle, or the compact's clauses and stages (logged wrongly)
            assert self.log.last_event(case_id) == self.last_before
            if lifecycle.refusal("update", row, REGISTRY.get(row["compact"])) is None:
                assert field == "compact", f"update {change} refused: {exc}"

    @rule(case_id=cases)
    def note(self, case_id):
        self.before(case_id)
        assert self.attempt("note", case_id, lambda: self.log.note(case_id, "phoned them"))

    @rule(case_id=cases, pick=st.integers(0, 5), wrong=st.sampled_from([False, False, False, True]))
    def advance(self, case_id, pick, wrong):
        self.before(case_id)
        row = self.log.row(case_id)
        compact = REGISTRY.get(row["compact"])
        # the procedure's own moves from the stage the case is at, whatever its status (so a
        # withdrawn or closed dispute is tried too), each with its conditions met
        moves = compact.procedure.moves_from(row["stage"]) if lifecycle.walkable(compact) and row["stage"] else ()
        if wrong or not moves:  # any stage of the procedure, allowed or not, nothing confirmed
            stages = [s.id for s in compact.procedure.stages] if lifecycle.walkable(compact) else ["resolved"]
            to, confirm, team = stages[pick % len(stages)], [], []
        else:
            move = moves[pick % len(moves)]
            to = move.to_stage
            confirm = [c.id for c in move.conditions if not c.team_size]
            team = [f"Mediator {i}:{('vcs', 'statutory')[i % 2]}" for c in move.conditions for i in range(c.team_size)]
        self.attempt("advance", case_id, lambda: self.log.advance(case_id, to, confirm=confirm, team=team),
                     move_to=to, confirm=confirm, team=team)

    @rule(case_id=cases)
    def stale_move(self, case_id):
        """Two officers on one dispute: the colleague moves it first; the officer's move, made
        on the view from before, is refused with a sentence naming the colleague."""
        case = self.log.get(case_id)
        if len(case["next"]) == 0 or any(m["conditions"] for m in case["next"][:1]):
            return
        seen = case["seen"]
        self.other.advance(case_id, case["next"][0]["stage"])
        self.before(case_id)
        try:
            self.log.advance(case_id, case["next"][0]["stage"], seen=seen)
        except StaleCase as exc:
            assert "colleague moved it" in str(exc) and "nothing was changed" in str(exc)
        else:
            raise AssertionError("a move on a stale view was made")
        assert self.log.last_event(case_id) == self.last_before

    @rule(case_id=cases)
    def close(self, case_id):
        self.before(case_id)
        self.attempt("close", case_id, lambda: self.log.close(case_id, outcome="done"))

    @rule(case_id=cases)
    def reopen(self, case_id):
        self.before(case_id)
        self.attempt("reopen", case_id, lambda: self.log.reopen(case_id))

    @rule(case_id=cases)
    def withdraw(self, case_id):
        self.before(case_id)
        self.attempt("withdraw", case_id, lambda: self.log.withdraw(case_id, "logged by mistake"))

    @rule(case_id=cases)
    def reinstate(self, case_id):
        self.before(case_id)
        self.attempt("reinstate", case_id, lambda: self.log.reinstate(case_id, "not a mistake"))

    @rule(case_id=cases, who=st.sampled_from(["officer", "colleague", "jo"]))
    def assign(self, case_id, who):
        self.before(case_id)
        try:
            self.log.set_owner(case_id, who)
        except UserError as exc:
            assert "already held by" in str(exc)

    @rule(case_id=cases)
    def attach(self, case_id):
        self.before(case_id)
        assert self.attempt("attach", case_id, lambda: self.log.attach(case_id, self.attachment))

    # -- after each step --------------------------------------------------------------------

    def statuses(self) -> dict[int, dict]:
        """Each case's status, kind, compact and opened, folded from its events alone."""
        out: dict[int, dict] = {}
        for e in self.store.query("SELECT case_id, action, detail FROM events WHERE case_id IS NOT NULL ORDER BY id"):
            import json

            out.setdefault(e["case_id"], {}).update((json.loads(e["detail"]) or {}).get("set", {}))
        return out

    @invariant()
    def verify_is_ok(self):
        result = verify(self.store.db, registry=REGISTRY)
        assert result.ok, result.problems

    @invariant()
    def lists_due_and_report_agree_with_the_events(self):
        cases = self.statuses()
        live = sorted(c for c, s in cases.items() if s["status"] != "withdrawn")
        withdrawn = sorted(c for c, s in cases.items() if s["status"] == "withdrawn")
        assert sorted(r["id"] for r in self.log.list(limit=-1)) == live
        assert sorted(r["id"] for r in self.log.list(CaseFilter(status="withdrawn"), limit=-1)) == withdrawn
        assert self.log.count() == len(live)
        due = {d.case_id for d in deadlines(self.store, REGISTRY, today=TODAY, within_days=3650) if d.case_id}
        assert not due & set(withdrawn), "a withdrawn case is due"
        assert due <= {c for c in live if cases[c]["status"] == "open"}
        for compact in COMPACTS:
            want = Counter(s["kind"] for c, s in cases.items() if s["compact"] == compact
                           and s["status"] != "withdrawn" and not s.get("confidential")
                           and (s.get("on") or s["opened"])[:4] == str(YEAR))
            got = annual_report(self.store, REGISTRY, compact, YEAR)["cases_by_kind"]
            assert {k: n for k, n in got.items() if n} == dict(want), compact

    @invariant()
    def every_move_is_one_its_compact_allows(self):
        import json

        stage: dict[int, str | None] = {}
        for e in self.store.query("SELECT case_id, action, detail FROM events WHERE case_id IS NOT NULL ORDER BY id"):
            detail = json.loads(e["detail"])
            if e["action"] == "advanced":
                row = self.log.row(e["case_id"])
                compact = REGISTRY.get(row["compact"])
                assert detail["from"] == stage[e["case_id"]]
                moves = [m.to_stage for m in compact.procedure.moves_from(stage[e["case_id"]])]
                assert detail["set"]["stage"] in moves, (stage[e["case_id"]], detail["set"]["stage"])
            if "stage" in (detail.get("set") or {}):
                stage[e["case_id"]] = detail["set"]["stage"]


CaseLogMachine.TestCase.settings = settings(
    max_examples=15, stateful_step_count=30, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_case_log_machine = CaseLogMachine.TestCase
