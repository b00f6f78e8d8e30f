"""A cache of parsed compact files, and the snapshot of the registry the app's first screen
is drawn from, so that starting the app does not re-parse five TOML files or look for the
plugins before it can paint (officers start it many times a day).

Both are JSON: reading one can only ever build the model's own records, never run code.
Each is used only while its stamp still matches:

- a parsed file: a digest of the file's bytes, and the core's reader and model;
- the snapshot: the core's version and code, the plugin selection (``COMPACT_TUI_LOAD_PLUGINS``),
  every installed distribution with an entry point in the ``compact_tui`` group (its name,
  version and entry points), and the size and modification time of every file the compacts
  came from (each content file, each plugin's module).

A command that writes takes the snapshot for the plugins' answers only on stronger terms
(:mod:`compact_tui.content.snapshot_trust`). Every folder and file made here is its owner's
alone (0700, 0600) whatever the umask, and a file that is not the user's own, or that others
could write, is ignored. Anything odd (no cache folder, a garbled or planted file) just means
the TOML is parsed, or the plugins found, again. ``COMPACT_TUI_CACHE``: the folder, or ``off``.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator, Mapping

from .. import __version__
from ..digests import blake2b, sha256
from ..errors import UserError
from ..files import make_private_dirs
from .model_json import from_json as from_json, to_json as to_json  # also from here
from .snapshot_trust import plugin_distributions as plugin_distributions  # the key's installed plugins
from .snapshot_trust import still_trusted, stamp

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .model import Compact, CompactInfo
    from .registry import Registry

CACHE_ENV = "COMPACT_TUI_CACHE"  # a folder, or "off"
SNAPSHOT = "registry.json"
_HERE = os.path.dirname(__file__)
#: The core's modules whose change makes a cached parse or snapshot stale.
_READER = ("reader.py", "places.py", "file_format.py", "model.py", "schema.py", "check.py")  # a parse keeps its check's result
_LOADER = (*_READER, "registry.py", "check.py", "plugins.py", "gathering.py", "plugin_safety.py", "hookspecs.py",
           "listing.py")


def _cache_dir() -> str | None:
    env = os.environ.get(CACHE_ENV)
    if env == "off":
        return None
    if env:
        return env
    from ..user_folders import user_folder

    return os.path.join(user_folder("cache"), "content")


def _stamp_of(path: str | os.PathLike[str]) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _code_stamp(names: tuple[str, ...]) -> list[Any]:
    return [__version__, *[_stamp_of(os.path.join(_HERE, name)) for name in names]]


# -- files only their owner can write, and that never run code when read -----------------------


def _private_folder(folder: str) -> bool:
    """Make ``folder`` (and any missing parent) owner-only; False if it cannot be made."""
    try:
        make_private_dirs(folder)
    except UserError:
        return False
    try:  # a folder an older version (or a loose umask) left open to others: close it
        st = os.stat(folder)
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            os.chmod(folder, 0o700)
    except OSError:
        return False
    return os.path.isdir(folder)


def _write_private(where: str, data: dict[str, Any]) -> None:
    folder, name = os.path.split(where)
    if not _private_folder(folder):
        return
    tmp = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            os.fchmod(fd, 0o600)
            os.write(fd, json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())
        finally:
            os.close(fd)
        os.replace(tmp, where)
    except OSError:  # a read-only home folder: no cache, nothing lost
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _read_private(where: str) -> Any:
    """The JSON in ``where`` if it is the user's own file and nobody else can write it; else
    ``None``."""
    try:
        fd = os.open(where, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o022:
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return json.loads(handle.read())
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)


# -- parsed compact files ------------------------------------------------------------------------


def digest(data: bytes) -> str:
    """What a parse is kept under: a digest of the bytes it was made from (so a file edited in
    place, its size and modification time put back, is parsed again)."""
    return blake2b(data, digest_size=16).hexdigest()


def load(path: object, kind: type, data_digest: str) -> Any | None:
    """The cached parse of ``path`` (a ``kind``) made from bytes of ``data_digest``, or ``None``."""
    where, stamp = _where(path, data_digest)
    if where is None:
        return None
    saved = _read_private(where)
    if not isinstance(saved, dict) or saved.get("stamp") != stamp:
        return None
    try:
        return from_json(kind, saved.get("doc"))
    except (ValueError, TypeError, RecursionError):
        return None


def save(path: object, doc: object, data_digest: str) -> None:
    where, stamp = _where(path, data_digest)
    if where is None:
        return
    try:
        data = {"stamp": stamp, "doc": to_json(doc)}
    except TypeError:
        return
    _write_private(where, data)


def _where(path: object, data_digest: str) -> tuple[str | None, list[Any] | None]:
    from pathlib import Path  # a content file is one (parsing it costs far more than this import)

    if not isinstance(path, Path):  # a resource inside a zip: not worth caching
        return None, None
    own = _stamp_of(path)
    folder = _cache_dir() if own else None
    if folder is None or own is None:
        return None, None
    resolved = str(path.resolve())
    name = sha256(resolved.encode()).hexdigest()[:24]
    return os.path.join(folder, f"{name}.json"), [resolved, data_digest, *_code_stamp(_READER)]


# -- the registry snapshot -----------------------------------------------------------------------


def _snapshot_key() -> list[Any]:
    from ..config import config_path

    return [_code_stamp(_LOADER), os.environ.get("COMPACT_TUI_LOAD_PLUGINS"),
            _stamp_of(config_path()), plugin_distributions()]


def read_snapshot() -> dict[str, Any] | None:
    """The last run's snapshot as saved (``registry`` and ``first_screen``, still JSON), if
    nothing it came from has changed since; else ``None``. Cheap: the model is not imported."""
    folder = _cache_dir()
    if folder is None:
        return None
    saved = _read_private(os.path.join(folder, SNAPSHOT))
    if not isinstance(saved, dict) or saved.get("key") != _snapshot_key():
        return None
    files = saved.get("files")
    if not isinstance(files, dict) or any(_stamp_of(p) != s for p, s in files.items()):
        return None
    return saved


def snapshot_registry(saved: dict[str, Any] | None,
                      ask: Callable[[], Mapping[str, Compact]] | None = None) -> Registry | None:
    """The registry in a snapshot :func:`read_snapshot` returned, or ``None``. With ``ask`` (how
    to have the plugins' compacts now), each compact is rebuilt only when first asked for
    (:class:`SnapshotCompacts`); without, all of them at once."""
    if saved is None:
        return None
    from .registry import Registry

    raw = saved.get("registry")
    try:
        if ask is None:
            registry: Registry = from_json(Registry, raw)
            return registry
        if type(raw) is not dict or type(raw.get("compacts")) is not dict:
            return None
        registry = from_json(Registry, {**raw, "compacts": {}})
    except (ValueError, TypeError, RecursionError):
        return None
    registry.compacts = SnapshotCompacts(raw["compacts"], ask)
    return registry


class SnapshotCompacts(Mapping[str, "Compact"]):
    """A trusted snapshot's compacts, each rebuilt from its JSON the first time it is asked for:
    a command needs one or two of them, and rebuilding the rest would cost it more than its
    own work. Each is shape-checked as it is rebuilt, as a whole snapshot is; should one not
    fit (the file edited behind its stamp), the plugins are asked (``ask``) and their compacts
    used from then on, as they would have been had the snapshot been refused at once."""

    def __init__(self, saved: dict[str, Any], ask: Callable[[], Mapping[str, Compact]]) -> None:
        self._saved = saved
        self._ask = ask
        self._made: dict[str, Compact] = {}
        self._infos: dict[str, CompactInfo] = {}

    def __getitem__(self, compact_id: str) -> Compact:
        made = self._made.get(compact_id)
        if made is not None:
            return made
        saved = self._saved[compact_id]  # KeyError: no such compact
        from .model import Compact

        try:
            rebuilt: Compact = from_json(Compact, saved)
        except (ValueError, TypeError, RecursionError):
            return self._asked()[compact_id]
        self._made[compact_id] = rebuilt
        return rebuilt

    def info(self, compact_id: str) -> CompactInfo:
        """What the compacts list shows of one compact (its name, area, localities, the link one
        level up), rebuilt from its JSON without the rest of it: enough to find where a compact
        sits in the hierarchy (``Registry.levels``) without rebuilding every compact on the way."""
        made = self._made.get(compact_id)
        if made is not None:
            return made.info
        info = self._infos.get(compact_id)
        if info is not None:
            return info
        saved = self._saved[compact_id]  # KeyError: no such compact
        from .model import CompactInfo

        try:
            if type(saved) is not dict:
                raise ValueError("expected an object for Compact")
            rebuilt: CompactInfo = from_json(CompactInfo, saved.get("info"))
        except (ValueError, TypeError, RecursionError):
            return self._asked()[compact_id].info
        self._infos[compact_id] = rebuilt
        return rebuilt

    def _asked(self) -> dict[str, Compact]:
        """The plugins' compacts, asked now and used from now on (a compact's JSON did not fit)."""
        asked = self._ask()
        self._saved, self._made, self._infos = {key: None for key in asked}, dict(asked), {}
        return self._made

    def __contains__(self, compact_id: object) -> bool:  # Mapping's would rebuild the compact
        return compact_id in self._saved

    def __iter__(self) -> Iterator[str]:
        return iter(self._saved)

    def __len__(self) -> int:
        return len(self._saved)


def load_snapshot() -> Registry | None:
    """The registry the last run found, if nothing it came from has changed since; else
    ``None``. The caller still looks for the plugins again soon after and replaces it."""
    return snapshot_registry(read_snapshot())


def load_trusted_snapshot(ask: Callable[[], Mapping[str, Compact]]) -> Registry | None:
    """The registry the last run found, if a command that writes may take it for the plugins'
    answers now (:mod:`compact_tui.content.snapshot_trust`); else ``None``. Its compacts are
    rebuilt as they are asked for; ``ask`` has the plugins' own, should one not fit."""
    saved = read_snapshot()
    from ..config import config_path

    if saved is None or not still_trusted(saved.get("trust"), config_path()):
        return None
    return snapshot_registry(saved, ask)


def _trust(registry: Registry) -> dict[str, Any] | None:
    """The stamp a command compares before it trusts this snapshot; ``None`` (never trusted)
    when a plugin failed or what the plugins imported is not known."""
    if registry.errors or registry.imported is None:
        return None
    from ..config import config_path

    return stamp(registry.packages, registry.files, registry.imported, config_path())


def save_snapshot(registry: Registry, first_screen: Any = None) -> None:
    """Keep ``registry`` for the next start, with ``first_screen``: plain JSON data the app
    can draw its first screen from before it rebuilds the registry (see ``listing.py``)."""
    folder = _cache_dir()
    if folder is None:
        return
    try:
        data = {"key": _snapshot_key(),
                "files": {p: _stamp_of(p) for p in registry.files},
                "registry": to_json(registry), "first_screen": to_json(first_screen), "trust": _trust(registry)}
    except TypeError:
        return  # a plugin's own object that JSON cannot hold: start-up simply stays as it was
    _write_private(os.path.join(folder, SNAPSHOT), data)
