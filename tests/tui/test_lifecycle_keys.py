"""The case screen offers only what the case's lifecycle allows (issue 18): a withdrawn
dispute offers no move, no change and no close, but reinstate; a move made on a screen that a
colleague's move has made stale is refused with a sentence saying who moved it, and the case
screen shows the case as it now is."""

from __future__ import annotations

from compact_tui.caselog.case_log import CaseLog
from compact_tui.tui.screens.case import CaseScreen
from compact_tui.tui.screens.dialogs import MoveDialog
from compact_tui.tui.screens.putright import ReinstateDialog

from .conftest import drive, new_case, static_text, type_text, until


def keybar(app) -> str:
    return app.screen.query_one("#keybar").render().plain.replace("\xa0", " ")


def test_a_withdrawn_dispute_offers_no_move_only_reinstate(db_path, caselog):
    case_id = caselog.log(new_case("dispute", "essex", "Grant dispute"))["id"]
    caselog.withdraw(case_id, "logged twice")

    async def journey(app, pilot):
        app.open_case(case_id)
        await pilot.pause()
        keys = keybar(app)
        assert "r Reinstate" in keys and "a Note" in keys and "f Attach" in keys
        assert not any(word in keys for word in ("Move", "Change", "Close", "Reopen"))
        assert "Moves allowed now" not in static_text(app.screen.query_one("#case-next"))
        await pilot.press("m")
        assert isinstance(app.screen, CaseScreen)
        assert [n.message for n in app._notifications] == [
            f"case {case_id} was withdrawn; it cannot be moved (its timeline stays as it is; "
            f"'compact-tui reinstate {case_id} --reason ...' brings it back)."]
        await pilot.press("r")
        assert isinstance(app.screen, ReinstateDialog)
        await type_text(pilot, "it is a real dispute")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, CaseScreen), "back on the case")
        assert caselog.get(case_id)["status"] == "open"
        assert "m Move" in keybar(app) and "Reinstate" not in keybar(app)

    drive(journey, db_path)


def test_a_stale_move_is_refused_and_the_case_shown_as_it_is(db_path, caselog):
    case_id = caselog.log(new_case("dispute", "southend", "Hall lease"))["id"]
    colleague = CaseLog(caselog.store, caselog.registry, actor="alice")

    async def journey(app, pilot):
        app.open_case(case_id)
        await pilot.pause()
        case_screen = app.screen
        await pilot.press("m")
        assert isinstance(app.screen, MoveDialog)
        # meanwhile, in another shell: alice moves it to mediation
        colleague.advance(case_id, "mediation", confirm=["resolution-not-possible", "mediator-mutually-agreed"])
        await pilot.press("ctrl+s")  # the first move offered: resolved between the parties
        assert isinstance(app.screen, MoveDialog)
        error = static_text(app.screen.query_one("#form-error"))
        assert error.startswith(f"case {case_id} changed after you looked at it: alice moved it (from 'Resolve "
                                f"between the parties' to 'Mediation through a mutually agreed mediator'")
        assert error.endswith("; nothing was changed, and it is shown as it is now.")
        assert "Stage: Mediation through a mutually agreed mediator" in static_text(
            case_screen.query_one("#case-head"))
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is case_screen, "back on the case")
        case = caselog.get(case_id)
        assert (case["stage"], [e["action"] for e in case["events"]]) == ("mediation", ["logged", "advanced"])

    drive(journey, db_path)
