"""The move dialog records only what the officer meant (issue 12, part 1).

The report: an Essex dispute at stage 2, ``m``, down, tab, a typed note, tab, the note
again, ctrl+s moved the dispute with ``confirmed ['not-satisfied']`` and an empty note: the
first tab landed on an invisible stop, the second on the checkbox, whose spaces ticked it.
"""

from __future__ import annotations

from textual.widgets import Input, Static

from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.dialogs import ConditionBox, MoveDialog

from .conftest import burst, drive, new_case, screen_text, static_text, until

NOTE = "Org had 4 weeks to respond, no reply"
#: The condition of Essex's move to stage 3, as the compact's plugin words it.
QUESTION = ("Has the organisation perceived to be at fault had every opportunity to deal with the matter "
            "through its own processes, including any appeal, and is the complainant not satisfied with "
            "the outcome? (MS.complainant.3)")


def dispute_at_stage_two(caselog) -> int:
    case_id = caselog.log(new_case("dispute", "essex", "Grant dispute", orgs=["Age UK Essex"]))["id"]
    caselog.advance(case_id, "raise-with-organisation", confirm=["full-information"])
    return case_id


def test_the_reported_keys_confirm_nothing_and_the_note_is_kept(db_path, caselog):
    case_id = dispute_at_stage_two(caselog)

    async def journey(app, pilot):
        app.open_case(case_id)
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), "the case")
        burst(app, "m", "down", "tab", NOTE, "tab", NOTE, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, MoveDialog)
                    and app.screen.query_one("#move-note", Input).value == NOTE
                    and app.screen.query_one("#form-error", Static).display
                    and "not yet confirmed" in static_text(app.screen.query_one("#form-error", Static)),
                    "the save refused")
        dialog = app.screen
        box = dialog.query_one("#cond-0", ConditionBox)
        assert not box.value, "the spaces typed on the condition's line did not tick it"
        assert caselog.get(case_id)["stage"] == "raise-with-organisation"
        assert len(caselog.get(case_id)["events"]) == 2

        # now the way it is meant: back to the condition (from Save, past the note), space on its line, save
        burst(app, "shift+tab", "shift+tab", "space")
        await until(pilot, lambda: box.value, "the condition confirmed by space on its own line")
        burst(app, "ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), "the move made")
        moved = caselog.get(case_id)
        assert moved["stage"] == "own-decision-makers"
        last = moved["events"][-1]
        assert (last["action"], last["note"], last["detail"]["confirmed"]) == ("advanced", NOTE, ["not-satisfied"])
        assert "advanced" in static_text(app.screen.query_one("#case-timeline", Static))

    drive(journey, db_path)


def test_text_typed_on_a_condition_goes_to_the_note_and_space_ticks_it_after_a_letter(db_path, caselog):
    """Issue 20: after a letter typed on a condition's line, space did not tick it until the
    officer tabbed away and back, though the message said to press space."""
    case_id = dispute_at_stage_two(caselog)

    async def journey(app, pilot):
        app.open_case(case_id)
        await pilot.pause()
        await pilot.press("m", "down", "tab")
        dialog = app.screen
        box = dialog.query_one("#cond-0", ConditionBox)
        note = dialog.query_one("#move-note", Input)
        assert box.has_focus
        await pilot.press("enter")
        assert not box.value, "enter is not the condition's key"
        assert note.has_focus, "enter goes on to the next field"
        await pilot.press("shift+tab", "n", "o", "space")
        assert not box.value and note.value == "no " and note.has_focus, "the typing went to the note"
        assert static_text(dialog.query_one("#form-error", Static)) == (
            "What you typed went into the Note. A condition is confirmed with space on its own line "
            "(shift+tab back to it).")
        await pilot.press("shift+tab", "x", "shift+tab", "space")  # a letter on the line, then space
        assert box.value and note.value == "no x", "space ticks it after a letter"
        assert not dialog.query_one("#form-error", Static).display, "and the old word is gone"
        await pilot.press("space")
        assert not box.value, "and space again takes it back"

    drive(journey, db_path)


def test_each_condition_is_shown_in_full_at_80x24(db_path, caselog):
    case_id = dispute_at_stage_two(caselog)

    async def journey(app, pilot):
        app.open_case(case_id)
        await pilot.pause()
        await pilot.press("m", "down")
        await until(pilot, lambda: app.screen.query("#cond-0"), "the condition")
        lines = screen_text(app).splitlines()
        inside = " ".join(line.split("│")[1].strip() for line in lines if line.count("│") >= 2)
        assert QUESTION in inside
        assert "…" not in inside

    drive(journey, db_path)
