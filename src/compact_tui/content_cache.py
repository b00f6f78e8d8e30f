"""A cache of parsed compact files, so that starting the app does not re-parse five TOML
files every time (officers start it many times a day; parsing was a third of start-up).

One pickle per content file in the user cache folder, used only while the file's size and
modification time, and the core's own reader and model, are unchanged. Anything odd
(no cache folder, a file that will not load) just means the TOML is parsed again.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from . import __version__

CACHE_ENV = "COMPACT_TUI_CACHE"  # a folder, or "off"
_HERE = Path(__file__).parent


def _cache_dir() -> Path | None:
    env = os.environ.get(CACHE_ENV)
    if env == "off":
        return None
    if env:
        return Path(env)
    from platformdirs import user_cache_path

    return user_cache_path("compact-tui", appauthor=False) / "content"


def _stamp(path: Path) -> tuple | None:
    """What must be unchanged for a cached parse to stand: the file, and our reader."""
    try:
        own = path.stat()
        code = [(_HERE / name).stat() for name in ("content.py", "model.py")]
    except OSError:
        return None
    return (__version__, own.st_size, own.st_mtime_ns, *[(c.st_size, c.st_mtime_ns) for c in code])


def load(path) -> object | None:
    """The cached parse of ``path``, or ``None``."""
    where, stamp = _where(path)
    if where is None:
        return None
    try:
        with where.open("rb") as handle:
            saved_stamp, doc = pickle.load(handle)
    except Exception:  # missing, truncated or from another version: parse again
        return None
    return doc if saved_stamp == stamp else None


def save(path, doc: object) -> None:
    where, stamp = _where(path)
    if where is None:
        return
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
        tmp = where.with_name(f"{where.name}.{os.getpid()}.tmp")
        with tmp.open("wb") as handle:
            pickle.dump((stamp, doc), handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(where)
    except OSError:
        pass  # a read-only home folder: no cache, nothing lost


def _where(path) -> tuple[Path | None, tuple | None]:
    if not isinstance(path, Path):  # a resource inside a zip: not worth caching
        return None, None
    stamp = _stamp(path)
    folder = _cache_dir() if stamp else None
    if folder is None:
        return None, None
    name = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    return folder / f"{name}.pickle", stamp


SNAPSHOT = "registry.pickle"


def _snapshot_key() -> tuple | None:
    try:
        code = [(_HERE / name).stat() for name in ("content.py", "model.py", "registry.py")]
    except OSError:
        return None
    return (__version__, os.environ.get("COMPACT_TUI_LOAD_PLUGINS"), *[(c.st_size, c.st_mtime_ns) for c in code])


def load_snapshot():
    """The registry the last run found, to show before plugins are looked for again; or
    ``None``. The caller must re-discover plugins soon after and replace it."""
    folder = _cache_dir()
    key = _snapshot_key()
    if folder is None or key is None:
        return None
    try:
        with (folder / SNAPSHOT).open("rb") as handle:
            saved_key, registry = pickle.load(handle)
    except Exception:
        return None
    return registry if saved_key == key else None


def save_snapshot(registry) -> None:
    folder = _cache_dir()
    key = _snapshot_key()
    if folder is None or key is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{SNAPSHOT}.{os.getpid()}.tmp"
        with tmp.open("wb") as handle:
            pickle.dump((key, registry), handle, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(folder / SNAPSHOT)
    except (OSError, pickle.PicklingError, TypeError, AttributeError):
        pass  # a plugin's object that will not pickle: start-up simply stays as it was
