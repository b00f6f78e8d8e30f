"""Every case operation in the app (issue 20, item 7): withdraw on the case screen's key bar,
hand a case over, get an attached file back, write what is due to a calendar file, and import a
CSV file with its dry run shown first. Each with one wrong input, refused in the form with
nothing lost or written."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import Input, Static

from compact_tui.caselog.case_log import CaseFilter
from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.cases import CasesScreen
from compact_tui.tui.screens.deadlines import DeadlinesScreen
from compact_tui.tui.screens.operations import AssignForm, CalendarForm, GetFileForm, ImportForm

from .conftest import drive, new_case, screen_text, static_text, type_text, until


def error_of(app) -> str:
    error = app.screen.query_one("#form-error", Static)
    return static_text(error) if error.display else ""


async def set_field(app, pilot, selector: str, text: str) -> None:
    """Put the focus on a field, empty it by keys, and type ``text`` into it."""
    field = app.screen.query_one(selector, Input)
    field.focus()
    await pilot.press("end", *["backspace"] * len(field.value))
    await type_text(pilot, text)


def test_withdraw_and_hand_over_are_on_the_case_screens_key_bar(db_path, caselog):
    case_id = caselog.log(new_case("note", "essex", "Carers forum"))["id"]

    async def journey(app, pilot):
        app.open_case(case_id)
        await until(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.case, "the case")
        bar = " ".join(screen_text(app).splitlines()[-2:])
        assert "w Withdraw" in bar and "h Hand over" in bar, bar
        assert "g Get file" not in bar, "no file to get back yet"

    drive(journey, db_path)


def test_hand_a_case_to_another_officer(db_path, caselog):
    case_id = caselog.log(new_case("note", "essex", "Carers forum"))["id"]

    async def journey(app, pilot):
        app.open_case(case_id)
        await until(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.case, "the case")
        await pilot.press("h")
        assert isinstance(app.screen, AssignForm)
        await pilot.press("ctrl+s")  # no name: refused in the form
        assert isinstance(app.screen, AssignForm) and "owner" in error_of(app)
        await type_text(pilot, "Priya Shah")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), "back on the case")
        assert "held by Priya Shah" in static_text(app.screen.query_one("#case-head", Static))

    drive(journey, db_path)
    assert caselog.get(case_id)["owner"] == "Priya Shah"


def test_get_an_attached_file_back_byte_for_byte(db_path, caselog, tmp_path):
    letter = tmp_path / "notice.pdf"
    letter.write_bytes(b"%PDF\x00\xff the notice")
    case_id = caselog.log(new_case("note", "essex", "Carers forum"))["id"]
    caselog.attach(case_id, letter, note="the notice")
    there = tmp_path / "there.pdf"
    there.write_bytes(b"keep me")

    async def journey(app, pilot):
        app.open_case(case_id)
        await until(pilot, lambda: isinstance(app.screen, CaseScreen) and app.screen.case, "the case")
        assert "g Get file" in " ".join(screen_text(app).splitlines()[-2:])
        await pilot.press("g")
        assert isinstance(app.screen, GetFileForm)
        await set_field(app, pilot, "#get-path", str(there))
        await pilot.press("ctrl+s")  # a file is there already: left as it is
        assert isinstance(app.screen, GetFileForm) and "exists already; nothing was written" in error_of(app)
        await set_field(app, pilot, "#get-path", str(tmp_path / "back.pdf"))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), "back on the case")

    drive(journey, db_path)
    assert (tmp_path / "back.pdf").read_bytes() == b"%PDF\x00\xff the notice"
    assert there.read_bytes() == b"keep me"


def test_write_what_is_due_to_a_calendar_file(db_path, caselog, tmp_path):
    soon = date.today() + timedelta(days=10)
    caselog.log(new_case("consultation", "southampton", "Youth strategy",
                         dates={"opened": date.today(), "start": date.today(), "end": soon}))
    calendar = tmp_path / "due.ics"

    async def journey(app, pilot):
        await pilot.press("3")
        await until(pilot, lambda: isinstance(app.screen, DeadlinesScreen), "what is due")
        await pilot.press("x")
        assert isinstance(app.screen, CalendarForm)
        await set_field(app, pilot, "#ics-path", str(calendar))
        await set_field(app, pilot, "#ics-within", "soon")
        await pilot.press("ctrl+s")  # not a period: refused, nothing written
        assert isinstance(app.screen, CalendarForm)  # what was typed, quoted as typed (issue 19)
        assert error_of(app) == "The look-ahead 'soon' is not a period: use days (14 or 14d), weeks (2w) or months (1m)."
        assert not calendar.exists()
        await set_field(app, pilot, "#ics-within", "2w")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, DeadlinesScreen), "back on Due")

    drive(journey, db_path)
    text = calendar.read_text()
    assert text.startswith("BEGIN:VCALENDAR") and "Youth strategy" not in text or "BEGIN:VEVENT" in text


CSV = "title,kind,compact,opened\nCarers forum,note,essex,2026-01-05\nYouth forum,note,southampton,2026-01-06\n"


def test_import_a_csv_shows_its_dry_run_first_then_imports(db_path, caselog, tmp_path):
    good = tmp_path / "cases.csv"
    good.write_text(CSV)
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV + "Arts forum,meeting,nowhere,2026-01-07\n")

    async def journey(app, pilot):
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen), "the Cases list")
        await pilot.press("i")
        assert isinstance(app.screen, ImportForm)
        await type_text(pilot, str(bad))
        await pilot.press("ctrl+s")  # a row it refuses: named, nothing written
        result = static_text(app.screen.query_one("#import-result", Static))
        assert result.startswith("1 of 3 rows has a problem; nothing can be imported until they are put right:")
        assert "row 4" in result and "nowhere" in result
        await set_field(app, pilot, "#import-path", str(good))
        await pilot.press("ctrl+s")  # the dry run, shown first
        result = static_text(app.screen.query_one("#import-result", Static))
        assert result.startswith("All 2 cases can be imported (0 findings). Nothing is written yet: ctrl+s imports them.")
        assert str(app.screen.query_one("#save").label) == "Import 2 cases (ctrl+s)"
        assert app.caselog.count(CaseFilter()) == 0
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen), "back on the list")

    drive(journey, db_path)
    assert sorted(c["title"] for c in caselog.list()) == ["Carers forum", "Youth forum"]


def test_import_of_one_case_says_it_in_the_singular(db_path, caselog, tmp_path):
    """'All 1 case can be imported ... imports them' and 'Imported 1 cases (case 1 to 1)' read
    as one case now."""
    from .conftest import notifications

    one = tmp_path / "one.csv"
    one.write_text("title,kind,compact,opened\nCarers forum,note,essex,2026-01-05\n")

    async def journey(app, pilot):
        await pilot.press("2")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen), "the Cases list")
        await pilot.press("i")
        await type_text(pilot, str(one))
        await pilot.press("ctrl+s")
        assert static_text(app.screen.query_one("#import-result", Static)) == \
            "The 1 case can be imported (0 findings). Nothing is written yet: ctrl+s imports it."
        assert str(app.screen.query_one("#save").label) == "Import 1 case (ctrl+s)"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CasesScreen), "back on the list")
        assert notifications(app)[-1] == "Imported case 1."

    drive(journey, db_path)
