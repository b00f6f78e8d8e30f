"""Putting a case right: close it with its outcome, withdraw one logged by mistake, reinstate
one withdrawn by mistake. Each is a form that says what will happen, and does it only on
``ctrl+s``; reopening is a yes-or-no question (``ConfirmDialog``). The case log records each on the case's timeline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from ..forms import CaseForm, TextField, row


class CloseDialog(CaseForm):
    """Close a case: what came of it is asked for, and ``ctrl+s`` confirms."""

    SAVE = "Close the case"

    def heading(self) -> str:
        return f"Close case {self.case['id']}: {self.case['title']}"

    def compose_fields(self) -> ComposeResult:
        yield Static("It leaves what is due; o on the case reopens it. ctrl+s closes it, esc keeps it open.")
        yield row("Outcome", TextField(placeholder="what came of it (needed)", id="close-outcome"))
        yield row("Note", TextField(placeholder="optional", id="close-note"))

    def submit(self) -> bool | None:
        outcome = self.typed("close-outcome").strip()
        if not outcome:
            self.show_error("Say what came of it (the outcome); nothing is closed yet.")
            self.query_one("#close-outcome", TextField).focus()
            return None
        self.app.caselog.close(self.case["id"], outcome=outcome, note=self.typed("close-note"),
                               seen=self.case.get("seen"), on_screen=True)
        return True


class ReasonForm(CaseForm):
    """A change that asks only for its reason: ``CHANGE`` names it, ``SAID`` says what it does,
    ``WHY`` is the reason's hint; :meth:`change` makes it through the case log."""

    CHANGE = SAID = WHY = ""

    def change(self, reason: str) -> None:
        raise NotImplementedError

    def heading(self) -> str:
        return f"{self.CHANGE.capitalize()} case {self.case['id']}: {self.case['title']}"

    def compose_fields(self) -> ComposeResult:
        yield Static(self.SAID)
        yield row("Reason", TextField(placeholder=self.WHY, id=f"{self.CHANGE}-reason"))

    def submit(self) -> bool:
        self.change(self.typed(f"{self.CHANGE}-reason"))
        return True


class WithdrawDialog(ReasonForm):
    """Withdraw a case logged by mistake, with the reason."""

    SAVE = "Withdraw the case"
    CHANGE = "withdraw"
    SAID = ("For a case logged by mistake: it leaves the lists, what is due and the reports, and stays on the "
            "record (status:withdrawn finds it). ctrl+s withdraws it.")
    WHY = "why it is withdrawn (needed)"

    def change(self, reason: str) -> None:
        self.app.caselog.withdraw(self.case["id"], reason, seen=self.case.get("seen"), on_screen=True)


class ReinstateDialog(ReasonForm):
    """Bring back a case withdrawn by mistake, with the reason."""

    SAVE = "Reinstate the case"
    CHANGE = "reinstate"
    SAID = ("For a case withdrawn by mistake: it goes back to the status it was withdrawn from, and to the "
            "lists, what is due and the reports. ctrl+s reinstates it.")
    WHY = "why it is brought back (needed)"

    def change(self, reason: str) -> None:
        self.app.caselog.reinstate(self.case["id"], reason, seen=self.case.get("seen"), on_screen=True)
