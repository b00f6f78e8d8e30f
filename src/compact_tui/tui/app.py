"""The terminal app: a view over the core, the plugins and the case log.

No rule, date arithmetic or SQL lives here; screens call :class:`~compact_tui.caselog.case_log.CaseLog`
and friends. Start-up is kept lean: the first screen (the compacts list) is drawn from the
rows kept with the last run's snapshot when that snapshot is still current; the registry is
rebuilt from the snapshot on first use, and the plugins are looked for again just after the
first frame. The database is opened only when a screen first needs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on
from textual.app import App
from textual.binding import Binding

from ..text import terminal
from .keygate import KeyGate
from .navigation import Navigation
from .textual_private import CrashLogApp
from .sections import go_bindings, modes

if TYPE_CHECKING:
    from ..content.registry import Registry


class CompactApp(Navigation, CrashLogApp):
    TITLE = "compact-tui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {lambda: _commands()}
    MODES = modes()
    DEFAULT_MODE = "compacts"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
        Binding("question_mark,f1", "toggle_help", "Keys", id="help"),
        Binding("escape", "hide_help_panel", "Close keys", id="close_help", show=False, priority=True),
        Binding("n", "quick_log", "New", id="quick_log"),
        Binding("slash", "search", "Search", id="search"),
        *go_bindings(),
    ]

    def __init__(self, db_path: str | Path | None = None, registry: Registry | None = None,
                 keymap: dict[str, str] | None = None, start: str | None = None):
        from ..caselog.case_list import upgrade_due

        #: the first screen the officer asked for; (from, to) schema versions while the case
        #: log is upgraded first (``screens/upgrade.py``), else None
        self.start_mode = start or self.DEFAULT_MODE
        self.upgrading = upgrade_due(db_path)
        if self.upgrading or start is not None:
            self.DEFAULT_MODE = "upgrade" if self.upgrading else start  # the first screen shown
        super().__init__()
        if self.upgrading:
            then = self.start_mode
            self.add_mode("upgrade", lambda: _screen("upgrade", "UpgradeScreen", self.upgrading, then))
        self.db_path = db_path
        self._caselog = None
        self._case_reader = None
        self._compact_registry: Registry | None = None
        self._snapshot: dict | None = None
        self.first_screen_rows: list[dict] | None = None
        self.registry_is_snapshot = False
        self.started = False  # until textual's Ready: the first screen is laid out (BaseScreen)
        self.first_frame_drawn = False
        self._after_first_frame_calls: list = []
        if registry is None:
            from ..content.content_cache import read_snapshot

            self._snapshot = read_snapshot()
            self.registry_is_snapshot = self._snapshot is not None
            if self._snapshot is not None:
                self.first_screen_rows = _valid_rows(self._snapshot.get("first_screen"))
            else:
                registry = _discover()
        if registry is not None:
            self.registry = registry
        self.crashed = False
        self.crash_log: Path | None = None
        self.user_keymap = keymap or {}
        self.last_compact: str | None = None
        self.key_gate = KeyGate(self)
        self._css_variables = self.get_css_variables()  # what the stylesheet was made with
        self.report_folder: Path | None = None  # the folder a report was last written to

    @property
    def registry(self) -> Registry:
        """The compacts in use: the one registry the screens, the palette and the case log all
        read. Setting it (as re-discovery does) swaps it for all of them at once. Started from
        a snapshot, it is rebuilt from it on first use (the first screen does not need it)."""
        if self._compact_registry is None:
            from ..content.content_cache import snapshot_registry

            registry = snapshot_registry(self._snapshot)
            if registry is None:  # the snapshot would not rebuild: find the plugins now
                registry, self.registry_is_snapshot = _discover(), False
            self.registry = registry
        return self._compact_registry

    @registry.setter
    def registry(self, registry: Registry) -> None:
        self._compact_registry, self._snapshot = registry, None
        if self._caselog is not None:
            self._caselog.registry = registry

    @property
    def caselog(self):
        """The case log (a :class:`~compact_tui.caselog.case_log.CaseLog`), opened on first use: the
        first screen does not need it, so start-up does not pay for sqlite-utils."""
        if self._caselog is None:
            from ..caselog.case_log import CaseLog
            from ..caselog.store import Store

            store = Store(self.db_path) if self.db_path else Store()
            self._caselog = CaseLog(store, self.registry)
        return self._caselog

    @property
    def case_reader(self):
        """The Cases list's reader on a connection of its own (``CaseLog.reader``), for the
        filter's thread; opened with the case log, on first use."""
        if self._case_reader is None:
            self._case_reader = self.caselog.reader()
        return self._case_reader

    def stop_case_reads(self) -> None:
        """Stop the filter's read under way, if any (its answer is no longer wanted)."""
        if self._case_reader is not None:
            self._case_reader.interrupt()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded \
                and not self.key_gate.admit(event):
            return  # held: handed back once the keys before it have settled (keygate.py)
        await super().on_event(event)

    @property
    def caselog_is_open(self) -> bool:
        return self._caselog is not None

    def on_mount(self) -> None:
        if self.user_keymap:
            self.set_keymap(self.user_keymap)
        if not self.registry_is_snapshot:  # a snapshot's warnings wait for the plugins found now
            self._warn(self.registry)

    @on(events.Ready)
    def _after_first_paint(self) -> None:
        self.started = True
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """Once the first screen is on the terminal (``textual_private.FirstFrameScreen``), do
        what was left for after it (``after_first_frame``), then look for the plugins again:
        nothing is drawn meanwhile, so it waits for the first frame (docs/performance.md)."""
        if getattr(self.screen, "frame_held", False):  # not drawn since: draw it now, then go on
            self.screen.refresh()
            self.call_after_refresh(self._after_first_frame)
            return
        self.first_frame_drawn = True
        calls, self._after_first_frame_calls = self._after_first_frame_calls, []
        for call in calls:
            call()
        if self.registry_is_snapshot:
            self.rediscover_plugins()

    def after_first_frame(self, call) -> None:
        """Call ``call`` just after the first frame is on the terminal; once it is, after the
        next refresh. (At start ``call_after_refresh`` would not wait: textual runs such calls
        at once while its start-up batch is held.)"""
        if self.first_frame_drawn:
            self.call_after_refresh(call)
        else:
            self._after_first_frame_calls.append(call)

    def rediscover_plugins(self) -> None:
        """Look for the plugins again (the first screen was drawn from the last run's
        snapshot); if anything changed, show what is installed now. Only the plugins found
        now are ever warned about."""
        fresh = _discover()
        if self._compact_registry is None:  # only the first screen's rows were drawn so far
            changed = _rows(fresh) != self.first_screen_rows
        else:
            changed = _summary(fresh) != _summary(self._compact_registry)
        self.registry, self.registry_is_snapshot = fresh, False
        self.first_screen_rows = None
        if changed:
            for screen in self.screen_stack:
                if hasattr(screen, "show_compacts"):
                    screen.show_compacts()
        self._warn(fresh)

    def refresh_css(self, animate: bool = True) -> None:
        """Textual re-parses every stylesheet (app.tcss and each widget's) whenever a mode's
        first screen is made: at start, and on each of 1-5 the first time, though nothing in
        the CSS changed. That doubled the CSS work of start-up. Re-parse only when the
        theme's variables have changed (a new theme); otherwise the parsed rules stand."""
        variables = self.get_css_variables()
        if variables == self._css_variables:
            return
        self._css_variables = variables
        super().refresh_css(animate)

    def compact_rows(self) -> list[dict]:
        """What the compacts list shows (``listing.compact_rows``): the snapshot's rows until
        the registry is built or the plugins are found again, then the registry's."""
        if self._compact_registry is None and self.first_screen_rows is not None:
            return self.first_screen_rows
        return _rows(self.registry)

    def _warn(self, registry: Registry) -> None:
        for error in registry.errors:
            self.notify(terminal(error), title="A plugin could not be used", severity="warning", markup=False)

    def log_crash(self, error: Exception) -> bool:
        """An unexpected error: its traceback goes to the crash log in the user's state folder
        and ``compact-tui`` exits 1 naming the file (``cli/app_cmd.py``). Textual's own handler
        still runs (so a test under Pilot sees the error); its traceback is printed only if the
        log could not be written (:class:`~compact_tui.tui.textual_private.CrashLogApp`)."""
        from ..crash import write_crash_log

        self.crashed = True
        self.crash_log = write_crash_log(error)
        return self.crash_log is not None


    def upgraded(self, failed: str | None) -> None:
        """The upgrade is over (``failed``: why not, in a sentence): on to the screen asked for."""
        self.upgrading = None
        self.switch_mode(self.start_mode)
        self.call_after_refresh(self.remove_mode, "upgrade")
        if failed:
            self.notify(terminal(failed), severity="error", markup=False, timeout=8)

    def get_driver_class(self):
        """Textual's driver for this terminal, reading Escape as a key of its own even when the
        key after it arrives in the same read (``textual_private.EscapeFirstDriver``)."""
        from .textual_private import input_driver

        return input_driver(super().get_driver_class())

    def get_system_commands(self, screen):
        """Textual's own palette commands, less those the app's palette already offers."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Quit", "Keys"):
                yield command

    def action_toggle_help(self) -> None:
        if self.screen.query("KeysPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def action_show_help_panel(self) -> None:
        """Our keys panel (the screen's own actions first), also for the palette's "Keys"."""
        from .widgets import KeysPanel

        if not self.screen.query(KeysPanel):
            self.screen.mount(KeysPanel())

    def action_hide_help_panel(self) -> None:
        self.screen.query("KeysPanel").remove()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hide_help_panel":  # escape closes the keys panel, and does its usual job otherwise
            return bool(self.screen.query("KeysPanel"))
        if self.upgrading:  # only quitting and the keys, until the case log is upgraded
            return action in ("quit", "toggle_help", "show_help_panel", "command_palette")
        return True

    def fail(self, exc: Exception) -> None:
        """Show a user error as one clear message; never a traceback."""
        self.notify(terminal(exc), severity="error", markup=False, timeout=8)


def _discover() -> Registry:
    """Find the plugins and their compacts now, and keep a snapshot for the next start."""
    from ..content.content_cache import save_snapshot
    from ..content.plugins import load_registry

    registry = load_registry()
    save_snapshot(registry, first_screen=_rows(registry))
    return registry


def _rows(registry: Registry) -> list[dict]:
    from ..content.listing import compact_rows

    return compact_rows(registry)


_COUNT = (int, type(None))
_ROW_FIELDS = {"key": (str,), "id": (str, type(None)), "plugin": (str,), "reason": (str,), "name": (str,), "status": (str,), "available": (bool,), "principles": _COUNT,
               "undertakings": _COUNT, "rules": _COUNT, "above": (str,), "problems": (list,), "area": (str,),
               "revision": (str,), "statutory": (str,), "vcs": (str,), "summary": (str,),
               "status_reading": (str,), "parent_says": (str,), "reading_rules": (list,)}


def _valid_rows(rows) -> list[dict] | None:
    """The snapshot's first-screen rows if they have exactly the shape ``compact_rows`` gives."""
    if not isinstance(rows, list):
        return None
    for row in rows:
        if not isinstance(row, dict) or set(row) != set(_ROW_FIELDS) or \
                any(type(row[name]) not in kinds for name, kinds in _ROW_FIELDS.items()) or \
                not all(type(p) is str for p in [*row["problems"], *row["reading_rules"]]):
            return None
    return rows


def _summary(registry: Registry) -> list:
    return [(c.id, c.plugin, c.info, len(c.clauses), len(c.rules), c.procedure) for c in registry] + \
        [str(e) for e in registry.errors] + list(registry.unavailable)


def _commands():
    from .commands import CompactCommands

    return CompactCommands


def _screen(module: str, name: str, *args):
    """Import a mode's screen only when the mode is first shown."""
    from importlib import import_module

    return getattr(import_module(f"{__package__}.screens.{module}"), name)(*args)


def make_app(db_path: str | Path | None = None, registry: Registry | None = None,
             keymap: dict[str, str] | None = None, start: str | None = None) -> CompactApp:
    """Build the app; the command line and the tests both go through here. ``keymap`` and
    ``start`` (the first screen) default to the user's config.toml."""
    if keymap is None or start is None:
        from ..config import load_config

        config = load_config()
        keymap = config.get("keymap", {}) if keymap is None else keymap
        start = config.get("start_screen", "compacts") if start is None else start
    return CompactApp(db_path=db_path, registry=registry, keymap=keymap, start=start)


__all__ = ["CompactApp", "make_app"]
