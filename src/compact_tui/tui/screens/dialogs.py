"""Small forms over a case: add a note, move a dispute; and what every form shares. Each
saves through the case log itself and closes only when the save worked, so nothing typed is
lost to an error; leaving a form with changes asks first."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from ...errors import UserError
from ...text import plain, terminal
from ..widgets import FormBody, TickBox


class Form(FormBody, can_focus=False):
    """A form's body. It scrolls to the field that has the focus, and is never a focus stop
    itself: a stop that shows nothing would swallow what the officer types. Taller than the
    terminal, its frame says "more below" (:class:`FormBody`)."""


FIELDS = (Input, Checkbox, Select)


class FormScreen(ModalScreen):
    """A modal form: ``ctrl+s`` saves, ``escape`` cancels (asking first if anything was
    changed); errors show inside the form."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form_save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form_cancel"),
    ]
    AUTO_FOCUS = ""  # none: each form puts the focus on its first field itself

    def on_mount(self) -> None:
        self.call_after_refresh(self.remember_values)

    def remember_values(self) -> None:
        """What the fields held when the form opened, to tell whether anything was changed."""
        self.initial = {id(w): w.value for w in self.query(",".join(f.__name__ for f in FIELDS))}

    def changed(self) -> bool:
        initial = getattr(self, "initial", None)
        if initial is None:
            return False
        for widget in self.query(",".join(f.__name__ for f in FIELDS)):
            before = initial.get(id(widget), False if isinstance(widget, Checkbox) else
                                 "" if isinstance(widget, Input) else Select.BLANK)
            if widget.value != before:
                return True
        return False

    def show_error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(plain(message))
        error.display = True

    def refused(self, exc: UserError) -> None:
        """The case log said no: the sentence in the form (what was typed stays); if the case
        moved on since the form was opened, the case screen beneath shows it as it is now."""
        from ...caselog.case_log import StaleCase

        self.show_error(str(exc))
        if isinstance(exc, StaleCase):
            for screen in self.app.screen_stack:
                if screen is not self and hasattr(screen, "refresh_case"):
                    screen.refresh_case()

    def action_cancel(self) -> None:
        if not self.changed():
            self.dismiss(None)
            return
        self.app.push_screen(ConfirmDialog("Leave this form? What you changed is not saved.", yes="Leave",
                                           no="Stay"),
                             lambda leave: leave and self.dismiss(None))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def buttons(self, save: str = "Save (ctrl+s)") -> ComposeResult:
        yield Static(id="form-error", classes="form-error")
        with Horizontal(classes="form-buttons"):
            yield Button(save, id="save", variant="primary", compact=True)
            yield Button("Cancel (esc)", id="cancel", compact=True)


class ConfirmDialog(ModalScreen[bool]):
    """A yes-or-no question: ``y`` for yes; ``n`` or ``escape`` for no (the safe answer)."""

    BINDINGS = [Binding("y", "answer(True)", "Yes", id="confirm_yes"),
                Binding("n,escape", "answer(False)", "No", id="confirm_no")]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No"):
        super().__init__()
        self.question, self.yes, self.no = question, yes, no

    def compose(self) -> ComposeResult:
        with Form(classes="form picker"):
            yield Label(Text(self.question), classes="form-title")
            with Horizontal(classes="form-buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary", compact=True)
                yield Button(f"{self.no} (n, esc)", id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NoteDialog(FormScreen):
    def __init__(self, case_id: int):
        super().__init__()
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        with Form(classes="form"):
            yield Label(f"Add a note to case {self.case_id}", classes="form-title")
            yield Input(placeholder="what happened", id="note-text", compact=True)
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        try:
            self.app.caselog.note(self.case_id, self.query_one("#note-text", Input).value)
        except UserError as exc:
            self.show_error(str(exc))
            return
        self.dismiss(True)


class AttachDialog(FormScreen):
    """Keep an evidence file with a case: its path, and a note saying what it is."""

    def __init__(self, case_id: int):
        super().__init__()
        self.case_id = case_id

    def compose(self) -> ComposeResult:
        from ...caselog.attachments import LIMIT_TEXT

        with Form(classes="form"):
            yield Label(f"Attach a file to case {self.case_id} (up to {LIMIT_TEXT})", classes="form-title")
            yield Input(placeholder="path of the file, e.g. ~/Documents/notice.pdf", id="attach-path", compact=True)
            yield Input(placeholder="what it is (optional)", id="attach-note", compact=True)
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query_one("#attach-path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "attach-path":
            self.query_one("#attach-note", Input).focus()
        else:
            self.action_save()

    def action_save(self) -> None:
        from pathlib import Path

        path = self.query_one("#attach-path", Input).value.strip()
        if not path:
            self.show_error("Give the path of the file to attach.")
            return
        try:
            item = self.app.caselog.attach(self.case_id, Path(path).expanduser(),
                                           note=self.query_one("#attach-note", Input).value)
        except UserError as exc:
            self.show_error(str(exc))
            self.query_one("#attach-path", Input).focus()  # most refusals are about the file
            return
        self.app.notify(f"Attached as file {item['n']}.", markup=False)
        self.dismiss(True)


class ConditionBox(TickBox, inherit_bindings=False):
    """One condition of a move, on its own line, shown in full. Only ``space`` on this line
    confirms it (not ``enter``). Text typed here is refused, with a word on where the note
    goes, and the spaces in that text confirm nothing until the focus has left the line."""

    BINDINGS = [Binding("space", "toggle_button", "Confirm", id="confirm_condition")]
    stray = False

    def on_key(self, event: events.Key) -> None:
        if event.is_printable and event.key != "space":
            self.stray = True
        elif not (event.key == "space" and self.stray):
            return
        event.stop()
        event.prevent_default()
        self.screen.show_error("Typing on a condition's line confirms nothing: space on its own line "
                               "confirms it. The note goes in the Note field.")

    def on_blur(self) -> None:
        self.stray = False

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self.render().wrap(max(1, width))))  # the question in full, wrapped


class MoveDialog(FormScreen):
    """Pick one of the moves the compact allows now; confirm its conditions; name a team."""

    def __init__(self, case: dict):
        super().__init__()
        self.case = case
        self.move: dict | None = None

    def compose(self) -> ComposeResult:
        with Form(classes="form"):
            yield Label(plain(f"Move dispute {self.case['id']} from '{self.case['stage']}'"), classes="form-title")
            yield Static(self.not_open(), id="not-open")
            yield OptionList(*[Option(plain(m["title"] + (f"  ({m['outcome']})" if m["outcome"] else "")
                                           + ("  (reading)" if m["standing"] == "reading" else "")),
                                      id=m["stage"]) for m in self.case["next"]], id="moves", markup=False)
            yield Vertical(id="conditions")
            yield row("Note", Input(placeholder="optional: what was done, and why", id="move-note", compact=True))
            yield from self.buttons()

    def not_open(self) -> Text:
        """Which stages cannot be reached from here, and why: the procedure does not allow it."""
        compact = self.app.registry.get(self.case["compact"])
        proc = compact.procedure if compact else None
        offered = {m["stage"] for m in self.case["next"]} | {self.case["stage"]}
        others = [s.title for s in proc.stages if s.id not in offered] if proc else []
        text = Text("Only the moves its compact allows from this stage are listed.", style="italic")
        if others:
            text.append_text(plain(f" Not open from here ({len(others)}): " + "; ".join(others[:4])
                                   + ("; ..." if len(others) > 4 else "") + "."))
        return text

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        moves = self.query_one("#moves", OptionList)
        moves.focus()
        moves.highlighted = 0

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
                        Input(placeholder=f"mediator {n + 1} name", classes="member-name", compact=True),
                        Select([("statutory", "statutory"), ("voluntary and community", "vcs")],
                               prompt="sector", classes="member-sector", compact=True),
                        classes="member-row"))
            else:
                widgets.append(ConditionBox(plain(f"{cond['question']}{ref}"), id=f"cond-{i}", compact=True))
        if not widgets:
            widgets.append(Static(Text("No condition: this move can be made now.", style="italic")))
        await box.mount_all(widgets)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.focus_next()

    def action_save(self) -> None:
        if self.move is None:
            self.show_error("Choose a move first.")
            return
        confirm = [c["id"] for i, c in enumerate(self.move["conditions"])
                   if not c["team_size"] and self.query_one(f"#cond-{i}", Checkbox).value]
        team = []
        for row in self.query(".member-row"):
            name = row.query_one(".member-name", Input).value.strip()
            sector = row.query_one(".member-sector", Select).value
            if name:
                team.append(f"{name}:{sector if isinstance(sector, str) else ''}")
        try:
            self.app.caselog.advance(self.case["id"], self.move["stage"], confirm=confirm, team=team,
                                     note=self.query_one("#move-note", Input).value,
                                     seen=self.case.get("seen"), on_screen=True)
        except UserError as exc:
            self.refused(exc)
            return
        self.dismiss(True)


def reading_text(what: str, claim: dict) -> Text:
    """A move or condition that is our reading of the text, not its statement, with why."""
    text = Text.assemble((f"{what} is a READING", "bold"), (" (not stated by the text): ", "italic"),
                         terminal(claim["reading"]))
    if claim["states"]:
        text.append_text(Text.assemble(("\nThe text: ", "italic"), f"'{terminal(claim['states'])}'"))
    return text


def row(label: str, widget) -> Horizontal:
    """A form row: the label on the left, the field beside it (one line at 80 columns)."""
    return Horizontal(Label(label, classes="field-label"), widget, classes="field-row")
