"""The Cases list: it filters as you type (one case's screen is ``case.py``).

What is typed into the Cases filter is read in a thread (``CaseLog.reader``), so a key is drawn
at once however long its cases take; each first page asked for is numbered, and only the latest
one asked for is ever shown (a read a newer key has made stale is stopped, and if it answers
anyway its answer is dropped)."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Input, Static

from ...caselog.case_list import FINDINGS, SORTS, STATUSES, CaseFilter, mark_readings, unfinished
from ...caselog.case_list import finding_mark as case_finding_mark
from ...errors import UserError
from ...text import plain
from .base import BaseScreen

PAGE = 100
#: A filter's read still under way after this many seconds says so below the list.
SAY_SEARCHING_AFTER = 0.25
#: the columns before the title, by key, with their widths (a column's last cell is the gap
#: before the next: no cell padding); narrow (under 80 columns) or wide
SHAPES = {True: {"id": 7, "finding": 2, "due": 11},
          False: {"id": 7, "finding": 2, "compact": 12, "kind": 15, "status": 7, "due": 11}}
LABELS = {"id": "#", "finding": "!", "compact": "Compact", "kind": "Kind", "status": "Status", "due": "Due"}


#: How the status line names each sort (short enough that the line fits 80 columns).
SORT_WORDS = {"newest": "newest first", "oldest": "oldest first", "due": "by due date", "title": "by title"}
#: How the mark of a case's worst finding (``case_list.finding_mark``) is drawn.
FINDING_STYLES = {"breach": "bold reverse", "warning": "bold"}


def status_line(loaded: int, exhausted: bool, sort: str, notes: list[str], width: int,
                readings: bool = False) -> str:
    """The Cases list's status line: how many cases, the sort, and the marks (``readings``: the
    lower-case ones too, where a row shows one; their hint dropped where the line is ``width``
    or wider) or what in the filter names nothing yet."""
    if not loaded:
        found = "No cases match"
    elif not exhausted:
        found = f"{loaded}+ cases (more below)"
    else:
        found = f"{loaded} case{'' if loaded == 1 else 's'}"
    marks = "B breach, W warning" + ("; b, w a reading" if readings else "")
    said = " · ".join(notes) if notes else f"{marks} (finding:breach)"
    line = f"{found} · {SORT_WORDS.get(sort, f'by {sort}')} · {said}"
    return line.removesuffix(" (finding:breach)") if not notes and len(line) >= width else line


def any_reading(rows: list[dict], app) -> bool:
    """Whether any of ``rows`` is marked b or w, each row's mark worked out first (only where a
    case has a finding), from the compacts list's rows: the snapshot's until the registry is
    built, so the first page does not build it before the first frame."""
    if any(r.get("finding_rules") for r in rows):
        mark_readings(rows, {c["id"]: c["reading_rules"] for c in app.compact_rows() if c["available"]})
    return any(r.get("finding_reading") for r in rows)


def finding_mark(row: dict) -> Text:
    """B a case with a breach, W with a warning; b, w where each such finding is our reading of
    the text, not stated by it (``case_list.mark_readings``)."""
    return Text(case_finding_mark(row), style=FINDING_STYLES.get(row["finding"] or "", ""))


class CasesScreen(BaseScreen):
    """Filter: free words search titles and parties; ``compact:``, ``kind:``, ``status:``,
    ``org:``, ``owner:``, ``finding:breach`` or ``finding:warning`` and the word ``mine`` (the
    cases you hold) narrow it. A case is marked as :func:`finding_mark` says. Rows are
    fetched a page at a time as the cursor nears the end; what is typed into the filter is
    read in a thread (see the module's words)."""

    class PageRead(Message):
        """The first page of the filter read in its thread: ``asked`` is its number."""

        def __init__(self, asked: int, rows: list[dict], error: Exception | None = None):
            super().__init__()
            self.asked, self.rows, self.error = asked, rows, error

    SECTION = "cases"
    #: The list has the focus from the first frame, so the key bar shows its keys (not the
    #: filter's, which Textual would focus first as the first widget that can take it).
    AUTO_FOCUS = "#case-table"
    HEADING = "cases"
    BINDINGS = [
        Binding("s", "cycle_sort", "Sort", id="cycle_sort"),
        Binding("slash,f", "focus_filter", "Filter", id="focus_filter"),
        Binding("escape", "focus_table", "To list", id="focus_table", show=False),
        Binding("i", "import_cases", "Import", id="import_cases"),
    ]

    def __init__(self):
        super().__init__()
        self.filter = CaseFilter()
        self.sort = "newest"
        self.loaded = 0
        self.exhausted = False
        self.table_shape: tuple[bool, int] = (False, 20)
        self.shown_before = False
        self.asked = 0  # the number of the latest first page asked for
        self.notes: list[str] = []  # what in the filter names no compact, kind, status or finding
        self.shown = 0  # the number of the one in the table
        self.held: list[dict] = []  # read, and put into the table just after the next frame
        self.readings = False  # a row shown is marked b or w

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="(filter: words, mine, compact:essex kind:dispute status:open org:NAME)",
                    id="case-filter", compact=True)
        yield DataTable(id="case-table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static(id="case-status")

    def on_mount(self) -> None:
        self.set_columns()
        self.reload()
        self.query_one(DataTable).focus()

    def shape_for(self, width: int) -> tuple[bool, int]:
        """``(narrow, width of the title column)`` for a terminal ``width`` columns wide. From
        80 columns each field has its column and the title takes the width that is left;
        narrower, a case is two lines (its title, then compact, kind and status), so nothing
        needed is cut."""
        narrow = width < 80
        fixed = sum(SHAPES[narrow].values()) + 2  # the other columns, the scroll bar
        return narrow, max(12, width - fixed)

    def set_columns(self) -> None:
        table = self.query_one(DataTable)
        self.table_shape = self.shape_for(self.app.size.width)
        narrow, title_width = self.table_shape
        table.clear(columns=True)
        for key, width in SHAPES[narrow].items():
            table.add_column(Text(LABELS[key]), key=key, width=width)
        table.add_column(Text("Case" if narrow else "Title"), key="title", width=title_width)

    def on_resize(self) -> None:
        if self.is_mounted and self.shape_for(self.app.size.width) != self.table_shape:
            table = self.query_one(DataTable)
            current = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value \
                if table.row_count else None
            self.set_columns()
            self.reload()
            self.add_held()  # the row the cursor was on may be further down the page
            if current is not None and current in table.rows:
                table.move_cursor(row=table.get_row_index(current))

    def on_screen_resume(self) -> None:
        if self.shown_before:  # back from a case or a form: show what changed
            self.reload()
        self.shown_before = True  # the first showing follows on_mount, which has just loaded

    def reload(self) -> None:
        """The first page read again now (the first showing, a sort, a resize, back from a
        case); a filter's read still under way is stopped."""
        self.app.stop_case_reads()
        self.asked += 1
        self.start_page(self.asked)
        try:
            self.load_more()
        except UserError as exc:  # the database cannot be opened: say so, keep the screen
            self.app.fail(exc)

    def start_page(self, asked: int) -> None:
        self.query_one(DataTable).clear()
        self.loaded, self.exhausted, self.shown, self.held = 0, False, asked, []
        self.readings = False

    def load_more(self) -> None:
        if self.held:  # the rest of the page read already
            self.add_held()
            return
        if self.exhausted or self.shown != self.asked:  # no more, or a newer first page is coming
            return
        rows = None
        if self.loaded == 0 and self.filter == CaseFilter() and not self.app.caselog_is_open:
            # at start: the first page straight from the file, so the first frame does not wait
            # for the case log (sqlite-utils, the audit chain, the model) to be imported and opened
            from ...caselog.case_list import first_page

            rows = first_page(self.app.db_path, self.sort, PAGE + 1)
        if rows is None:
            rows = self.app.caselog.list(self.filter, sort=self.sort, limit=PAGE + 1, offset=self.loaded)
        self.add_rows(rows)

    def add_rows(self, rows: list[dict]) -> None:
        """Up to a page of ``rows`` after those loaded (one more tells whether there is more).
        Of the first page at start, only the rows a terminal this tall can show go into the
        table before the first frame; the rest (``held``) just after it, so that frame does not
        wait for them (putting a row into the table and measuring it is most of a page's cost).
        Later pages (a filter, a sort) go in whole: held rows drew the table a second time,
        about 2.5 KB more to the terminal for each key typed into the filter."""
        self.exhausted = len(rows) <= PAGE
        rows = rows[:PAGE]
        self.readings = any_reading(rows, self.app) or self.readings
        if self.loaded == 0 and len(rows) > self.app.size.height and not self.app.first_frame_drawn:
            rows, self.held = rows[:self.app.size.height], rows[self.app.size.height:]
            self.app.after_first_frame(self.add_held)
        self.put_rows(rows)
        self.loaded += len(rows) + len(self.held)
        self.say_found()

    def add_held(self) -> None:
        """The rest of the first page, held back from the frame that showed its start."""
        rows, self.held = self.held, []
        self.put_rows(rows)

    def put_rows(self, rows: list[dict]) -> None:
        table = self.query_one(DataTable)
        narrow = self.table_shape[0]
        for r in rows:
            mark = finding_mark(r)
            title = plain(r["title"])
            if r["confidential"]:
                title.append(" (confidential)", style="italic")
            if narrow:  # one line each: the title (cut with an ellipsis), then what kind of case
                title.append("\n")
                title.append_text(plain(f"{r['compact']} · {r['kind']} · {r['status']}"))
                title.no_wrap, title.overflow = True, "ellipsis"
                table.add_row(Text(str(r["id"])), mark, plain(r["due"]), title, key=str(r["id"]), height=2)
            else:
                table.add_row(Text(str(r["id"])), mark, plain(r["compact"]), plain(r["kind"]), plain(r["status"]),
                              plain(r["due"]), title, key=str(r["id"]))

    def say_found(self) -> None:
        """How many cases, the sort, and the marks; or what in the filter names nothing yet."""
        status = self.query_one("#case-status", Static)
        # one line, always (app.tcss cuts it with an ellipsis): a status line that grew a line
        # laid the screen out again and drew the whole table a second time for each key typed
        # into the filter
        status.update(Text(status_line(self.loaded, self.exhausted, self.sort, self.notes,
                                       status.size.width or self.app.size.width, self.readings)))

    def known(self) -> dict[str, tuple[str, ...]]:
        """The values a field of the filter can name: the installed compacts, the kinds, ..."""
        from ...content.model import CASE_KINDS

        return {"compact": tuple(sorted(c.id for c in self.app.registry)), "kind": CASE_KINDS,
                "status": STATUSES, "finding": FINDINGS}

    def on_input_changed(self, event: Input.Changed) -> None:
        self.filter_typed(event.value, self.known(), typing=True)

    def filter_typed(self, value: str, known: dict[str, tuple[str, ...]], typing: bool) -> None:
        """Read the first page for what is in the filter, unless it names the cases shown
        already; ``typing``: a word of one or two letters at its end is still being typed."""
        flt = CaseFilter.parse(value, known, typing)
        notes = unfinished(value, known, typing)
        if notes != self.notes:
            self.notes = notes
            self.say_found()
        if flt == self.filter:  # the same cases: a space, or a field with no value yet (compact:)
            return
        self.filter = flt
        try:
            reader = self.app.case_reader
        except UserError as exc:
            self.app.fail(exc)
            return
        reader.interrupt()  # the read under way is for what was typed before
        self.asked += 1
        self.read_first_page(reader, flt, self.sort, self.asked)
        self.set_timer(SAY_SEARCHING_AFTER, partial(self.say_searching, self.asked))

    @work(thread=True, group="case-filter")
    def read_first_page(self, reader, flt: CaseFilter, sort: str, asked: int) -> None:
        """In a thread: the first page for ``flt``, posted back unless it was stopped."""
        try:
            rows = reader.page(flt, sort, PAGE + 1)
        except UserError as exc:
            self.post_message(self.PageRead(asked, [], exc))
            return
        if rows is not None:
            self.post_message(self.PageRead(asked, rows))

    def on_cases_screen_page_read(self, message: PageRead) -> None:
        if message.asked != self.asked:  # typed over (or sorted, or reloaded) since: not wanted
            return
        if message.error is not None:
            self.app.fail(message.error)
            return
        self.start_page(message.asked)
        self.add_rows(message.rows)

    def say_searching(self, asked: int) -> None:
        if asked == self.asked and self.shown != asked:
            self.query_one("#case-status", Static).update(Text("Searching..."))

    def on_unmount(self) -> None:
        self.app.stop_case_reads()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.filter_typed(event.value, self.known(), typing=False)  # Enter: a short last word searches too
        self.query_one(DataTable).focus()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= event.data_table.row_count - 10:
            self.load_more()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.app.open_case(int(event.row_key.value))

    def action_cycle_sort(self) -> None:
        names = list(SORTS)
        self.sort = names[(names.index(self.sort) + 1) % len(names)]
        self.reload()

    def action_import_cases(self) -> None:
        from .operations import ImportForm

        self.app.push_screen(ImportForm(), lambda ids: ids and self.reload())

    def action_focus_filter(self) -> None:
        self.query_one(Input).focus()

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()
