"""The case log: record what happens under a compact and apply the compact's rules to it.

:class:`CaseLog` is the one place the command line and the app go through to write. Each
change is one transaction: the case row, its parties, cited clauses, findings and a new
event of its hash-chained timeline are written together or not at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from ..record import field, record
from . import lifecycle
from .audit import append_event, current_user as _user
from .case_list import CaseFilter as CaseFilter  # also from here
from ..rules.dates import add_months, add_period, check_date, stored_date
from ..errors import UserError
from ..content.model import CASE_KINDS, DATE_FIELDS, Compact, NoticeRule, Period
from ..content.registry import Registry
from ..rules.notice import Finding, RuleCheck, account, with_standing
from .case_changes import CaseChanges
from .case_reads import CaseReads, case_checks as case_checks, last_held as last_held  # also from here
from .case_rows import _check_order, _finding_rows, _now, _q
from .connection import Connection
from .store import Store
from ..text import check_text, quoted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .connection import LogDb
    from ..rules.notice import PreviousOccurrence
    from typing import Any

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


@record
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


@record
class Prepared:
    """A new case checked and worked out (:meth:`CaseLog.prepare`), ready to be written."""

    case: dict[str, Any]
    orgs: list[str]
    cites: list[str]
    checks: list[RuleCheck]  # every rule of the compact for this kind, and what it made of the case
    note: str
    happened_on: str

    @property
    def findings(self) -> list[Finding]:
        """The rules broken: what is stored as the case's findings."""
        return [c.finding() for c in self.checks if c.broken]

    def result(self, case_id: int) -> dict[str, Any]:
        return {"id": case_id, **self.case, "parties": self.orgs, "cites": self.cites,
                "findings": [f.as_dict() for f in self.findings], "checks": [c.as_dict() for c in self.checks]}


class CaseLog(CaseChanges, CaseReads):
    def __init__(self, store: Store, registry: Registry, actor: str | None = None) -> None:
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

    def row(self, case_id: int) -> dict[str, Any]:
        row = self.store.one("SELECT * FROM cases WHERE id = ?", [case_id])
        if row is None:
            raise UserError(f"there is no case {case_id}.")
        return row

    # -- writing ---------------------------------------------------------------------------

    def log(self, new: NewCase, today: date | None = None) -> dict[str, Any]:
        """Record a new case; returns it with its findings."""
        prepared = self.prepare(new, today)
        with self.store.write() as db:
            case_id = self.insert(db, prepared)
        result = prepared.result(case_id)
        compact = self.registry.get(prepared.case["compact"])
        result["findings"] = [with_standing(compact, f) for f in result["findings"]]
        result["checks"] = [with_standing(compact, c) for c in result["checks"]]
        return result

    def prepare(self, new: NewCase, today: date | None = None,
                previous: Callable[[str], PreviousOccurrence] | None = None) -> Prepared:
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
        case: dict[str, Any] = {
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

    def insert(self, db: LogDb, p: Prepared, action: str = "logged", source: dict[str, Any] | None = None) -> int:
        """Write a prepared case inside the caller's ``store.write()``: its row, parties, cited
        clauses, findings and signatures, and the event that made it; returns its id."""
        case, orgs, now = p.case, p.orgs, _now()
        org_ids = self._org_ids(db, orgs)
        cur = db.execute(
            f"INSERT INTO cases ({', '.join(_q(c) for c in case)}, created_by, created_at, updated_at) "
            f"VALUES ({', '.join('?' for _ in case)}, ?, ?, ?)",
            [*case.values(), self.actor, now, now])
        case_id = cur.lastrowid
        assert case_id is not None  # the INSERT just made the row
        db.conn.executemany("INSERT INTO case_parties (case_id, name, organisation_id) VALUES (?, ?, ?)",
                            [(case_id, o, org_ids.get(o.lower())) for o in orgs])
        db.conn.executemany("INSERT INTO case_cites (case_id, ref) VALUES (?, ?)", [(case_id, r) for r in p.cites])
        self._store_findings(db, case_id, case["compact"], p.findings)
        signatures: list[list[Any]] = []
        if case["kind"] == "signatory" and orgs:
            signed = case["on"] or case["opened"]
            signatures = [[org_ids[o.lower()], case["compact"], signed] for o in orgs if o.lower() in org_ids]
            db.conn.executemany("INSERT OR REPLACE INTO signatures (organisation_id, compact, signed_on) "
                                "VALUES (?, ?, ?)", signatures)
        detail: dict[str, Any] = {"set": case, "parties": [[o, org_ids.get(o.lower())] for o in orgs], "cites": p.cites,
                  "findings": _finding_rows(case["compact"], p.findings), "signatures": signatures}
        if source is not None:
            detail["source"] = source
        append_event(db, case_id, action, detail, actor=self.actor, happened_on=p.happened_on, note=p.note, at=now)
        return case_id

    # -- changing a case: read, checked and written in one transaction -------------------------

    def last_event(self, case_id: int) -> int:
        """The id of the case's last event (0 if none): the view a change is asked on."""
        found = self.store.one("SELECT max(id) AS id FROM events WHERE case_id = ?", [case_id])
        assert found is not None  # an aggregate with no GROUP BY gives one row, always
        return int(found["id"] or 0)

    @contextmanager
    def changing(self, case_id: int, change: str, seen: int | None = None, *, on_screen: bool = False
                 ) -> Iterator[tuple[Connection, dict[str, Any], Compact | None]]:
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

    def _still_as_seen(self, db: LogDb, case_id: int, seen: int, on_screen: bool) -> None:
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

    def _stage_title(self, case_id: int) -> Callable[[str], str]:
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

    # -- reading ---------------------------------------------------------------------------

    # -- helpers ---------------------------------------------------------------------------

    def _compact_for_orgs(self, orgs: list[str]) -> str:
        from .orgs import compact_for_org

        for org in orgs:
            found = compact_for_org(self.store, self.registry, org)
            if found:
                return found
        raise UserError("say which compact (--compact ID), or name an organisation that has signed one.")

    def _canonical_cites(self, compact: Compact, refs: list[str], moving: bool = False) -> list[str]:
        out: list[str] = []
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

    def _org_ids(self, db: LogDb, orgs: list[str]) -> dict[str, int]:
        if not orgs:
            return {}
        marks = ", ".join("?" for _ in orgs)
        rows = db.query(f"SELECT id, name FROM organisations WHERE name IN ({marks})", orgs)
        return {r["name"].lower(): r["id"] for r in rows}

    def _previous(self, compact_id: str) -> PreviousOccurrence:
        def previous(rule: NoticeRule, case: dict[str, Any]) -> date | None:
            return last_held(self.store, compact_id, rule, before=case.get("on") or case.get("opened"),
                             exclude=case.get("id"))
        return previous

    def _due(self, compact: Compact, case: dict[str, Any]) -> tuple[str | None, str | None]:
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

    def _store_findings(self, db: LogDb, case_id: int, compact_id: str, findings: list[Finding]) -> None:
        db.execute("DELETE FROM findings WHERE case_id = ?", [case_id])
        db.conn.executemany(
            "INSERT INTO findings (case_id, compact, rule_id, ref, severity, message, due) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(case_id, *row) for row in _finding_rows(compact_id, findings)])


def _minus(day: date, period: Period) -> date:
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


