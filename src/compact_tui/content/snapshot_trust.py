"""What the registry snapshot is checked against: the installed plugin distributions (its key,
for the app's first frame too), and when a command that writes may take the compacts from it
rather than ask the plugins again.

The app draws its first frame from the last run's snapshot (:mod:`compact_tui.content.content_cache`)
and asks the plugins again just after, so a snapshot a moment stale costs it one redraw. A command
such as ``log`` writes findings from the compacts at once and never looks again, so it takes them
from the snapshot only if, besides everything :func:`~compact_tui.content.content_cache.read_snapshot`
checks (the core's code, every installed distribution with a ``compact_tui`` entry point, its
version and entry points, the size and modification time of every content file and plugin module,
the config's), all of this is as it was when the snapshot was made:

- the bytes of every file in each plugin's own package folder (a file added, removed or edited in
  place, even with its size and modification time put back), of every content file outside those
  folders, and of the config (BLAKE2b of each);
- the size and modification time of every module imported while the plugins were loaded (what
  they import from other distributions);
- ``sys.path`` (so a folder put in front of an installed plugin counts);
- the environment, but for the variables a shell, a terminal or an SSH session sets afresh
  (:data:`SESSION_VARIABLES`): a plugin may read the others when it is imported;
- and every plugin loaded and answered cleanly: a snapshot that names a failed plugin is never
  trusted, so a plugin broken for a passing reason is asked again each time, and still named.

Otherwise the plugins are found and asked, as always, and the snapshot made again.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

#: Variables that differ between two shells of the same officer, or between two commands in one
#: shell, and that no plugin's answers depend on; every other variable is part of the stamp.
SESSION_VARIABLES = frozenset({
    "_", "PWD", "OLDPWD", "SHLVL", "TERM", "COLORTERM", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "COLUMNS",
    "LINES", "TMUX", "TMUX_PANE", "STY", "WINDOW", "WINDOWID", "DISPLAY", "LS_COLORS", "MAIL", "SSH_CLIENT",
    "SSH_CONNECTION", "SSH_TTY", "SSH_AUTH_SOCK", "XDG_SESSION_ID", "XDG_SESSION_TYPE", "XDG_SESSION_CLASS",
    "XDG_VTNR", "XDG_RUNTIME_DIR", "DBUS_SESSION_BUS_ADDRESS", "MOTD_SHOWN", "LESSOPEN", "LESSCLOSE",
})
#: The most bytes of one plugin's package folder that are read to stamp it: past that, the
#: snapshot is not trusted (asking the plugins costs less than reading a large folder).
MOST_BYTES = 4_000_000


def plugin_distributions(group: str = "compact_tui") -> list[list[str]]:
    """Every installed distribution that has entry points in ``group`` (the plugins' group):
    the ``sys.path`` entry, its metadata folder (which names the version), and those entry
    points' lines. Found by reading the metadata folders on ``sys.path`` directly, which costs
    far less than ``importlib.metadata``."""
    found = []
    for entry in sys.path:
        try:
            listing = os.scandir(entry or ".")
        except OSError:
            continue
        with listing:
            for item in listing:
                if not item.name.endswith((".dist-info", ".egg-info")):
                    continue
                try:
                    with open(os.path.join(item.path, "entry_points.txt"), encoding="utf-8") as handle:
                        text = handle.read()
                except OSError:
                    continue
                lines = _group(text, group)
                if lines is not None:
                    found.append([entry, item.name, lines])
    return found


def _group(entry_points_txt: str, name: str) -> str | None:
    lines, inside = [], False
    for line in entry_points_txt.splitlines():
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == f"[{name}]"
        elif inside and stripped:
            lines.append(stripped)
    return "\n".join(lines) if inside or lines else None


def _digest(data: bytes) -> str:
    from ..digests import blake2b

    return blake2b(data, digest_size=16).hexdigest()


def environment() -> str:
    """A digest of the environment, leaving out :data:`SESSION_VARIABLES`."""
    kept = sorted((k, v) for k, v in os.environ.items() if k not in SESSION_VARIABLES)
    return _digest(repr(kept).encode("utf-8", "surrogateescape"))


def _file_digest(path: str) -> str | None:
    try:
        with open(path, "rb") as handle:
            return _digest(handle.read())
    except OSError:
        return None


def package_files(folder: str) -> dict[str, str | None] | None:
    """Every file in a plugin's own folder (or the one file of a single-module plugin), with the
    digest of its bytes; compiled bytecode (``__pycache__``) left out, as Python rebuilds it from
    the source. ``None`` if the folder holds more than :data:`MOST_BYTES`."""
    if not os.path.isdir(folder):
        return {folder: _file_digest(folder)}
    found: dict[str, str | None] = {}
    total = 0
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(root, name)
            try:
                total += os.path.getsize(path)
            except OSError:
                pass
            if total > MOST_BYTES:
                return None
            found[path] = _file_digest(path)
    return found


def plugin_folder(module_file: str) -> str:
    """A plugin's own folder: its package's, or its module file for a single-module plugin."""
    if os.path.basename(module_file) in ("__init__.py", "__init__.pyc"):
        return os.path.dirname(module_file)
    return module_file


def _stat(path: str) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def stamp(packages: list[str], files: list[str], imported: list[str], config: str) -> dict[str, Any] | None:
    """What a command compares before it trusts a snapshot (see the module's doc): ``packages``,
    the plugins' own folders; ``files``, the content files (those outside a plugin's folder are
    read on their own); ``imported``, what loading the plugins imported (size and modification
    time). ``None`` when it cannot be made: a plugin folder too large to read, or any of these
    that is not a file on disk (a plugin imported from a zip: what is inside cannot be watched)."""
    folders: dict[str, Any] = {}
    for folder in packages:
        found = package_files(folder)
        if found is None or None in found.values():
            return None
        folders[folder] = found
    inside = tuple(folder + os.sep for folder in packages)
    outside = sorted({path for path in files if not path.startswith(inside) and path not in folders})
    digests = {path: _file_digest(path) for path in outside}
    stats = {path: _stat(path) for path in imported}
    if None in digests.values() or None in stats.values():
        return None
    return {"environment": environment(), "path": list(sys.path), "packages": folders, "files": digests,
            "imported": stats, "config": _file_digest(config)}


def still_trusted(saved: Any, config: str) -> bool:
    """Whether ``saved`` (a snapshot's stamp, as JSON gave it back) is what :func:`stamp` makes now."""
    if not isinstance(saved, dict) or saved.get("environment") != environment() or saved.get("path") != sys.path:
        return False
    if not all(isinstance(saved.get(part), dict) for part in ("packages", "files", "imported")):
        return False
    now = stamp(list(saved["packages"]), list(saved["files"]), list(saved["imported"]), config)
    return now is not None and now == saved


def imported_since(before: set[str]) -> list[str]:
    """The file of each module imported since ``before`` (a copy of ``sys.modules``' names) that
    has one, outside the core: what the plugins imported as they were loaded, and so what their
    answers may depend on."""
    core = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    files = set()
    for name in set(sys.modules) - before:
        try:
            path = getattr(sys.modules.get(name), "__file__", None)
        except Exception:  # noqa: BLE001 - a lazy module that fails when asked: it names no file
            continue
        if isinstance(path, str) and not path.startswith(core):
            files.add(path)
    return sorted(files)
