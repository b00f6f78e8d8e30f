"""Change a case: its title, parties, compact, dates, reason and cited clauses. The rules are applied again and the
case screen shows the new findings; nothing is saved until every field is right."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.widgets import Static

from ...caselog.case_log import KIND_DATES
from ...rules.dates import parse_date
from ...errors import UserError
from ...rules.notice import needs_writing
from ...text import one_line, plain
from ..forms import CaseForm, Choice, TextField, TickBox, row
from .quicklog import DATE_LABELS, ListSuggester, _items, needs_line


class EditDialog(CaseForm):
    """Change a case. Each field starts with what is recorded; nothing is selected, so typing
    adds to a value and never silently replaces it."""

    FIRST = "#f-title"

    def heading(self) -> str:
        return f"Change case {self.case['id']} ({self.case['kind']})"

    def compose_fields(self) -> ComposeResult:
        case = self.case
        yield row("Title", TextField(value=shown(case.get("title")), id="f-title"))
        yield row("Parties", TextField(value=shown(", ".join(case.get("parties") or [])), id="f-parties",
                                       placeholder="organisations, comma-separated"))
        yield row("Compact", Choice([(plain(c.info.name), c.id) for c in self.app.registry],
                                    value=case["compact"], prompt="not installed: choose one", id="f-compact"))
        yield Static(needs_line(self.app.registry.get(case["compact"]), case["kind"]), id="f-needs",
                     classes="form-note")
        for name in KIND_DATES[case["kind"]]:
            yield row(DATE_LABELS[name], TextField(value=shown(case.get(name)), id=f"f-{name}",
                                                   placeholder="YYYY-MM-DD, today, +12w, -3d"))
            error = Static(id=f"e-{name}", classes="field-error")
            error.display = False
            yield error
        yield row("Reason recorded", TextField(value=shown(case.get("reason")), id="f-reason", placeholder="none"))
        yield row("Add clauses cited", TextField(id="f-cites", placeholder="e.g. 4.5, comma-separated",
                                                 suggester=ListSuggester(self.clause_refs)))
        yield TickBox("Not given in writing", value=case.get("in_writing") == 0, id="f-verbal", compact=True)
        yield row("Note on the change", TextField(id="f-note", placeholder="optional"))

    def clause_refs(self) -> list[str]:
        compact = self.app.registry.get(self.query_one("#f-compact", Choice).value or "")
        return [c.ref for c in compact.clauses] if compact else []

    def on_choice_changed(self, event: Choice.Changed) -> None:
        """Another compact chosen: say what its rules need (and complete its clauses)."""
        if event.choice.id == "f-compact":
            self.query_one("#f-needs", Static).update(needs_line(self.app.registry.get(event.value or ""),
                                                                 self.case["kind"]))

    def submit(self) -> bool | None:
        dates: dict[str, date] = {}
        bad = None
        for name in KIND_DATES[self.case["kind"]]:
            raw = self.query_one(f"#f-{name}", TextField).value.strip()
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
            self.query_one(f"#f-{bad}", TextField).focus()
            return None
        reason = self.typed("f-reason")
        verbal = self.query_one("#f-verbal", TickBox).value
        title = self.typed("f-title")
        parties = self.typed("f-parties")
        compact = self.query_one("#f-compact", Choice).value
        self.app.caselog.update(
            self.case["id"], dates=dates,
            title=title if title != shown(self.case.get("title")) else None,
            parties=_items(parties) if parties != shown(", ".join(self.case.get("parties") or [])) else None,
            compact=compact if compact is not None and compact != self.case["compact"] else None,
            reason=reason if reason != shown(self.case.get("reason")) else None,
            in_writing=self.in_writing(verbal, compact if compact is not None else self.case["compact"]),
            cites=_items(self.typed("f-cites")),
            note=self.typed("f-note"), seen=self.case.get("seen"), on_screen=True)
        if compact is not None:
            self.app.remember_compact(compact)
        return True


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
