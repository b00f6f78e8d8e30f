"""A crash is loud: the app exits 1 and says in one sentence where the traceback was written."""

from __future__ import annotations

import os
import stat

from compact_tui.cli import main
from compact_tui.tui import app as app_module


def test_an_unexpected_error_exits_non_zero_and_names_the_log(monkeypatch, tmp_path, capsys):
    state = tmp_path / "state"
    monkeypatch.setenv("COMPACT_TUI_STATE", str(state))
    real_make_app = app_module.make_app

    def make_crashing_app(**kw):
        app = real_make_app(keymap={}, **kw)

        def boom():
            raise RuntimeError("a bug nobody foresaw")

        app.call_later(boom)
        real_run = app.run
        app.run = lambda **run_kw: real_run(headless=True, size=(80, 24))
        return app

    monkeypatch.setattr(app_module, "make_app", make_crashing_app)
    code = main(["--db", str(tmp_path / "t.db"), "app"])
    err = capsys.readouterr().err
    log = state / "crash.log"
    assert code == 1
    # one sentence: the traceback is in the file, not over the officer's screen
    assert err == f"compact-tui: the app stopped after an unexpected error; the details are in {log}.\n"
    text = log.read_text()
    assert "RuntimeError: a bug nobody foresaw" in text and "Traceback" in text
    assert stat.S_IMODE(os.stat(log).st_mode) == 0o600


def test_a_clean_exit_is_zero(monkeypatch, tmp_path):
    monkeypatch.setenv("COMPACT_TUI_STATE", str(tmp_path / "state"))
    real_make_app = app_module.make_app

    def make_quitting_app(**kw):
        app = real_make_app(keymap={}, **kw)
        app.call_later(app.exit)
        real_run = app.run
        app.run = lambda **run_kw: real_run(headless=True, size=(80, 24))
        return app

    monkeypatch.setattr(app_module, "make_app", make_quitting_app)
    assert main(["--db", str(tmp_path / "t.db"), "app"]) == 0
    assert not (tmp_path / "state" / "crash.log").exists()


def test_an_unexpected_error_at_start_up_writes_crash_log_and_one_sentence(monkeypatch, tmp_path, capsys):
    """Before textual runs (the app is being made), and in any command."""
    state = tmp_path / "state"
    monkeypatch.setenv("COMPACT_TUI_STATE", str(state))

    def broken_make_app(**kw):
        raise RuntimeError("a bug at start-up")

    monkeypatch.setattr(app_module, "make_app", broken_make_app)
    code = main(["--db", str(tmp_path / "t.db")])
    log = state / "crash.log"
    assert (code, capsys.readouterr().err) == (
        1, f"compact-tui: the app stopped after an unexpected error; the details are in {log}.\n")
    assert "RuntimeError: a bug at start-up" in log.read_text()

    from compact_tui.cli import compacts_cmd

    def broken_compacts(args):
        raise LookupError("a bug in a command")

    monkeypatch.setattr(compacts_cmd, "run_compacts", broken_compacts)
    code = main(["compacts"])
    assert (code, capsys.readouterr().err) == (
        1, f"compact-tui: 'compact-tui compacts' stopped after an unexpected error; the details are in {log}.\n")
    assert "LookupError: a bug in a command" in log.read_text()
