"""Reading cases back: one case whole (its timeline, findings, what may happen next), a page of
the list, a count; and what the rules say of a stored case. Part of :class:`CaseLog
<compact_tui.caselog.case_log.CaseLog>`, which the command line and the app go through."""

from __future__ import annotations

import builtins
import json
from datetime import date

from ..content.listing import reading_rules
from ..content.model import Compact, NoticeRule
from ..content.quotes import quote_source
from ..errors import UserError
from ..rules import disputes
from ..rules.dates import stored_date
from ..rules.notice import account, reconcile, with_standing
from . import lifecycle
from .case_list import CaseFilter, CaseReader, mark_readings, read, where
from .store import Store

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..rules.notice import PreviousOccurrence
    from typing import Any

    from ..content.registry import Registry


class CaseReads:
    """The case log's reading: mixed into :class:`~compact_tui.caselog.case_log.CaseLog`."""

    if TYPE_CHECKING:  # what CaseLog, which mixes this in, gives it
        store: Store
        registry: Registry
        _actor: str

        def row(self, case_id: int) -> dict[str, Any]: ...

    def get(self, case_id: int) -> dict[str, Any]:
        """A case with its parties, cited clauses, findings, events and the moves open now."""
        row = self.row(case_id)
        compact = self.registry.get(row["compact"])
        findings = self.store.query("SELECT rule_id, ref, severity, message, due FROM findings "
                                    "WHERE case_id = ? ORDER BY id", [case_id])
        events = self.store.query("SELECT id, at, happened_on, actor, action, detail, note FROM events "
                                  "WHERE case_id = ? ORDER BY id", [case_id])
        for event in events:
            try:
                event["detail"] = json.loads(event["detail"])
            except (TypeError, ValueError):  # edited behind the app's back: shown as stored
                event["detail"] = {"unreadable": str(event["detail"])}
        parties = [r["name"] for r in self.store.query("SELECT name FROM case_parties WHERE case_id = ?", [case_id])]
        cites = [r["ref"] for r in self.store.query("SELECT ref FROM case_cites WHERE case_id = ?", [case_id])]
        checks = case_checks(self.store, compact, row, cites, findings)
        findings = [with_standing(compact, f) for f in findings]
        from .attachments import listed

        from .audit_unkeyed import accepted_problems

        allowed = lifecycle.allowed(row, compact)
        out: dict[str, Any] = {**row, "parties": parties, "cites": cites, "findings": findings, "checks": checks, "events": events,
               "attachments": listed(self.store, case_id), "next": [], "procedure_note": "",
               "allowed": allowed, "seen": max((e["id"] for e in events), default=0),
               "accepted": accepted_problems(self.store.db.conn, case_id)}
        out["confidential"] = bool(row["confidential"])
        if row["kind"] == "dispute" and compact is not None:
            proc = compact.procedure
            if proc is None or not proc.walkable:
                out["procedure_note"] = disputes.pending_message(compact, self.registry)
            elif "advance" in allowed:
                for move in disputes.moves_from(compact, row["stage"]):
                    target = proc.stage(move.to_stage)
                    out["next"].append({
                        "stage": move.to_stage, "title": target.title if target else move.to_stage,
                        "label": move.label, "outcome": target.outcome if target else "",
                        **move.standing.as_dict(), "states_from": quote_source(compact, move.states),
                        "conditions": [{"id": c.id, "question": c.question, "ref": c.ref,
                                        "team_size": c.team_size, "min_per_sector": c.min_per_sector,
                                        **c.standing.as_dict(), "states_from": quote_source(compact, c.states, c.ref)}
                                       for c in move.conditions],
                    })
        return out

    def list(self, flt: CaseFilter | None = None, sort: str = "newest", limit: int = 50,
             offset: int = 0) -> builtins.list[dict[str, Any]]:
        return mark_readings(read(self.store.db.conn, flt or CaseFilter(), self._actor, sort, limit, offset),
                             reading_rules(self.registry))

    def reader(self) -> CaseReader:
        """The list read on a connection of its own (``case_list.CaseReader``), for a thread:
        the same file, the same ``mine``."""
        if self.store.path is None:
            raise UserError("the case list cannot be read on a second connection to a database in memory.")
        return CaseReader(self.store.path, self._actor)

    def count(self, flt: CaseFilter | None = None) -> int:
        clause, params = where(flt or CaseFilter(), self._actor, indexed=True)  # every match: look words up
        found = self.store.one(f"SELECT count(*) AS n FROM cases {clause}", params)
        assert found is not None  # an aggregate with no GROUP BY gives one row, always
        return int(found["n"])


def case_checks(store: Store, compact: Compact | None, row: dict[str, Any], cites: list[str],
                stored: list[dict[str, Any]], previous: PreviousOccurrence | None = None) -> list[dict[str, Any]]:
    """Every rule of a stored case's compact and kind, accounted for (``rules.reconcile``), each
    with its standing: the stored findings, and every other rule as it reads now. ``previous``
    answers when a recurring duty was last met (by default ``last_held``, one query each time;
    ``last_held_once.previous_for`` reads it once for many cases)."""
    if compact is None:
        return [with_standing(None, c) for c in reconcile([], stored)]
    if previous is None:
        def previous(rule: NoticeRule, case: dict[str, Any]) -> date | None:
            return last_held(store, compact.id, rule, before=case.get("on") or case.get("opened"),
                             exclude=row["id"])
    try:
        checks = account(compact, {**row, "cites": cites}, previous)
    except UserError:  # a stored date nobody could have typed: the stored findings stand alone
        checks = []
    return [with_standing(compact, c) for c in reconcile(checks, stored)]


def last_held(store: Store, compact_id: str, rule: NoticeRule, before: str | None = None,
              exclude: int | None = None) -> date | None:
    """When the last case that meets a recurring ``rule`` happened (its ``on`` date, else the
    day it opened), optionally only those before ``before`` and other than case ``exclude`` (a
    case being changed is not its own last occurrence, at the date it is moving from); a rule
    that ``needs_cite`` counts only cases citing its clause."""
    sql = ('SELECT max(coalesce("on", opened)) AS last FROM cases WHERE compact = ? AND kind = ? '
           "AND status != 'withdrawn'")
    params: list[object] = [compact_id, rule.applies_to]
    if before is not None:
        sql += ' AND coalesce("on", opened) < ?'
        params.append(before)
    if exclude is not None:
        sql += " AND id != ?"
        params.append(exclude)
    if rule.needs_cite:
        sql += " AND id IN (SELECT case_id FROM case_cites WHERE ref = ?)"
        params.append(rule.ref)
    found = store.one(sql, params)
    assert found is not None  # an aggregate with no GROUP BY gives one row, always
    last = found["last"]
    return stored_date(last, "a previous case's date") if last else None
