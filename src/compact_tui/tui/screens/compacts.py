"""Reading the compacts: the list, one compact by section, one clause, a theme compared."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, HorizontalScroll, Vertical, VerticalScroll
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from ...text import one_line, plain, terminal
from .base import BaseScreen, DetailScreen

if TYPE_CHECKING:
    from ...content.model import Clause, Compact, Standing


COLUMN_LABELS = {"name": "Compact", "status": "Status", "principles": "Prin", "undertakings": "Undt",
                 "rules": "Rules", "above": "One level up"}


class CompactsScreen(BaseScreen):
    SECTION = "compacts"
    HEADING = "installed compacts"
    BINDINGS = [Binding("t", "compare", "Compare", id="compare_theme")]

    def compose_body(self) -> ComposeResult:
        yield DataTable(id="compacts", cursor_type="row", zebra_stripes=True)
        with Vertical(id="compact-summary-frame"):  # its border is not redrawn with the summary
            yield Static(id="compact-summary")

    def on_mount(self) -> None:
        self.show_compacts()
        self.query_one(DataTable).focus()

    def columns(self) -> dict[str, int]:
        """The columns and their widths for this terminal: the name takes the width left, so
        the table never scrolls sideways; under 80 columns only name, status and rules (the
        summary below says the rest)."""
        narrow = self.app.size.width < 80
        fixed = {"status": 13, "rules": 5} if narrow else {"status": 13, "principles": 4, "undertakings": 4,
                                                             "rules": 5, "above": 13}
        # a scroll bar only when the rows' lines are more than there is room for
        rows = sum(2 if row.get("status_reading") else 1 for row in self.app.compact_rows())
        scroll_bar = 2 if rows > self.app.size.height - 10 else 0
        name = max(12, self.app.size.width - sum(w + 2 for w in fixed.values()) - 2 - scroll_bar)
        return {"name": name, **fixed}

    def show_compacts(self) -> None:
        """Fill the list from ``app.compact_rows()``: on a start from the snapshot, its rows,
        so the first frame needs neither the model nor the registry."""
        table = self.query_one(DataTable)
        self.shape = self.columns()
        table.clear(columns=True)
        for key, width in self.shape.items():
            # Text, not str: a str label or cell is read as markup (slower, and never wanted here)
            table.add_column(Text(COLUMN_LABELS[key]), key=key, width=width)
        self.rows = {row["key"]: row for row in self.app.compact_rows()}
        for row in self.rows.values():
            cells = {"name": plain(row["name"]), "status": status_cell(row), "above": plain(row["above"]),
                     **{k: Text("-" if row[k] is None else str(row[k])) for k in ("principles", "undertakings", "rules")}}
            table.add_row(*(cells[key] for key in self.shape), key=row["key"],
                          height=2 if row.get("status_reading") else 1)

    def on_resize(self) -> None:
        if self.is_mounted and self.columns() != getattr(self, "shape", None):
            self.show_compacts()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(event.row_key.value)
        if row is not None:
            status = f" ({row['status']}, a reading: {row['status_reading']})" if row.get("status_reading") else ""
            above = f"One level up: {row['above']}. {row['parent_says']}\n" if row.get("parent_says") else ""
            text = Text.assemble((one_line(row["name"]), "bold"),
                                 f"  {one_line(row['area'])}; {one_line(row['revision'] or row['status'])}"
                                 f"{one_line(status)}\n",
                                 f"Sides: {one_line(row['statutory'])} / {one_line(row['vcs'])}\n",
                                 one_line(above) + ("\n" if above else ""), terminal(row["summary"]))
            if not row["available"]:
                text = unavailable_text(row)
            self.query_one("#compact-summary", Static).update(text)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = self.rows.get(event.row_key.value)
        if row is not None and not row["available"]:
            self.app.notify(unavailable_text(row).plain, severity="warning", markup=False, timeout=12)
            return
        self.app.open_compact(event.row_key.value)

    def action_compare(self) -> None:
        self.app.push_screen(ThemePicker())


def status_cell(row: dict) -> Text:
    """The Status cell: the word, and under it "(a reading)", as ``show`` says it, where the status is our reading and
    not the text's (the summary below says why); a line of its own keeps the name whole at 80
    columns."""
    cell = plain(row["status"])
    if row.get("status_reading"):
        cell.append("\n(a reading)", style="bold")
    return cell


class CompactScreen(DetailScreen):
    """One compact: its sections on the left, the selected section's clauses on the right."""

    SECTION = "compacts"
    BINDINGS = [
        Binding("r", "rules", "Rules", id="show_rules"),
        Binding("d", "procedure", "Disputes", id="show_procedure"),
        Binding("tab", "focus_next", "Switch pane", id="switch_pane", show=False),
    ]

    def __init__(self, compact: Compact):
        super().__init__()
        self.compact = compact
        self.targets: dict[str, str] = {}
        self.HEADING = compact.info.name

    def compose_body(self) -> ComposeResult:
        with Horizontal():
            yield OptionList(*[Option(plain(f"{s.ref} {s.title}" + (" (pending)" if s.pending else "")), id=s.ref)
                               for s in self.compact.sections], id="sections", markup=False)
            yield OptionList(id="clauses", markup=False)

    def on_mount(self) -> None:
        sections = self.query_one("#sections", OptionList)
        sections.focus()
        if self.compact.sections:
            sections.highlighted = 0

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_list.id == "sections":
            self.show_section(event.option.id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "sections":
            self.query_one("#clauses", OptionList).focus()
        elif self.targets.get(event.option.id):
            self.app.open_clause(self.compact.id, self.targets[event.option.id])

    def fill(self, options: list[tuple[Text, str]]) -> None:
        """Show ``(text, clause ref or "")`` in the right pane; enter opens the clause."""
        clauses = self.query_one("#clauses", OptionList)
        clauses.clear_options()
        self.targets = {f"o{i}": ref for i, (_, ref) in enumerate(options)}
        clauses.add_options([Option(text, id=f"o{i}") for i, (text, _) in enumerate(options)])

    def show_section(self, ref: str) -> None:
        section = self.compact.section(ref)
        if section is None:
            return
        options = []
        if section.pending:
            options.append((plain(f"{section.note}\n\nWhere to turn: {self.above_name()}"), ""))
        elif section.note:  # how the section was read into clauses (and counted): ours, so said to be
            options.append((Text.assemble(("Our note, not the text: ", "italic"), terminal(section.note)), ""))
        options += [(clause_line(self.compact, c), c.ref) for c in self.compact.in_section(ref)]
        self.fill(options)

    def above_name(self) -> str:
        above, name = self.app.registry.above(self.compact)
        if above is not None:
            return above.info.name
        return f"{name} (not installed here)" if name else "its text names no compact above it"

    def action_rules(self) -> None:
        from ...content.quotes import quote_source  # not before the first frame, which needs no model

        options = []
        if not self.compact.rules:
            options.append((plain("This compact states no notice or timing rule."), ""))
        for rule in self.compact.rules:
            period = f"{rule.period.describe()}; " if rule.period else ""
            text = Text.assemble((terminal(f"{rule.ref}  {rule.title}\n"), "bold"),
                                 f"{rule.type}, {period}{rule.severity}; applies to {rule.applies_to}\n")
            text.append_text(standing_text(rule.standing, source=quote_source(self.compact, rule.states, rule.ref)))
            if rule.severity_standing.is_reading:
                text.append_text(standing_text(rule.severity_standing, f"Severity ({rule.severity})"))
            if rule.note:  # a reading's note is how we apply our reading, not what the text says
                how = "How our reading is applied: " if rule.standing.is_reading else "How it is applied: "
                text.append_text(Text.assemble((how, "italic"), terminal(rule.note), "\n"))
            text.rstrip()
            options.append((text, rule.ref))
        self.fill(options)
        self.query_one("#clauses", OptionList).focus()

    def action_procedure(self) -> None:
        from ...content.quotes import quote_source

        proc = self.compact.procedure
        options = []
        if proc is None or proc.pending or proc.states_none:
            note = "The text states no dispute procedure." if proc is None or proc.states_none else ""
            note = " ".join(n for n in (note, proc.note if proc else "") if n)
            options.append((plain(f"{note}\n\nWhere to turn: {self.above_name()}"), ""))
        elif proc.elsewhere:
            text = Text("Outlined separately (not in this text)\n", style="bold")
            text.append("No steps are given, so a dispute under this compact is logged, noted and closed by hand.\n")
            text.append_text(standing_text(proc.standing, source=quote_source(self.compact, proc.states, proc.ref)))
            text.append(terminal(proc.note))
            options.append((text, proc.ref))
        else:
            if proc.note:
                options.append((plain(proc.note), ""))
            if proc.standing.is_reading:
                options.append((standing_text(proc.standing, "The procedure as walked",
                                              quote_source(self.compact, proc.states, proc.ref)), ""))
            for i, stage in enumerate(proc.stages, 1):
                moves = ", ".join(m.to_stage + (" (reading)" if m.standing.is_reading else "")
                                  for m in proc.moves_from(stage.id))
                tail = f"ends: {stage.outcome}" if stage.outcome else f"then: {moves}"
                text = Text.assemble((terminal(f"{i}. {stage.title}"), "bold"), terminal(f"  [{stage.ref}]\n" if stage.ref else "\n"))
                text.append_text(standing_text(stage.standing, source=quote_source(self.compact, stage.states,
                                                                                    stage.ref)))
                for move in proc.moves_from(stage.id):
                    if move.standing.is_reading:
                        text.append_text(standing_text(move.standing, f"Move to {move.to_stage}",
                                                       quote_source(self.compact, move.states)))
                    for cond in move.conditions:
                        if cond.standing.is_reading:
                            text.append_text(standing_text(cond.standing, f"Condition ({move.to_stage})",
                                                           quote_source(self.compact, cond.states, cond.ref)))
                text.append(tail, style="italic")
                options.append((text, stage.ref))
        self.fill(options)
        self.query_one("#clauses", OptionList).focus()


def unavailable_text(row: dict) -> Text:
    """Why a compact (or a plugin) cannot be used: the reason, then its problems, as ``plugin
    check`` reports them."""
    problems, name = row["problems"], row["name"]
    check = f"compact-tui plugin check {row['id'] or row['plugin']}"
    shown = problems[:4] + ([f"... and {len(problems) - 4} more"] if len(problems) > 4 else [])
    if ": cannot be used: " in row["reason"]:  # problems with its content: they say it all
        head = f" cannot be used: {len(problems)} problem{'s' if len(problems) != 1 else ''} ('{check}')\n"
    else:
        head = f" cannot be used ('{check}'):\n"
        shown = [row["reason"]] + [p for p in shown if p not in row["reason"]]
    return Text.assemble((plain(name).plain, "bold"), head, plain("\n".join(shown)))


def standing_text(standing: Standing, what: str = "", source: str = "") -> Text:
    """A claim's standing: the source's words where it states it, with the clause they are in
    (``source``, from ``content.quotes.quote_source``); READING, with why, where the claim is
    ours. Every line ends in a newline."""
    lead = f"{what}: " if what else ""
    where = f" ({terminal(source)})" if source else ""
    if standing.is_reading:
        text = Text.assemble((f"{lead}READING", "bold reverse"), (" not stated by the text: ", "italic"),
                             terminal(standing.reading), "\n")
        if standing.states:
            text.append_text(Text.assemble((f"The text{where}: ", "italic"), f"'{terminal(standing.states)}'\n"))
        return text
    if standing.states:
        return Text.assemble((f"{lead}Stated{where}: ", "italic"), f"'{terminal(standing.states)}'\n")
    return Text(f"{lead}(no source words)\n", style="italic")


def clause_line(compact: Compact, clause: Clause) -> Text:
    side = compact.info.sides.name(clause.party)
    return Text.assemble((one_line(clause.ref), "bold"), one_line(f"  {clause.kind} · {side} · {clause.theme}") + "\n",
                         terminal(clause.text))


class ClauseScreen(DetailScreen):
    """One clause in full, with its reference, side and theme."""

    def __init__(self, compact: Compact, clause: Clause):
        super().__init__()
        self.compact, self.clause = compact, clause
        self.HEADING = f"{compact.info.name} {clause.ref}"

    def compose_body(self) -> ComposeResult:
        c, info = self.clause, self.compact.info
        section = self.compact.section(c.section)
        body = Text.assemble(
            (one_line(f"{info.name} {c.ref}") + "\n", "bold"),
            one_line(f"Section: {section.ref + ' ' + section.title if section else '-'}") + "\n",
            one_line(f"Kind: {c.kind}   Side: {info.sides.name(c.party)}   Theme: {c.theme}") + "\n\n",
            terminal(c.text))
        if c.note:
            body.append("\n\nNote: ", style="italic")
            body.append(terminal(c.note))
        with VerticalScroll(id="clause-body"):
            yield Static(body)

    def on_mount(self) -> None:
        self.query_one("#clause-body").focus()


class ThemePicker(DetailScreen):
    """Choose a theme to compare across the compacts."""

    HEADING = "compare a theme"

    def compose_body(self) -> ComposeResult:
        from ...content.lookup import themes

        yield OptionList(*[Option(t, id=t) for t in themes(self.app.registry)], id="themes", markup=False)

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.app.switch_screen(CompareScreen(event.option.id))


class CompareScreen(DetailScreen):
    """One theme side by side: a column per compact; left and right move between them."""

    BINDINGS = [Binding("left", "column(-1)", "Prev", id="prev_column", priority=True),
                Binding("right", "column(1)", "Next", id="next_column", priority=True)]

    def __init__(self, theme: str):
        super().__init__()
        self.theme = theme
        self.HEADING = f"theme: {theme}"

    def compose_body(self) -> ComposeResult:
        from ...content.lookup import by_theme

        found = by_theme(self.app.registry, self.theme)
        with HorizontalScroll(id="compare"):
            for compact in self.app.registry:
                clauses = found.get(compact.id, [])
                text = Text(one_line(compact.info.name) + "\n", style="bold")
                if not clauses:
                    text.append("Says nothing on this theme.", style="italic")
                for clause in clauses:
                    text.append(f"\n{one_line(clause.ref)} ", style="bold")
                    text.append(one_line(f"({compact.info.sides.name(clause.party)})") + "\n", style="italic")
                    text.append(terminal(clause.text) + "\n")
                with VerticalScroll(classes="compare-column", id=f"col-{compact.id}"):
                    yield Static(text)

    def on_mount(self) -> None:
        self.fit_columns()
        self.query(".compare-column").first().focus()

    def on_resize(self) -> None:
        self.fit_columns()

    def fit_columns(self) -> None:
        """As many whole columns as the terminal has room for (two at 80, one at 60): a column
        is never shown cut at the right edge; left and right go to the others."""
        width = self.app.size.width
        shown = max(1, width // 39)
        for column in self.query(".compare-column"):
            column.styles.width = width // shown

    def action_column(self, step: int) -> None:
        columns = list(self.query(".compare-column"))
        current = next((i for i, c in enumerate(columns) if c.has_focus), 0)
        target = columns[(current + step) % len(columns)]
        target.focus()
        target.scroll_visible()
