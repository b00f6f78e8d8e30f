"""Files and folders the app creates: owner-only whatever the umask, unless a team set up
group sharing the way the README says.

"Set up" means one of two things the team did on purpose, never something the umask did:

- the file already exists: it keeps its mode (a ``chmod 660 team.db`` stays 0660);
- the folder it goes in is a shared group folder: group-writable and set-group-ID
  (``chmod 2770``): a new file there is 0660 so the group can use it.

Anything confidential is 0600 regardless.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .errors import UserError

PRIVATE_FILE, SHARED_FILE, PRIVATE_DIR = 0o600, 0o660, 0o700


def is_shared_folder(folder: Path) -> bool:
    """The README's group-sharing folder: setgid and group-writable."""
    try:
        mode = folder.stat().st_mode
    except OSError:
        return False
    return bool(mode & stat.S_ISGID) and bool(mode & stat.S_IWGRP)


def new_file_mode(path: Path, confidential: bool = False) -> int:
    """The mode for a file about to be written at ``path``."""
    if confidential:
        return PRIVATE_FILE
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        pass
    return SHARED_FILE if is_shared_folder(path.parent) else PRIVATE_FILE


def make_private_dirs(folder: Path) -> None:
    """Create ``folder`` and any missing parents, each readable by its owner only."""
    missing = []
    here = folder
    while not here.exists():
        missing.append(here)
        if here.parent == here:
            break
        here = here.parent
    for each in reversed(missing):
        try:
            os.mkdir(each, PRIVATE_DIR)
            os.chmod(each, PRIVATE_DIR)  # the umask may have taken bits away; never adds them
        except FileExistsError:
            pass
        except OSError as exc:
            raise UserError(f"cannot create the folder {each}: {exc.strerror or exc}.") from None


def create_file(path: Path, mode: int) -> int:
    """Open a new file for writing with exactly ``mode`` (not what the umask leaves)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    os.fchmod(fd, mode)
    return fd


def write_text_whole(path, text: str, confidential: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename), with
    the mode :func:`new_file_mode` chooses."""
    path = Path(path)
    mode = new_file_mode(path, confidential)
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.unlink(missing_ok=True)
        fd = create_file(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}.") from None
