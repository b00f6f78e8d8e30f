"""Keys are handled one at a time, in the order they were typed, each after the last one's
consequences.

Textual hands a key from the terminal to the focused widget's message queue at once. A
key the widget does not use (tab, ``n``, ``ctrl+s``) then climbs the widget's parents one
queue at a time before the app runs its binding, and a widget that takes the focus in its
``on_mount`` does so through a callback queued behind any keys already waiting. So when
keys arrive together (a laggy link, a paste, a fast typist) the next keys are delivered to
the widget that had the focus *before* the tab moved it, or before the new form was shown:
``Title one``, tab, ``2026-11-01`` all land in the title.

:class:`KeyGate` holds the keys the terminal sends and lets the app have the next one only
when the last one has settled: it has gone all the way up its widget's parents (so its
binding has run), any screen it opened is mounted, and any focus it moved has moved. Each
step waits on a callback queued behind the key in the queue concerned (a barrier), so the
order is certain and nothing sleeps on the clock; a barrier that a closing widget never
reaches gives up after :data:`STUCK_AFTER` seconds, so keys are never held for good.
"""

from __future__ import annotations

import asyncio
from collections import deque

from textual import events

#: A barrier not reached in this many seconds is given up (a widget closed under it).
STUCK_AFTER = 2.0
#: At most this many rounds of "a screen opened, a focus moved" after one key.
SETTLE_ROUNDS = 8


class KeyGate:
    """Held keys of one app; ``admit`` is called from the app's ``on_event``."""

    def __init__(self, app):
        self.app = app
        self.held: deque[events.Event] = deque()
        self.current: events.Event | None = None
        self.task: asyncio.Task | None = None

    def admit(self, event: events.Event) -> bool:
        """True if the app should handle ``event`` now; False if the gate took it to hand on
        later (a key or paste from the terminal, not one already handed on)."""
        if event is self.current:
            return True
        self.held.append(event)
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())
        return False

    async def _run(self) -> None:
        app = self.app
        while self.held and app.is_running:
            event = self.current = self.held.popleft()
            target = app.focused or app.screen
            app.post_message(event)
            await barrier(app)  # the app has handed the key to the focused widget ...
            await through(target)  # ... which passed it up its parents and back to the app
            await self._settle()
        self.current = None

    async def _settle(self) -> None:
        """Flush the focus chain until the screen and the focus stop changing: what the key
        set off (a list's highlight, a new screen's mount and its focus) has happened."""
        app = self.app
        for _ in range(SETTLE_ROUNDS):
            before = (app.screen, app.focused)
            await through(app.focused or app.screen)
            if (app.screen, app.focused) == before:
                return


async def through(node) -> None:
    """A barrier on ``node`` and then on each of its parents up to the app, in turn: every
    message on its way up from ``node`` has arrived (a message bubbles to the parent while
    its node handles it, so it is ahead of the parent's barrier)."""
    for each in node.ancestors_with_self:
        await barrier(each)


async def barrier(node) -> None:
    """Return once ``node`` has processed every message queued on it before this call."""
    done = asyncio.get_running_loop().create_future()

    def reached() -> None:
        if not done.done():
            done.set_result(None)

    if not node.call_later(reached):  # the node is closing: nothing more will reach it
        return
    try:
        await asyncio.wait_for(done, STUCK_AFTER)
    except asyncio.TimeoutError:
        pass
