"""Changing a case once it is logged: its fields (``update``), owner, notes, attachments, a
dispute's stage, closing, reopening, withdrawing and reinstating. Each change goes through
:meth:`CaseLog.changing <compact_tui.caselog.case_log.CaseLog.changing>`, one transaction that
reads the case, checks it against the view the change was asked on and the lifecycle, and
records in the event what each field was. Part of :class:`CaseLog
<compact_tui.caselog.case_log.CaseLog>`."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import date

from ..content.model import DATE_FIELDS, Compact
from ..errors import UserError
from ..rules import disputes
from ..rules.dates import check_date
from ..rules.notice import account
from ..text import check_text, quoted
from .audit import append_event, happened_on as _on
from .case_rows import _check_order, _finding_rows, _reason_given, _set, _was
from .connection import Connection

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .connection import LogDb
    from typing import Any

    from ..content.registry import Registry
    from ..rules.notice import Finding, PreviousOccurrence
    from .store import Store


class CaseChanges:
    """The case log's changes to a case: mixed into :class:`~compact_tui.caselog.case_log.CaseLog`."""

    if TYPE_CHECKING:  # what CaseLog, which mixes this in, gives it
        store: Store
        registry: Registry
        actor: str

        def row(self, case_id: int) -> dict[str, Any]: ...

        def get(self, case_id: int) -> dict[str, Any]: ...

        def changing(self, case_id: int, change: str, seen: int | None = None, *, on_screen: bool = False
                     ) -> AbstractContextManager[tuple[Connection, dict[str, Any], Compact | None]]: ...

        def _view(self, case_id: int, seen: int | None) -> int | None: ...

        def _canonical_cites(self, compact: Compact, refs: list[str], moving: bool = False) -> list[str]: ...

        def _due(self, compact: Compact, case: dict[str, Any]) -> tuple[str | None, str | None]: ...

        def _previous(self, compact_id: str) -> PreviousOccurrence: ...

        def _org_ids(self, db: LogDb, orgs: list[str]) -> dict[str, int]: ...

        def _store_findings(self, db: LogDb, case_id: int, compact_id: str, findings: list[Finding]) -> None: ...

    def update(self, case_id: int, *, dates: dict[str, date] | None = None, reason: str | None = None,
               in_writing: bool | None = None, confidential: bool | None = None, cites: Sequence[str] = (),
               title: str | None = None, parties: list[str] | None = None, compact: str | None = None,
               note: str = "", on: date | None = None, seen: int | None = None, on_screen: bool = False
               ) -> dict[str, Any]:
        """Change a case's dates, reason, writing, confidentiality, title, parties (the whole
        list) or compact, or add cited clauses; the compact's rules are applied again to the case
        as it is inside the transaction, and the change, with what each field was, is appended."""
        note = check_text(note, "the note", 10_000, required=False)
        checked_dates = _checked_dates(dates)
        seen = self._view(case_id, seen)
        with self.changing(case_id, "update", seen, on_screen=on_screen) as (db, row, _):
            changes: dict[str, Any] = {}
            if title is not None and title != row["title"]:
                changes["title"] = check_text(title, "the title", 200, single_line=True)
            orgs = _parties(parties, row)
            if orgs is not None:
                changes["parties"] = "; ".join(orgs)
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
            detail: dict[str, Any] = {"set": changes, "was": _was(row, changes),
                                      "findings": _finding_rows(target.id, findings)}
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

    def _moved_compact(self, row: dict[str, Any], compact: Compact) -> dict[str, Any]:
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
        if proc is None or not proc.walkable:
            return {"stage": None, "stage_since": None}
        return {"stage": proc.start, "stage_since": row["stage_since"]}

    def set_owner(self, case_id: int, owner: str, note: str = "", on: date | None = None) -> dict[str, Any]:
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

    def attach(self, case_id: int, path: str | os.PathLike[str], note: str = "",
               on: date | None = None) -> dict[str, Any]:
        """Keep an evidence file with a case (``attachments.py``: the size limit, the hash chain)."""
        from .attachments import attach

        return attach(self, case_id, path, note, on)

    def note(self, case_id: int, text: str, on: date | None = None) -> dict[str, Any]:
        text = check_text(text, "the note", 10_000)
        happened = _on(on)
        with self.changing(case_id, "note") as (db, _, _compact):
            return append_event(db, case_id, "note", {}, actor=self.actor, happened_on=happened, note=text)

    def advance(self, case_id: int, to_stage: str, *, note: str = "", confirm: Sequence[str] = (),
                team: Sequence[str] = (), on: date | None = None, seen: int | None = None,
                on_screen: bool = False) -> dict[str, Any]:
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
            assert compact is not None and compact.procedure is not None  # the lifecycle moves only a walkable dispute
            reason = disputes.refusal(compact, row["stage"], to_stage, set(confirm), members)
            if reason is not None:
                raise UserError(reason)
            stage = compact.procedure.stage(to_stage)
            assert stage is not None  # disputes.refusal let the move through: to_stage is a stage
            changes: dict[str, Any] = {"stage": to_stage, "stage_since": when}
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
              seen: int | None = None, on_screen: bool = False) -> dict[str, Any]:
        """Close a case (not a dispute: it closes at an outcome of its procedure), with what
        came of it; the event records the status and outcome it had before."""
        note = check_text(note, "the note", 10_000, required=False)
        outcome = check_text(outcome, "the outcome", 200, single_line=True, required=False).strip()
        with self.changing(case_id, "close", self._view(case_id, seen), on_screen=on_screen) as (db, row, _):
            self._set_status(db, row, "closed", {"status": "closed", "outcome": outcome or None, "due": None,
                                                 "due_what": None}, note, on)
        return self.get(case_id)

    def reopen(self, case_id: int, note: str = "", on: date | None = None, seen: int | None = None,
               on_screen: bool = False) -> dict[str, Any]:
        """Open a closed case again: its outcome is cleared, what is due is worked out again,
        and a dispute closed at an outcome goes back to the stage it left for it."""
        note = check_text(note, "the note", 10_000, required=False)
        with self.changing(case_id, "reopen", self._view(case_id, seen), on_screen=on_screen) as (db, row, _):
            changes: dict[str, Any] = {"status": "open", "outcome": None}
            if row["kind"] == "dispute" and row["stage"]:
                changes |= {"stage": self._stage_before_outcome(case_id, row), "stage_since": _on(on)}
            compact = self.registry.require(row["compact"])
            changes["due"], changes["due_what"] = self._due(compact, {**row, **changes})
            self._set_status(db, row, "reopened", changes, note, on)
        return self.get(case_id)

    def withdraw(self, case_id: int, reason: str, on: date | None = None, seen: int | None = None,
                 on_screen: bool = False) -> dict[str, Any]:
        """Withdraw a case logged by mistake: it leaves the lists, what is due and the reports,
        and stays on the timeline (with the reason) for anyone to see."""
        reason = _reason_given(reason, "withdrawn")
        with self.changing(case_id, "withdraw", self._view(case_id, seen), on_screen=on_screen) as (db, row, _):
            self.write_withdrawn(db, row, reason, on)
        return self.get(case_id)

    def write_withdrawn(self, db: LogDb, row: dict[str, Any], reason: str, on: date | None = None) -> None:
        """The withdrawal of case ``row`` inside the caller's transaction (``withdraw``, and
        ``import`` bringing in a case that was withdrawn where it came from)."""
        self._set_status(db, row, "withdrawn", {"status": "withdrawn", "due": None, "due_what": None},
                         reason, on, extra={"reason": reason})

    def reinstate(self, case_id: int, reason: str, on: date | None = None, seen: int | None = None,
                  on_screen: bool = False) -> dict[str, Any]:
        """Bring back a case withdrawn by mistake, with the reason: it returns to the status it
        was withdrawn from, and to the lists, what is due and the reports."""
        reason = _reason_given(reason, "reinstated")
        with self.changing(case_id, "reinstate", self._view(case_id, seen), on_screen=on_screen) as (db, row, _):
            status = self._withdrawn_from(case_id)
            changes: dict[str, Any] = {"status": status}
            compact = self.registry.get(row["compact"])
            changes["due"], changes["due_what"] = self._due(compact, {**row, **changes}) if compact else (None, None)
            self._set_status(db, row, "reinstated", changes, reason, on, extra={"reason": reason})
        return self.get(case_id)

    def _withdrawn_from(self, case_id: int) -> str:
        """The status a withdrawn case had before its last withdrawal."""
        event = self.store.one("SELECT detail FROM events WHERE case_id = ? AND action = 'withdrawn' "
                               "ORDER BY id DESC LIMIT 1", [case_id])
        try:
            status: object = json.loads(event["detail"])["was"]["status"] if event else None
        except (TypeError, ValueError, KeyError):
            status = None
        if status not in ("open", "closed"):
            raise UserError(f"case {case_id}'s timeline does not say what status it was withdrawn from; "
                            f"it cannot be reinstated.")
        return status

    def _set_status(self, db: LogDb, row: dict[str, Any], action: str, changes: dict[str, Any], note: str,
                    on: date | None, extra: dict[str, Any] | None = None) -> None:
        was = _was(row, changes)
        if row.get("stage"):
            was.setdefault("stage", row["stage"])
        detail = {"set": changes, "was": was, **(extra or {})}
        _set(db, row["id"], changes)
        append_event(db, row["id"], action, detail, actor=self.actor, happened_on=_on(on), note=note)

    def _stage_before_outcome(self, case_id: int, row: dict[str, Any]) -> str:
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


def _checked_dates(dates: dict[str, date] | None) -> dict[str, str]:
    """The dates given, each one a case carries, in the range the case log takes."""
    checked: dict[str, str] = {}
    for name, value in (dates or {}).items():
        if name not in DATE_FIELDS:
            raise UserError(f"{quoted(name)} is not a date a case carries.")
        checked[name] = check_date(value, f"the {name} date").isoformat()
    return checked


def _parties(given: list[str] | None, row: dict[str, Any]) -> list[str] | None:
    """The parties given, checked and each once; None when none were given or they are unchanged."""
    if given is None:
        return None
    orgs = [check_text(o, "an organisation's name", 200, single_line=True).strip() for o in given]
    orgs = [o for i, o in enumerate(orgs) if o and o not in orgs[:i]]
    return None if "; ".join(orgs) == (row["parties"] or "") else orgs
