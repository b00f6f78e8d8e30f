"""Every screen, dialog and notification over a case log full of hostile text, at 80x24.

What the app would send to the terminal is read from its compositor: no segment may hold a
control character or bidi override, and no style may carry a link or an ``@click`` action
(what ``[@click=...]`` markup or a Markdown link would make). The literal markup must show.
"""

from __future__ import annotations

from hostile_data import raw_characters
from textual.widgets import DataTable

from .conftest import drive, until


def drawn(app) -> tuple[str, list[str]]:
    """The screen's text as drawn, and what is wrong with it (raw characters, links, actions)."""
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    text, wrong = [], []
    for line in update.strips:
        for strip in line:
            for segment in strip:
                if segment.control:
                    continue
                text.append(segment.text)
                style = segment.style
                if style is not None and (style.link or "@click" in (style.meta or {})):
                    wrong.append(f"a link or action on {segment.text!r}")
        text.append("\n")
    joined = "".join(text)
    wrong += [f"raw {c}" for c in raw_characters(joined)]
    return joined, wrong


def test_every_screen_draws_hostile_text_inert(hostile_db):
    seen: dict[str, list[str]] = {}

    def look(name: str, app) -> str:
        text, wrong = drawn(app)
        seen[name] = wrong
        return text

    async def journey(app, pilot):
        app.last_compact = "essex"
        await pilot.press("2")
        await until(pilot, lambda: app.screen.query(DataTable) and app.screen.query_one(DataTable).row_count == 7,
                    "the seven cases listed")
        assert "\\x1b]0;pwn" in look("cases", app)  # shown as typed, not sent
        for case_id in (1, 2, 3, 7):  # a dispute, a consultation and a funding change with findings, all-hostile
            app.open_case(case_id)
            await pilot.pause()
            text = look(f"case {case_id}", app)
            assert "[bold]B[/] [@click=app.quit]Q[/]" in text  # markup shown as typed, not interpreted
            if case_id == 1:
                for key, dialog in (("a", "note dialog"), ("m", "move dialog"), ("e", "edit dialog")):
                    await pilot.press(key)
                    await pilot.pause()
                    look(f"case 1 {dialog}", app)
                    await pilot.press("escape")
                    await pilot.pause()
                await pilot.press("end")  # the timeline, with the hostile actors
                await pilot.pause()
                look("case 1 timeline", app)
            if case_id == 7:
                await pilot.press("m")  # a notification: its kind is not "dispute" but hostile text
                await pilot.pause()
                look(f"case {case_id} after m", app)
            app.pop_screen()
            await pilot.pause()
        for key, name in (("3", "due"), ("4", "orgs"), ("5", "report")):
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            look(name, app)
        await pilot.press("4")
        await pilot.pause()
        for key in ("s", "c"):
            await pilot.press(key)
            await pilot.pause()
            look(f"orgs dialog {key}", app)
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("5", "end")
        await pilot.pause()
        look("report, its end", app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"essex 2")
        await pilot.pause()
        await pilot.pause()
        look("palette", app)

    drive(journey, hostile_db.path, notifications=True)
    assert len(seen) == 17, sorted(seen)
    assert {name: wrong for name, wrong in seen.items() if wrong} == {}


def test_the_due_screen_and_cases_take_any_stored_date(bad_dates_db):
    """Year 1, year 9999, a year past the calendar, not a date: the Due screen lists them all,
    each case opens, and changing one says in a sentence what is wrong."""
    from hostile_data import BAD_DATES

    async def journey(app, pilot):
        await pilot.press("3")
        await until(pilot, lambda: app.screen.query(DataTable) and app.screen.query_one(DataTable).row_count,
                    "the due list")
        table = app.screen.query_one(DataTable)
        cases = {table.coordinate_to_cell_key((r, 0)).row_key.value.split(":")[1] for r in range(table.row_count)}
        assert len(cases - {""}) >= len([b for b in BAD_DATES if b <= "2027"])
        assert drawn(app)[1] == []
        for case_id in (1, 2, 3, 16, 17, 18):
            app.open_case(case_id)
            await pilot.pause()
            assert drawn(app)[1] == []
            app.pop_screen()
            await pilot.pause()

    drive(journey, bad_dates_db)


def test_a_stored_status_in_the_close_notice_is_inert(hostile_db):
    """c on a case that is not open names its status: a status edited with sqlite3 to hold
    escapes and markup is shown as typed in that notice, never sent or interpreted."""
    import sqlite3

    from hostile_data import hostile

    conn = sqlite3.connect(hostile_db.path)
    with conn:
        conn.execute("UPDATE cases SET status = ? WHERE id = 7", [hostile(3)])
    conn.close()

    async def journey(app, pilot):
        app.open_case(7)
        await pilot.pause()
        app.screen.action_close_case()  # the key is not offered for a case that is not open
        await until(pilot, lambda: "case 7's status" in drawn(app)[0], "the notice drawn")
        text, wrong = drawn(app)
        assert wrong == []
        assert "case 7's status" in text  # the notice is drawn; with markup on, the status crashed it

    drive(journey, hostile_db.path, notifications=True)


def test_a_plugin_clause_with_escapes_is_drawn_inert():
    """A plugin can lie too: its clause text goes through the same boundary."""
    from compact_tui.record import replace

    from compact_tui.content.plugins import load_registry
    from compact_tui.tui.screens.compacts import clause_line

    compact = load_registry().get("essex")
    clause = replace(compact.clauses[0], text="\x1b]0;pwned\x07[bold]y[/]", theme="t\u202eheme", ref="1\x1b[2J")
    line = clause_line(compact, clause)
    assert raw_characters(line.plain) == []
    assert "\\x1b]0;pwned\\x07[bold]y[/]" in line.plain and "t\\u202eheme" in line.plain
