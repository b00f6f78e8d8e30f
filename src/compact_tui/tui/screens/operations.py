"""The case operations the command line had and the app lacked, as forms on the one base:
hand a case to another officer (``h`` on a case), get an attached file back (``g``), write
what is due to a calendar file (``x`` on Due), and import cases from a CSV file (``i`` on
Cases), its dry run shown first. Each calls the core's own function, as the command does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ...text import one_line, plain, terminal
from ..forms import CaseForm, Choice, FormScreen, TextField, TickBox, row


class AssignForm(CaseForm):
    """Hand a case to another officer (``CaseLog.set_owner``)."""

    SAVE = "Hand it over"

    def heading(self) -> str:
        return f"Hand case {self.case['id']} to another officer (held by {self.case['owner']})"

    def compose_fields(self) -> ComposeResult:
        yield row("To", TextField(placeholder="the officer's name", id="assign-to"))
        yield row("Note", TextField(placeholder="optional: why", id="assign-note"))

    def submit(self) -> bool:
        self.app.caselog.set_owner(self.case["id"], self.typed("assign-to"),
                                   note=self.typed("assign-note"))
        return True


class GetFileForm(CaseForm):
    """Get an attached file back, byte for byte, if it is still what was attached
    (``attachments.content``), into a new file (``attachments.save`` never overwrites)."""

    SAVE = "Write the file"

    def heading(self) -> str:
        return f"Get a file of case {self.case['id']} back"

    def compose_fields(self) -> ComposeResult:
        files = self.case["attachments"]
        yield row("File", Choice([(plain(f"{a['n']}. {a['name']}"), str(a["n"])) for a in files],
                                 value=str(files[-1]["n"]), id="get-n"))
        yield row("Write it to", TextField(value=str(Path.home() / one_line(files[-1]["name"])), id="get-path"))
        yield Static(Text("(a file there already is left as it is)", style="italic"))

    def on_choice_changed(self, event: Choice.Changed) -> None:
        """Another file chosen: its own name in the path, in the same folder."""
        item = next(a for a in self.case["attachments"] if str(a["n"]) == event.value)
        path = self.query_one("#get-path", TextField)
        path.value = str(Path(path.value).expanduser().parent / one_line(item["name"]))

    def submit(self) -> bool | None:
        from ...caselog.attachments import content, save

        where = self.typed("get-path").strip()
        if not where:
            self.show_error("Say where to write the file.")
            return None
        item, data = content(self.app.caselog, self.case["id"], int(self.query_one("#get-n", Choice).value))
        path = Path(where).expanduser()
        save(data, path)
        self.app.notify(terminal(f"Wrote {item['name']} ({len(data):,} bytes) to {path}."), markup=False, timeout=10)
        return True


class CalendarForm(FormScreen[bool]):
    """Write what is due to an iCalendar file (``reminders.to_ics``, as ``deadlines --ics``)."""

    SAVE = "Write the calendar"

    def heading(self) -> str:
        return "Write what is due to a calendar file"

    def compose_fields(self) -> ComposeResult:
        yield row("File", TextField(value=str(Path.home() / "compact-deadlines.ics"), id="ics-path"))
        yield row("Look ahead", TextField(value="60", id="ics-within", placeholder="days (14), weeks (2w), months (1m)"))
        yield TickBox("Name confidential cases (by default only their number)", id="ics-confidential", compact=True)

    def submit(self) -> bool | None:
        from ...due.deadlines import deadlines, unchecked_rules
        from ...due.reminders import to_ics
        from ...report import write_report
        from ...rules.dates import days_ahead

        where = self.typed("ics-path").strip()
        if not where:
            self.show_error("Say where to write the calendar.")
            return None
        today = date.today()
        days = days_ahead(self.typed("ics-within").strip() or "60", today, "The look-ahead")
        confidential = self.query_one("#ics-confidential", TickBox).value
        log = self.app.caselog
        items = deadlines(log.store, log.registry, today=today, within_days=days)
        unchecked = unchecked_rules(log.store, log.registry)
        path = Path(where).expanduser()
        write_report(path, to_ics(items, log.registry, store=log.store, today=today, within_days=days,
                                  include_confidential=confidential, unchecked=unchecked), confidential=confidential)
        also = "" if not unchecked else ", and the rule not checked" if len(unchecked) == 1 else \
            f", and the {len(unchecked)} rules not checked"
        self.app.notify(terminal(f"Wrote {path}: what is due in the next {days} days{also}."), markup=False,
                        timeout=10)
        return True


class ImportForm(FormScreen[list]):
    """Import cases from a CSV file (``transfer.import_file``): ``ctrl+s`` first checks every
    row and shows what would happen (the dry run); only a second ``ctrl+s``, with the file and
    compact unchanged since, writes them. Closes with the new cases' ids."""

    SAVE = "Check the file"

    def __init__(self):
        super().__init__()
        self.checked: tuple[str, str | None] | None = None  # what the dry run shown was of

    def heading(self) -> str:
        return "Import cases from a CSV file (all rows or none)"

    def compose_fields(self) -> ComposeResult:
        yield row("File", TextField(placeholder="path of the CSV file", id="import-path"))
        yield row("Compact", Choice([("from the file's compact column", "")]
                                    + [(plain(c.info.name), c.id) for c in self.app.registry], value="",
                                    id="import-compact"))
        yield Static(id="import-result")

    def asked(self) -> tuple[str, str | None]:
        return (self.typed("import-path").strip(),
                self.query_one("#import-compact", Choice).value or None)

    def on_input_changed(self, event: TextField.Changed) -> None:
        self.forget_check()

    def on_choice_changed(self, event: Choice.Changed) -> None:
        self.forget_check()

    def forget_check(self) -> None:
        if self.checked is not None:
            self.checked = None
            self.query_one("#import-result", Static).update("")
            self.query_one("#save").label = f"{self.SAVE} (ctrl+s)"

    def submit(self) -> list | None:
        from ...caselog.transfer import import_file

        path, compact = self.asked()
        if not path:
            self.show_error("Give the path of the CSV file.")
            return None
        dry_run = self.checked != (path, compact)
        result = import_file(self.app.caselog, Path(path).expanduser(), compact, dry_run=dry_run)
        self.show_error("")
        if result.errors:
            self.checked = None
            self.show_result(result, f"{len(result.errors)} of {result.rows} rows "
                                     f"{'has a problem' if len(result.errors) == 1 else 'have problems'}; "
                                     "nothing can be imported until they are put right:", result.errors)
            return None
        if dry_run:
            self.checked = (path, compact)
            one = result.rows == 1
            cases = f"{result.rows:,} case{'' if one else 's'}"
            self.show_result(result, f"{'The' if one else 'All'} {cases} can be imported ({result.findings:,} "
                                     f"finding{'s' if result.findings != 1 else ''}). Nothing is written yet: "
                                     f"ctrl+s imports {'it' if one else 'them'}.", result.warnings)
            self.query_one("#save").label = f"Import {cases} (ctrl+s)"
            return None
        ids = result.ids
        self.app.notify(f"Imported case {ids[0]}." if len(ids) == 1 else f"Imported {len(ids):,} cases"
                        + (f" (case {ids[0]} to {ids[-1]})." if ids else "."), markup=False, timeout=10)
        return result.ids

    def show_result(self, result, said: str, lines: list[str]) -> None:
        text = Text(said, style="bold")
        for line in lines[:6]:
            text.append("\n  ")
            text.append_text(plain(line))
        if len(lines) > 6:
            text.append(f"\n  ... and {len(lines) - 6} more ('compact-tui import --dry-run --json' lists them all)")
        self.query_one("#import-result", Static).update(text)

