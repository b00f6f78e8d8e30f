"""Log in seconds: ``n``, a letter for the kind, then the form for that kind.

The form asks only for the dates its kind needs, completes clause references and
organisation names as you type, marks a wrong field where it is, and saves nothing until
everything is right. Saving opens the case, with its rule findings.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...caselog.case_log import KIND_DATES, NewCase
from ...rules.dates import parse_date
from ...errors import UserError
from ...rules.notice import needs_writing
from ...text import plain
from ..forms import Choice, Form, FormScreen, TextField, TickBox, row

#: kind -> the key that picks it in the kind picker
KIND_KEYS = {"consultation": "c", "funding-change": "f", "dispute": "d", "champion": "h",
             "signatory": "s", "meeting": "m", "annual-review": "a", "note": "o"}
DATE_LABELS = {"start": "Consultation starts", "end": "Consultation closes", "notified": "Notice given on",
               "effective": "Change takes effect", "period_end": "Funding period ends",
               "on": "Date it happened", "opened": "Opened on"}


class KindPicker(ModalScreen[str | None]):
    """What kind of record? One key each."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="kind_cancel")] + [
        Binding(key, f"pick('{kind}')", kind, id=f"kind_{kind.replace('-', '_')}", show=False)
        for kind, key in KIND_KEYS.items()]

    def compose(self) -> ComposeResult:
        with Form(classes="form picker"):
            yield Label("New record: press a letter, or choose and press enter", classes="form-title")
            yield OptionList(*[Option(Text.assemble((f" {key} ", "reverse bold"), f"  {kind}"), id=kind)
                               for kind, key in KIND_KEYS.items()], markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, kind: str) -> None:
        self.dismiss(kind)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ListSuggester(Suggester):
    """Completes the last comma-separated item of the field from a list."""

    def __init__(self, items: callable):
        super().__init__(use_cache=False, case_sensitive=False)
        self.items = items

    async def get_suggestion(self, value: str) -> str | None:
        head, sep, last = value.rpartition(",")
        stem = last.lstrip().lower()
        if not stem:
            return None
        for item in self.items():
            if item.lower().startswith(stem):
                prefix = head + sep + (" " if sep else "")
                return prefix + item
        return None


class QuickLogScreen(FormScreen[int]):
    """The quick-log form for one kind of case. Dismisses with the new case's id.

    The compact it starts on is never a guess: ``compact`` (the case it was opened from, or the
    last one a record was saved under), said in the heading with why; none, and the officer
    chooses. Naming a party that signed a compact picks that one, until the officer chooses."""

    FIRST = "#f-title"

    def __init__(self, kind: str, compact: str | None = None, why: str = ""):
        super().__init__()
        self.kind = kind
        self.compact, self.why = compact, why
        self.compact_chosen = False

    def heading(self) -> Text:
        if self.compact not in self.app.registry.compacts:  # uninstalled since, or none
            self.compact, self.why = None, ""
        text = Text(f"New {self.kind}", style="bold")
        if self.compact:
            text.append(f" under {self.app.registry.get(self.compact).info.name}")
            text.append(f" ({self.why})", style="italic")
        else:
            text.append(": choose its compact")
        return text

    def compose_fields(self) -> ComposeResult:
        registry = self.app.registry
        yield row("Compact", Choice([(plain(c.info.name), c.id) for c in registry], value=self.compact,
                                    prompt="choose the compact", id="f-compact"))
        yield Static(needs_line(registry.get(self.compact or ""), self.kind), id="f-needs", classes="form-note")
        yield from self.field("title", "Title", "what is this about")
        for name in KIND_DATES[self.kind]:
            yield from self.field(name, DATE_LABELS[name], "YYYY-MM-DD, today, +12w, -3d")
        yield from self.field("orgs", "Parties", "organisations, comma-separated",
                              suggester=ListSuggester(self.org_names))
        yield from self.field("cites", "Clauses cited", "e.g. 4.5, comma-separated",
                              suggester=ListSuggester(self.clause_refs))
        yield from self.field("reason", "Reason recorded", "optional: e.g. why a shorter period")
        yield TickBox("Not given in writing", id="f-verbal", compact=True)
        yield TickBox("Confidential", id="f-confidential", compact=True)

    def field(self, name: str, label: str, placeholder: str, suggester: Suggester | None = None) -> ComposeResult:
        yield row(label, TextField(placeholder=placeholder, id=f"f-{name}", suggester=suggester))
        error = Static(id=f"e-{name}", classes="field-error")
        error.display = False
        yield error

    def org_names(self) -> list[str]:
        from ...caselog.orgs import org_names

        try:
            return org_names(self.app.caselog.store)
        except UserError:
            return []

    def clause_refs(self) -> list[str]:
        compact = self.app.registry.get(self.query_one("#f-compact", Choice).value or "")
        return [c.ref for c in compact.clauses] if compact else []

    def value(self, name: str) -> str:
        return self.query_one(f"#f-{name}", TextField).value

    def mark(self, name: str, message: str | None) -> None:
        error = self.query_one(f"#e-{name}", Static)
        error.update(plain(message or ""))
        error.display = bool(message)
        self.query_one(f"#f-{name}", TextField).set_class(bool(message), "-invalid")

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self.compact_chosen = True  # the officer chose it: parties no longer change it
        self.show_needs(event.value)

    def show_needs(self, compact: str | None) -> None:
        """What the chosen compact's rules need from this form (``needs_line``)."""
        self.query_one("#f-needs", Static).update(needs_line(self.app.registry.get(compact or ""), self.kind))

    def on_input_changed(self, event: TextField.Changed) -> None:
        """Naming a party that has signed a compact picks that compact, unless one was chosen."""
        if event.input.id != "f-orgs" or self.compact_chosen:
            return
        from ...caselog.orgs import compact_for_org

        names = _items(event.value)
        try:
            found = compact_for_org(self.app.caselog.store, self.app.registry, names[0]) if names else None
        except UserError:
            found = None
        if found:
            self.query_one("#f-compact", Choice).value = found
            self.show_needs(found)

    def submit(self) -> int | None:
        dates, bad = {}, []
        for name in KIND_DATES[self.kind]:
            raw = self.value(name).strip()
            try:
                if raw:
                    dates[name] = parse_date(raw, field=DATE_LABELS[name].lower())
                self.mark(name, None)
            except UserError as exc:
                self.mark(name, str(exc))
                bad.append(name)
        title_ok = bool(self.value("title").strip())
        self.mark("title", None if title_ok else "A title is needed.")
        compact = self.query_one("#f-compact", Choice).value
        if bad or not title_ok:
            self.show_error("Put right the fields marked above; nothing is saved yet.")
            self.query_one(f"#f-{'title' if not title_ok else bad[0]}", TextField).focus()
            return None
        if compact is None:
            self.show_error("Choose the compact this is under; nothing is saved yet.")
            self.query_one("#f-compact", Choice).focus()
            return None
        verbal = self.query_one("#f-verbal", TickBox).value
        chosen = self.app.registry.get(compact)
        writing = needs_writing(chosen, self.kind) if chosen is not None else False
        new = NewCase(kind=self.kind, compact=compact, title=self.value("title"), dates=dates,
                      orgs=_items(self.value("orgs")), cites=_items(self.value("cites")),
                      reason=self.value("reason"),
                      confidential=self.query_one("#f-confidential", TickBox).value,
                      in_writing=False if verbal else True if writing else None)
        try:
            case = self.app.caselog.log(new)
        except UserError as exc:
            message = str(exc)
            field = "cites" if "to cite" in message else "title" if "title" in message else \
                "orgs" if "organisation" in message else None
            if field:
                self.mark(field, message)
                self.query_one(f"#f-{field}", TextField).focus()
            raise
        self.app.remember_compact(compact)
        return case["id"]


def needs_line(compact, kind: str) -> Text:
    """Which of the form's fields the chosen compact's rules for this kind need: a rule whose
    date is left empty is not checked (and the case says so)."""
    from ...rules.notice import no_rule_for, rule_needs

    if compact is None:
        return Text("")
    rules = compact.rules_for(kind)
    kind_words = kind.replace("-", " ")
    if not rules:
        return plain(f"Rules: {no_rule_for('this compact', kind)}")
    parts, ends = [], []
    for rule in rules:
        needs = rule_needs(rule)
        if "previous" in needs:  # a recurring duty: measured from the last one the case log holds
            counts = f"counts a {kind_words} citing {rule.ref} (Clauses cited), measured from the last one logged" \
                if "cite" in needs else f"is measured from the last {kind_words} logged"
            parts.append(f"{rule.ref} {counts}")
            ends.append("none logged before: not checked")
            continue
        words = [DATE_LABELS[n] for n in needs if n in DATE_LABELS]
        if "in_writing" in needs:
            words.append("in writing unless ticked below")
        parts.append(f"{rule.ref} needs {', '.join(words)}")
        ends.append("left empty: not checked")
    return plain(f"Rules: {'; '.join(parts)} ({'; '.join(dict.fromkeys(ends))}).")


def _items(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]
