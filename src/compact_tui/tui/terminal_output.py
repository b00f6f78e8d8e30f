"""Fewer bytes to the terminal, for officers on a slow link (issue 20, item 10).

Textual writes every piece of a line in its own style as ``ESC[<style>m text ESC[0m``: a row
of a table whose six cells share one style sets that style, and resets it, six times; a
scroll bar of 80 cells did it 80 times. :func:`fewer_sgr` takes out each reset that is
followed (with nothing printed between, only cursor moves) by the very style it reset, so the
terminal shows exactly the same cells in the same styles from fewer bytes. The app's driver
(``textual_private.EscapeFirstDriver.write``) passes everything it writes through it.
"""

from __future__ import annotations

import re

#: Select Graphic Rendition: ``ESC [ params m``.
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
#: What prints nothing: cursor moves and line ends (the style set stays as it was).
PRINTS_NOTHING = re.compile(r"(?:\x1b\[[0-9;]*[HABCDG]|\r|\n)*")
RESET = "\x1b[0m"
#: The style in force is not known (set over another style without a reset).
UNKNOWN = object()


def fewer_sgr(data: str) -> str:
    """``data`` with each ``ESC[0m ESC[P m`` (cursor moves allowed between) dropped where P is
    the style in force before the reset. A frame starts in the plain style: Textual resets
    after every styled piece."""
    out: list[str] = []
    active: str | object | None = None  # the SGR parameters in force; None: the plain style
    reset_due = False  # a reset was read and not written yet
    position = 0
    for match in SGR.finditer(data):
        between = data[position:match.start()]
        position = match.end()
        if between:
            if reset_due and not PRINTS_NOTHING.fullmatch(between):
                out.append(RESET)
                reset_due, active = False, None
            out.append(between)
        params = match.group(1)
        if params in ("", "0"):
            reset_due = True
        elif reset_due and params == active:
            reset_due = False  # reset, then the same style again: neither is needed
        else:
            if reset_due:
                out.append(RESET)
                reset_due, active = False, None
            out.append(match.group(0))
            active = params if active is None else UNKNOWN
    if reset_due:
        out.append(RESET)
    out.append(data[position:])
    return "".join(out)
