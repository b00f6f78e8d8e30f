"""The lifecycle of a case: which changes are allowed from the state a case is in, and what
each does to that state. Every command, form and key asks this module; ``audit verify`` folds
each case's events through it (:func:`replay_problem`), so a story the app could not have
written is named.

A case's state, for the lifecycle, is its ``kind``, its ``status`` and (a dispute under a
compact whose procedure can be walked) its ``stage``:

- ``open``: anything may be done to it. A dispute moves only by its compact's procedure
  (``disputes.refusal``) and closes only by reaching an outcome stage; any other case closes
  with ``close``.
- ``closed``: it may be changed (its dates, parties ...), noted, assigned, given a file,
  reopened or withdrawn; not moved or closed again.
- ``withdrawn`` (logged by mistake): it stays on the record and may be noted, given a file
  or handed to another officer, but nothing about the case itself changes until it is
  ``reinstate``\\ d, with a reason, which puts it back to the status it was withdrawn from.

A new case (``log``, ``import``) is open, or closed: a dispute at an outcome stage is closed,
and only then (:func:`first_state`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..content.model import Compact, DisputeProcedure
from ..text import quoted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any
    from typing import TypedDict

    from ..content.registry import Registry

    class FirstState(TypedDict):
        """A new case's place in its lifecycle (:func:`first_state`): the columns it sets. For
        mypy only: a TypedDict made at run time compiles each annotation, and Python's first
        compile sets up every node type of its syntax tree (what that costs: docs/performance.md, issue 23)."""

        status: str
        stage: str | None
        stage_since: str | None
        outcome: str | None

STATUSES = ("open", "closed", "withdrawn")
#: Every change made to an existing case, as the commands name them.
CHANGES = ("update", "note", "advance", "close", "reopen", "withdraw", "reinstate", "assign", "attach")
#: The event each change writes (its ``action``).
EVENTS = {"update": "changed", "note": "note", "advance": "advanced", "close": "closed", "reopen": "reopened",
          "withdraw": "withdrawn", "reinstate": "reinstated", "assign": "owner-changed", "attach": "attached"}
CHANGE_OF_EVENT = {event: change for change, event in EVENTS.items()}
#: The events that change a case's lifecycle state (status or stage): a change made on a view
#: of the case older than one of these is refused (``CaseLog``'s stale-view check).
STATE_EVENTS = ("advanced", "closed", "reopened", "withdrawn", "reinstated")
#: How a refusal names each change ("case 3 was withdrawn; it cannot be moved").
_DONE = {"update": "changed", "advance": "moved", "close": "closed", "reopen": "reopened",
         "withdraw": "withdrawn again", "reinstate": "reinstated"}
#: Changes a withdrawn case still takes: they add to its record without changing the case.
STILL_ON_WITHDRAWN = ("note", "attach", "assign", "reinstate")


def walkable(compact: Compact | None) -> bool:
    """Whether ``compact`` has a procedure a dispute can be moved through."""
    return walkable_procedure(compact) is not None


def walkable_procedure(compact: Compact | None) -> DisputeProcedure | None:
    """``compact``'s procedure, if a dispute can be moved through it."""
    if compact is not None and compact.procedure is not None and compact.procedure.walkable:
        return compact.procedure
    return None


def refusal(change: str, case: Mapping[str, Any], compact: Compact | None,
            registry: Registry | None = None) -> str | None:
    """Why ``change`` cannot be made to ``case`` (a row: ``id``, ``kind``, ``status``,
    ``stage``) as it is now: one sentence, or ``None`` if it can. For a move this is the
    case's side only; where it may move to, and on what conditions, is ``disputes.refusal``."""
    if change not in CHANGES:
        raise ValueError(f"{change!r} is not a change the lifecycle knows")
    case_id, status = case["id"], case["status"]
    if status not in STATUSES and change not in ("note", "attach", "assign"):
        return (f"case {case_id}'s status {quoted(status)} is not one a case can have (open, closed or withdrawn), "
                f"so it cannot be {_DONE.get(change, change + 'd').replace(' again', '')}; 'compact-tui audit verify' says more.")
    if status == "withdrawn" and change not in STILL_ON_WITHDRAWN:
        if change == "withdraw":
            return f"case {case_id} is already withdrawn."
        return (f"case {case_id} was withdrawn; it cannot be {_DONE[change]} (its timeline stays as it is; "
                f"'compact-tui reinstate {case_id} --reason ...' brings it back).")
    if change == "reinstate" and status != "withdrawn":
        return f"case {case_id} is not withdrawn, so there is nothing to reinstate."
    if change == "reopen" and status != "closed":
        return f"case {case_id} is not closed, so there is nothing to reopen."
    if change == "close":
        if status == "closed":
            return f"case {case_id} is already closed."
        if case["kind"] == "dispute" and case.get("stage") and walkable(compact):
            return (f"case {case_id} is a dispute: it closes when it reaches an outcome "
                    f"('compact-tui advance {case_id} STAGE').")
    if change == "advance":
        if case["kind"] != "dispute":
            return f"case {case_id} is a {case['kind']}, not a dispute; only disputes have stages."
        proc = walkable_procedure(compact)
        if proc is None:
            from ..rules.disputes import pending_message

            if compact is None:
                return f"case {case_id}'s compact {quoted(case.get('compact') or '')} is not installed here."
            return pending_message(compact, registry)
        if status == "closed":
            stage = proc.stage(case.get("stage") or "")
            if stage is not None and stage.outcome:
                return f"the dispute has ended at '{stage.title}' ({stage.outcome}); it cannot move on."
            return f"case {case_id} is closed; reopen it ('compact-tui reopen {case_id}') before moving it."
    return None


def allowed(case: Mapping[str, Any], compact: Compact | None) -> list[str]:
    """The changes ``case`` takes now, in :data:`CHANGES` order (what the app offers)."""
    return [c for c in CHANGES if refusal(c, case, compact) is None]


def first_state(kind: str, compact: Compact | None, *, status: str | None = None, stage: str | None = None,
                opened: str | None = None, stage_since: str | None = None) -> FirstState:
    """The status, stage, when the stage began and outcome of a new case: what ``log`` gives
    one (and ``import``, for a case brought in part-way). Raises ``ValueError`` with a sentence
    for a state no case can start in.

    ``kind`` and ``compact`` as for ``log``; ``status`` ``open`` or ``closed`` (default: open,
    or closed for a record of something that happened: see ``CaseLog.prepare``); ``stage`` a
    stage of a dispute's procedure (default its first); ``opened`` the day it opened, from
    which the first stage runs unless ``stage_since`` says otherwise.
    """
    state: FirstState = {"status": status or "open", "stage": None, "stage_since": None, "outcome": None}
    if state["status"] not in ("open", "closed"):
        raise ValueError(f"the status {quoted(state['status'])} is not open or closed.")
    if stage and kind != "dispute":
        raise ValueError(f"only a dispute has a stage, not a {kind}.")
    proc = walkable_procedure(compact)
    if kind != "dispute" or compact is None or proc is None:
        if stage:
            name = compact.info.name if compact is not None else "its compact"
            raise ValueError(f"{quoted(stage)} is not a stage of {name}'s procedure.")
        return state
    found = proc.stage(stage or proc.start)
    if found is None:
        raise ValueError(f"{quoted(stage)} is not a stage of {compact.info.name}'s procedure.")
    state["stage"], state["stage_since"] = found.id, stage_since or opened
    if found.outcome:
        if status == "open":
            raise ValueError("a dispute is closed when, and only when, its stage is an outcome "
                             f"(stage {quoted(found.id)}, status 'open').")
        state["status"], state["outcome"] = "closed", found.outcome
    elif status == "closed":
        raise ValueError("a dispute is closed when, and only when, its stage is an outcome "
                         f"(stage {quoted(found.id)}, status 'closed').")
    return state


def stale_sentence(case_id: int, event: dict[str, Any], stage_title: Callable[[str], str] = str,
                   command_line: bool = True) -> str:
    """What to say when a change was made on a view of case ``case_id`` older than ``event``
    (a row of ``events``, its ``detail`` read): who changed what, and that nothing was changed."""
    from .timeline import describe

    verbs = {"advanced": "moved it", "closed": "closed it", "reopened": "reopened it",
             "withdrawn": "withdrew it", "reinstated": "reinstated it", "changed": "changed it"}
    said = describe(event, stage_title)
    when = str(event.get("at") or "").replace("T", " ")[:16]
    now = (f"'compact-tui case {case_id}' shows it as it is now" if command_line
           else "it is shown as it is now")
    return (f"case {case_id} changed after you looked at it: {event.get('actor')} "
            f"{verbs.get(str(event.get('action')), event.get('action'))}"
            + (f" ({said})" if said else "") + (f" at {when} UTC" if when else "")
            + f"; nothing was changed, and {now}.")


# -- the replay (``audit verify``) ------------------------------------------------------------

class Replay:
    """Folds each case's events, in order, through the lifecycle (``audit.verify`` calls
    :meth:`check` with each event before applying it): names each event that is not a change
    its case could take in the state its earlier events left it in, or that records a state
    before it other than that one. ``compacts`` maps compact ids to the installed compacts
    (a compact not installed here: its cases' moves are not checked)."""

    def __init__(self, compacts: Mapping[str, Compact]) -> None:
        self.compacts = compacts
        self.withdrawn_from: dict[int, str | None] = {}

    def check(self, action: str, case_id: int, before: Mapping[str, Any] | None, detail: Mapping[str, Any]) -> str | None:
        """Why this event is not a valid change from ``before`` (the case's derived row before
        it, ``None`` before its first event); ``None`` if it is."""
        if action in ("logged", "imported"):
            if before is not None:
                return "a case logged a second time"
            case = detail.get("set") or {}
            missing = [key for key in ("kind", "compact", "title") if not case.get(key)]
            if missing:
                return f"a new case whose event records no {' and no '.join(missing)}"
            return _first_state_problem(case, self.compacts.get(case.get("compact") or ""))
        if before is None:
            return "an event on a case no event logged"
        change = CHANGE_OF_EVENT.get(action)
        if change is None or change in ("note", "attach"):
            return None
        status = before.get("status")
        said = detail.get("was")
        if said:
            for key, value in said.items():
                if key in before and before[key] != value:
                    return (f"it records {key} {_shown(value)} before it, but its events had left {key} "
                            f"{_shown(before[key])}")
        if status == "withdrawn" and change not in STILL_ON_WITHDRAWN:
            return f"the case was withdrawn, and a withdrawn case cannot be {_DONE[change]}"
        compact = self.compacts.get(before.get("compact") or "")
        case = {"id": case_id, "kind": before.get("kind"), "status": status, "stage": before.get("stage"),
                "compact": before.get("compact")}
        changed = detail.get("set") or {}
        if change == "advance":
            return self._move_problem(case, compact, detail, changed)
        if change == "withdraw":
            self.withdrawn_from[case_id] = status
        why = refusal(change, case, compact)
        if why is not None:
            return _reason(why)
        after = changed.get("status", status)
        if change == "reinstate":
            was = self.withdrawn_from.get(case_id)
            if was and after != was:
                return f"it reinstates the case as {_shown(after)}, but it was withdrawn when {_shown(was)}"
            return None
        expected = _STATUS_AFTER.get(change, status)
        if after != expected:
            return f"it leaves the case {_shown(after)}, where a {action} event leaves it {_shown(expected)}"
        return None

    def _move_problem(self, case: dict[str, Any], compact: Compact | None, detail: Mapping[str, Any],
                      changed: Mapping[str, Any]) -> str | None:
        if case["kind"] != "dispute":
            return f"it moves a {case['kind']}, and only a dispute has stages"
        if "from" in detail and detail["from"] != case["stage"]:
            return (f"it moves the dispute from {_shown(detail['from'])}, but its events had left it at "
                    f"{_shown(case['stage'])}")
        if compact is None:
            return None  # not installed here: its procedure cannot be read
        why = refusal("advance", case, compact)
        if why is None:
            from ..rules.disputes import TeamMember, refusal as move_refusal

            team = [TeamMember(str(m.get("name", "")), str(m.get("sector", ""))) for m in detail.get("team") or ()
                    if isinstance(m, Mapping)]
            to = str(changed.get("stage"))
            why = move_refusal(compact, case["stage"], to, set(detail.get("confirmed") or ()), team)
            if why is None:
                target = compact.procedure.stage(to) if compact.procedure is not None else None
                assert target is not None  # the move was let through, so ``to`` is a stage of its procedure
                left = changed.get("status", case["status"])
                if left != ("closed" if target.outcome else "open"):
                    return f"it moves the dispute to {_shown(to)} but leaves it {_shown(left)}"
        return _reason(why)


#: The status each change leaves a case in (the rest leave it as it was).
_STATUS_AFTER = {"close": "closed", "reopen": "open", "withdraw": "withdrawn"}


def _first_state_problem(case: Mapping[str, Any], compact: Compact | None) -> str | None:
    if compact is None and case.get("kind") == "dispute":
        return None  # its compact is not installed here: its stages cannot be checked
    try:
        want = first_state(str(case.get("kind")), compact, status=case.get("status"), stage=case.get("stage"))
    except ValueError as exc:
        return _reason(str(exc))
    for key in ("status", "outcome"):
        if (case.get(key) or None) != (want[key] or None):
            return f"a new case whose {key} is {_shown(case.get(key))}, not {_shown(want[key])}"
    return None


def _reason(sentence: str | None) -> str | None:
    """A command's refusal as the reason in a problem (no full stop)."""
    return sentence.rstrip(".") if sentence else sentence


def _shown(value: object) -> str:
    return "(none)" if value is None or value == "" else quoted(str(value))
