"""Organisations: add one, set its side, record that it signed a compact, name its champion."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable

from ...caselog import orgs
from ...rules.dates import parse_date
from ...errors import UserError
from ...text import plain
from ..forms import Choice, FormScreen, TextField, row
from .base import BaseScreen


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
        self.app.push_screen(AddOrgForm(), lambda done: done and self.reload())

    def action_sign(self) -> None:
        name = self.selected()
        if name:
            self.app.push_screen(SignForm(name), lambda done: done and self.reload())

    def action_champion(self) -> None:
        name = self.selected()
        if name:
            self.app.push_screen(ChampionForm(name), lambda done: done and self.reload())


class AddOrgForm(FormScreen[bool]):
    """Add an organisation: its name, its side, where it works, its champion."""

    def heading(self) -> str:
        return "Add an organisation"

    def compose_fields(self) -> ComposeResult:
        yield row("Name", TextField(id="o-name", placeholder="as it signs, e.g. Havering CVS"))
        yield row("Side", Choice([(v, k) for k, v in orgs.SIDE_NAMES.items()], value="vcs", id="o-side"))
        yield row("Locality", TextField(id="o-locality", placeholder="e.g. Southend-on-Sea"))
        yield row("Compact Champion", TextField(id="o-champion", placeholder="optional"))

    def submit(self) -> bool:
        orgs.add_org(self.app.caselog.store, self.typed("o-name"),
                     str(self.query_one("#o-side", Choice).value), self.typed("o-locality"),
                     self.typed("o-champion"))
        return True


class OrgForm(FormScreen[bool]):
    """A form over one organisation, named ``org_name``."""

    def __init__(self, name: str):
        super().__init__()
        self.org_name = name


class SignForm(OrgForm):
    """Record that an organisation signed a compact, and when."""

    def heading(self) -> Text:
        """Which compact the form starts on, and why (the last used), as the log form says it."""
        self.compact, why = self.app.compact_for_new()
        text = plain(f"{self.org_name} signed a compact")
        if self.compact:
            start = len(text)
            text.append_text(plain(f" (starts on {self.app.registry.get(self.compact).info.name}: {why})"))
            text.stylize("italic", start)
        return text

    def compose_fields(self) -> ComposeResult:
        yield row("Compact", Choice([(plain(c.info.name), c.id) for c in self.app.registry], value=self.compact,
                                    prompt="choose the compact", id="o-compact"))
        yield row("Signed on", TextField(id="o-on", placeholder="empty: today; or YYYY-MM-DD, -3d"))

    def submit(self) -> bool | None:
        compact = self.query_one("#o-compact", Choice).value
        if compact is None:
            self.show_error("Choose the compact it signed; nothing is saved yet.")
            return None
        on = parse_date(self.typed("o-on").strip() or "today", field="the date it signed")
        orgs.sign(self.app.caselog.store, self.app.registry, self.org_name, compact, on)
        self.app.remember_compact(compact)
        return True


class ChampionForm(OrgForm):
    """Name an organisation's Compact Champion (or none)."""

    def heading(self) -> str:
        return f"{self.org_name}'s Compact Champion"

    def compose_fields(self) -> ComposeResult:
        yield row("Champion", TextField(id="o-champion", placeholder="name (empty: none)"))

    def submit(self) -> bool:
        orgs.set_champion(self.app.caselog.store, self.org_name, self.typed("o-champion"))
        return True
