"""The secret key the timeline's hash chain is sealed with (a MAC: keyed BLAKE2b-256).

Without the key, a copy of the database is not enough to forge a chain that verifies: anyone
can edit a row and re-compute plain hashes, nobody can re-compute keyed ones.

Where the key lives:

- ``$COMPACT_TUI_KEY_FILE``: a team's key file, for a database several officers write to.
  It must exist (a missing team key is refused, never replaced by a new one).
- otherwise ``chain.key`` beside the user's config (``config.py``), created on first need,
  readable by its owner only.

A key file holds 64 hexadecimal characters (32 random bytes). Its *id*, a keyed hash of a fixed
text, names it in messages and in ``chain_head`` without giving it away.
"""

from __future__ import annotations

import os

from ..digests import hmac_sha256
from ..errors import UserError

KEY_ENV = "COMPACT_TUI_KEY_FILE"
KEY_NAME = "chain.key"

_loaded: dict[str, bytes] = {}


_paths: dict[tuple[str | None, ...], str] = {}


def key_path() -> str:
    """Where the key is (a path as text); worked out once per set of the variables that name it
    (every event written asks, and platformdirs takes longer than writing the event)."""
    from ..config import CONFIG_ENV

    names = tuple(os.environ.get(n) for n in (KEY_ENV, CONFIG_ENV, "XDG_CONFIG_HOME", "HOME"))
    found = _paths.get(names)
    if found is None:
        if names[0]:
            found = os.path.expanduser(names[0])
        else:
            from ..config import config_path

            found = os.path.join(os.path.dirname(config_path()), KEY_NAME)
        _paths[names] = found
    return found


def load_key(create: bool = True) -> bytes:
    """The key (cached per path for this process), created beside the config if missing."""
    path = key_path()
    if path in _loaded:
        return _loaded[path]
    team = bool(os.environ.get(KEY_ENV))
    try:
        text = _read(path)
    except FileNotFoundError:
        if team:
            raise UserError(f"the team key file {path} named by ${KEY_ENV} does not exist; "
                            "ask whoever set up the shared case log for it.") from None
        if not create:
            raise UserError(f"there is no chain key at {path}, so the timeline cannot be checked.") from None
        text = _create(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"the chain key {path} cannot be read: {getattr(exc, 'strerror', None) or exc}.") from None
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = b""
    if len(key) < 16:
        raise UserError(f"the chain key {path} is not a key (it should hold 64 hexadecimal characters).")
    _loaded[path] = key
    return key


def key_id(key: bytes) -> str:
    """A short public name for a key: the same key always has the same id."""
    return hmac_sha256(key, b"compact-tui chain key id").hex()[:12]


def new_key_text() -> str:
    import secrets

    return secrets.token_hex(32)


def _read(path: str) -> str:
    with open(path, "rb") as handle:  # decoded here: a text file's ascii codec is a module to import
        return handle.read().decode("ascii").strip()


def _create(path: str) -> str:
    from ..files import make_private_dirs, parent

    text = new_key_text()
    make_private_dirs(parent(path))
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return _read(path)
    except OSError as exc:
        raise UserError(f"cannot create the chain key {path}: {exc.strerror or exc}.") from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        os.fchmod(handle.fileno(), 0o600)
        handle.write(text + "\n")
    return text


def key_file_warning() -> str | None:
    """A sentence if the key file can be read or changed by more people than it should: anyone
    on the machine (a world-readable or world-writable file), or its whole group writing to it
    (the team set-up in the README gives the group read access only). ``None`` if it is fine or
    not there yet."""
    try:
        mode = os.stat(key_path()).st_mode & 0o777
    except OSError:
        return None
    path = key_path()
    if mode & 0o002:
        who = "anyone on this machine can change it"
    elif mode & 0o020:
        who = "everyone in its group can change it"
    elif mode & 0o004:
        who = "anyone on this machine can read it"
    else:
        return None
    return (f"the chain key {path} has mode {mode:03o}: {who}, and whoever holds the key can re-seal an edited "
            f"timeline; make it readable by the team only ('chmod 640 {path}', as the README's team set-up does).")
