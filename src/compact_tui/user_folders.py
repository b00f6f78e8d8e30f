"""The user's own folders for compact-tui's data, config, cache and state.

On Linux (and the other systems that follow the XDG Base Directory specification) each is one
environment variable or its default under the home folder, exactly as ``platformdirs`` works
them out; that is read here, because importing ``platformdirs`` brings ``tempfile``, ``shutil``,
``bz2``, ``lzma`` and ``random`` with it into every command (what that costs a ``log``:
docs/performance.md, "Figures once kept in comments"). On macOS and Windows
``platformdirs`` answers. ``tests/core/test_user_folders.py`` checks each folder against it.
"""

from __future__ import annotations

import os
import sys

APP = "compact-tui"
#: kind -> (the XDG variable, its default under the home folder)
XDG = {"data": ("XDG_DATA_HOME", "~/.local/share"), "config": ("XDG_CONFIG_HOME", "~/.config"),
       "cache": ("XDG_CACHE_HOME", "~/.cache"), "state": ("XDG_STATE_HOME", "~/.local/state")}


def user_folder(kind: str) -> str:
    """compact-tui's folder of ``kind`` (data, config, cache or state) for this user: a path as
    text, as are the other paths every command works out (``pathlib`` is not imported for them:
    with ``urllib.parse`` and ``ipaddress``, which it brings, it would cost a ``log`` about a
    twentieth of its instructions)."""
    if sys.platform in ("darwin", "win32", "cygwin"):
        import platformdirs

        return str(getattr(platformdirs, f"user_{kind}_path")(APP, appauthor=False))
    variable, default = XDG[kind]
    value = os.environ.get(variable, "").strip()
    folder = value if os.path.isabs(value) else os.path.expanduser(default)  # a relative one is ignored
    return os.path.join(folder, APP)
