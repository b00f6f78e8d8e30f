"""Small forms over a case: add a note, attach a file, move a dispute (on the one form base,
``forms.py``)."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ...errors import UserError
from ...text import plain, terminal
from ..forms import CaseForm, Choice, TextField, TickBox, row


class NoteDialog(CaseForm):
    """Add a note to a case's timeline."""

    def heading(self) -> str:
        return f"Add a note to case {self.case['id']}"

    def compose_fields(self) -> ComposeResult:
        yield row("Note", TextField(placeholder="what happened", id="note-text"))

    def field_submitted(self, field: TextField) -> None:
        self.action_save()

    def submit(self) -> bool:
        self.app.caselog.note(self.case["id"], self.typed("note-text"))
        return True


class AttachDialog(CaseForm):
    """Keep an evidence file with a case: its path, and a note saying what it is."""

    def heading(self) -> str:
        from ...caselog.attachments import LIMIT_TEXT

        return f"Attach a file to case {self.case['id']} (up to {LIMIT_TEXT})"

    def compose_fields(self) -> ComposeResult:
        yield row("File", TextField(placeholder="its path, e.g. ~/Documents/notice.pdf", id="attach-path"))
        yield row("What it is", TextField(placeholder="optional", id="attach-note"))

    def field_submitted(self, field: TextField) -> None:
        if field.id == "attach-path":
            self.query_one("#attach-note", TextField).focus()
        else:
            self.action_save()

    def submit(self) -> bool | None:
        from pathlib import Path

        path = self.typed("attach-path").strip()
        if not path:
            self.show_error("Give the path of the file to attach.")
            return None
        try:
            item = self.app.caselog.attach(self.case["id"], Path(path).expanduser(),
                                           note=self.typed("attach-note"))
        except UserError:
            self.query_one("#attach-path", TextField).focus()  # most refusals are about the file
            raise
        self.app.notify(f"Attached as file {item['n']}.", markup=False)
        return True


class ConditionBox(TickBox, inherit_bindings=False):
    """One condition of a move, on its own line, shown in full. Only ``space`` on this line
    confirms it (not ``enter``, which goes on to the next field), and it always does. Text
    typed here is a note typed in the wrong place: it goes into the Note field (the focus
    with it), so its spaces tick nothing and nothing typed is lost; a word says so."""

    BINDINGS = [Binding("space", "toggle_button", "Confirm", id="confirm_condition"),
                Binding("enter", "next_field", "Next field", id="condition_next", show=False)]

    def action_next_field(self) -> None:
        self.screen.focus_next()

    def on_key(self, event: events.Key) -> None:
        if not event.is_printable or event.key == "space" or not event.character:
            return
        event.stop()
        event.prevent_default()
        note = self.screen.query_one("#move-note", TextField)
        note.focus()
        note.insert_text_at_cursor(event.character)
        self.screen.show_error("What you typed went into the Note. A condition is confirmed with space "
                               "on its own line (shift+tab back to it).")

    def action_toggle_button(self) -> None:
        self.screen.show_error("")
        super().action_toggle_button()

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.render().wrap(max(1, width))))  # the question in full, wrapped


class MoveDialog(CaseForm):
    """Pick one of the moves the compact allows now; confirm its conditions; name a team."""

    FIRST = "#moves"

    def __init__(self, case: dict):
        super().__init__(case)
        self.move: dict | None = None

    def heading(self) -> str:
        return f"Move dispute {self.case['id']} from '{self.case['stage']}'"

    def compose_fields(self) -> ComposeResult:
        yield Static(self.not_open(), id="not-open")
        yield row("Move to", OptionList(*[Option(plain(m["title"] + (f"  ({m['outcome']})" if m["outcome"] else "")
                                                       + ("  (reading)" if m["standing"] == "reading" else "")),
                                                 id=m["stage"]) for m in self.case["next"]], id="moves", markup=False))
        yield Vertical(id="conditions")
        yield row("Note", TextField(placeholder="optional: what was done, and why", id="move-note"))

    def not_open(self) -> Text:
        """Which stages cannot be reached from here, and why: the procedure does not allow it."""
        compact = self.app.registry.get(self.case["compact"])
        proc = compact.procedure if compact else None
        offered = {m["stage"] for m in self.case["next"]} | {self.case["stage"]}
        others = [s.title for s in proc.stages if s.id not in offered] if proc else []
        said = "Only the moves its compact allows from this stage are listed"
        if others:  # how many are not open: their names would push the fields off a short screen
            said += f" ({len(others)} other stage{'s are' if len(others) != 1 else ' is'} not open from here)"
        return Text(said + ".", style="italic")

    def on_mount(self) -> None:
        self.query_one("#moves", OptionList).highlighted = 0

    async def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.move = next(m for m in self.case["next"] if m["stage"] == event.option.id)
        box = self.query_one("#conditions", Vertical)
        await box.remove_children()
        widgets = []
        if self.move["standing"] == "reading":
            widgets.append(Static(reading_text("This move", self.move)))
        for i, cond in enumerate(self.move["conditions"]):
            ref = f" ({cond['ref']})" if cond["ref"] else ""
            if cond["standing"] == "reading":
                widgets.append(Static(reading_text("The next condition", cond)))
            if cond["team_size"]:
                widgets.append(Label(plain(f"{cond['question']}{ref}")))
                for n in range(cond["team_size"]):
                    widgets.append(Horizontal(
                        TextField(placeholder=f"mediator {n + 1} name", classes="member-name"),
                        Choice([("statutory", "statutory"), ("voluntary and community", "vcs")],
                               prompt="sector", classes="member-sector"),
                        classes="member-row"))
            else:
                widgets.append(ConditionBox(plain(f"{cond['question']}{ref}"), id=f"cond-{i}", compact=True))
        if not widgets:
            widgets.append(Static(Text("No condition: this move can be made now.", style="italic")))
        await box.mount_all(widgets)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.focus_next()

    def submit(self) -> bool | None:
        if self.move is None:
            self.show_error("Choose a move first.")
            return None
        confirm = [c["id"] for i, c in enumerate(self.move["conditions"])
                   if not c["team_size"] and self.query_one(f"#cond-{i}", ConditionBox).value]
        team = []
        for member in self.query(".member-row"):
            name = member.query_one(".member-name", TextField).value.strip()
            sector = member.query_one(".member-sector", Choice).value
            if name:
                team.append(f"{name}:{sector or ''}")
        self.app.caselog.advance(self.case["id"], self.move["stage"], confirm=confirm, team=team,
                                 note=self.typed("move-note"),
                                 seen=self.case.get("seen"), on_screen=True)
        return True


def reading_text(what: str, claim: dict) -> Text:
    """A move or condition that is our reading of the text, not its statement, with why."""
    text = Text.assemble((f"{what} is a READING", "bold"), (" (not stated by the text): ", "italic"),
                         terminal(claim["reading"]))
    if claim["states"]:
        where = f" ({terminal(claim['states_from'])})" if claim.get("states_from") else ""
        text.append_text(Text.assemble((f"\nThe text{where}: ", "italic"), f"'{terminal(claim['states'])}'"))
    return text

