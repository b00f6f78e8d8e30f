"""The annual report lands where the officer will find it (issue 12, part 6): the form
offers the documented folder, says the file's full path, and the folder can be changed in
the form (and is kept for the rest of the session)."""

from __future__ import annotations

from textual.widgets import Input

from compact_tui.tui.screens.report import ReportScreen, WriteReport

from .conftest import drive, notifications, type_text, until


def test_the_report_goes_to_the_configured_folder_and_says_where(db_path, tmp_path, monkeypatch):
    monkeypatch.delenv("COMPACT_TUI_REPORTS")
    (tmp_path / "config.toml").write_text(f'[reports]\nfolder = "{tmp_path / "team reports"}"\n')
    monkeypatch.setenv("COMPACT_TUI_CONFIG", str(tmp_path / "config.toml"))
    chosen = tmp_path / "my folder"

    async def journey(app, pilot):
        await pilot.press("5")
        screen = app.screen
        assert isinstance(screen, ReportScreen)
        screen.query_one("#report-body").focus()
        await pilot.press("w")
        form = app.screen
        assert isinstance(form, WriteReport)
        assert form.query_one("#w-folder", Input).value == str(tmp_path / "team reports")
        assert form.query_one("#w-path", Input).has_focus
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the form closed")
        name = f"{screen.report['compact']}-{screen.report['year']}-annual-review.md"  # the name offered
        written = tmp_path / "team reports" / name
        assert written.is_file(), "the folder was made and the file written in it"
        assert f"Wrote {written}." in notifications(app)

        await pilot.press("w")  # choose another folder in the form itself
        form = app.screen
        folder = form.query_one("#w-folder", Input)
        folder.value = ""
        folder.focus()
        await type_text(pilot, str(chosen))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is screen, "the form closed")
        assert (chosen / name).is_file()
        assert f"Wrote {chosen / name}." in notifications(app)

        await pilot.press("w")  # the folder chosen is kept for the session
        assert app.screen.query_one("#w-folder", Input).value == str(chosen)

    drive(journey, db_path)
