"""A reading is shown as one on every screen where it appears: the compact's rules (r) and
dispute procedure (d), a case's findings and moves, and the move dialog. Stated claims show
the text's words."""

from __future__ import annotations

from datetime import date

from textual.widgets import DataTable, OptionList, Static

from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.dialogs import MoveDialog

from .conftest import column_text, drive, filtered, new_case, screen_text, static_text, type_text
from .test_read import open_compact, option_texts


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_procedure_view_marks_readings_and_quotes_what_is_stated(db_path):
    async def journey(app, pilot):
        screen = await open_compact(app, pilot, "southend")
        await pilot.press("d")
        steps = [flat(s) for s in option_texts(screen.query_one("#clauses", OptionList))]
        first = next(s for s in steps if s.startswith("1. Resolve between the parties"))
        assert ("Stated (9.s2): 'As far as possible disagreements over the application of that framework should be "
                "resolved between the parties.'") in first
        # 9.s3 gives no way on when the parties cannot agree a mediator: that move is ours
        assert "Move to no-agreement: READING not stated by the text: The text gives no way on" in first
        assert "then: resolved-between-parties, mediation, no-agreement (reading)" in first

    drive(journey, db_path)


def test_havering_has_no_steps_to_walk(db_path):
    async def journey(app, pilot):
        screen = await open_compact(app, pilot, "havering")
        await pilot.press("d")
        [only] = [flat(s) for s in option_texts(screen.query_one("#clauses", OptionList))]
        assert only.startswith("Outlined separately (not in this text)")
        assert "logged, noted and closed by hand" in only
        assert "Stated (6.s3): 'As far as possible, difficulties will be resolved between the parties using the " \
               "dispute resolution process outlined separately.'" in only
        assert "Step 1" not in only

    drive(journey, db_path)


def test_the_rules_view_shows_a_rule_read_from_the_text_as_a_reading(db_path):
    async def journey(app, pilot):
        screen = await open_compact(app, pilot, "havering")
        await pilot.press("r")
        rules = [flat(s) for s in option_texts(screen.query_one("#clauses", OptionList))]
        quarterly = next(r for r in rules if r.startswith("5.3.p3"))
        assert "READING not stated by the text: The text states the champion's role" in quarterly
        conference = next(r for r in rules if r.startswith("5.4.2 "))
        assert "READING" not in conference and "Stated (5.4.2): 'The Compact Steering Group" in conference
        # a reading's note says it is how our reading is applied, not what the text says
        assert "How our reading is applied: Part of the role of the Compact Champion (5.3)" in quarterly
        assert "How it is applied: The Compact Steering Group (or a similar body appointed by the HSP)" in conference

    drive(journey, db_path)


def test_a_finding_from_a_reading_says_so_on_the_case_screen(caselog, db_path):
    caselog.log(new_case("meeting", "havering", "Steering group", cites=["5.3.p3"],
                         dates={"opened": date(2026, 1, 10), "on": date(2026, 1, 10)}))
    late = caselog.log(new_case("meeting", "havering", "Steering group again", cites=["5.3.p3"],
                                dates={"opened": date(2026, 6, 10), "on": date(2026, 6, 10)}))

    async def journey(app, pilot):
        app.push_screen(CaseScreen(late["id"]))
        await pilot.pause()
        findings = flat(static_text(app.screen.query_one("#case-findings", Static)))
        assert "WARNING Compact for Havering 5.3.p3" in findings
        assert "READING the rule is not stated by the text: The text states the champion's role" in findings
        assert "READING the severity (warning) is ours: No words of the text set a severity" in findings

    drive(journey, db_path)


def test_the_cases_list_marks_a_finding_from_a_reading_in_lower_case_with_its_legend(caselog, db_path):
    """Havering 5.3.p3's rule and severity are our reading: its warning is marked w; Southampton
    4.5's breach is stated: B. The status line says what b and w mean only while one is shown."""
    caselog.log(new_case("meeting", "havering", "Steering group", cites=["5.3.p3"],
                         dates={"opened": date(2026, 1, 10), "on": date(2026, 1, 10)}))
    caselog.log(new_case("meeting", "havering", "Steering group again", cites=["5.3.p3"],
                         dates={"opened": date(2026, 6, 10), "on": date(2026, 6, 10)}))
    caselog.log(new_case("funding-change", "southampton", "Youth grant cut",
                         dates={"notified": date(2026, 11, 1), "effective": date(2026, 12, 1)}))

    async def journey(app, pilot):
        from .test_cases import to_cases

        screen = await to_cases(app, pilot)
        table = screen.query_one("#case-table", DataTable)
        status = screen.query_one("#case-status", Static)
        assert column_text(table, "finding") == ["B", "w", ""]
        assert static_text(status) == "3 cases · newest first · B breach, W warning; b, w a reading (finding:breach)"
        await pilot.press("slash")
        await type_text(pilot, "finding:breach ")
        await filtered(app, pilot)
        assert column_text(table, "finding") == ["B"]
        assert static_text(status) == "1 case · newest first · B breach, W warning (finding:breach)"

    drive(journey, db_path)


def test_the_move_dialog_marks_a_move_that_is_a_reading(caselog, db_path):
    case = caselog.log(new_case("dispute", "southend", "Grant cut"))

    async def journey(app, pilot):
        app.push_screen(CaseScreen(case["id"]))
        await pilot.pause()
        lines = static_text(app.screen.query_one("#case-next", Static)).splitlines()
        assert lines[-2:] == ["  Not resolved; kept for the annual review", "    (reading)  needs 1 condition"]
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MoveDialog)
        offered = [flat(o) for o in option_texts(app.screen.query_one("#moves", OptionList))]
        assert offered[-1].endswith("(no-agreement) (reading)")
        await pilot.press("end")
        await pilot.pause()
        shown = [flat(static_text(w)) for w in app.screen.query("#conditions Static")]
        assert any(t.startswith("This move is a READING (not stated by the text): The text gives no way on")
                   for t in shown), shown
        # the words read, with the clause they are in (Southend 9.s3: "Where resolution is not possible,
        # both parties should seek mediation through a mutually agreed mediator.")
        move = next(t for t in shown if t.startswith("This move is a READING"))
        assert move.endswith("The text (9.s3): 'both parties should seek mediation through a mutually agreed "
                             "mediator'"), move
        assert "READING" in flat(screen_text(app))  # and it is on the screen

    drive(journey, db_path)


def test_a_section_s_note_says_why_its_count_is_not_the_text_s_own_list(db_path):
    """Essex section 7: the four factors 'committed to by all partners' are counted as
    undertakings; the section's clauses open with our note saying so, marked as ours."""
    from .test_read import move_to_section

    async def journey(app, pilot):
        screen = await open_compact(app, pilot, "essex")
        await move_to_section(pilot, screen, "7")
        await pilot.pause()
        first, *clauses = [flat(o) for o in option_texts(screen.query_one("#clauses", OptionList))]
        assert first.startswith("Our note, not the text: The lead-in is clause 7; the four bullets are 7.b1 ... 7.b4.")
        assert "the count of undertakings includes these four." in first
        assert [c.split()[0] for c in clauses] == ["7", "7.b1", "7.b2", "7.b3", "7.b4"]

    drive(journey, db_path)
