"""Putting a case right: close it with its outcome, withdraw one logged by mistake, reinstate
one withdrawn by mistake. Each is a form that says what will happen, and does it only on
``ctrl+s``; reopening is a yes-or-no question (``ConfirmDialog``). The case log records each on the case's timeline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from ..forms import FormScreen, TextField, row


class CloseDialog(FormScreen[bool]):
    """Close a case: what came of it is asked for, and ``ctrl+s`` confirms."""

    SAVE = "Close the case"

    def __init__(self, case: dict):
        super().__init__()
        self.case = case

    def heading(self) -> str:
        return f"Close case {self.case['id']}: {self.case['title']}"

    def compose_fields(self) -> ComposeResult:
        yield Static("It leaves what is due; o on the case reopens it. ctrl+s closes it, esc keeps it open.")
        yield row("Outcome", TextField(placeholder="what came of it (needed)", id="close-outcome"))
        yield row("Note", TextField(placeholder="optional", id="close-note"))

    def submit(self) -> bool | None:
        outcome = self.query_one("#close-outcome", TextField).value.strip()
        if not outcome:
            self.show_error("Say what came of it (the outcome); nothing is closed yet.")
            self.query_one("#close-outcome", TextField).focus()
            return None
        self.app.caselog.close(self.case["id"], outcome=outcome, note=self.query_one("#close-note", TextField).value,
                               seen=self.case.get("seen"), on_screen=True)
        return True


class WithdrawDialog(FormScreen[bool]):
    """Withdraw a case logged by mistake, with the reason."""

    SAVE = "Withdraw the case"

    def __init__(self, case: dict):
        super().__init__()
        self.case = case

    def heading(self) -> str:
        return f"Withdraw case {self.case['id']}: {self.case['title']}"

    def compose_fields(self) -> ComposeResult:
        yield Static("For a case logged by mistake: it leaves the lists, what is due and the reports, and "
                     "stays on the record (status:withdrawn finds it). ctrl+s withdraws it.")
        yield row("Reason", TextField(placeholder="why it is withdrawn (needed)", id="withdraw-reason"))

    def submit(self) -> bool:
        self.app.caselog.withdraw(self.case["id"], self.query_one("#withdraw-reason", TextField).value,
                                  seen=self.case.get("seen"), on_screen=True)
        return True


class ReinstateDialog(FormScreen[bool]):
    """Bring back a case withdrawn by mistake, with the reason."""

    SAVE = "Reinstate the case"

    def __init__(self, case: dict):
        super().__init__()
        self.case = case

    def heading(self) -> str:
        return f"Reinstate case {self.case['id']}: {self.case['title']}"

    def compose_fields(self) -> ComposeResult:
        yield Static("For a case withdrawn by mistake: it goes back to the status it was withdrawn from, and "
                     "to the lists, what is due and the reports. ctrl+s reinstates it.")
        yield row("Reason", TextField(placeholder="why it is brought back (needed)", id="reinstate-reason"))

    def submit(self) -> bool:
        self.app.caselog.reinstate(self.case["id"], self.query_one("#reinstate-reason", TextField).value,
                                   seen=self.case.get("seen"), on_screen=True)
        return True
