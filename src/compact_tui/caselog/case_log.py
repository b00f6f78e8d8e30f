"""The case log: record what happens under a compact and apply the compact's rules to it.

:class:`CaseLog` is the one place the command line and the app go through to write. Each
change is one transaction: the case row, its parties, cited clauses, findings and a new
event of its hash-chained timeline are written together or not at all.
"""

# long: CaseLog is split (writing, reading, the lifecycle's changes) once issue 18's pending commits land
from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone

from ..rules import disputes
from . import lifecycle
from .audit import append_event, current_user as _user, happened_on as _on
from .case_list import CaseFilter, CaseReader, read, where
from ..rules.dates import add_months, add_period, check_date, stored_date
from ..errors import UserError
from ..content.model import CASE_KINDS, DATE_FIELDS, Compact
from ..content.registry import Registry
from ..rules.notice import Finding, RuleCheck, account, reconcile, with_standing
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

#: Changes checked against the view they were asked on (the rest add to a case whatever its state).
VIEW_CHECKED = ("update", "advance", "close", "reopen", "withdraw", "reinstate")
#: Events that may move a case in its lifecycle (a ``changed`` one only when it moves the compact).
MOVED_BY = (*lifecycle.STATE_EVENTS, "changed")


class StaleCase(UserError):
    """A change asked on a view of a case that has moved since: who changed what, in a sentence."""


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
    checks: list[RuleCheck]  # every rule of the compact for this kind, and what it made of the case
    note: str
    happened_on: str

    @property
    def findings(self) -> list[Finding]:
        """The rules broken: what is stored as the case's findings."""
        return [c.finding() for c in self.checks if c.broken]

    def result(self, case_id: int) -> dict:
        return {"id": case_id, **self.case, "parties": self.orgs, "cites": self.cites,
                "findings": [f.as_dict() for f in self.findings], "checks": [c.as_dict() for c in self.checks]}


# long: waits for issue 18's pending lifecycle commits (they change this file) before it is split
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
        result["checks"] = [with_standing(compact, c) for c in result["checks"]]
        return result

    def prepare(self, new: NewCase, today: date | None = None, previous=None) -> Prepared:
        """Check everything about a new case and work out its stage, status, due date and
        findings, without writing: the one validation of a new case, for ``log`` and ``import``.
        ``previous(compact_id)`` gives the last time a recurring duty was met (default: the
        case log's ``last_held``; ``import`` adds the rows above in its file)."""
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
        record = new.kind in ("meeting", "annual-review", "champion", "signatory", "note") and not note
        since = None if new.stage_since is None else check_date(new.stage_since, "the stage_since date").isoformat()
        try:  # a record of something that happened is closed at once: nothing is left to do
            case |= lifecycle.first_state(new.kind, compact, status=new.status or ("closed" if record else None),
                                          stage=new.stage or None, opened=dates["opened"], stage_since=since)
        except ValueError as exc:
            raise UserError(str(exc)) from None
        case["due"], case["due_what"] = self._due(compact, case)
        checks = account(compact, {**case, "cites": cites}, (previous or self._previous)(compact.id))
        return Prepared(case, orgs, cites, checks, note, dates.get("on") or dates["opened"])

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

    # -- changing a case: read, checked and written in one transaction -------------------------

    def last_event(self, case_id: int) -> int:
        """The id of the case's last event (0 if none): the view a change is asked on."""
        return self.store.one("SELECT max(id) AS id FROM events WHERE case_id = ?", [case_id])["id"] or 0

    @contextmanager
    def changing(self, case_id: int, change: str, seen: int | None = None, *, on_screen: bool = False):
        """One change to a case, in one write transaction (``BEGIN IMMEDIATE``): the case is
        read there, checked against the view the change was asked on and against the lifecycle,
        and the caller writes the change and its event in the same transaction. Yields
        ``(db, row, compact)``; raises a :class:`StaleCase` or ``UserError`` sentence instead.

        ``seen`` is the id of the last event of the view the officer acted on (the screen's case,
        or the case as the command read it before waiting for the write lock): if the case's
        status or stage has changed since, the change is refused, saying who changed what."""
        with self.store.write() as db:
            row = self.row(case_id)
            if seen is not None and change in VIEW_CHECKED:
                self._still_as_seen(db, case_id, seen, on_screen)
            compact = self.registry.get(row["compact"])
            why = lifecycle.refusal(change, row, compact, self.registry)
            if why is not None:
                raise UserError(why)
            yield db, row, compact

    def _still_as_seen(self, db, case_id: int, seen: int, on_screen: bool) -> None:
        for event in db.query("SELECT id, at, actor, action, detail FROM events WHERE case_id = ? AND id > ? "
                              f"AND action IN ({', '.join('?' * len(MOVED_BY))}) ORDER BY id",
                              [case_id, seen, *MOVED_BY]):
            try:
                event["detail"] = json.loads(event["detail"])
            except (TypeError, ValueError):
                event["detail"] = {}
            if event["action"] == "changed" and "compact" not in (event["detail"].get("set") or {}):
                continue  # its details changed, not its place in the lifecycle
            raise StaleCase(lifecycle.stale_sentence(case_id, event, self._stage_title(case_id),
                                                     command_line=not on_screen))

    def _stage_title(self, case_id: int):
        row = self.row(case_id)
        compact = self.registry.get(row["compact"])

        def title(stage_id: str) -> str:
            stage = compact.procedure.stage(stage_id) if compact and compact.procedure else None
            return stage.title if stage else stage_id
        return title

    def _view(self, case_id: int, seen: int | None) -> int | None:
        """The view a change is asked on: as given, else the case as it is now (read before
        the write lock is waited for, so a change another process makes meanwhile is seen)."""
        return self.last_event(case_id) if seen is None else seen

    # long: waits for issue 18's pending lifecycle commits (they change this file) before it is split
    def update(self, case_id: int, *, dates: dict[str, date] | None = None, reason: str | None = None,
               in_writing: bool | None = None, confidential: bool | None = None, cites: list[str] = (),
               title: str | None = None, parties: list[str] | None = None, compact: str | None = None,
               note: str = "", on: date | None = None, seen: int | None = None, on_screen: bool = False) -> dict:
        """Change a case's dates, reason, writing, confidentiality, title, parties (the whole
        list) or compact, or add cited clauses; the compact's rules are applied again to the case
        as it is inside the transaction, and the change, with what each field was, is appended."""
        note = check_text(note, "the note", 10_000, required=False)
        checked_dates = {}
        for name, value in (dates or {}).items():
            if name not in DATE_FIELDS:
                raise UserError(f"{quoted(name)} is not a date a case carries.")
            checked_dates[name] = check_date(value, f"the {name} date").isoformat()
        seen = self._view(case_id, seen)
        with self.changing(case_id, "update", seen, on_screen=on_screen) as (db, row, _):
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
            target = self.registry.require(compact or row["compact"])
            if target.id != row["compact"]:
                changes["compact"] = target.id
                changes.update(self._moved_compact(row, target))
            changes.update(checked_dates)
            if reason is not None:
                changes["reason"] = check_text(reason, "the reason", 2000, required=False)
            if in_writing is not None:
                changes["in_writing"] = int(in_writing)
            if confidential is not None:
                changes["confidential"] = int(confidential)
            had = [r["ref"] for r in db.query("SELECT ref FROM case_cites WHERE case_id = ?", [case_id])]
            if "compact" in changes:  # the clauses cited must be clauses of the compact it moves to
                had = self._canonical_cites(target, had, moving=True)
            added = [r for r in self._canonical_cites(target, list(cites)) if r not in had]
            if not changes and not added:
                raise UserError("nothing to change: give a date, --reason, --cite, --title, --party, --compact, "
                                "or another field.")
            merged = {**row, **changes}
            _check_order({f: merged.get(f) for f in DATE_FIELDS})
            if added or ("compact" in changes and had != (row["cites"] or "").split()):
                changes["cites"] = " ".join(had + added)
            changes["due"], changes["due_what"] = self._due(target, {**merged, **changes})
            findings = [c.finding() for c in account(target, {**merged, "cites": had + added},
                                                     self._previous(target.id)) if c.broken]
            _set(db, case_id, changes)
            detail = {"set": changes, "was": _was(row, changes), "findings": _finding_rows(target.id, findings)}
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
            self._store_findings(db, case_id, target.id, findings)
            append_event(db, case_id, "changed", detail, actor=self.actor, happened_on=_on(on), note=note)
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

    def set_owner(self, case_id: int, owner: str, note: str = "", on: date | None = None) -> dict:
        """Hand a case to another officer (or take it): an ``owner-changed`` event on its timeline."""
        owner = check_text(owner, "the owner's name", 100, single_line=True).strip()
        note = check_text(note, "the note", 10_000, required=False)
        with self.changing(case_id, "assign") as (db, row, _):
            if row["owner"] == owner:
                raise UserError(f"case {case_id} is already held by {quoted(owner)}.")
            _set(db, case_id, {"owner": owner})
            append_event(db, case_id, "owner-changed", {"set": {"owner": owner}, "from": row["owner"],
                                                        "was": {"owner": row["owner"]}},
                         actor=self.actor, happened_on=_on(on), note=note)
        return self.get(case_id)

    def attach(self, case_id: int, path, note: str = "", on: date | None = None) -> dict:
        """Keep an evidence file with a case (``attachments.py``: the size limit, the hash chain)."""
        from .attachments import attach

        return attach(self, case_id, path, note, on)

    def note(self, case_id: int, text: str, on: date | None = None) -> dict:
        text = check_text(text, "the note", 10_000)
        happened = _on(on)
        with self.changing(case_id, "note") as (db, _, _compact):
            return append_event(db, case_id, "note", {}, actor=self.actor, happened_on=happened, note=text)

    def advance(self, case_id: int, to_stage: str, *, note: str = "", confirm: list[str] = (),
                team: list[str] = (), on: date | None = None, seen: int | None = None,
                on_screen: bool = False) -> dict:
        """Move a dispute to ``to_stage`` if its compact's procedure allows it from the stage it
        is at (read in the transaction that moves it, and still the stage of the view it was
        asked on)."""
        note = check_text(note, "the note", 10_000, required=False)
        try:
            members = [disputes.TeamMember.parse(t) for t in team]
        except ValueError as exc:
            raise UserError(f"a team member {exc}.") from None
        when = _on(on)
        seen = self._view(case_id, seen)
        with self.changing(case_id, "advance", seen, on_screen=on_screen) as (db, row, compact):
            reason = disputes.refusal(compact, row["stage"], to_stage, set(confirm), members)
            if reason is not None:
                raise UserError(reason)
            stage = compact.procedure.stage(to_stage)
            changes = {"stage": to_stage, "stage_since": when}
            if stage.outcome:
                changes |= {"status": "closed", "outcome": stage.outcome}
            changes["due"], changes["due_what"] = self._due(compact, {**row, **changes})
            was = {k: row[k] for k in ("status", "stage", "stage_since", "outcome")}
            detail = {"set": changes, "from": row["stage"], "was": was, "confirmed": sorted(confirm),
                      "team": [m.__dict__ for m in members]}
            _set(db, case_id, changes)
            append_event(db, case_id, "advanced", detail, actor=self.actor, happened_on=when, note=note)
        return self.get(case_id)

    def close(self, case_id: int, note: str = "", on: date | None = None, outcome: str = "",
              seen: int | None = None, on_screen: bool = False) -> dict:
        """Close a case (not a dispute: it closes at an outcome of its procedure), with what
        came of it; the event records the status and outcome it had before."""
        note = check_text(note, "the note", 10_000, required=False)
        outcome = check_text(outcome, "the outcome", 200, single_line=True, required=False).strip()
        with self.changing(case_id, "close", self._view(case_id, seen), on_screen=on_screen) as (db, row, _):
            self._set_status(db, row, "closed", {"status": "closed", "outcome": outcome or None, "due": None,
                                                 "due_what": None}, note, on)
        return self.get(case_id)

    def reopen(self, case_id: int, note: str = "", on: date | None = None, seen: int | None = None,
               on_screen: bool = False) -> dict:
        """Open a closed case again: its outcome is cleared, what is due is worked out again,
        and a dispute closed at an outcome goes back to the stage it left for it."""
        note = check_text(note, "the note", 10_000, required=False)
        with self.changing(case_id, "reopen", self._view(case_id, seen), on_screen=on_screen) as (db, row, _):
            changes: dict = {"status": "open", "outcome": None}
            if row["kind"] == "dispute" and row["stage"]:
                changes |= {"stage": self._stage_before_outcome(case_id, row), "stage_since": _on(on)}
            compact = self.registry.require(row["compact"])
            changes["due"], changes["due_what"] = self._due(compact, {**row, **changes})
            self._set_status(db, row, "reopened", changes, note, on)
        return self.get(case_id)

    def withdraw(self, case_id: int, reason: str, on: date | None = None, seen: int | None = None,
                 on_screen: bool = False) -> dict:
        """Withdraw a case logged by mistake: it leaves the lists, what is due and the reports,
        and stays on the timeline (with the reason) for anyone to see."""
        reason = _reason_given(reason, "withdrawn")
        with self.changing(case_id, "withdraw", self._view(case_id, seen), on_screen=on_screen) as (db, row, _):
            self.write_withdrawn(db, row, reason, on)
        return self.get(case_id)

    def write_withdrawn(self, db, row: dict, reason: str, on: date | None = None) -> None:
        """The withdrawal of case ``row`` inside the caller's transaction (``withdraw``, and
        ``import`` bringing in a case that was withdrawn where it came from)."""
        self._set_status(db, row, "withdrawn", {"status": "withdrawn", "due": None, "due_what": None},
                         reason, on, extra={"reason": reason})

    def reinstate(self, case_id: int, reason: str, on: date | None = None, seen: int | None = None,
                  on_screen: bool = False) -> dict:
        """Bring back a case withdrawn by mistake, with the reason: it returns to the status it
        was withdrawn from, and to the lists, what is due and the reports."""
        reason = _reason_given(reason, "reinstated")
        with self.changing(case_id, "reinstate", self._view(case_id, seen), on_screen=on_screen) as (db, row, _):
            status = self._withdrawn_from(case_id)
            changes: dict = {"status": status}
            compact = self.registry.get(row["compact"])
            changes["due"], changes["due_what"] = self._due(compact, {**row, **changes}) if compact else (None, None)
            self._set_status(db, row, "reinstated", changes, reason, on, extra={"reason": reason})
        return self.get(case_id)

    def _withdrawn_from(self, case_id: int) -> str:
        """The status a withdrawn case had before its last withdrawal."""
        event = self.store.one("SELECT detail FROM events WHERE case_id = ? AND action = 'withdrawn' "
                               "ORDER BY id DESC LIMIT 1", [case_id])
        try:
            status = json.loads(event["detail"])["was"]["status"] if event else None
        except (TypeError, ValueError, KeyError):
            status = None
        if status not in ("open", "closed"):
            raise UserError(f"case {case_id}'s timeline does not say what status it was withdrawn from; "
                            f"it cannot be reinstated.")
        return status

    def _set_status(self, db, row: dict, action: str, changes: dict, note: str, on: date | None,
                    extra: dict | None = None) -> None:
        was = _was(row, changes)
        if row.get("stage"):
            was.setdefault("stage", row["stage"])
        detail = {"set": changes, "was": was, **(extra or {})}
        _set(db, row["id"], changes)
        append_event(db, row["id"], action, detail, actor=self.actor, happened_on=_on(on), note=note)

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
        checks = case_checks(self.store, compact, row, cites, findings)
        findings = [with_standing(compact, f) for f in findings]
        from .attachments import listed

        from .audit_unkeyed import accepted_problems

        allowed = lifecycle.allowed(row, compact)
        out = {**row, "parties": parties, "cites": cites, "findings": findings, "checks": checks, "events": events,
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
                        **move.standing.as_dict(),
                        "conditions": [{"id": c.id, "question": c.question, "ref": c.ref,
                                        "team_size": c.team_size, "min_per_sector": c.min_per_sector,
                                        **c.standing.as_dict()}
                                       for c in move.conditions],
                    })
        return out

    def list(self, flt: CaseFilter | None = None, sort: str = "newest", limit: int = 50, offset: int = 0) -> list[dict]:
        return read(self.store.db.conn, flt or CaseFilter(), self._actor, sort, limit, offset)

    def reader(self) -> CaseReader:
        """The list read on a connection of its own (``case_list.CaseReader``), for a thread:
        the same file, the same ``mine``."""
        if self.store.path is None:
            raise UserError("the case list cannot be read on a second connection to a database in memory.")
        return CaseReader(self.store.path, self._actor)

    def count(self, flt: CaseFilter | None = None) -> int:
        clause, params = where(flt or CaseFilter(), self._actor, indexed=True)  # every match: look words up
        return self.store.one(f"SELECT count(*) AS n FROM cases {clause}", params)["n"]

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
            return last_held(self.store, compact_id, rule, before=case.get("on") or case.get("opened"),
                             exclude=case.get("id"))
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


def _set(db, case_id: int, changes: dict) -> None:
    db.execute(f"UPDATE cases SET {', '.join(f'{_q(k)} = ?' for k in changes)}, updated_at = ? WHERE id = ?",
               [*changes.values(), _now(), case_id])


def _reason_given(reason: str, what: str) -> str:
    reason = check_text(reason, "the reason", 2000).strip()
    if not reason:
        raise UserError(f"say why the case is {what} (--reason).")
    return reason


def _was(row: dict, changes: dict) -> dict:
    """What the fields an event changes held before it (``due`` and ``due_what`` follow from
    the rest and are left out)."""
    return {k: row.get(k) for k in changes if k not in ("due", "due_what")}


def _finding_rows(compact_id: str, findings: list[Finding]) -> list[list]:
    """Findings as the ``findings`` table holds them (less the case), and as the event records them."""
    return [[compact_id, f.rule_id, f.ref, f.severity, f.message, f.due] for f in findings]


def case_checks(store: Store, compact: Compact | None, row: dict, cites: list[str], stored: list[dict]) -> list[dict]:
    """Every rule of a stored case's compact and kind, accounted for (``rules.reconcile``), each
    with its standing: the stored findings, and every other rule as it reads now."""
    if compact is None:
        return [with_standing(None, c) for c in reconcile([], stored)]
    def previous(rule, case) -> date | None:
        return last_held(store, compact.id, rule, before=case.get("on") or case.get("opened"), exclude=row["id"])
    try:
        checks = account(compact, {**row, "cites": cites}, previous)
    except UserError:  # a stored date nobody could have typed: the stored findings stand alone
        checks = []
    return [with_standing(compact, c) for c in reconcile(checks, stored)]


def last_held(store: Store, compact_id: str, rule, before: str | None = None,
              exclude: int | None = None) -> date | None:
    """When the last case that meets a recurring ``rule`` happened (its ``on`` date, else the
    day it opened), optionally only those before ``before`` and other than case ``exclude`` (a
    case being changed is not its own last occurrence, at the date it is moving from); a rule
    that ``needs_cite`` counts only cases citing its clause."""
    sql = ('SELECT max(coalesce("on", opened)) AS last FROM cases WHERE compact = ? AND kind = ? '
           "AND status != 'withdrawn'")
    params: list = [compact_id, rule.applies_to]
    if before is not None:
        sql += ' AND coalesce("on", opened) < ?'
        params.append(before)
    if exclude is not None:
        sql += " AND id != ?"
        params.append(exclude)
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

