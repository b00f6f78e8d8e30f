"""Evidence files kept with a case: the letter giving notice, the funder's email.

A file is kept whole in the case log (``attachments``), numbered 1, 2, ... per case, and the
``attached`` event that adds it carries its name, size and SHA-256 onto the case's hash
chain. ``audit verify`` re-computes each file's SHA-256 and compares it with what its event
recorded, so a file changed, swapped or removed behind the app's back is named. Getting a
file back checks the same before writing a byte.

Files larger than :data:`MAX_BYTES` (20 MB) are refused: a case log is one SQLite file that
every officer's copy and backup carries, and 20 MB holds any letter, email or scanned page.
"""

from __future__ import annotations

import hashlib
import os
from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from .audit import append_event, happened_on
from ..errors import UserError
from ..text import check_text, quoted

if TYPE_CHECKING:
    from .store import Store

MAX_BYTES = 20 * 1024 * 1024
LIMIT_TEXT = "20 MB"


class CaseLogLike(Protocol):
    """What attaching needs of a :class:`~compact_tui.caselog.case_log.CaseLog` (named here, not
    imported: the case log imports this module)."""

    store: Store
    actor: str

    def row(self, case_id: int) -> dict[str, Any]: ...

    def changing(self, case_id: int, change: str) -> AbstractContextManager[tuple[Any, dict[str, Any], Any]]: ...


def attach(log: CaseLogLike, case_id: int, path: str | os.PathLike[str], note: str = "",
           on: date | None = None) -> dict[str, Any]:
    """Keep the file at ``path`` with case ``case_id``; returns the attachment's record."""
    note = check_text(note, "the note", 10_000, required=False)
    log.row(case_id)  # no such case: say so before reading the file
    path = Path(path)
    name = check_text(path.name, "the file's name", 255, single_line=True)
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise UserError(f"{quoted(str(path))} is not a file.")
        if size > MAX_BYTES:
            raise UserError(f"{quoted(name)} is {size:,} bytes; a case keeps files up to {LIMIT_TEXT} ({MAX_BYTES:,} "
                            f"bytes): keep a larger file elsewhere and note where it is.")
        content = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"there is no file {quoted(str(path))}.") from None
    except OSError as exc:
        raise UserError(f"cannot read {quoted(str(path))}: {exc.strerror or exc}.") from None
    if len(content) > MAX_BYTES:  # it grew while we looked
        raise UserError(f"{quoted(name)} is larger than {LIMIT_TEXT}, the most a case keeps.")
    digest = hashlib.sha256(content).hexdigest()
    with log.changing(case_id, "attach") as (db, _, _compact):
        n = db.execute("SELECT coalesce(max(n), 0) + 1 FROM attachments WHERE case_id = ?", [case_id]).fetchone()[0]
        db.execute("INSERT INTO attachments (case_id, n, name, size, sha256, content) VALUES (?, ?, ?, ?, ?, ?)",
                   [case_id, n, name, len(content), digest, content])
        append_event(db, case_id, "attached", {"attachment": [n, name, len(content), digest]}, actor=log.actor,
                     happened_on=happened_on(on), note=note)
    return {"n": n, "name": name, "size": len(content), "sha256": digest}


def listed(store: Store, case_id: int) -> list[dict[str, Any]]:
    """A case's attachments (without their bytes), in the order they were added."""
    return store.query("SELECT n, name, size, sha256 FROM attachments WHERE case_id = ? ORDER BY n", [case_id])


def content(log: CaseLogLike, case_id: int, n: int) -> tuple[dict[str, Any], bytes]:
    """Attachment ``n`` of a case and its bytes, if they are still what was attached."""
    log.row(case_id)
    row = log.store.one("SELECT n, name, size, sha256, content FROM attachments WHERE case_id = ? AND n = ?",
                        [case_id, n])
    if row is None:
        have = [a["n"] for a in listed(log.store, case_id)]
        raise UserError(f"case {case_id} has no attachment {n}" + (f" (it has {', '.join(map(str, have))})." if have
                                                                     else " (it has none)."))
    data = bytes(row.pop("content"))
    recorded = recorded_sha256(log.store, case_id, n)
    if hashlib.sha256(data).hexdigest() != recorded or row["sha256"] != recorded:
        raise UserError(f"attachment {n} of case {case_id} ({quoted(row['name'])}) is not the file that was attached: "
                        f"its SHA-256 differs from the one its event recorded; 'compact-tui audit verify' says more.")
    return row, data


def recorded_sha256(store: Store, case_id: int, n: int) -> str | None:
    """The SHA-256 the ``attached`` event recorded for attachment ``n`` (the chain's word)."""
    import json

    for event in store.query("SELECT detail FROM events WHERE case_id = ? AND action = 'attached' ORDER BY id",
                             [case_id]):
        item = json.loads(event["detail"]).get("attachment") or []
        if len(item) == 4 and item[0] == n:
            recorded: str | None = item[3]
            return recorded
    return None


def save(data: bytes, path: str | os.PathLike[str], replace: bool = False) -> None:
    """Write ``data`` to ``path`` whole (a temporary file, then a rename), owner-only. A file
    already at ``path`` is replaced only when ``replace`` says so; otherwise it is left as it is
    and the officer is told (checked as the file is put in place, so one made meanwhile counts)."""
    from ..files import create_file

    path = Path(path)
    if path.is_dir():
        raise UserError(f"{path} is a folder: give the path of the file to write.")
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.unlink(missing_ok=True)
        fd = create_file(tmp, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        if replace:
            tmp.replace(path)
        else:
            os.link(tmp, path)  # fails if the file exists: never overwrites
            tmp.unlink()
    except FileExistsError:
        tmp.unlink(missing_ok=True)
        raise UserError(f"{path} exists already; nothing was written. Give another -o, or --force to replace "
                        f"it.") from None
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}.") from None
