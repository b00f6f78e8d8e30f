"""Change a case: its title, parties, compact, dates, reason and cited clauses. The rules are applied again and the
case screen shows the new findings; nothing is saved until every field is right."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Label, Select, Static

from ...caselog.case_log import KIND_DATES
from ...rules.dates import parse_date
from ...errors import UserError
from ...rules.notice import needs_writing
from ...text import one_line, plain
from ..widgets import TickBox
from .dialogs import Form, FormScreen, row
from .quicklog import DATE_LABELS, ListSuggester, _items, needs_line


class EditDialog(FormScreen):
    def __init__(self, case: dict):
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        case = self.case
        with Form(classes="form"):
            yield Label(plain(f"Change case {case['id']} ({case['kind']})  tab next · ctrl+s save · esc cancel"),
                        classes="form-title")
            yield row("Title", Input(value=shown(case.get("title")), id="f-title", compact=True))
            yield row("Parties", Input(value=shown(", ".join(case.get("parties") or [])), id="f-parties",
                                       compact=True, placeholder="organisations, comma-separated"))
            yield row("Compact", Select([(plain(c.info.name), c.id) for c in self.app.registry],
                                        value=case["compact"] if case["compact"] in self.app.registry.compacts
                                        else Select.BLANK, id="f-compact", compact=True))
            yield Static(needs_line(self.app.registry.get(case["compact"]), case["kind"]), id="f-needs",
                         classes="form-note")
            for name in KIND_DATES[case["kind"]]:
                yield row(DATE_LABELS[name], Input(value=shown(case.get(name)), id=f"f-{name}", compact=True,
                                                   placeholder="YYYY-MM-DD, today, +12w, -3d"))
                error = Static(id=f"e-{name}", classes="field-error")
                error.display = False
                yield error
            yield row("Reason recorded", Input(value=shown(case.get("reason")), id="f-reason", compact=True))
            yield row("Add clauses cited", Input(id="f-cites", compact=True, placeholder="e.g. 4.5, comma-separated",
                                                 suggester=ListSuggester(self.clause_refs)))
            yield TickBox("Not given in writing", value=case.get("in_writing") == 0, id="f-verbal", compact=True)
            yield row("Note on the change", Input(id="f-note", compact=True, placeholder="optional"))
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query_one("#f-title", Input).focus()

    def clause_refs(self) -> list[str]:
        compact = self.app.registry.get(self.case["compact"])
        return [c.ref for c in compact.clauses] if compact else []

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_save(self) -> None:
        dates: dict[str, date] = {}
        bad = None
        for name in KIND_DATES[self.case["kind"]]:
            raw = self.query_one(f"#f-{name}", Input).value.strip()
            error = self.query_one(f"#e-{name}", Static)
            error.display = False
            if raw == shown(self.case.get(name)):
                continue
            try:
                if raw:
                    dates[name] = parse_date(raw, field=DATE_LABELS[name].lower())
            except UserError as exc:
                error.update(plain(str(exc)))
                error.display = True
                bad = bad or name
        if bad:
            self.show_error("Put right the date marked above; nothing is saved yet.")
            self.query_one(f"#f-{bad}", Input).focus()
            return
        reason = self.query_one("#f-reason", Input).value
        verbal = self.query_one("#f-verbal", Checkbox).value
        title = self.query_one("#f-title", Input).value
        parties = self.query_one("#f-parties", Input).value
        compact = self.query_one("#f-compact", Select).value
        try:
            self.app.caselog.update(
                self.case["id"], dates=dates,
                title=title if title != shown(self.case.get("title")) else None,
                parties=_items(parties) if parties != shown(", ".join(self.case.get("parties") or [])) else None,
                compact=compact if isinstance(compact, str) and compact != self.case["compact"] else None,
                reason=reason if reason != shown(self.case.get("reason")) else None,
                in_writing=self.in_writing(verbal, compact if isinstance(compact, str) else self.case["compact"]),
                cites=_items(self.query_one("#f-cites", Input).value),
                note=self.query_one("#f-note", Input).value, seen=self.case.get("seen"), on_screen=True)
        except UserError as exc:
            self.refused(exc)
            return
        self.dismiss(True)


    def in_writing(self, verbal: bool, compact_id: str) -> bool | None:
        """The tick as a change: unticked where the case records nothing and a rule of the
        compact asks for writing says it was in writing (the form's rules line says so)."""
        had = self.case.get("in_writing")
        if verbal == (had == 0):
            compact = self.app.registry.get(compact_id)
            if had is None and not verbal and compact is not None and needs_writing(compact, self.case["kind"]):
                return True
            return None
        return not verbal


def shown(value: str | None) -> str:
    """A stored value as the form shows it (one inert line); unchanged if the officer leaves it."""
    return one_line(value or "")
