"""Putting a case right: close it with its outcome, withdraw one logged by mistake, reinstate
one withdrawn by mistake. Each is a form that says what will happen, and does it only on
``ctrl+s``; reopening is a yes-or-no question (``ConfirmDialog``). The case log records each on the case's timeline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input, Label, Static

from ...errors import UserError
from ...text import plain
from .dialogs import Form, FormScreen, row


class CloseDialog(FormScreen):
    """Close a case: what came of it is asked for, and ``ctrl+s`` confirms."""

    def __init__(self, case: dict):
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        with Form(classes="form"):
            yield Label(plain(f"Close case {self.case['id']}: {self.case['title']}"), classes="form-title")
            yield Static("It leaves what is due; o on the case reopens it. ctrl+s closes it, esc keeps it open.")
            yield row("Outcome", Input(placeholder="what came of it (needed)", id="close-outcome", compact=True))
            yield row("Note", Input(placeholder="optional", id="close-note", compact=True))
            yield from self.buttons("Close the case (ctrl+s)")

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query_one("#close-outcome", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_save(self) -> None:
        outcome = self.query_one("#close-outcome", Input).value.strip()
        if not outcome:
            self.show_error("Say what came of it (the outcome); nothing is closed yet.")
            self.query_one("#close-outcome", Input).focus()
            return
        try:
            self.app.caselog.close(self.case["id"], outcome=outcome, note=self.query_one("#close-note", Input).value,
                                   seen=self.case.get("seen"), on_screen=True)
        except UserError as exc:
            self.refused(exc)
            return
        self.dismiss(True)


class WithdrawDialog(FormScreen):
    """Withdraw a case logged by mistake, with the reason."""

    def __init__(self, case: dict):
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        with Form(classes="form"):
            yield Label(plain(f"Withdraw case {self.case['id']}: {self.case['title']}"), classes="form-title")
            yield Static("For a case logged by mistake: it leaves the lists, what is due and the reports, and "
                         "stays on the record (status:withdrawn finds it). ctrl+s withdraws it.")
            yield row("Reason", Input(placeholder="why it is withdrawn (needed)", id="withdraw-reason", compact=True))
            yield from self.buttons("Withdraw the case (ctrl+s)")

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query_one("#withdraw-reason", Input).focus()

    def action_save(self) -> None:
        try:
            self.app.caselog.withdraw(self.case["id"], self.query_one("#withdraw-reason", Input).value,
                                      seen=self.case.get("seen"), on_screen=True)
        except UserError as exc:
            self.refused(exc)
            return
        self.dismiss(True)


class ReinstateDialog(FormScreen):
    """Bring back a case withdrawn by mistake, with the reason."""

    def __init__(self, case: dict):
        super().__init__()
        self.case = case

    def compose(self) -> ComposeResult:
        with Form(classes="form"):
            yield Label(plain(f"Reinstate case {self.case['id']}: {self.case['title']}"), classes="form-title")
            yield Static("For a case withdrawn by mistake: it goes back to the status it was withdrawn from, and "
                         "to the lists, what is due and the reports. ctrl+s reinstates it.")
            yield row("Reason", Input(placeholder="why it is brought back (needed)", id="reinstate-reason",
                                      compact=True))
            yield from self.buttons("Reinstate the case (ctrl+s)")

    def on_mount(self) -> None:
        self.query_one("#form-error").display = False
        self.query_one("#reinstate-reason", Input).focus()

    def action_save(self) -> None:
        try:
            self.app.caselog.reinstate(self.case["id"], self.query_one("#reinstate-reason", Input).value,
                                       seen=self.case.get("seen"), on_screen=True)
        except UserError as exc:
            self.refused(exc)
            return
        self.dismiss(True)
