"""Journey 3: work the cases: filter as you type, page as you scroll, sort, open one, add a
note, and move a dispute only as its compact allows."""

from __future__ import annotations

import threading

from textual.widgets import Checkbox, DataTable, Input, OptionList, Static

from compact_tui.caselog.case_log import CaseFilter
from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.cases import PAGE, CasesScreen
from compact_tui.tui.screens.dialogs import MoveDialog, NoteDialog

from .conftest import column_text, drive, filtered, screen_text, static_text, type_text, until


async def to_cases(app, pilot) -> CasesScreen:
    await pilot.press("2")
    assert isinstance(app.screen, CasesScreen)
    return app.screen


def test_filter_scroll_sort_and_open(seeded_db):
    async def journey(app, pilot):
        screen = await to_cases(app, pilot)
        table = screen.query_one("#case-table", DataTable)
        assert table.row_count == PAGE, "a first page, not all 300"
        assert column_text(table, "id")[:3] == ["300", "299", "298"]  # newest first
        assert "100+ cases (more below)" in static_text(screen.query_one("#case-status", Static))

        await pilot.press("slash")
        assert screen.query_one("#case-filter", Input).has_focus
        await type_text(pilot, "compact:essex kind:dispute")
        await filtered(app, pilot)
        assert table.row_count == app.caselog.count(CaseFilter(compact="essex", kind="dispute")) == 30
        assert set(column_text(table, "compact")) == {"essex"}
        assert set(column_text(table, "kind")) == {"dispute"}
        await type_text(pilot, " advice")  # a free word narrows further
        await filtered(app, pilot)
        assert 0 < table.row_count < 30
        assert all("Advice" in t for t in column_text(table, "title"))

        screen.query_one("#case-filter", Input).value = ""
        await until(pilot, lambda: table.row_count == PAGE, "the filter cleared")
        await pilot.press("enter")  # from the filter to the list
        assert table.has_focus
        for _ in range(10):
            if table.row_count > PAGE:
                break
            await pilot.press("pagedown")
        assert table.row_count == 2 * PAGE, "scrolling down fetched the next page, only"
        assert table.cursor_row >= PAGE - 10
        await pilot.press("ctrl+end")  # to the last row loaded: the last page comes
        assert table.row_count == 300
        assert column_text(table, "id")[-1] == "1"
        await pilot.press("ctrl+end")  # at the very end: nothing more to fetch, and it says so
        assert table.row_count == 300
        assert "300 cases" in static_text(screen.query_one("#case-status", Static))

        await pilot.press("s")
        assert screen.sort == "oldest"
        assert column_text(table, "id")[:2] == ["1", "2"]
        await pilot.press("s")
        assert screen.sort == "due"
        dues = [d for d in column_text(table, "due") if d]
        assert dues == sorted(dues)

        table.move_cursor(row=0)
        first = column_text(table, "id")[0]
        await pilot.press("enter")
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id == int(first)
        await pilot.press("escape")
        assert app.screen is screen

    drive(journey, seeded_db)


def test_add_a_note_and_see_it_in_the_timeline(seeded_db):
    async def journey(app, pilot):
        app.open_case(7)
        await pilot.pause()
        case_screen = app.screen
        assert isinstance(case_screen, CaseScreen)
        await pilot.press("a")
        assert isinstance(app.screen, NoteDialog)
        await type_text(pilot, "Rang the trust back")
        await pilot.press("enter")
        assert app.screen is case_screen
        assert "Rang the trust back" in static_text(case_screen.query_one("#case-timeline", Static))
        assert [e["note"] for e in app.caselog.get(7)["events"]][-1] == "Rang the trust back"

        await pilot.press("a", "enter")  # an empty note is refused inside the dialog
        assert isinstance(app.screen, NoteDialog)
        assert app.screen.query_one("#form-error", Static).display
        await pilot.press("escape")
        assert len(app.caselog.get(7)["events"]) == 2

    drive(journey, seeded_db)


def test_a_dispute_offers_only_allowed_moves_and_says_why_not(seeded_db):
    async def journey(app, pilot):
        case_id = app.caselog.list(CaseFilter(compact="essex", kind="dispute"))[0]["id"]
        app.open_case(case_id)
        await pilot.pause()
        case_screen = app.screen
        before = app.caselog.get(case_id)
        assert before["stage"] == "full-information"
        assert static_text(case_screen.query_one("#case-next", Static)).splitlines() == [
            "Moves allowed now (m)", "  2) Raise the matter with the organisation perceived to be at fault",
            "    needs 1 condition"]

        await pilot.press("m")
        dialog = app.screen
        assert isinstance(dialog, MoveDialog)
        moves = dialog.query_one("#moves", OptionList)
        # Essex: "1) Make sure that they have full information" leads only to "2) Raise the matter"
        assert [moves.get_option_at_index(i).id for i in range(moves.option_count)] == ["raise-with-organisation"]
        box = dialog.query_one("#cond-0", Checkbox)
        assert "full information" in str(box.label)

        await pilot.press("ctrl+s")  # the condition is not met
        assert app.screen is dialog
        error = dialog.query_one("#form-error", Static)
        assert error.display
        assert "not yet confirmed (MS.complainant.1): Has the complainant made sure they have full information" \
            in " ".join(static_text(error).split())
        assert app.caselog.get(case_id)["stage"] == "full-information"
        assert len(app.caselog.get(case_id)["events"]) == len(before["events"])

        box.focus()
        await pilot.press("space")
        assert box.value
        await pilot.press("ctrl+s")
        assert app.screen is case_screen
        after = app.caselog.get(case_id)
        assert after["stage"] == "raise-with-organisation"
        assert after["events"][-1]["action"] == "advanced"
        assert "Raise the matter" in static_text(case_screen.query_one("#case-head", Static))

    drive(journey, seeded_db)


def test_move_is_refused_for_what_is_not_a_dispute(seeded_db):
    async def journey(app, pilot):
        case_id = app.caselog.list(CaseFilter(kind="consultation"))[0]["id"]
        app.open_case(case_id)
        await pilot.pause()
        assert "Move" not in app.screen.query_one("#keybar").render().plain  # not offered
        await pilot.press("m")
        assert isinstance(app.screen, CaseScreen)
        assert [n.message for n in app._notifications] == [
            f"case {case_id} is a consultation, not a dispute; only disputes have stages."]

    drive(journey, seeded_db)


ESSEX_TO_CHAIR = [("raise-with-organisation", ["full-information"]), ("own-decision-makers", ["not-satisfied"]),
                  ("raise-with-chair", ["raised-with-other-side", "own-decision-makers-first", "decision-to-pursue"]),
                  ("chair-notifies", []), ("chair-assesses", [])]


def test_moving_between_moves_shows_each_moves_conditions(seeded_db, caselog):
    """At the Chair's assessment three moves are open, each with its own conditions: going
    from one to the next replaces the boxes (the app must not crash on their ids)."""
    case_id = caselog.list(CaseFilter(compact="essex", kind="dispute"))[0]["id"]
    for stage, confirm in ESSEX_TO_CHAIR:
        caselog.advance(case_id, stage, confirm=confirm)

    async def journey(app, pilot):
        app.open_case(case_id)
        await pilot.pause()
        case_screen = app.screen
        await pilot.press("m")
        dialog = app.screen
        assert isinstance(dialog, MoveDialog)
        assert dialog.move["stage"] == "single-mediator"
        await pilot.press("down")  # to 'referred to another compact': two conditions
        await pilot.pause()
        assert dialog.move["stage"] == "referred-other-compact"
        boxes = list(dialog.query("#conditions Checkbox"))
        assert len(boxes) == 2
        await pilot.press("ctrl+s")
        assert app.screen is dialog and dialog.query_one("#form-error", Static).display
        assert app.caselog.get(case_id)["stage"] == "chair-assesses"
        for box in boxes:
            box.value = True
        await pilot.press("ctrl+s")
        assert app.screen is case_screen
        after = app.caselog.get(case_id)
        assert (after["stage"], after["status"], after["outcome"]) == ("referred-other-compact", "closed", "referred")

    drive(journey, seeded_db)


def test_change_a_case_and_see_the_rules_applied_again(db_path, caselog):
    """``e`` on a case: record the notice date given later; the 4.5 breach appears at once;
    a wrong date is marked and nothing changes until it is right."""
    from datetime import date

    from textual.widgets import Input

    from compact_tui.caselog.case_log import NewCase
    from compact_tui.tui.screens.edit import EditDialog

    case = caselog.log(NewCase(kind="funding-change", compact="southampton", title="Grant ends",
                               dates={"effective": date(2027, 3, 31)}))

    async def journey(app, pilot):
        app.open_case(case["id"])
        await pilot.pause()
        await pilot.press("e")
        assert isinstance(app.screen, EditDialog)
        app.screen.query_one("#f-notified", Input).focus()
        await pilot.press(*"2027-02-30", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, EditDialog)
        assert caselog.get(case["id"])["notified"] is None
        notified = app.screen.query_one("#f-notified", Input)
        notified.value = "2027-02-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CaseScreen)
        assert [f["ref"] for f in app.screen.case["findings"]] == ["4.5"]
        assert "BREACH" in static_text(app.screen.query_one("#case-findings", Static))

    drive(journey, db_path)


def test_mine_in_the_filter_lists_the_cases_you_hold(db_path, caselog, monkeypatch):
    from .conftest import new_case

    caselog.log(new_case("note", "essex", "Held by the tester", note="open"))
    caselog.log(new_case("note", "southend", "Handed to Sam", note="open"))
    caselog.set_owner(2, "sam")
    monkeypatch.setenv("LOGNAME", "sam")

    async def journey(app, pilot):
        screen = await to_cases(app, pilot)
        table = screen.query_one("#case-table", DataTable)
        assert table.row_count == 2
        await pilot.press("slash")
        await type_text(pilot, "mine")
        await until(pilot, lambda: table.row_count == 1, "the filter applied")
        assert column_text(table, "title") == ["Handed to Sam"]
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, CaseScreen)
        assert "note under A Compact for Southend-on-Sea · open · held by sam" in \
            static_text(app.screen.query_one("#case-head", Static))

    drive(journey, db_path)


def test_f_attaches_a_file_and_the_case_lists_it(db_path, caselog, tmp_path, monkeypatch):
    from compact_tui.tui.screens.dialogs import AttachDialog

    monkeypatch.setenv("LOGNAME", "sam")
    caselog.log(new_case_for_attach())
    letter = tmp_path / "notice.pdf"
    letter.write_bytes(b"%PDF\x00\xff notice")

    async def journey(app, pilot):
        app.open_case(1)
        await pilot.pause()
        case_screen = app.screen
        await pilot.press("f")
        dialog = app.screen
        assert isinstance(dialog, AttachDialog)
        await type_text(pilot, str(tmp_path / "missing.pdf"))
        await pilot.press("enter", "enter")
        error = dialog.query_one("#form-error", Static)
        assert error.display and static_text(error).startswith(f"there is no file '{str(tmp_path)[:40]}")
        assert app.caselog.get(1)["attachments"] == []
        dialog.query_one("#attach-path", Input).value = str(letter)
        await pilot.press("enter")
        await type_text(pilot, "the notice")
        await pilot.press("enter")
        assert app.screen is case_screen
        shown = static_text(case_screen.query_one("#case-timeline", Static))
        assert "Attachments (f adds one)\n  1. notice.pdf  (13 bytes, SHA-256 " in shown
        assert "attached sam: the notice" in shown
        assert app.caselog.get(1)["events"][-1]["action"] == "attached"

    drive(journey, db_path)


def new_case_for_attach():
    from .conftest import new_case

    return new_case("note", "essex", "Evidence", note="open")


def test_a_filter_half_typed_filters_nothing_yet_and_a_wrong_one_says_no_case_matches(seeded_db):
    """``compact:`` or ``compact:ess`` (the beginning of an installed compact's id) is still
    being typed: the list stays as it was and nothing is read; ``compact:esx`` names no
    compact, so no case matches (issue 10)."""
    async def journey(app, pilot):
        screen = await to_cases(app, pilot)
        table = screen.query_one("#case-table", DataTable)
        status = screen.query_one("#case-status", Static)
        await pilot.press("slash")
        await type_text(pilot, "compact:")
        await filtered(app, pilot)
        assert table.row_count == PAGE and column_text(table, "id")[0] == "300", "every case, newest first"
        asked = screen.asked
        await type_text(pilot, "ess")
        await filtered(app, pilot)
        assert screen.asked == asked, "nothing read for a compact's id half typed"
        assert table.row_count == PAGE and "100+ cases (more below)" in static_text(status)
        assert "compact:ess... (essex)" in static_text(status), "it says what is not a filter yet"
        await type_text(pilot, "ex")
        await filtered(app, pilot)
        assert table.row_count == 60 and set(column_text(table, "compact")) == {"essex"}
        await type_text(pilot, " kind:")  # (" kind" is a word searched for, as typed)
        await filtered(app, pilot)
        assert table.row_count == 60, "kind: with no value yet: the Essex cases still"
        asked = screen.asked
        await type_text(pilot, "disp")
        await filtered(app, pilot)
        assert screen.asked == asked and table.row_count == 60, "kind:disp is still being typed"
        await type_text(pilot, "ute")
        await filtered(app, pilot)
        assert table.row_count == 30 and set(column_text(table, "kind")) == {"dispute"}
        for _ in " kind:dispute":
            await pilot.press("backspace")
        await type_text(pilot, "x")  # compact:essexx: begins no compact's id
        await filtered(app, pilot)
        assert table.row_count == 0 and static_text(status).startswith("No cases match")
        assert "no compact essexx (essex, havering, high_peak, southampton, southend)" in \
            static_text(status).replace("\n", " ")

    drive(journey, seeded_db)


def test_a_slow_read_for_an_earlier_key_never_replaces_the_list_for_the_last(seeded_db):
    """The filter reads in a thread; a read for what was typed before, answering after the read
    for what is typed now, is dropped: the list is always the last key's (issue 10)."""
    async def journey(app, pilot):
        screen = await to_cases(app, pilot)
        table = screen.query_one("#case-table", DataTable)
        reader = app.case_reader
        real_page, gate, answered = reader.page, threading.Event(), []

        def page(flt, *args):
            if flt.compact == "southend":  # the earlier key's read: held until the later one is shown
                assert gate.wait(10)
                answered.append(real_page(flt, *args))
                return answered[-1]
            return real_page(flt, *args)

        reader.page = page
        await pilot.press("slash")
        box = screen.query_one("#case-filter", Input)
        box.value = "compact:southend"
        await pilot.pause()
        box.value = "compact:essex"
        await until(pilot, lambda: set(column_text(table, "compact")) == {"essex"}, "the last filter's cases")
        gate.set()
        await filtered(app, pilot)
        assert answered and {r["compact"] for r in answered[0]} == {"southend"}, "the earlier read did answer, late"
        assert table.row_count == 60 and set(column_text(table, "compact")) == {"essex"}
        assert box.value == "compact:essex"

    drive(journey, seeded_db)


def test_a_word_of_two_letters_searches_on_a_third_letter_a_space_or_enter(seeded_db):
    """One or two letters at the end of the filter are still being typed (no trigram of the
    search index holds them, so a search would read every case): the list stays as it was and
    says so; a third letter, a space or Enter searches."""
    async def journey(app, pilot):
        screen = await to_cases(app, pilot)
        table = screen.query_one("#case-table", DataTable)
        status = screen.query_one("#case-status", Static)
        await pilot.press("slash")
        await type_text(pilot, "compact:essex kind:dispute ad")
        await filtered(app, pilot)
        assert table.row_count == 30, "ad is no search yet: the 30 Essex disputes stay"
        assert static_text(status).endswith("ad... (a third letter, a space or Enter searches)")
        await pilot.press("enter")
        await filtered(app, pilot)
        assert 0 < table.row_count < 30 and all("ad" in t.lower() for t in column_text(table, "title"))
        await pilot.press("slash", "end", "backspace", "backspace", "x", "q")
        await filtered(app, pilot)
        assert table.row_count == 30
        await pilot.press("space")
        await filtered(app, pilot)
        assert table.row_count == 0 and static_text(status).startswith("No cases match")

    drive(journey, seeded_db)


def test_the_status_line_is_one_line_whatever_it_says_so_a_filter_key_never_lays_the_list_out_again(seeded_db):
    """At 60 columns neither the marks' line nor a long note fits: each is cut to one line with
    an ellipsis (the marks' hint '(finding:breach)' dropped first), and the list keeps its
    height, so a key typed into the filter redraws only the rows that changed (issue 20, 10)."""
    async def journey(app, pilot):
        screen = await to_cases(app, pilot)
        table = screen.query_one("#case-table", DataTable)
        status = screen.query_one("#case-status", Static)
        height = table.region.height
        assert static_text(status) == "100+ cases (more below) · newest first · B breach, W warning"
        assert status.region.height == 1
        await pilot.press("slash")
        await type_text(pilot, "compact:essex kind:dispute ad")
        await filtered(app, pilot)
        assert static_text(status) == "30 cases · newest first · ad... (a third letter, a space or Enter searches)"
        assert status.region.height == 1 and table.region.height == height
        assert "30 cases · newest first · ad... (a third letter, a space or…\n" in screen_text(app)

    drive(journey, seeded_db, size=(60, 20))
