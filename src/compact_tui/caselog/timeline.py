"""What each event on a case's timeline did, in words: which field changed from what to
what, which stage a dispute moved from and to. The command line and the app both show it.

An event's ``detail`` holds what it set (``set``) and, for events written since issue 12,
what those fields held before (``was``); an older event without ``was`` is told as
"set to".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

#: How a case's field is named on the timeline.
LABELS = {"status": "status", "outcome": "outcome", "title": "title", "parties": "parties", "compact": "compact",
          "kind": "kind", "stage": "stage", "owner": "held by", "start": "starts", "end": "closes",
          "notified": "notice given", "effective": "takes effect", "period_end": "funding period ends",
          "on": "date", "opened": "opened", "reason": "reason", "in_writing": "in writing",
          "confidential": "confidential", "cites": "clauses cited"}
#: A case's dates in the order its header shows them, each named by its field, a word, but for
#: the one whose name is not a word (``period_end``), named as on the timeline.
HEADER_DATES = {"opened": "opened", "start": "start", "end": "end", "notified": "notified",
                "effective": "effective", "period_end": LABELS["period_end"], "on": "on"}
#: Fields that follow from the others (what is due next, when a stage began): not told.
FOLLOWING = {"due", "due_what", "stage_since", "updated_at"}
#: Fields shown in quotes (typed text), the rest as they are (dates, ids).
QUOTED = {"title", "parties", "reason", "outcome", "owner"}
#: Events whose detail is the whole new case, or nothing: no change to tell.
NOTHING_TO_TELL = {"logged", "imported", "note", "upgraded", "org-added", "org-changed", "signed"}


def header_dates(case: dict[str, Any]) -> list[str]:
    """The dates a case holds as its header shows them (``case N``, the case screen):
    ``funding period ends 2026-03-31``."""
    return [f"{word} {case[k]}" for k, word in HEADER_DATES.items() if case.get(k)]


def describe(event: dict[str, Any], stage_title: Callable[[str], str] = str) -> str:
    """One line saying what ``event`` changed; '' when it changed nothing to tell."""
    detail = event.get("detail")
    action = event.get("action")
    if not isinstance(detail, dict) or action in NOTHING_TO_TELL:
        return ""
    changed: dict[str, Any] = detail["set"] if isinstance(detail.get("set"), dict) else {}
    if action == "advanced":
        return _advanced(detail, changed, stage_title)
    was = detail.get("was") if isinstance(detail.get("was"), dict) else None
    if action == "owner-changed" and was is None and "from" in detail:
        was = {"owner": detail["from"]}
    parts = []
    order = list(LABELS)
    for key, new in sorted(changed.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order)):
        if key in FOLLOWING:
            continue
        label = LABELS.get(key, key)
        old, new = _shown(key, was.get(key) if was else None, stage_title), _shown(key, new, stage_title)
        parts.append(f"{label} {old} → {new}" if was is not None and key in was else f"{label} set to {new}")
    return "; ".join(parts)


def _advanced(detail: dict[str, Any], changed: dict[str, Any], stage_title: Callable[[str], str]) -> str:
    text = f"from {_stage(detail.get('from'), stage_title)} to {_stage(changed.get('stage'), stage_title)}"
    confirmed = detail.get("confirmed") or []
    if confirmed:
        text += "; confirmed " + ", ".join(str(c) for c in confirmed)
    team = [m for m in detail.get("team") or [] if isinstance(m, dict)]
    if team:
        text += "; team " + ", ".join(f"{m.get('name', '')} ({m.get('sector', '')})" for m in team)
    if changed.get("outcome"):
        text += f"; outcome {changed['outcome']}"
    return text


def _stage(stage: object, stage_title: Callable[[str], str]) -> str:
    return "(none)" if not stage else f"'{stage_title(str(stage))}'"


def _shown(key: str, value: object, stage_title: Callable[[str], str]) -> str:
    if value is None or value == "":
        return "(none)"
    if key in ("in_writing", "confidential"):
        return "yes" if value else "no"
    if key == "stage":
        return _stage(value, stage_title)
    return f"'{value}'" if key in QUOTED else str(value)
