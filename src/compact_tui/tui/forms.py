"""What every form shares: one typed base, :class:`FormScreen`.

A form is a modal screen with a heading, its fields (``compose_fields``), a line for what is
wrong, and Save and Cancel. ``ctrl+s`` saves: :meth:`FormScreen.submit` does the work through
the core and returns the form's result (the form closes with it), ``None`` to stay open having
said what is wrong, or raises :class:`~compact_tui.errors.UserError` (its sentence is shown in
the form). Nothing typed is lost: the form closes only when the save worked, and every way out
of a form with changes asks first (``escape`` here; ``ctrl+q``, the palette, a number key or a
new screen through :meth:`CompactApp.leave_forms <compact_tui.tui.app.CompactApp.leave_forms>`).

The fields (``fields.py``) read without colour: the focused one's label says ``>``, a hint is
in brackets, a tick box says ``[x]``, a choice opens in place.
"""

from __future__ import annotations

from typing import Callable, Generic, TypeVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Label, Static

from ..errors import UserError
from ..text import plain
from .fields import Choice, FieldLabel, TextField, TickBox
from .widgets import FormBody

ResultT = TypeVar("ResultT")

#: The widgets whose values make a form "changed".
FIELDS = (TextField, Choice, TickBox)

LEAVE_QUESTION = "Leave this form? What you changed is not saved."


class Form(FormBody, can_focus=False):
    """A form's body. It scrolls to the field that has the focus, and is never a focus stop
    itself: a stop that shows nothing would swallow what the officer types. Taller than the
    terminal, its frame says "more below" (:class:`FormBody`)."""


def row(label: str, widget: Widget) -> Horizontal:
    """A form row: the label on the left (``>`` while the field has the focus), the field beside it."""
    return Horizontal(FieldLabel(label, classes="field-label"), widget, classes="field-row")


class FormScreen(ModalScreen[ResultT], Generic[ResultT]):
    """A modal form that closes with a ``ResultT`` once saved, or ``None`` if left.

    A subclass gives :meth:`heading`, :meth:`compose_fields` and :meth:`submit`; ``SAVE`` names
    its save button, ``FIRST`` the field that has the focus first (else the first field).
    (Textual calls a message handler of every class in the hierarchy: a subclass adds its own
    ``on_mount`` without calling this one's, and overrides :meth:`field_submitted`, not
    ``on_input_submitted``.)"""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="form_save", priority=True),
        Binding("escape", "cancel", "Cancel", id="form_cancel"),
    ]
    AUTO_FOCUS = ""  # none: the form puts the focus on its first field itself (on_mount)
    SAVE = "Save"
    FIRST: str | None = None
    CLASSES = "form"

    def heading(self) -> str | Text:
        raise NotImplementedError

    def compose_fields(self) -> ComposeResult:
        raise NotImplementedError

    def submit(self) -> ResultT | None:
        """Save through the core: the result to close with, or None to stay open."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        heading = self.heading()
        with Form(classes=self.CLASSES):
            yield Label(heading if isinstance(heading, Text) else plain(heading), classes="form-title",
                        id="form-title")
            yield from self.compose_fields()
            yield Static(id="form-error", classes="form-error")
            with Horizontal(classes="form-buttons"):
                yield Button(f"{self.SAVE} (ctrl+s)", id="save", variant="primary", compact=True)
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        first = self.query_one(self.FIRST) if self.FIRST else next((w for w in self.query("*") if w.focusable), None)
        if first is not None:
            first.focus()
        self.call_after_refresh(self.remember_values)

    def typed(self, field_id: str) -> str:
        """What the text field ``field_id`` holds."""
        return self.query_one(f"#{field_id}", TextField).value

    # -- what changed, and leaving -------------------------------------------------------

    def fields(self) -> list[Widget]:
        return list(self.query(",".join(f.__name__ for f in FIELDS)))

    def remember_values(self) -> None:
        """What the fields held when the form opened, to tell whether anything was changed."""
        self.initial = {id(w): w.value for w in self.fields()}

    def changed(self) -> bool:
        initial = getattr(self, "initial", None)
        if initial is None:
            return False
        default = {TickBox: False, TextField: "", Choice: None}
        return any(w.value != initial.get(id(w), default[next(f for f in FIELDS if isinstance(w, f))])
                   for w in self.fields())

    def ask_to_leave(self, then: Callable[[], object]) -> None:
        """``then()`` at once if nothing was changed; otherwise only once the officer says so."""
        if not self.changed():
            then()
            return
        self.app.push_screen(ConfirmDialog(LEAVE_QUESTION, yes="Leave", no="Stay"),
                             lambda leave: leave and then())

    def action_cancel(self) -> None:
        self.ask_to_leave(lambda: self.dismiss(None))

    # -- saving --------------------------------------------------------------------------

    def action_save(self) -> None:
        try:
            result = self.submit()
        except UserError as exc:
            self.refused(exc)
            return
        if result is not None:
            self.dismiss(result)

    def refused(self, exc: UserError) -> None:
        """The case log said no: the sentence in the form (what was typed stays); if the case
        moved on since the form was opened, the case screen beneath shows it as it is now."""
        from ..caselog.case_log import StaleCase

        self.show_error(str(exc))
        if isinstance(exc, StaleCase):
            for screen in self.app.screen_stack:
                if screen is not self and hasattr(screen, "refresh_case"):
                    screen.refresh_case()

    def show_error(self, message: str) -> None:
        error = self.query_one("#form-error", Static)
        error.update(plain(message))
        error.display = bool(message)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        elif event.button.id == "cancel":
            self.action_cancel()

    def on_input_submitted(self, event: TextField.Submitted) -> None:
        event.stop()
        self.field_submitted(event.input)

    def field_submitted(self, field: TextField) -> None:
        """``enter`` in a field: on to the next one (a form may save instead)."""
        self.focus_next()

    # -- the focus marker ----------------------------------------------------------------

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.mark_focus()

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self.call_after_refresh(self.mark_focus)

    def mark_focus(self) -> None:
        focused = self.focused
        for label in self.query(FieldLabel):
            label.mark(focused is not None and label.parent is not None and focused in label.parent.children)


class CaseForm(FormScreen[bool]):
    """A form over one case (``case``: the case as its screen shows it, with what it had
    ``seen``); it closes with True once the change is saved."""

    def __init__(self, case: dict):
        super().__init__()
        self.case = case


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


__all__ = ["CaseForm", "Choice", "ConfirmDialog", "FieldLabel", "Form", "FormScreen", "TextField", "TickBox", "row"]
