"""What is due: deadlines and findings, overdue first; enter opens the case."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from ...due.deadlines import deadlines, open_breaches, unchecked_rules
from ...errors import UserError
from ...text import plain
from .base import BaseScreen


class DeadlinesScreen(BaseScreen):
    SECTION = "due"
    HEADING = "due and overdue"
    BINDINGS = [Binding("r", "reload", "Refresh", id="refresh_due"),
                Binding("x", "calendar", "Calendar file", id="write_calendar")]

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="due-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="due-status")

    def on_mount(self) -> None:
        self.set_columns()
        self.action_reload()
        self.query_one(DataTable).focus()

    def what_width(self) -> int:
        """The What column takes the width left (its rows wrap, so nothing is cut): less the
        other three columns, every column's padding and the scroll bar."""
        return max(16, self.app.size.width - (9 + 10 + 11) - 4 * 2 - 2)

    def set_columns(self) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(Text(""), key="flag", width=9)
        table.add_column(Text("Due"), key="due", width=10)
        table.add_column(Text("Compact"), key="compact", width=11)
        table.add_column(Text("What"), key="what", width=self.what_width())

    def on_resize(self) -> None:
        table = self.query_one(DataTable)
        if self.is_mounted and table.columns and table.columns[ColumnKey("what")].width != self.what_width():
            self.set_columns()
            self.action_reload()

    def on_screen_resume(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        try:
            items = deadlines(self.app.caselog.store, self.app.registry)
            breaches = open_breaches(self.app.caselog.store)
            unchecked = unchecked_rules(self.app.caselog.store, self.app.registry)
        except UserError as exc:
            self.app.fail(exc)
            return
        overdue = sum(1 for d in items if d.overdue)
        # open breaches first (a rule already broken, by the date that would have complied), then
        # what is overdue, then the rest
        rows = [(b, "breach") for b in breaches] + [(d, "") for d in items if d.overdue] + \
            [(u, "unchecked") for u in unchecked] + [(d, "") for d in items if not d.overdue]
        for i, (d, mark) in enumerate(rows):
            flag = Text("BREACH", style="bold reverse") if mark == "breach" else \
                Text("UNCHECKED", style="bold") if mark == "unchecked" else \
                Text("OVERDUE", style="bold reverse") if d.overdue else Text("waiting" if d.due is None else "due")
            what = Text(f"case {d.case_id}: " if d.case_id else "")
            what.append_text(plain(self.in_form_words(d) + (f" ({d.title})" if d.case_id else "")))
            table.add_row(flag, plain(d.due or "-"), plain(d.compact), what, key=f"{i}:{d.case_id or ''}", height=None)
        self.query_one("#due-status", Static).update(
            Text(f"{len(breaches)} breach{'' if len(breaches) == 1 else 'es'} (Due: compliant date) · "
                 f"{overdue} overdue · {len(unchecked)} not checked · {len(items) - overdue} waiting"))

    def in_form_words(self, item) -> str:
        """What an item says; a rule not checked names the case's field that gives what it needs
        (as the case screen does, where ``e`` changes it), not the command line's option."""
        from ...rules.notice import unchecked_message
        from .quicklog import DATE_LABELS

        compact = self.app.registry.get(item.compact)
        if not item.unchecked or compact is None or not item.needs or "previous" in item.needs:
            return item.what
        supply = {**DATE_LABELS, "in_writing": "'Not given in writing'"}
        said = unchecked_message(f"{compact.info.name} {item.ref}", item.needs, supply)
        return said + (" (a reading)" if item.reading else "")

    def action_calendar(self) -> None:
        from .operations import CalendarForm

        self.app.push_screen(CalendarForm())

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        case_id = event.row_key.value.split(":", 1)[1]
        if case_id:
            self.app.open_case(int(case_id))
        else:
            self.app.notify("A recurring duty: log the meeting or review with n when it is held.")
