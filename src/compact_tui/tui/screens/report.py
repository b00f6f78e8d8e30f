"""The annual review report for a compact and a year, shown and written out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static

from ...errors import UserError
from ...text import plain, terminal
from ...report import FORMATS, annual_report, render, render_markdown, write_report
from ..forms import Choice, FormScreen, TextField, row
from .base import BaseScreen

#: The screen shows each list's first items, drawn by rich's Markdown as one piece of text:
#: Textual's Markdown widget made a widget per list item and table cell, far too slow for a
#: big compact's year (docs/performance.md). The report written out with ``w`` has every one.
PREVIEW_ITEMS = 30


class ReportScreen(BaseScreen):
    SECTION = "report"
    HEADING = "annual review"
    #: The report has the focus when it opens, so page keys scroll it and w and i act at once;
    #: shift+tab reaches the year and the compact.
    AUTO_FOCUS = "#report-body"
    BINDINGS = [Binding("w", "write", "Write out", id="write_report"),
                Binding("i", "toggle_confidential", "Confidential", id="toggle_confidential")]

    def __init__(self):
        super().__init__()
        self.include_confidential = False
        self.report: dict | None = None
        self.shown_markdown = ""  # the preview on screen, as Markdown

    def compose_body(self) -> ComposeResult:
        registry = self.app.registry
        with Horizontal(id="report-bar"):
            yield Label("Compact ", classes="bar-label")
            yield Choice([(plain(c.info.name), c.id) for c in registry], id="r-compact",
                         value=self.app.last_compact or next(iter(registry.compacts), None))
            yield Label(" Year ", classes="bar-label")
            yield Input(value=str(date.today().year), id="r-year", max_length=4, type="integer", compact=True)
            yield Static(id="r-confidential")
        with VerticalScroll(id="report-body"):
            yield Static(id="report-md")

    def on_mount(self) -> None:
        self.on_resize()
        self.refresh_report()

    def on_resize(self) -> None:
        """Under 80 columns the bar's word 'Compact' gives its room to the compact's name."""
        self.query_one(".bar-label").display = self.app.size.width >= 80

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self.refresh_report()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.refresh_report()
        self.query_one("#report-body").focus()  # so w and i act at once

    def action_toggle_confidential(self) -> None:
        self.include_confidential = not self.include_confidential
        self.notify("Confidential cases " + ("included." if self.include_confidential else "left out."))
        self.refresh_report()

    def show_toggle(self) -> None:
        """The confidential toggle's state as a tick box that reads without colour."""
        mark = "[x]" if self.include_confidential else "[ ]"
        self.query_one("#r-confidential", Static).update(Text.assemble((mark, "bold"), " confidential"))

    def refresh_report(self) -> None:
        self.show_toggle()
        compact = str(self.query_one("#r-compact", Choice).value)
        year_text = self.query_one("#r-year", Input).value
        if not year_text.isdigit() or not 1990 <= int(year_text) <= 2100:
            self.app.fail(UserError(f"{year_text!r} is not a year."))
            return
        try:
            self.report = annual_report(self.app.caselog.store, self.app.registry, compact, int(year_text),
                                        self.include_confidential)
        except UserError as exc:
            self.app.fail(exc)
            return
        from rich.markdown import Markdown

        self.shown_markdown = render_markdown(self.report, limit=PREVIEW_ITEMS)
        self.query_one("#report-md", Static).update(Markdown(self.shown_markdown))

    def action_write(self) -> None:
        if self.report is not None:
            self.app.push_screen(WriteReport(self.report))


class WriteReport(FormScreen[bool]):
    """Write the report to a file: the folder is the documented default (or the last one
    used in this session), and the message gives the file's full path."""

    FIRST = "#w-path"

    def __init__(self, report: dict):
        super().__init__()
        self.report = report

    def heading(self) -> str:
        return "Write the report out"

    def compose_fields(self) -> ComposeResult:
        yield row("Format", Choice([(f, f) for f in FORMATS], value="md", id="w-format"))
        yield row("Folder", TextField(value=str(self.folder()), id="w-folder"))
        yield row("File", TextField(value=f"{self.report['compact']}-{self.report['year']}-annual-review",
                                    id="w-path"))
        yield Label("(a missing folder is made; the format's extension is added if none)")

    def folder(self) -> Path:
        if self.app.report_folder is not None:
            return self.app.report_folder
        from ...config import reports_folder

        try:
            return reports_folder()
        except UserError as exc:
            self.app.fail(exc)
            return Path.home()

    def submit(self) -> bool | None:
        from ...files import make_private_dirs

        fmt = str(self.query_one("#w-format", Choice).value)
        folder_text = self.typed("w-folder").strip()
        name = Path(self.typed("w-path").strip()).expanduser()
        if not name.name:
            self.show_error("Name a file.")
            return None
        if not folder_text and not name.is_absolute():
            self.show_error("Name a folder (or give the file's full path).")
            return None
        folder = Path(folder_text).expanduser().absolute()
        path = name if name.is_absolute() else folder / name
        if not path.suffix:
            path = path.with_suffix(f".{fmt}")
        make_private_dirs(path.parent)
        write_report(path, render(self.report, fmt), confidential=self.report["confidential_included"])
        self.app.report_folder = path.parent
        self.app.notify(terminal(f"Wrote {path}."), markup=False, timeout=10)
        return True
