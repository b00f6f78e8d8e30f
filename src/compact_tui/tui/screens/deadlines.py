"""What is due: deadlines and findings, overdue first; enter opens the case."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ...deadlines import deadlines
from ...errors import UserError
from ...text import plain
from .base import BaseScreen


class DeadlinesScreen(BaseScreen):
    SECTION = "due"
    HEADING = "due and overdue"
    BINDINGS = [Binding("r", "reload", "Refresh", id="refresh_due")]

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="due-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="due-status")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("", key="flag", width=8)
        table.add_column("Due", key="due", width=10)
        table.add_column("Compact", key="compact", width=11)
        table.add_column("What", key="what", width=max(30, self.app.size.width - 45))
        self.action_reload()
        table.focus()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        try:
            items = deadlines(self.app.caselog.store, self.app.registry)
        except UserError as exc:
            self.app.fail(exc)
            return
        for i, d in enumerate(items):
            flag = Text("OVERDUE", style="bold reverse") if d.overdue else Text("waiting" if d.due is None else "due")
            what = Text(f"case {d.case_id}: " if d.case_id else "")
            what.append_text(plain(d.what + (f" ({d.title})" if d.case_id else "")))
            table.add_row(flag, plain(d.due or "-"), plain(d.compact), what, key=f"{i}:{d.case_id or ''}", height=None)
        overdue = sum(1 for d in items if d.overdue)
        self.query_one("#due-status", Static).update(
            Text(f"{overdue} overdue, {len(items) - overdue} due in the next 60 days or waiting · enter opens a case"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        case_id = event.row_key.value.split(":", 1)[1]
        if case_id:
            self.app.open_case(int(case_id))
        else:
            self.app.notify("A recurring duty: log the meeting or review with n when it is held.")
