"""Organisations: add one, set its side, record that it signed a compact, name its champion."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Label, Select

from ...caselog import orgs
from ...rules.dates import parse_date
from ...errors import UserError
from ...text import plain
from .base import BaseScreen
from .dialogs import Form, FormScreen, row


class OrgsScreen(BaseScreen):
    SECTION = "orgs"
    HEADING = "organisations"
    BINDINGS = [
        Binding("a", "add", "Add", id="add_org"),
        Binding("s", "sign", "Signed", id="sign_org"),
        Binding("c", "champion", "Champion", id="org_champion"),
    ]

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="org-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Organisation", key="name")
        table.add_column("Side", key="side", width=10)
        table.add_column("Signed", key="signed")
        table.add_column("Champion", key="champion")
        self.reload()
        table.focus()

    def reload(self) -> None:
        table = self.query_one(DataTable)
        table.clear()
        try:
            rows = orgs.list_orgs(self.app.caselog.store)
        except UserError as exc:
            self.app.fail(exc)
            return
        for r in rows:
            signed = ", ".join(f"{s['compact']} {s['signed_on']}" for s in r["signed"]) or "-"
            table.add_row(plain(r["name"]), plain(r["side"]), plain(signed), plain(r["champion"] or "-"), key=r["name"])
        if not rows:
            self.notify("No organisations yet: press a to add one.")

    def selected(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            self.notify("Add an organisation first (a).", severity="warning")
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_add(self) -> None:
        self.app.push_screen(OrgForm("add"), lambda done: done and self.reload())

    def action_sign(self) -> None:
        name = self.selected()
        if name:
            self.app.push_screen(OrgForm("sign", name), lambda done: done and self.reload())

    def action_champion(self) -> None:
        name = self.selected()
        if name:
            self.app.push_screen(OrgForm("champion", name), lambda done: done and self.reload())


class OrgForm(FormScreen):
    """Add an organisation, record a signature, or name a champion."""

    def __init__(self, action: str, name: str = ""):
        super().__init__()
        self.action, self.org_name = action, name

    def compose(self) -> ComposeResult:
        registry = self.app.registry
        with Form(classes="form"):
            if self.action == "add":
                yield Label("Add an organisation", classes="form-title")
                yield row("Name", Input(id="o-name", compact=True))
                yield row("Side", Select([(v, k) for k, v in orgs.SIDE_NAMES.items()], value="vcs",
                                         allow_blank=False, id="o-side", compact=True))
                yield row("Locality", Input(id="o-locality", placeholder="e.g. Southend-on-Sea", compact=True))
                yield row("Compact Champion", Input(id="o-champion", placeholder="optional", compact=True))
            elif self.action == "sign":
                yield Label(plain(f"{self.org_name} signed a compact"), classes="form-title")
                yield row("Compact", Select([(plain(c.info.name), c.id) for c in registry], allow_blank=False,
                                            id="o-compact", compact=True))
                yield row("Signed on", Input(value="today", id="o-on", compact=True))
            else:
                yield Label(plain(f"{self.org_name}'s Compact Champion"), classes="form-title")
                yield row("Champion", Input(id="o-champion", placeholder="name (empty: none)", compact=True))
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query(Input).first().focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_save(self) -> None:
        store = self.app.caselog.store
        try:
            if self.action == "add":
                orgs.add_org(store, self.query_one("#o-name", Input).value, str(self.query_one("#o-side", Select).value),
                             self.query_one("#o-locality", Input).value, self.query_one("#o-champion", Input).value)
            elif self.action == "sign":
                on = parse_date(self.query_one("#o-on", Input).value, field="the date")
                orgs.sign(store, self.app.registry, self.org_name, str(self.query_one("#o-compact", Select).value), on)
            else:
                orgs.set_champion(store, self.org_name, self.query_one("#o-champion", Input).value)
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(True)
