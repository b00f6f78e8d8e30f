"""Small helpers for writing a case's row, shared by the case log's writing and its changes:
the ``UPDATE`` of changed fields, what those fields were, the findings as rows, the reason asked
for, and dates in order."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone

from ..errors import UserError
from ..rules.notice import Finding
from ..text import check_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .connection import LogDb
    from typing import Any


def _set(db: LogDb, case_id: int, changes: Mapping[str, object]) -> None:
    db.execute(f"UPDATE cases SET {', '.join(f'{_q(k)} = ?' for k in changes)}, updated_at = ? WHERE id = ?",
               [*changes.values(), _now(), case_id])


def _reason_given(reason: str, what: str) -> str:
    reason = check_text(reason, "the reason", 2000).strip()
    if not reason:
        raise UserError(f"say why the case is {what} (--reason).")
    return reason


def _was(row: Mapping[str, Any], changes: Mapping[str, object]) -> dict[str, Any]:
    """What the fields an event changes held before it (``due`` and ``due_what`` follow from
    the rest and are left out)."""
    return {k: row.get(k) for k in changes if k not in ("due", "due_what")}


def _finding_rows(compact_id: str, findings: list[Finding]) -> list[list[str | None]]:
    """Findings as the ``findings`` table holds them (less the case), and as the event records them."""
    return [[compact_id, f.rule_id, f.ref, f.severity, f.message, f.due] for f in findings]


def _check_order(dates: Mapping[str, str | None]) -> None:
    """Refuse a consultation that closes before it starts. (Notice given after a funding change
    takes effect is not refused: it is late notice, which the compact's rules report.)"""
    start, end = dates.get("start"), dates.get("end")
    if start and end and end < start:
        raise UserError(f"a consultation cannot close before it starts ({start} to {end}).")


def _q(column: str) -> str:
    return f'"{column}"'


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")
