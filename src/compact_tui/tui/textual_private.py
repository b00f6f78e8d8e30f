"""Every use the app makes of a private Textual name, in one place.

Textual 8.2.8 (pinned in pyproject.toml) offers no public hook for the two things below, so
the app reaches into its internals here and nowhere else. ``tests/tui/test_textual_private.py``
checks that each name still exists with the shape used here and fails loudly, naming it, when an
upgrade of Textual changes or removes one; ``tests/core/test_import_graph.py``-style reading of
``tui/`` (the same test file) fails if any other module uses a private Textual name.

- :class:`FirstFrameScreen` overrides ``Screen._compositor_refresh`` and reads
  ``App._batch_count``: the first screen is drawn whole as soon as Textual's start-up batch ends.
- :class:`CrashLogApp` overrides ``App._handle_exception`` and clears ``App._exit_renderables``:
  an unexpected error goes to the crash log instead of a traceback on the terminal.
- :class:`EscapeFirstParser` (``textual._xterm_parser.XTermParser``, ``Parser._timeout_time``) and
  :class:`EscapeFirstDriver` (a copy of ``LinuxDriver.run_input_thread``, ``Driver._debug``): an
  Escape and the key after it, arriving in one read, are two keys, not an Alt key.
"""

from __future__ import annotations

import os
import selectors
from codecs import getincrementaldecoder

from textual._loop import loop_last
from textual._parser import ParseError
from textual._xterm_parser import BRACKETED_PASTE_END, BRACKETED_PASTE_START, XTermParser
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver
from textual.screen import Screen


class FirstFrameScreen(Screen):
    """A screen that draws nothing inside Textual's start-up batch, and everything after it."""

    #: a frame was held back at start (:meth:`_compositor_refresh`) and is not drawn yet
    frame_held = False

    def _compositor_refresh(self) -> None:
        """Draw what changed. Textual lays the first screen out and renders it while its own
        start-up ``batch_update`` is still held, and a frame rendered inside a batch is thrown
        away, not written; once the batch ends only the widgets changed since were drawn. A
        start screen mounted and filled in one go (the Cases list) showed only its nav and key
        bars until a later change redrew the rest, after the plugins had been found again
        (docs/performance.md). Until the app has started, a frame inside a batch is not rendered
        at all: what changed stays to be drawn, whole, as soon as the batch ends. (Textual
        8.2.8 offers no public hook for this; ``CompactApp._after_first_frame`` draws the
        screen if nothing else has by then.)

        Private Textual: ``Screen._compositor_refresh`` (the one place a screen's frame is
        rendered and written) and ``App._batch_count`` (how many ``batch_update`` are open)."""
        if self.app._batch_count and not getattr(self.app, "started", True):
            self.frame_held = True
            return
        self.frame_held = False
        super()._compositor_refresh()


class CrashLogApp(App):
    """An app whose unexpected error goes to :meth:`log_crash` before Textual's own handler."""

    def log_crash(self, error: Exception) -> bool:
        """Record ``error``; True if it was kept somewhere the officer is told of, so Textual
        need not print its traceback on the terminal."""
        return False

    def _handle_exception(self, error: Exception) -> None:
        """Textual's own handler still runs (so a test under Pilot sees the error); the traceback
        it would print at exit is dropped when :meth:`log_crash` kept it.

        Private Textual: ``App._handle_exception`` (where every unexpected error in a handler,
        worker or compose arrives; there is no public hook) and ``App._exit_renderables`` (what
        Textual prints once the terminal is restored)."""
        kept = self.log_crash(error)
        super()._handle_exception(error)
        if kept:
            self._exit_renderables.clear()


# -- Escape that survives coalesced input -------------------------------------------------

#: What follows ESC when a terminal sends a sequence of its own: CSI (arrows, function keys,
#: mouse, paste markers, replies), SS3 (F1-F4 and arrows in application mode), OSC, DCS, APC, and
#: ESC itself (Textual reads ESC ESC as escape, then what follows the second).
SEQUENCE_STARTS = frozenset("[O]P_\x1b")
ESC = "\x1b"


class EscapeFirstParser(XTermParser):
    """Textual's input parser, except that an Escape followed by a key in the same read (or in
    the next read, before Textual's ``ESCAPE_DELAY`` is up) is an Escape and then that key.

    Textual 8.2.8 (``XTermParser.parse``) holds an ESC for ``ESCAPE_DELAY`` waiting for the
    rest of a sequence, and reads ``ESC y`` as one key, ``alt+y``, which a field then types as
    ``y``: over SSH an officer's ``Escape y`` (leave the form? yes) often arrives in one packet.
    Here, the moment the character after an ESC cannot begin a sequence a terminal sends
    (:data:`SEQUENCE_STARTS`), the ESC is let go as Escape before that character is read. The
    app has no Alt keys (PRODUCT.md), so an Alt+letter that a terminal sends as ESC and the
    letter is read as Escape then the letter too; arrows, function keys, the mouse and
    bracketed paste are unchanged. Inside a bracketed paste nothing is let go.

    Private Textual: the module ``textual._xterm_parser`` (the parser itself), and
    ``Parser._timeout_time``, which :meth:`let_escape_go` sets to now so that Textual's own
    ``tick`` ends the wait exactly as if ``ESCAPE_DELAY`` had passed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.after_escape = False  # the last character fed was an ESC the parser is holding
        self.in_paste = False
        self.tail = ""  # the end of the last feed, to see a paste marker split between reads

    def feed(self, data: str):
        if not data:
            yield from super().feed(data)
            return
        seen = self.tail + data
        start = 0
        for index, character in enumerate(data):
            if self.after_escape and not self.in_paste and character not in SEQUENCE_STARTS:
                if index > start:  # (an empty feed would be the end of the input)
                    yield from super().feed(data[start:index])
                yield from self.let_escape_go()
                start = index
            self.after_escape = character == ESC
            at = len(self.tail) + index + 1
            if seen.endswith(BRACKETED_PASTE_START, 0, at):
                self.in_paste = True
            elif seen.endswith(BRACKETED_PASTE_END, 0, at):
                self.in_paste = False
        self.tail = seen[-len(BRACKETED_PASTE_START):]
        yield from super().feed(data[start:])

    def let_escape_go(self):
        """The ESC held is a key of its own: end the parser's wait for the rest of a sequence
        now, as its timeout would (``Parser.tick``)."""
        if self._timeout_time is not None:  # still waiting (a tick may have let it go already)
            self._timeout_time = 0.0
            yield from self.tick()


class EscapeFirstDriver(LinuxDriver):
    """Textual's Linux and macOS driver, reading the terminal through :class:`EscapeFirstParser`
    and writing to it through ``terminal_output.fewer_sgr`` (:meth:`write`, a public method).

    Private Textual: ``LinuxDriver.run_input_thread`` makes its ``XTermParser`` inside itself, so
    this is that method with the parser swapped (and ``self._debug``, which it passes on);
    ``tests/tui/test_textual_private.py`` fails if Textual's own method changes from the one copied."""

    def make_parser(self) -> EscapeFirstParser:
        return EscapeFirstParser(self._debug)

    def write(self, data: str) -> None:
        """Write to the terminal with the styles set once per run of cells, not once per piece
        (``terminal_output.fewer_sgr``: the same cells, fewer bytes over a slow link)."""
        from .terminal_output import fewer_sgr

        super().write(fewer_sgr(data))

    def run_input_thread(self) -> None:
        """Wait for input and dispatch events (Textual 8.2.8's, with :meth:`make_parser`)."""
        selector = selectors.SelectSelector()
        selector.register(self.fileno, selectors.EVENT_READ)
        fileno = self.fileno
        parser = self.make_parser()
        feed, tick = parser.feed, parser.tick
        decode = getincrementaldecoder("utf-8")().decode

        def process_selector_events(selector_events, final: bool = False) -> None:
            for last, (_selector_key, mask) in loop_last(selector_events):
                if mask & selectors.EVENT_READ:
                    unicode_data = decode(os.read(fileno, 1024 * 4), final=final and last)
                    if not unicode_data:
                        break
                    for event in feed(unicode_data):
                        self.process_message(event)
            for event in tick():
                self.process_message(event)

        try:
            while not self.exit_event.is_set():
                process_selector_events(selector.select(0.1))
            selector.unregister(self.fileno)
            process_selector_events(selector.select(0.1), final=True)
        finally:
            selector.close()
            try:
                for _event in feed(""):
                    pass
            except (EOFError, ParseError):
                pass


def input_driver(driver_class: type) -> type:
    """The driver the app runs with: :class:`EscapeFirstDriver` in place of Textual's Linux
    and macOS driver; any other (Windows, headless, ``TEXTUAL_DRIVER``) as Textual chose it."""
    return EscapeFirstDriver if driver_class is LinuxDriver else driver_class
