"""One case's screen: what it is, its rules as the case log accounts for them, the moves open
now, the clauses it cites, its attachments and timeline, and a key for each change the
lifecycle allows it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...caselog.timeline import describe, header_dates
from ...errors import UserError
from ...text import plain, terminal
from ..forms import CaseForm
from .base import DetailScreen


#: The case screen's keys for changes, and the lifecycle's name of each change.
CASE_KEYS = {"a": "note", "e": "edit", "m": "move", "c": "close_case", "o": "reopen_case", "w": "withdraw_case",
             "r": "reinstate_case", "f": "attach", "h": "assign_case"}
ACTION_CHANGES = {"note": "note", "edit": "update", "move": "advance", "close_case": "close",
                  "reopen_case": "reopen", "withdraw_case": "withdraw", "reinstate_case": "reinstate",
                  "attach": "attach", "assign_case": "assign"}


#: How each outcome of a rule is marked on the case screen.
OUTCOME_MARKS = {"breach": ("BREACH", "bold reverse"), "warning": ("WARNING", "bold"),
                 "exception": ("EXCEPTION", "bold"), "met": ("MET", ""), "unchecked": ("NOT CHECKED", "bold"),
                 "not-applicable": ("DOES NOT APPLY", "")}


def rules_text(case: dict, compact, name: str) -> Text:
    """Every rule of the case's compact for its kind, as the case log accounts for it: broken,
    met, a noted exception, not checked (with the form's field that supplies what it needs, ``e``
    to change) or not applying; each reading marked as one."""
    from ...rules.notice import label, needs_phrase, no_rule_for
    from .quicklog import DATE_LABELS

    out = Text()
    out.append("\nRules\n", style="bold")
    if not case["checks"]:
        said = f"None: {no_rule_for(name, case['kind'])}" if compact is not None else \
            f"Not checked: the compact {name} is not installed."
        out.append_text(plain(said + "\n"))
    supply = {**{k: f"{v}, e to change" for k, v in DATE_LABELS.items()},
              "in_writing": "'Not given in writing', e to change"}
    for c in case["checks"]:
        word, style = OUTCOME_MARKS.get(c["outcome"], (c["outcome"].upper(), "bold"))
        out.append(word, style=style)
        out.append(" ")
        rule = next((r for r in compact.rules if r.id == c["rule_id"]), None) if compact else None
        message = c["message"]
        if c["outcome"] == "unchecked" and rule is not None and c["needs"] and "previous" not in c["needs"]:
            message = f"{label(compact, rule)}: needs {needs_phrase(tuple(c['needs']), supply)}."
        out.append_text(plain(message))
        out.append("\n")
        if c["standing"] == "reading":
            out.append("  READING", style="bold")
            out.append(" the rule is not stated by the text: ", style="italic")
            out.append_text(plain(c["reading"] + "\n"))
        if c["outcome"] in ("breach", "warning") and c["severity_standing"] == "reading":
            out.append("  READING", style="bold")
            out.append(f" the severity ({terminal(c['outcome'])}) is ours: ", style="italic")
            out.append_text(plain(c["severity_reading"] + "\n"))
    return out


def stage_title(compact, stage_id: str) -> str:
    """A stage of the compact's procedure by its title (its id where the compact is not
    installed or no longer has it)."""
    stage = compact.procedure.stage(stage_id) if compact and compact.procedure else None
    return stage.title if stage else stage_id


def head_text(case: dict, compact, name: str) -> Text:
    """What the case is: its title, kind, compact, status and holder, its dates, parties,
    stage or outcome, why it was withdrawn, what is due, and its procedure's note."""
    head = Text()
    head.append_text(plain(case["title"]))
    head.stylize("bold")
    head.append_text(plain(f"\n{case['kind']} under {name} · {case['status']}"
                           + (" · confidential" if case["confidential"] else "") + f" · held by {case['owner']}"))
    dates = "  ".join(header_dates(case))
    head.append_text(plain(f"\n{dates}"))
    if case["parties"]:
        head.append("\nParties: ")
        head.append_text(plain("; ".join(case["parties"])))
    if case["stage"]:
        head.append_text(plain(f"\nStage: {stage_title(compact, case['stage'])}"
                               + (f" (outcome: {case['outcome']})" if case["outcome"] else "")))
    if case["outcome"] and not case["stage"]:
        head.append_text(plain(f"\nOutcome: {case['outcome']}"))
    if case["status"] == "withdrawn":
        reason = next((e["note"] for e in reversed(case["events"]) if e["action"] == "withdrawn"), "")
        head.append("\nWithdrawn", style="bold reverse")
        head.append_text(plain(f": {reason} (out of the lists, what is due and the reports)"))
    if case["due"]:
        head.append_text(plain(f"\nDue {case['due']}: {case['due_what']}"))
    if case["procedure_note"]:
        head.append("\n")
        head.append_text(plain(case["procedure_note"]))
    return head


def moves_text(case: dict) -> Text:
    """The moves of its dispute procedure open now (``m``), each reading and condition marked."""
    moves = Text()
    if case["next"]:
        moves.append("Moves allowed now (m)\n", style="bold")
        for m in case["next"]:
            moves.append_text(plain(f"  {m['title']}\n"))
            marks = Text("    ")  # on a line of their own, so a long title never splits them
            if m["standing"] == "reading" or any(c["standing"] == "reading" for c in m["conditions"]):
                marks.append("(reading)  ", style="bold")
            if m["conditions"]:
                count = len(m["conditions"])
                marks.append(f"needs {count} condition{'' if count == 1 else 's'}", style="italic")
            if marks.plain.strip():
                marks.rstrip()
                moves.append_text(marks)
                moves.append("\n")
    return moves


def timeline_text(case: dict, compact) -> Text:
    """Its attachments, then its timeline: each event in words, with its note."""
    timeline = Text()
    if case["attachments"]:
        timeline.append("\nAttachments (f adds one)\n", style="bold")
        for a in case["attachments"]:
            timeline.append_text(plain(f"  {a['n']}. {a['name']}  ({a['size']:,} bytes, SHA-256 "
                                       f"{a['sha256'][:12]}...)\n"))
    timeline.append("\nTimeline\n", style="bold")
    for e in case["events"]:
        timeline.append_text(plain(f"{e['happened_on']}  {e['action']:<8} {e['actor']}"))
        said = describe(e, lambda stage_id: stage_title(compact, stage_id))
        if said:
            timeline.append(": ")
            timeline.append_text(plain(said))
        if e["note"]:
            timeline.append(" · " if said else ": ")
            timeline.append_text(plain(e["note"]))
        timeline.append("\n")
    return timeline


class CaseScreen(DetailScreen):
    """One case: what it is, its findings, the moves open now, cited clauses, timeline."""

    BINDINGS = [
        Binding("a", "note", "Note", id="add_note"),
        Binding("e", "edit", "Change", id="edit_case"),
        Binding("m", "move", "Move", id="move_dispute"),
        Binding("c", "close_case", "Close", id="close_case"),
        Binding("o", "reopen_case", "Reopen", id="reopen_case"),
        Binding("w", "withdraw_case", "Withdraw", id="withdraw_case"),
        Binding("r", "reinstate_case", "Reinstate", id="reinstate_case"),  # only on a withdrawn case
        Binding("f", "attach", "Attach", id="attach_file"),
        Binding("g", "get_file", "Get file", id="get_file"),  # only when it has one
        Binding("h", "assign_case", "Hand over", id="assign_case"),
    ]

    def __init__(self, case_id: int):
        super().__init__()
        self.case_id = case_id
        self.case: dict = {}
        self.HEADING = f"case {case_id}"

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(id="case-body"):
            yield Static(id="case-head")
            yield Static(id="case-findings")
            yield Static(id="case-next")
            yield OptionList(id="case-cites", markup=False)
            yield Static(id="case-timeline")

    def on_mount(self) -> None:
        self.refresh_case()
        self.query_one("#case-body").focus()

    def refresh_case(self) -> None:
        try:
            self.case = case = self.app.caselog.get(self.case_id)
        except UserError as exc:
            self.app.fail(exc)
            return
        compact = self.app.registry.get(case["compact"])
        name = compact.info.name if compact else case["compact"]
        self.query_one("#case-head", Static).update(head_text(case, compact, name))
        self.query_one("#case-findings", Static).update(rules_text(case, compact, name))
        self.query_one("#case-next", Static).update(moves_text(case))
        cites = self.query_one("#case-cites", OptionList)
        cites.clear_options()
        for ref in case["cites"]:
            clause = compact.clause(ref) if compact else None
            label = Text.assemble((f"Cites {plain(ref).plain}: ", "bold"), plain((clause.text[:120] + "...") if clause else ""))
            cites.add_option(Option(label, id=ref))
        cites.display = bool(case["cites"])
        self.query_one("#case-timeline", Static).update(timeline_text(case, compact))
        self.refresh_bindings()  # which of c, o, w, m and e apply now

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.open_clause(self.case["compact"], event.option.id)

    def change_in(self, change: str, form: type[CaseForm], said: str = "") -> None:
        """The ``form`` for ``change``, if the lifecycle allows it (else why not); once saved,
        the case shown again, and ``said`` said (``closed``)."""
        if self.offered(change):
            after = (lambda: self.done(said)) if said else self.refresh_case
            self.app.push_screen(form(self.case), lambda done: done and after())

    def action_note(self) -> None:
        from .dialogs import NoteDialog

        self.change_in("note", NoteDialog)

    def action_attach(self) -> None:
        from .dialogs import AttachDialog

        self.change_in("attach", AttachDialog)

    def action_edit(self) -> None:
        from .edit import EditDialog

        self.change_in("update", EditDialog)

    def action_move(self) -> None:
        from .dialogs import MoveDialog

        self.change_in("advance", MoveDialog)

    def action_close_case(self) -> None:
        from .putright import CloseDialog

        self.change_in("close", CloseDialog, "closed")

    def offered(self, change: str) -> bool:
        """Whether the lifecycle allows ``change`` on the case as shown; if not, it says why."""
        if not self.case:
            return False
        if change in self.case.get("allowed", ()):
            return True
        from ...caselog.lifecycle import refusal

        why = refusal(change, self.case, self.app.registry.get(self.case["compact"]), self.app.registry)
        self.app.notify(terminal(why or f"That cannot be done to case {self.case_id} now."), severity="warning",
                        markup=False)  # the sentence holds stored text: shown as typed
        return False

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Only the changes the lifecycle allows the case as shown are offered (in the keys
        bar, and run by their key); a key for one it does not allow says why (``on_key``)."""
        if action == "get_file":  # offered once the case has a file to get back
            return not self.case or bool(self.case.get("attachments"))
        if not self.case or action not in CASE_KEYS.values():
            return True
        return ACTION_CHANGES[action] in self.case.get("allowed", ())

    def on_key(self, event) -> None:
        action = CASE_KEYS.get(event.key)
        if action is not None and self.case and not self.check_action(action, ()):
            event.stop()
            self.offered(ACTION_CHANGES[action])

    def action_reopen_case(self) -> None:
        from ..forms import ConfirmDialog

        if self.offered("reopen"):
            self.app.push_screen(ConfirmDialog(f"Reopen case {self.case_id}? Its outcome is cleared and what is due "
                                               "is worked out again.", yes="Reopen", no="Keep closed"), self.reopen)

    def reopen(self, yes: bool | None) -> None:
        if not yes:
            return
        try:
            self.app.caselog.reopen(self.case_id, seen=self.case.get("seen"), on_screen=True)
        except UserError as exc:
            self.app.fail(exc)
            self.refresh_case()
            return
        self.done("reopened")

    def action_withdraw_case(self) -> None:
        from .putright import WithdrawDialog

        self.change_in("withdraw", WithdrawDialog, "withdrawn")

    def action_assign_case(self) -> None:
        from .operations import AssignForm

        self.change_in("assign", AssignForm, "handed over")

    def action_get_file(self) -> None:
        from .operations import GetFileForm

        if not self.case.get("attachments"):
            self.app.notify(f"Case {self.case_id} has no file attached (f attaches one).", severity="warning")
            return
        self.app.push_screen(GetFileForm(self.case))

    def action_reinstate_case(self) -> None:
        from .putright import ReinstateDialog

        self.change_in("reinstate", ReinstateDialog, "reinstated")

    def done(self, what: str) -> None:
        self.app.notify(f"Case {self.case_id} {what}.")
        self.refresh_case()
