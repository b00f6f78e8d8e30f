"""The terminal app (a first browser of the installed compacts)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header


class CompactApp(App):
    TITLE = "compact-tui"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="quit")]

    def __init__(self, db_path: str | None = None):
        super().__init__()
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        from ..plugins import load_registry

        table = self.query_one(DataTable)
        table.add_columns("Compact", "Status", "Principles", "Undertakings")
        for compact in load_registry():
            table.add_row(compact.info.name, compact.info.status,
                          str(len(compact.principles)), str(len(compact.undertakings)))


def make_app(db_path: str | None = None) -> CompactApp:
    return CompactApp(db_path=db_path)
