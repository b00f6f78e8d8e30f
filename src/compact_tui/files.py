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

from .errors import UserError

PRIVATE_FILE, SHARED_FILE, PRIVATE_DIR = 0o600, 0o660, 0o700


def is_shared_folder(folder: str | os.PathLike[str]) -> bool:
    """The README's group-sharing folder: setgid and group-writable."""
    try:
        mode = os.stat(folder).st_mode
    except OSError:
        return False
    return bool(mode & stat.S_ISGID) and bool(mode & stat.S_IWGRP)


def new_file_mode(path: str | os.PathLike[str], confidential: bool = False) -> int:
    """The mode for a file about to be written at ``path``."""
    if confidential:
        return PRIVATE_FILE
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        pass
    return SHARED_FILE if is_shared_folder(parent(path)) else PRIVATE_FILE


def parent(path: str | os.PathLike[str]) -> str:
    """The folder ``path`` is in, as ``pathlib.Path(path).parent`` names it (``.`` for a bare name)."""
    return os.path.dirname(os.fspath(path).rstrip(os.sep) or os.sep) or "."


def make_private_dirs(folder: str | os.PathLike[str]) -> None:
    """Create ``folder`` and any missing parents, each readable by its owner only."""
    missing = []
    here = os.fspath(folder)
    while not os.path.exists(here):
        missing.append(here)
        if parent(here) == here:
            break
        here = parent(here)
    for each in reversed(missing):
        try:
            os.mkdir(each, PRIVATE_DIR)
            os.chmod(each, PRIVATE_DIR)  # the umask may have taken bits away; never adds them
        except FileExistsError:
            pass
        except OSError as exc:
            raise UserError(f"cannot create the folder {each}: {exc.strerror or exc}.") from None


def create_file(path: str | os.PathLike[str], mode: int) -> int:
    """Open a new file for writing with exactly ``mode`` (not what the umask leaves)."""
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, mode)
    os.fchmod(fd, mode)
    return fd


def write_text_whole(path: str | os.PathLike[str], text: str, confidential: bool = False) -> None:
    """Write ``text`` to ``path`` whole or not at all (a temporary file, then a rename), with
    the mode :func:`new_file_mode` chooses."""
    path = os.fspath(path)
    mode = new_file_mode(path, confidential)
    tmp = path + ".tmp"
    try:
        _remove(tmp)
        fd = create_file(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise UserError(f"cannot write {path}: {exc.strerror or exc}.") from None


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


class TooLarge(Exception):
    """A file read by :func:`read_regular_file` had more than its limit of bytes."""


class NotRegular(Exception):
    """:func:`read_regular_file` was given a device, a FIFO or a socket; ``kind`` says which."""

    def __init__(self, kind: str):
        super().__init__(kind)
        self.kind = kind


def file_kind(mode: int) -> str:
    """What a non-regular file is, in words."""
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_regular_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at ``path``, read to at most ``limit`` bytes.

    Only a regular file is read: a device (``/dev/zero``), a FIFO or a socket is refused
    before a byte is read (opened without blocking, so a FIFO with no writer does not hang,
    and checked on the open descriptor, so nothing can be swapped in between). The limit is
    kept while reading, not taken from the size the file reports, so a file that grows while
    it is read stops at the limit. Raises ``OSError`` as ``open`` does (``IsADirectoryError``
    for a folder), :class:`NotRegular` for anything else that is not a file, :class:`TooLarge`
    past the limit."""
    before = os.stat(path).st_mode  # a socket cannot even be opened: say what it is
    if not (stat.S_ISREG(before) or stat.S_ISDIR(before)):
        raise NotRegular(file_kind(before))
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not stat.S_ISREG(mode):
            raise NotRegular(file_kind(mode))
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise TooLarge(path)
    finally:
        os.close(fd)
