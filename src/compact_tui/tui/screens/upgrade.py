"""The first open of a case log an earlier version made: its upgrade, shown as it happens.

A new version's migrations take a few seconds on a large log, once (on 100,000 cases: the
Cases list's sort indexes, then the search index). The app used to open the log on the first
screen that needed it and stay frozen, blank, until the upgrade was done. Now, when
``case_list.upgrade_due`` says an upgrade is due, the app starts on this screen: it says at
once what is happening, which step it is on and for how long, while the upgrade runs on a
thread of its own; then the screen the officer asked for opens, the case log current.
``ctrl+q`` still quits: the step under way is rolled back (SQLite's own journal), and the
upgrade starts again on the next open.
"""

from __future__ import annotations

import threading
import time

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from ...text import plain
from .base import BaseScreen

#: What each migration does, in a few words for the progress line.
STEPS = {"m006_case_list_sorts": "an index for each sort of the Cases list",
         "m007_case_text_index": "the search index of the cases' titles and parties",
         "m008_report_year": "an index of each compact's cases by year, for the annual report"}


class UpgradeScreen(BaseScreen):
    SECTION = ""
    HEADING = "upgrading the case log"

    def __init__(self, versions: tuple[int, int], then: str):
        super().__init__()
        self.versions, self.then = versions, then
        self.started = time.monotonic()
        self.step = ""

    def compose_body(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(id="upgrade-line")

    def on_mount(self) -> None:
        from ...caselog.case_list import default_db_path

        self.path = self.app.db_path or default_db_path()
        self.show()
        self.set_interval(0.25, self.show)
        threading.Thread(target=self.upgrade, name="upgrade the case log", daemon=True).start()

    def upgrade(self) -> None:
        """On its own thread (a daemon: quitting does not wait for it). The store it opens
        migrates the file under the write lock, then is closed; the app opens its own."""
        from ...caselog.store import Store
        from ...errors import UserError

        try:
            Store(self.app.db_path or None, progress=self.told).close()
        except UserError as exc:
            self.app.call_from_thread(self.done, str(exc))
        else:
            self.app.call_from_thread(self.done, None)

    def told(self, step: int, steps: int, name: str) -> None:
        what = STEPS.get(name, name.partition("_")[2].replace("_", " "))
        self.step = f"step {step} of {steps}: {what}"
        self.app.call_from_thread(self.show)

    def show(self) -> None:
        old, new = self.versions
        took = time.monotonic() - self.started
        text = Text.assemble(("Upgrading the case log", "bold"), "\n", plain(str(self.path)), "\n\n",
                             f"from version {old} to version {new} of its schema: once, for this version of "
                             f"compact-tui. On a large log it takes a few seconds.\n\n")
        text.append(f"{self.step or 'starting'}... {took:.0f} s", style="bold")
        self.query_one("#upgrade-line", Static).update(text)

    def done(self, failed: str | None) -> None:
        self.app.upgraded(failed)
