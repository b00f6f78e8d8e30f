"""Where an unexpected error's details go: a log file in the user's state folder.

The app never ends silently after a crash: it writes the traceback here, exits non-zero, and
tells the officer the file's path in one sentence (``cli/app_cmd.py``). The folder is
``$COMPACT_TUI_STATE`` if set, else the platform's user state folder
(``~/.local/state/compact-tui`` on Linux); the file is the officer's alone (0600), since a
traceback can quote case details.
"""

from __future__ import annotations

import os
import traceback
from datetime import datetime, timezone
from pathlib import Path

STATE_ENV = "COMPACT_TUI_STATE"


def state_dir() -> Path:
    env = os.environ.get(STATE_ENV)
    if env:
        return Path(env)
    from .user_folders import user_folder

    return Path(user_folder("state"))


def write_crash_log(error: BaseException) -> Path | None:
    """Append ``error``'s traceback to ``crash.log``; the path written, or None if it could not be."""
    from . import __version__

    path = state_dir() / "crash.log"
    when = datetime.now(timezone.utc).isoformat(timespec="seconds")
    text = (f"--- {when} compact-tui {__version__}\n"
            + "".join(traceback.format_exception(type(error), error, error.__traceback__)) + "\n")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, text.encode("utf-8", "backslashreplace"))
        finally:
            os.close(fd)
    except OSError:
        return None
    return path
