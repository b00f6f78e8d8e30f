"""The case log: record what happens under a compact and apply the compact's rules to it.

:class:`CaseLog` is the one place the command line and the app go through to write. Each
change is one transaction: the case row, its parties, cited clauses, findings and a new
event of its hash-chained timeline are written together or not at all.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from ..rules import disputes
from .audit import append_event, current_user as _user, happened_on as _on
from .case_list import CaseFilter, CaseReader, select, where
from ..rules.dates import add_months, add_period, check_date, stored_date
from ..errors import UserError
from ..content.model import CASE_KINDS, DATE_FIELDS, Compact
from ..content.registry import Registry
from ..rules.notice import Finding, evaluate, with_standing
from .store import Store
from ..text import check_text, quoted

#: Which date each kind of case needs, for the form and the command line.
KIND_DATES: dict[str, tuple[str, ...]] = {
    "consultation": ("start", "end"),
    "funding-change": ("notified", "effective", "period_end"),
    "dispute": ("opened",),
    "champion": ("on",),
    "signatory": ("on",),
    "meeting": ("on",),
    "annual-review": ("on",),
    "note": (),
}

@dataclass
class NewCase:
    """What an officer gives when logging a case."""

    kind: str
    compact: str | None
    title: str
    dates: dict[str, date] = field(default_factory=dict)
    orgs: list[str] = field(default_factory=list)
    cites: list[str] = field(default_factory=list)
    reason: str = ""
    confidential: bool = False
    in_writing: bool | None = None
    note: str = ""
    #: Only when bringing in a record kept elsewhere (``import``): who holds it (default: whoever
    #: logs it), ``open``/``closed``, and for a dispute the stage it has reached.
    owner: str | None = None
    status: str | None = None
    stage: str | None = None
    stage_since: date | None = None


@dataclass
class Prepared:
    """A new case checked and worked out (:meth:`CaseLog.prepare`), ready to be written."""

    case: dict
    orgs: list[str]
    cites: list[str]
    findings: list[Finding]
    note: str
    happened_on: str

    def result(self, case_id: int) -> dict:
        return {"id": case_id, **self.case, "parties": self.orgs, "cites": self.cites,
                "findings": [f.as_dict() for f in self.findings]}


class CaseLog:
    def __init__(self, store: Store, registry: Registry, actor: str | None = None):
        self.store = store
        self.registry = registry
        self._actor = actor or _user()

    @property
    def actor(self) -> str:
        """Who is writing (``$LOGNAME``/``$USER`` unless given): checked like any typed text,
        so a name that could steer a colleague's terminal is refused before anything is written."""
        return check_text(self._actor, "your user name ($LOGNAME or $USER)", 100, single_line=True)

    @actor.setter
    def actor(self, value: str) -> None:
        self._actor = value

    # -- lookups ---------------------------------------------------------------------------

    def row(self, case_id: int) -> dict:
        row = self.store.one("SELECT * FROM cases WHERE id = ?", [case_id])
        if row is None:
            raise UserError(f"there is no case {case_id}.")
        return row

    # -- writing ---------------------------------------------------------------------------

    def log(self, new: NewCase, today: date | None = None) -> dict:
        """Record a new case; returns it with its findings."""
        prepared = self.prepare(new, today)
        with self.store.write() as db:
            case_id = self.insert(db, prepared)
        result = prepared.result(case_id)
        compact = self.registry.get(prepared.case["compact"])
        result["findings"] = [with_standing(compact, f) for f in result["findings"]]
        return result

    def prepare(self, new: NewCase, today: date | None = None) -> Prepared:
        """Check everything about a new case and work out its stage, status, due date and
        findings, without writing: the one validation of a new case, for ``log`` and ``import``."""
        today = today or date.today()
        if new.kind not in CASE_KINDS:
            raise UserError(f"{quoted(new.kind)} is not a kind of case (kinds: {', '.join(CASE_KINDS)}).")
        title = check_text(new.title, "the title", 200, single_line=True)
        reason = check_text(new.reason, "the reason", 2000, required=False)
        note = check_text(new.note, "the note", 10_000, required=False)
        orgs = [check_text(o, "an organisation's name", 200, single_line=True) for o in new.orgs]
        owner = self.actor if new.owner is None else check_text(new.owner, "the owner's name", 100, single_line=True)
        compact_id = new.compact or self._compact_for_orgs(orgs)
        compact = self.registry.require(compact_id)
        cites = self._canonical_cites(compact, new.cites)
        for name, value in new.dates.items():
            if name not in DATE_FIELDS:
                raise UserError(f"{quoted(name)} is not a date a case carries.")
            check_date(value, f"the {name} date")
        dates = {k: v.isoformat() for k, v in new.dates.items()}
        dates.setdefault("opened", today.isoformat())
        _check_order(dates)
        case = {
            "compact": compact.id, "kind": new.kind, "title": title, "status": "open",
            "stage": None, "stage_since": None, "outcome": None,
            "reason": reason, "in_writing": None if new.in_writing is None else int(new.in_writing),
            "confidential": int(new.confidential), "owner": owner,
            "parties": "; ".join(orgs), "cites": " ".join(cites),
            **{f: dates.get(f) for f in DATE_FIELDS},
        }
        if new.kind == "dispute":
            proc = compact.procedure
            if proc is not None and proc.walkable:
                case["stage"], case["stage_since"] = proc.start, dates["opened"]
        if new.kind in ("meeting", "annual-review", "champion", "signatory", "note") and not note:
            case["status"] = "closed"  # a record of something that happened; nothing left to do
        self._given_status(compact, case, new)
        case["due"], case["due_what"] = self._due(compact, case)
        findings = evaluate(compact, {**case, "cites": cites}, self._previous(compact.id))
        return Prepared(case, orgs, cites, findings, note, dates.get("on") or dates["opened"])

    def _given_status(self, compact: Compact, case: dict, new: NewCase) -> None:
        """A status or (for a dispute) a stage given with a record brought in from elsewhere."""
        if new.stage:
            proc = compact.procedure
            if case["kind"] != "dispute":
                raise UserError(f"only a dispute has a stage, not a {case['kind']}.")
            stage = proc.stage(new.stage) if proc is not None and proc.walkable else None
            if stage is None:
                raise UserError(f"{quoted(new.stage)} is not a stage of {compact.info.name}'s procedure.")
            case["stage"] = stage.id
            if new.stage_since is not None:
                case["stage_since"] = check_date(new.stage_since, "the stage_since date").isoformat()
            if stage.outcome:
                case["status"], case["outcome"] = "closed", stage.outcome
        if new.status not in (None, ""):
            if new.status not in ("open", "closed"):
                raise UserError(f"the status {quoted(new.status)} is not open or closed.")
            if case["kind"] == "dispute" and case["stage"] and (new.status == "closed") != bool(case["outcome"]):
                raise UserError("a dispute is closed when, and only when, its stage is an outcome "
                                f"(stage {quoted(case['stage'])}, status {quoted(new.status)}).")
            case["status"] = new.status

    def insert(self, db, p: Prepared, action: str = "logged", source: dict | None = None) -> int:
        """Write a prepared case inside the caller's ``store.write()``: its row, parties, cited
        clauses, findings and signatures, and the event that made it; returns its id."""
        case, orgs, now = p.case, p.orgs, _now()
        org_ids = self._org_ids(db, orgs)
        cur = db.execute(
            f"INSERT INTO cases ({', '.join(_q(c) for c in case)}, created_by, created_at, updated_at) "
            f"VALUES ({', '.join('?' for _ in case)}, ?, ?, ?)",
            [*case.values(), self.actor, now, now])
        case_id = cur.lastrowid
        db.conn.executemany("INSERT INTO case_parties (case_id, name, organisation_id) VALUES (?, ?, ?)",
                            [(case_id, o, org_ids.get(o.lower())) for o in orgs])
        db.conn.executemany("INSERT INTO case_cites (case_id, ref) VALUES (?, ?)", [(case_id, r) for r in p.cites])
        self._store_findings(db, case_id, case["compact"], p.findings)
        signatures = []
        if case["kind"] == "signatory" and orgs:
            signed = case["on"] or case["opened"]
            signatures = [[org_ids[o.lower()], case["compact"], signed] for o in orgs if o.lower() in org_ids]
            db.conn.executemany("INSERT OR REPLACE INTO signatures (organisation_id, compact, signed_on) "
                                "VALUES (?, ?, ?)", signatures)
        detail = {"set": case, "parties": [[o, org_ids.get(o.lower())] for o in orgs], "cites": p.cites,
                  "findings": _finding_rows(case["compact"], p.findings), "signatures": signatures}
        if source is not None:
            detail["source"] = source
        append_event(db, case_id, action, detail, actor=self.actor, happened_on=p.happened_on, note=p.note, at=now)
        return case_id

    def update(self, case_id: int, *, dates: dict[str, date] | None = None, reason: str | None = None,
               in_writing: bool | None = None, confidential: bool | None = None, cites: list[str] = (),
               title: str | None = None, parties: list[str] | None = None, compact: str | None = None,
               note: str = "", on: date | None = None) -> dict:
        """Change a case's dates, reason, writing, confidentiality, title, parties (the whole
        list) or compact, or add cited clauses; the compact's rules are applied again and the
        change, with what each field was, is appended to the timeline."""
        row = self.row(case_id)
        self._still_live(row, "changed")
        note = check_text(note, "the note", 10_000, required=False)
        changes: dict = {}
        if title is not None and title != row["title"]:
            changes["title"] = check_text(title, "the title", 200, single_line=True)
        orgs = None
        if parties is not None:
            orgs = [check_text(o, "an organisation's name", 200, single_line=True).strip() for o in parties]
            orgs = [o for i, o in enumerate(orgs) if o and o not in orgs[:i]]
            if "; ".join(orgs) != (row["parties"] or ""):
                changes["parties"] = "; ".join(orgs)
            else:
                orgs = None
        compact = self.registry.require(compact or row["compact"])
        if compact.id != row["compact"]:
            changes["compact"] = compact.id
            changes.update(self._moved_compact(row, compact))
        for name, value in (dates or {}).items():
            if name not in DATE_FIELDS:
                raise UserError(f"{quoted(name)} is not a date a case carries.")
            changes[name] = check_date(value, f"the {name} date").isoformat()
        if reason is not None:
            changes["reason"] = check_text(reason, "the reason", 2000, required=False)
        if in_writing is not None:
            changes["in_writing"] = int(in_writing)
        if confidential is not None:
            changes["confidential"] = int(confidential)
        had = [r["ref"] for r in self.store.query("SELECT ref FROM case_cites WHERE case_id = ?", [case_id])]
        if "compact" in changes:  # the clauses cited must be clauses of the compact it moves to
            had = self._canonical_cites(compact, had, moving=True)
        added = [r for r in self._canonical_cites(compact, list(cites)) if r not in had]
        if not changes and not added:
            raise UserError("nothing to change: give a date, --reason, --cite, --title, --party, --compact, "
                            "or another field.")
        merged = {**row, **changes}
        _check_order({f: merged.get(f) for f in DATE_FIELDS})
        if added or ("compact" in changes and had != (row["cites"] or "").split()):
            changes["cites"] = " ".join(had + added)
        changes["due"], changes["due_what"] = self._due(compact, {**merged, **changes})
        findings = evaluate(compact, {**merged, "cites": had + added}, self._previous(compact.id))
        with self.store.write() as db:
            db.execute(f"UPDATE cases SET {', '.join(f'{_q(k)} = ?' for k in changes)}, updated_at = ? WHERE id = ?",
                       [*changes.values(), _now(), case_id])
            detail = {"set": changes, "was": _was(row, changes), "findings": _finding_rows(compact.id, findings)}
            if "cites" in changes:
                db.execute("DELETE FROM case_cites WHERE case_id = ?", [case_id])
                db.conn.executemany("INSERT INTO case_cites (case_id, ref) VALUES (?, ?)",
                                    [(case_id, r) for r in had + added])
                detail["cites"] = had + added
            if orgs is not None:
                org_ids = self._org_ids(db, orgs)
                detail["parties"] = [[o, org_ids.get(o.lower())] for o in orgs]
                db.execute("DELETE FROM case_parties WHERE case_id = ?", [case_id])
                db.conn.executemany("INSERT INTO case_parties (case_id, name, organisation_id) VALUES (?, ?, ?)",
                                    [(case_id, *p) for p in detail["parties"]])
            self._store_findings(db, case_id, compact.id, findings)
            append_event(db, case_id, "changed", detail, actor=self.actor,
                         happened_on=_on(on), note=note)
        return self.get(case_id)

    def _moved_compact(self, row: dict, compact: Compact) -> dict:
        """A case moved to another compact (logged under the wrong one): a dispute still at its
        first stage starts again at the new compact's first stage; one further on cannot move."""
        if row["kind"] != "dispute" or not row["stage"]:
            return {}
        old = self.registry.get(row["compact"])
        first = old.procedure.start if old is not None and old.procedure is not None else None
        if row["stage"] != first:
            raise UserError(f"case {row['id']} is a dispute already past its first stage under its compact; "
                            f"withdraw it ('compact-tui withdraw {row['id']} --reason ...') and log it again "
                            f"under the other compact.")
        proc = compact.procedure
        if proc is None or proc.pending:
            return {"stage": None, "stage_since": None}
        return {"stage": proc.start, "stage_since": row["stage_since"]}

    def _still_live(self, row: dict, what: str) -> None:
        if row["status"] == "withdrawn":
            raise UserError(f"case {row['id']} was withdrawn; it cannot be {what} (its timeline stays as it is).")

    def set_owner(self, case_id: int, owner: str, note: str = "", on: date | None = None) -> dict:
        """Hand a case to another officer (or take it): an ``owner-changed`` event on its timeline."""
        owner = check_text(owner, "the owner's name", 100, single_line=True).strip()
        note = check_text(note, "the note", 10_000, required=False)
        row = self.row(case_id)
        if row["owner"] == owner:
            raise UserError(f"case {case_id} is already held by {quoted(owner)}.")
        with self.store.write() as db:
            db.execute("UPDATE cases SET owner = ?, updated_at = ? WHERE id = ?", [owner, _now(), case_id])
            append_event(db, case_id, "owner-changed", {"set": {"owner": owner}, "from": row["owner"]},
                         actor=self.actor, happened_on=_on(on), note=note)
        return self.get(case_id)

    def attach(self, case_id: int, path, note: str = "", on: date | None = None) -> dict:
        """Keep an evidence file with a case (``attachments.py``: the size limit, the hash chain)."""
        from .attachments import attach

        return attach(self, case_id, path, note, on)

    def note(self, case_id: int, text: str, on: date | None = None) -> dict:
        text = check_text(text, "the note", 10_000)
        self.row(case_id)
        with self.store.write() as db:
            db.execute("UPDATE cases SET updated_at = ? WHERE id = ?", [_now(), case_id])
            return append_event(db, case_id, "note", {}, actor=self.actor,
                                happened_on=_on(on), note=text)

    def advance(self, case_id: int, to_stage: str, *, note: str = "", confirm: list[str] = (),
                team: list[str] = (), on: date | None = None) -> dict:
        """Move a dispute to ``to_stage`` if its compact's procedure allows it now."""
        note = check_text(note, "the note", 10_000, required=False)
        row = self.row(case_id)
        if row["kind"] != "dispute":
            raise UserError(f"case {case_id} is a {row['kind']}, not a dispute; only disputes have stages.")
        compact = self.registry.require(row["compact"])
        try:
            members = [disputes.TeamMember.parse(t) for t in team]
        except ValueError as exc:
            raise UserError(f"a team member {exc}.") from None
        reason = disputes.refusal(compact, row["stage"], to_stage, set(confirm), members)
        if reason is not None:
            if compact.procedure is None or not compact.procedure.walkable:
                reason = disputes.pending_message(compact, self.registry)
            raise UserError(reason)
        stage = compact.procedure.stage(to_stage)
        when = _on(on)
        changes = {"stage": to_stage, "stage_since": when}
        if stage.outcome:
            changes |= {"status": "closed", "outcome": stage.outcome}
        merged = {**row, **changes}
        changes["due"], changes["due_what"] = self._due(compact, merged)
        detail = {"set": changes, "from": row["stage"], "confirmed": sorted(confirm),
                  "team": [m.__dict__ for m in members]}
        with self.store.write() as db:
            db.execute(f"UPDATE cases SET {', '.join(f'{_q(k)} = ?' for k in changes)}, updated_at = ? WHERE id = ?",
                       [*changes.values(), _now(), case_id])
            append_event(db, case_id, "advanced", detail, actor=self.actor, happened_on=when, note=note)
        return self.get(case_id)

    def close(self, case_id: int, note: str = "", on: date | None = None, outcome: str = "") -> dict:
        """Close a case (not a dispute: it closes at an outcome of its procedure), with what
        came of it; the event records the status and outcome it had before."""
        note = check_text(note, "the note", 10_000, required=False)
        outcome = check_text(outcome, "the outcome", 200, single_line=True, required=False).strip()
        row = self.row(case_id)
        self._still_live(row, "closed")
        if row["status"] == "closed":
            raise UserError(f"case {case_id} is already closed.")
        compact = self.registry.get(row["compact"])
        walkable = compact is not None and compact.procedure is not None and compact.procedure.walkable
        if row["kind"] == "dispute" and row["stage"] and walkable:
            raise UserError(f"case {case_id} is a dispute: it closes when it reaches an outcome "
                            f"('compact-tui advance {case_id} STAGE').")
        return self._set_status(row, "closed", {"status": "closed", "outcome": outcome or None, "due": None,
                                                "due_what": None}, note, on)

    def reopen(self, case_id: int, note: str = "", on: date | None = None) -> dict:
        """Open a closed case again: its outcome is cleared, what is due is worked out again,
        and a dispute closed at an outcome goes back to the stage it left for it."""
        note = check_text(note, "the note", 10_000, required=False)
        row = self.row(case_id)
        self._still_live(row, "reopened")
        if row["status"] != "closed":
            raise UserError(f"case {case_id} is not closed, so there is nothing to reopen.")
        changes: dict = {"status": "open", "outcome": None}
        if row["kind"] == "dispute" and row["stage"]:
            changes |= {"stage": self._stage_before_outcome(case_id, row), "stage_since": _on(on)}
        compact = self.registry.require(row["compact"])
        changes["due"], changes["due_what"] = self._due(compact, {**row, **changes})
        return self._set_status(row, "reopened", changes, note, on)

    def withdraw(self, case_id: int, reason: str, on: date | None = None) -> dict:
        """Withdraw a case logged by mistake: it leaves the lists, what is due and the reports,
        and stays on the timeline (with the reason) for anyone to see."""
        reason = check_text(reason, "the reason", 2000).strip()
        if not reason:
            raise UserError("say why the case is withdrawn (--reason).")
        row = self.row(case_id)
        self._still_live(row, "withdrawn again")
        return self._set_status(row, "withdrawn", {"status": "withdrawn", "due": None, "due_what": None},
                                reason, on, extra={"reason": reason})

    def _set_status(self, row: dict, action: str, changes: dict, note: str, on: date | None,
                    extra: dict | None = None) -> dict:
        detail = {"set": changes, "was": _was(row, changes), **(extra or {})}
        with self.store.write() as db:
            db.execute(f"UPDATE cases SET {', '.join(f'{_q(k)} = ?' for k in changes)}, updated_at = ? WHERE id = ?",
                       [*changes.values(), _now(), row["id"]])
            append_event(db, row["id"], action, detail, actor=self.actor, happened_on=_on(on), note=note)
        return self.get(row["id"])

    def _stage_before_outcome(self, case_id: int, row: dict) -> str:
        """The stage a dispute was at before the move that gave it its outcome."""
        for event in reversed(self.store.query("SELECT detail FROM events WHERE case_id = ? AND action = 'advanced' "
                                               "ORDER BY id", [case_id])):
            try:
                detail = json.loads(event["detail"])
            except (TypeError, ValueError):
                continue
            if detail.get("set", {}).get("stage") == row["stage"] and detail.get("from"):
                return str(detail["from"])
        raise UserError(f"case {case_id}'s timeline does not say which stage it reached its outcome from; "
                        f"it cannot be reopened.")

    # -- reading ---------------------------------------------------------------------------

    def get(self, case_id: int) -> dict:
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
        findings = [with_standing(compact, f) for f in findings]
        from .attachments import listed

        out = {**row, "parties": parties, "cites": cites, "findings": findings, "events": events,
               "attachments": listed(self.store, case_id), "next": [], "procedure_note": ""}
        out["confidential"] = bool(row["confidential"])
        if row["kind"] == "dispute" and compact is not None:
            proc = compact.procedure
            if proc is None or not proc.walkable:
                out["procedure_note"] = disputes.pending_message(compact, self.registry)
            else:
                for move in disputes.moves_from(compact, row["stage"]):
                    target = proc.stage(move.to_stage)
                    out["next"].append({
                        "stage": move.to_stage, "title": target.title if target else move.to_stage,
                        "label": move.label, "outcome": target.outcome if target else "",
                        **move.standing.as_dict(),
                        "conditions": [{"id": c.id, "question": c.question, "ref": c.ref,
                                        "team_size": c.team_size, "min_per_sector": c.min_per_sector,
                                        **c.standing.as_dict()}
                                       for c in move.conditions],
                    })
        return out

    def list(self, flt: CaseFilter | None = None, sort: str = "newest", limit: int = 50, offset: int = 0) -> list[dict]:
        sql, params = select(flt or CaseFilter(), self._actor, sort)
        return self.store.query(sql, [*params, limit, offset])

    def reader(self) -> CaseReader:
        """The list read on a connection of its own (``case_list.CaseReader``), for a thread:
        the same file, the same ``mine``."""
        if self.store.path is None:
            raise UserError("the case list cannot be read on a second connection to a database in memory.")
        return CaseReader(self.store.path, self._actor)

    def count(self, flt: CaseFilter | None = None) -> int:
        clause, params = self._where(flt or CaseFilter())
        return self.store.one(f"SELECT count(*) AS n FROM cases {clause}", params)["n"]

    def _where(self, flt: CaseFilter) -> tuple[str, list]:
        return where(flt, self._actor)

    # -- helpers ---------------------------------------------------------------------------

    def _compact_for_orgs(self, orgs: list[str]) -> str:
        from .orgs import compact_for_org

        for org in orgs:
            found = compact_for_org(self.store, self.registry, org)
            if found:
                return found
        raise UserError("say which compact (--compact ID), or name an organisation that has signed one.")

    def _canonical_cites(self, compact: Compact, refs: list[str], moving: bool = False) -> list[str]:
        out = []
        for ref in refs:
            clause = compact.clause(ref)
            if clause is None and moving:
                raise UserError(f"{compact.info.name} has no clause {quoted(ref)}, which this case cites; it "
                                f"cannot move there citing it (withdraw it and log it again, citing that "
                                f"compact's own clauses).")
            if clause is None:
                raise UserError(f"{compact.info.name} has no clause {quoted(ref)} to cite "
                                f"('compact-tui show {compact.id}' lists them).")
            if clause.ref not in out:
                out.append(clause.ref)
        return out

    def _org_ids(self, db, orgs: list[str]) -> dict[str, int]:
        if not orgs:
            return {}
        marks = ", ".join("?" for _ in orgs)
        rows = db.query(f"SELECT id, name FROM organisations WHERE name IN ({marks})", orgs)
        return {r["name"].lower(): r["id"] for r in rows}

    def _previous(self, compact_id: str):
        def previous(rule, case) -> date | None:
            return last_held(self.store, compact_id, rule, before=case.get("on") or case.get("opened"))
        return previous

    def _due(self, compact: Compact, case: dict) -> tuple[str | None, str | None]:
        """The next date this case waits on, and what happens then."""
        if case.get("status") == "closed":
            return None, None
        kind = case["kind"]
        if kind == "consultation" and case.get("end"):
            return case["end"], "consultation closes"
        if kind == "funding-change":
            if not case.get("notified") and case.get("effective"):
                for rule in compact.rules_for("funding-change"):
                    if rule.type == "minimum-period" and rule.to_field == "effective" and rule.period:
                        by = _minus(stored_date(case["effective"], "the effective date"), rule.period)
                        return by.isoformat(), f"notice due ({rule.ref})"
            if case.get("effective"):
                return case["effective"], "funding change takes effect"
        if kind == "dispute" and case.get("stage") and compact.procedure and compact.procedure.walkable:
            stage = compact.procedure.stage(case["stage"])
            if stage and stage.wait and case.get("stage_since"):
                due = add_period(stored_date(case["stage_since"], "the stage's start date"), stage.wait)
                return due.isoformat(), f"dispute step due: {stage.title}"
        return None, None

    def _store_findings(self, db, case_id: int, compact_id: str, findings: list[Finding]) -> None:
        db.execute("DELETE FROM findings WHERE case_id = ?", [case_id])
        db.conn.executemany(
            "INSERT INTO findings (case_id, compact, rule_id, ref, severity, message, due) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(case_id, *row) for row in _finding_rows(compact_id, findings)])


def _was(row: dict, changes: dict) -> dict:
    """What the fields an event changes held before it (``due`` and ``due_what`` follow from
    the rest and are left out)."""
    return {k: row.get(k) for k in changes if k not in ("due", "due_what")}


def _finding_rows(compact_id: str, findings: list[Finding]) -> list[list]:
    """Findings as the ``findings`` table holds them (less the case), and as the event records them."""
    return [[compact_id, f.rule_id, f.ref, f.severity, f.message, f.due] for f in findings]


def last_held(store: Store, compact_id: str, rule, before: str | None = None) -> date | None:
    """When the last case that meets a recurring ``rule`` happened (its ``on`` date, else the
    day it opened), optionally only those before ``before``; a rule that ``needs_cite``
    counts only cases citing its clause."""
    sql = ('SELECT max(coalesce("on", opened)) AS last FROM cases WHERE compact = ? AND kind = ? '
           "AND status != 'withdrawn'")
    params: list = [compact_id, rule.applies_to]
    if before is not None:
        sql += ' AND coalesce("on", opened) < ?'
        params.append(before)
    if rule.needs_cite:
        sql += " AND id IN (SELECT case_id FROM case_cites WHERE ref = ?)"
        params.append(rule.ref)
    last = store.one(sql, params)["last"]
    return stored_date(last, "a previous case's date") if last else None


def _minus(day: date, period) -> date:
    """The latest start for which ``period`` still reaches ``day`` (the notice-by date)."""
    if period.unit == "m":
        guess = add_months(day, -period.amount)
        while add_period(guess + timedelta(days=1), period) <= day:
            guess += timedelta(days=1)
        return guess
    if period.unit in ("d", "w"):
        return day - timedelta(days=period.amount * (7 if period.unit == "w" else 1))
    guess = day
    while add_period(guess, period) > day:
        guess -= timedelta(days=1)
    return guess


def _check_order(dates: dict[str, str]) -> None:
    """Refuse a consultation that closes before it starts. (Notice given after a funding change
    takes effect is not refused: it is late notice, which the compact's rules report.)"""
    if dates.get("start") and dates.get("end") and dates["end"] < dates["start"]:
        raise UserError(f"a consultation cannot close before it starts ({dates['start']} to {dates['end']}).")


def _q(column: str) -> str:
    return f'"{column}"'


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")

