"""Every focus stop is one the officer can see and name (issue 12, part 1).

For every screen and dialog of the app, each stop of its focus chain (the order tab
follows) must be displayed, take room on screen, and show what it is: its own label (a checkbox, a button), the label of its form row, its
placeholder, a list's lines, a table's column headings, a page's text. A dialog has no
scrolling container among its stops (that was the invisible stop of the move dialog, where
a typed note went nowhere). A test that opens no screen of a class found in the app fails:
a new dialog must be walked here too.
"""

from __future__ import annotations

from textual.containers import ScrollableContainer
from textual.screen import ModalScreen
from textual.scroll_view import ScrollView
from textual.widgets import Button, DataTable, Input, Label, OptionList, Select, Static
from textual.widgets._toggle_button import ToggleButton

from compact_tui.caselog import orgs
from compact_tui.caselog.case_log import CaseFilter
from compact_tui.tui.fields import Choice
from compact_tui.tui.screens.case import CaseScreen

from .conftest import drive, new_case, static_text, type_text, until
from .test_get_around import all_screen_classes

#: Screens textual or the app draw that hold no focus stop of their own (the app itself).
NOT_WALKED = {"CompactApp", "BaseScreen", "DetailScreen", "FormScreen", "CaseForm", "OrgForm", "ReasonForm",  # bases
              "UpgradeScreen"}  # shown only while an older log is upgraded; nothing on it takes the focus
                                # (test_upgrade.py reads it and presses keys on it)


def label_of(widget) -> str:
    """The words on screen that say what ``widget`` is, or '' if there are none."""
    if isinstance(widget, (ToggleButton, Button)):
        return str(widget.label).strip()
    parent = widget.parent
    if parent is not None and parent.has_class("field-row"):
        labels = [c for c in parent.children if isinstance(c, Label)]
        if labels:
            return static_text(labels[0]).strip()
    before = [c for c in parent.children[:parent.children.index(widget)]] if parent is not None else []
    if before and isinstance(before[-1], Label):  # a label just before it on its line
        return static_text(before[-1]).strip()
    if widget.border_title:
        return str(widget.border_title)
    if isinstance(widget, Input):
        return widget.placeholder.strip()
    if isinstance(widget, (Select, Choice)):
        return widget.render().plain.strip()  # its value, or its prompt while nothing is chosen
    if isinstance(widget, DataTable):
        return " ".join(str(c.label) for c in widget.columns.values()).strip()
    if isinstance(widget, OptionList):
        return str(widget.get_option_at_index(0).prompt).strip() if widget.option_count else ""
    if isinstance(widget, ScrollableContainer):
        return " ".join(static_text(s) for s in widget.query(Static)).strip()
    return ""


async def walk(app, pilot, what: str) -> list:
    """Check every stop of the current screen's focus chain (the order tab follows)."""
    await pilot.pause()
    screen = app.screen
    stops = list(screen.focus_chain)
    assert stops, f"{what}: nothing can take the focus"
    for widget in stops:
        name = f"{what}: {type(widget).__name__}#{widget.id}"
        assert all(node.display for node in widget.ancestors_with_self if node is not app), f"{name} is hidden"
        assert widget.visible, f"{name} is not visible"
        assert widget.outer_size.area > 0, f"{name} takes no room on screen (an invisible stop)"
        assert label_of(widget), f"{name} shows nothing that says what it is"
        if isinstance(screen, ModalScreen):
            assert not (isinstance(widget, ScrollableContainer) and not isinstance(widget, ScrollView)), \
                f"{name}: a dialog's scrolling container is a stop"
    return stops


def ids(stops) -> list[str]:
    return [w.id or type(w).__name__ for w in stops]


def test_every_screen_and_dialog_has_only_visible_labelled_stops(db_path, caselog, tmp_path):
    orgs.add_org(caselog.store, "Havering CVS", "vcs")
    consultation = caselog.log(new_case("consultation", "southampton", "Youth strategy", cites=["2.4"]))["id"]
    letter = tmp_path / "notice.pdf"
    letter.write_bytes(b"%PDF notice")
    caselog.attach(consultation, letter)
    dispute = caselog.log(new_case("dispute", "essex", "Grant dispute", orgs=["Havering CVS"]))["id"]
    caselog.advance(dispute, "raise-with-organisation", confirm=["full-information"])
    chair = caselog.log(new_case("dispute", "essex", "At the chair"))["id"]
    for stage, confirm in (("raise-with-organisation", ["full-information"]), ("own-decision-makers", ["not-satisfied"]),
                           ("raise-with-chair", ["raised-with-other-side", "own-decision-makers-first",
                                                 "decision-to-pursue"]), ("chair-notifies", []),
                           ("chair-assesses", []), ("single-mediator", ["covered-by-compact"])):
        caselog.advance(chair, stage, confirm=confirm)
    withdrawn = caselog.log(new_case("meeting", "essex", "Logged twice"))["id"]
    caselog.withdraw(withdrawn, "a duplicate")
    walked: set[str] = set()

    async def check(app, pilot, what):
        walked.add(type(app.screen).__name__)
        return await walk(app, pilot, what)

    async def back(app, pilot, screen_type):
        while not isinstance(app.screen, screen_type):
            await pilot.press("escape")
            if type(app.screen).__name__ == "ConfirmDialog":
                await pilot.press("y")

    async def journey(app, pilot):
        from compact_tui.tui.screens.compacts import CompactsScreen

        await check(app, pilot, "compacts list")
        await pilot.press("t")
        await check(app, pilot, "theme picker")
        await pilot.press("enter")
        await check(app, pilot, "compare")
        await pilot.press("escape")
        app.open_compact("essex")
        await pilot.pause()
        await check(app, pilot, "a compact")
        app.open_clause("essex", app.registry.get("essex").clauses[0].ref)
        await pilot.pause()
        await check(app, pilot, "a clause")
        await back(app, pilot, CompactsScreen)
        await pilot.press("slash")
        await check(app, pilot, "search, empty")
        await type_text(pilot, "notice")
        await check(app, pilot, "search with hits")
        await pilot.press("escape")

        await pilot.press("n")
        await check(app, pilot, "kind picker")
        await pilot.press("f")
        stops = await check(app, pilot, "quick log")
        assert ids(stops)[:2] == ["f-compact", "f-title"] and ids(stops)[-2:] == ["save", "cancel"]
        await pilot.press("escape")

        await pilot.press("2")
        await check(app, pilot, "cases")
        await pilot.press("i")
        await check(app, pilot, "import a CSV file")
        await pilot.press("escape")
        app.open_case(consultation)
        await pilot.pause()
        stops = await check(app, pilot, "a case with a cited clause")
        assert ids(stops) == ["case-body", "case-cites"]
        await pilot.press("a")
        await check(app, pilot, "note dialog")
        await pilot.press("escape")
        await pilot.press("c")
        await check(app, pilot, "close dialog")
        await pilot.press("escape")
        await pilot.press("w")
        await check(app, pilot, "withdraw dialog")
        await pilot.press("escape")
        await pilot.press("f")
        stops = await check(app, pilot, "attach dialog")
        assert ids(stops) == ["attach-path", "attach-note", "save", "cancel"]
        await pilot.press("escape")
        await pilot.press("g")
        stops = await check(app, pilot, "get a file back")
        assert ids(stops) == ["get-n", "get-path", "save", "cancel"]
        await pilot.press("escape")
        await pilot.press("h")
        await check(app, pilot, "hand the case over")
        await pilot.press("escape")
        await pilot.press("e")
        await check(app, pilot, "change dialog")
        await type_text(pilot, "x")
        await pilot.press("escape")  # a change: leaving asks
        await check(app, pilot, "leave without saving?")
        await pilot.press("y")
        app.open_case(withdrawn)
        await pilot.pause()
        await pilot.press("r")
        stops = await check(app, pilot, "reinstate dialog")
        assert ids(stops) == ["reinstate-reason", "save", "cancel"]
        await pilot.press("escape")

        app.open_case(dispute)
        await pilot.pause()
        await pilot.press("m")
        stops = await check(app, pilot, "move dialog, no condition")
        assert ids(stops) == ["moves", "move-note", "save", "cancel"]
        await pilot.press("down")
        await until(pilot, lambda: app.screen.query("#cond-0"), "the condition shown")
        stops = await check(app, pilot, "move dialog, one condition")
        assert ids(stops) == ["moves", "cond-0", "move-note", "save", "cancel"]
        await back(app, pilot, CaseScreen)
        app.open_case(chair)
        await pilot.pause()
        await pilot.press("m", "down")
        await until(pilot, lambda: app.screen.query(".member-row"), "the team's rows shown")
        stops = await check(app, pilot, "move dialog, a team of mediators")
        assert [type(w).__name__ for w in stops] == ["OptionList", "ConditionBox"] + ["TextField", "Choice"] * 3 + [
            "TextField", "Button", "Button"]
        await back(app, pilot, CaseScreen)

        await pilot.press("3")
        await check(app, pilot, "due")
        await pilot.press("x")
        await check(app, pilot, "write a calendar file")
        await pilot.press("escape")
        await pilot.press("4")
        await check(app, pilot, "organisations")
        for key in ("a", "s", "c"):
            await pilot.press(key)
            await check(app, pilot, f"organisation form {key}")
            await pilot.press("escape")
        await pilot.press("5")
        await check(app, pilot, "annual review")
        app.screen.query_one("#report-body").focus()
        await pilot.press("w")
        await check(app, pilot, "write the report")
        await pilot.press("escape")

    drive(journey, db_path)
    assert caselog.get(dispute)["stage"] == "raise-with-organisation", "walking confirmed nothing"
    assert caselog.count(CaseFilter()) == 3
    every = {c.__name__ for c in all_screen_classes()} - NOT_WALKED
    assert every - walked == set(), "screens and dialogs not walked"
