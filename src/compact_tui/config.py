"""The user's TOML config: ``config.toml`` in the platform's user config folder.

    start_screen = "cases"  # the screen the app opens on (default: compacts)

    [keymap]            # binding id = keys, e.g. remap quick-log from n to ctrl+n
    quick_log = "ctrl+n"

    [hierarchy]         # compact id = the area of the compact one level up, where your
    high_peak = "Derbyshire"   # council sits under a compact its text does not name

    [reports]           # where the app writes reports (default: ~/Documents/compact-tui)
    folder = "~/compact/reports"

``$COMPACT_TUI_CONFIG`` names another file. A missing file is an empty config; a broken
one is reported as one sentence.
"""

from __future__ import annotations

import os

from .errors import UserError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from pathlib import Path

CONFIG_ENV = "COMPACT_TUI_CONFIG"
#: the app's top-level screens, in the order of their keys 1..5
START_SCREENS = ("compacts", "cases", "due", "orgs", "report")
REPORTS_ENV = "COMPACT_TUI_REPORTS"


def config_path() -> str:
    """``$COMPACT_TUI_CONFIG``, else ``config.toml`` in the user's config folder (a path as text,
    as :func:`compact_tui.user_folders.user_folder` gives it)."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return os.path.expanduser(env)
    from .user_folders import user_folder

    return os.path.join(user_folder("config"), "config.toml")


def load_config(path: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    path = path or config_path()
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UserError(f"the config file {path} cannot be read: {exc}.") from None
    import tomllib  # only when there is a file: starting the app without one does not pay for it

    try:
        data = tomllib.loads(raw.decode())
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise UserError(f"the config file {path} cannot be read: {exc}.") from None
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise UserError(f"in {path}, [keymap] must map binding ids to keys, e.g. quick_log = \"ctrl+n\".")
    start = data.get("start_screen", "compacts")
    if start not in START_SCREENS:
        raise UserError(f"in {path}, start_screen must be one of {', '.join(START_SCREENS)}, not {start!r}.")
    return data


def load_hierarchy(path: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """``[hierarchy]``: the officer's own links from a compact (by id) to the area one level up.
    A local setting, not content: no compact's text is changed by it."""
    path = path or config_path()
    table = load_config(path).get("hierarchy", {})
    if not isinstance(table, dict) or not all(isinstance(v, str) and v.strip() for v in table.values()):
        raise UserError(f"in {path}, [hierarchy] must map compact ids to the area one level up, "
                        f"e.g. high_peak = \"Derbyshire\".")
    return {key.strip().lower(): value.strip() for key, value in table.items()}


def reports_folder(path: str | os.PathLike[str] | None = None) -> Path:
    """The folder the app offers for a report written out: ``$COMPACT_TUI_REPORTS``, else
    ``[reports] folder`` in the config, else ``compact-tui`` in the user's documents folder
    (``~/Documents/compact-tui`` on Linux). Made when a report is first written there."""
    from pathlib import Path  # for the app's report screen, not every command

    env = os.environ.get(REPORTS_ENV)
    if env:
        return Path(env).expanduser()
    path = path or config_path()
    table = load_config(path).get("reports", {})
    folder = table.get("folder") if isinstance(table, dict) else table
    if folder is not None:
        if not isinstance(folder, str) or not folder.strip():
            raise UserError(f"in {path}, [reports] folder must name a folder, e.g. folder = \"~/reports\".")
        return Path(folder.strip()).expanduser()
    from platformdirs import user_documents_path

    return user_documents_path() / "compact-tui"
