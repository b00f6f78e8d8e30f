"""Escape survives coalesced input (issue 20, item 2).

Over SSH an officer's ``Escape`` and the key typed after it often arrive in one read. Textual
8.2.8 read ``ESC y`` as ``alt+y`` and typed ``y`` into the field (the form stayed open). Here
the bytes a terminal sends are fed to the parser the app's driver uses
(``textual_private.EscapeFirstParser``), to the app through it, and to the real program in a
pseudo-terminal."""

from __future__ import annotations

import os
import re
import select
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from textual import events
from textual.drivers.linux_driver import LinuxDriver

from compact_tui.tui.app import make_app
from compact_tui.tui.forms import ConfirmDialog
from compact_tui.tui.screens.compacts import CompactsScreen
from compact_tui.tui.screens.quicklog import QuickLogScreen
from compact_tui.tui.textual_private import EscapeFirstDriver, EscapeFirstParser, input_driver

from .conftest import drive, type_text, until


def parsed(*reads: str) -> list[str]:
    """What the parser makes of ``reads`` (each one read from the terminal), and of an ESC
    still held at the end once Textual's wait for the rest of a sequence is over."""
    parser = EscapeFirstParser()
    out = []
    for data in reads:
        out += [describe(e) for e in parser.feed(data)]
    out += [describe(e) for e in parser.let_escape_go()]
    return out


def describe(event) -> str:
    if isinstance(event, events.Key):
        return event.key
    if isinstance(event, events.Paste):
        return f"paste {event.text!r}"
    return type(event).__name__


@pytest.mark.parametrize("reads, keys", [
    (["\x1by"], ["escape", "y"]),  # the report: leave the form? yes
    (["\x1b", "y"], ["escape", "y"]),  # ... or in the next read, before ESCDELAY is up
    (["Hall\x1by"], ["H", "a", "l", "l", "escape", "y"]),
    (["\x1b1"], ["escape", "1"]),  # was alt+1
    (["\x1bn\x1b\r"], ["escape", "n", "escape", "enter"]),
    (["\x1b\x1by"], ["escape", "escape", "y"]),
    (["\x1b"], ["escape"]),
])
def test_an_escape_and_the_key_after_it_are_two_keys(reads, keys):
    assert parsed(*reads) == keys


@pytest.mark.parametrize("reads, keys", [
    (["\x1b[A\x1b[B"], ["up", "down"]),  # arrows
    (["\x1bOP", "\x1b[15~"], ["f1", "f5"]),  # function keys (SS3 and CSI)
    (["\x1b[1;5C"], ["ctrl+right"]),
    (["\x1b[Z"], ["shift+tab"]),
    (["\x1b[3~\x1b[H"], ["delete", "home"]),
    (["\x1b[A\x1by"], ["up", "escape", "y"]),
    (["\x1b[<0;10;5M"], ["MouseDown"]),
    (["\x1b[200~one \x1b[201~"], ["paste 'one '"]),
    (["\x1b[20", "0~two\x1b[2", "01~"], ["paste 'two'"]),  # markers split between reads
])
def test_the_sequences_terminals_send_are_read_as_before(reads, keys):
    assert parsed(*reads) == keys


def test_textual_alone_read_escape_y_as_alt_y():
    """What the fix is for: Textual's own parser, once its wait is over."""
    from textual._xterm_parser import XTermParser

    parser = XTermParser()
    assert [e.key for e in parser.feed("\x1by")] == []
    parser._timeout_time = 0.0
    assert [(e.key, e.character) for e in parser.tick()] == [("alt+y", "y")]


@pytest.mark.skipif(sys.platform == "win32", reason="Textual's Linux and macOS driver")
def test_the_app_runs_on_the_driver_with_this_parser(db_path):
    assert input_driver(LinuxDriver) is EscapeFirstDriver
    assert make_app(db_path=db_path, keymap={}).driver_class is EscapeFirstDriver


def test_escape_y_in_one_read_leaves_a_changed_form(db_path):
    """The bytes of ``Escape y`` in one read, through the parser into the app: the form asks,
    ``y`` answers, and nothing is typed into the title."""
    parser = EscapeFirstParser()

    def send(data: str) -> None:
        for event in [*parser.feed(data), *parser.let_escape_go()]:
            app.post_message(event)

    async def journey(app_, pilot):
        app_.remember_compact("essex")
        await pilot.press("n", "o")
        form = app_.screen
        assert isinstance(form, QuickLogScreen)
        await type_text(pilot, "Hall")
        title = form.query_one("#f-title")
        send("\x1by")
        await until(pilot, lambda: isinstance(app_.screen, CompactsScreen), "the form left")
        assert title.value == "Hall", "no y typed into the title"

    app = make_app(db_path=db_path, keymap={})
    import asyncio

    async def main():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await journey(app, pilot)

    asyncio.run(main())


ESCAPES = re.compile(r"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


class Terminal:
    """The real ``compact-tui`` in a pseudo-terminal of 80x24, read and written as bytes."""

    def __init__(self, db: Path):
        import fcntl
        import pty
        import struct
        import termios

        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COMPACT_TUI_DB": str(db)}
        env.pop("NO_COLOR", None)
        env.pop("TEXTUAL_DRIVER", None)
        self.process = subprocess.Popen([str(Path(sys.executable).with_name("compact-tui")), "--db", str(db)], stdin=slave,
                                        stdout=slave, stderr=slave, env=env, close_fds=True, start_new_session=True)
        os.close(slave)
        self.seen = ""

    def wait_for(self, text: str, within: float = 60.0) -> None:
        """Read until ``text`` appears in what was written since the last call."""
        import time

        self.seen = ""
        end = time.monotonic() + within
        while text not in ESCAPES.sub("", self.seen):
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.master], [], [], left)[0]:
                raise AssertionError(f"never on screen: {text!r}")
            try:
                self.seen += os.read(self.master, 65536).decode("utf-8", "replace")
            except OSError:
                raise AssertionError(f"the program ended before {text!r}") from None

    def send(self, data: bytes) -> None:
        os.write(self.master, data)  # one write: the terminal's one packet

    def close(self, within: float = 60.0) -> int | None:
        """The program's exit code once it has ended, reading what it writes meanwhile (a
        terminal nobody reads would keep it waiting to write)."""
        import time

        end = time.monotonic() + within
        try:
            while self.process.poll() is None and time.monotonic() < end:
                if select.select([self.master], [], [], 0.2)[0]:
                    try:
                        os.read(self.master, 65536)
                    except OSError:
                        break
            return self.process.wait(timeout=max(1.0, end - time.monotonic()))
        finally:
            os.close(self.master)


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal")
def test_escape_y_in_one_packet_to_the_real_program(tmp_path):
    term = Terminal(tmp_path / "t.db")
    try:
        term.wait_for("Compacts")
        term.send(b"n")
        term.wait_for("New record")
        term.send(b"o")
        term.wait_for("New note")
        term.send(b"\x1b[Z\r\x1b[B\x1b[B\r\t")  # shift+tab to the compact, open it, down twice: Essex
        term.wait_for("Essex")
        term.send(b"Hall")
        term.wait_for("Hall")
        term.send(b"\x1by")  # escape, then y: leave? yes
        term.send(b"n")
        term.wait_for("New record")  # the kind picker again: the form was left, no y in the title
        term.send(b"\x1b\x11")  # escape closes the picker, then ctrl+q, in one packet
        assert term.close() == 0
    finally:
        if term.process.poll() is None:
            term.process.kill()
    assert not (tmp_path / "t.db").exists() or sqlite3.connect(tmp_path / "t.db").execute(
        "SELECT count(*) FROM sqlite_master WHERE name = 'cases'").fetchone() == (0,), "nothing was logged"
