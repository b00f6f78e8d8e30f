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
"""

from __future__ import annotations

from textual.app import App
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
        (about 100 ms on). Until the app has started, a frame inside a batch is not rendered
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
