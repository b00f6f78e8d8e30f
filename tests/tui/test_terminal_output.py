"""Fewer bytes to the terminal, the same cells in the same styles (issue 20, item 10)."""

from __future__ import annotations

import re

import pytest

from compact_tui.tui.terminal_output import fewer_sgr

SEQUENCE = re.compile(r"\x1b\[([0-9;:]*)([A-Za-z])")


def cells(data: str) -> list[tuple[str, tuple[str, ...], tuple[int, int]]]:
    """What a terminal shows: each printed character with the styles set since the last reset
    and where it was printed (row, column), cursor moves followed."""
    out, styles, row, col = [], (), 1, 1
    position = 0
    for match in SEQUENCE.finditer(data):
        for ch in data[position:match.start()]:
            if ch == "\n":
                row += 1
            elif ch == "\r":
                col = 1
            else:
                out.append((ch, styles, (row, col)))
                col += 1
        position = match.end()
        params, command = match.groups()
        if command == "m":
            styles = () if params in ("", "0") else styles + (params,)
        elif command == "H":
            row, col = (int(p or 1) for p in (params.split(";") + ["1"])[:2])
    for ch in data[position:]:
        out.append((ch, styles, (row, col)))
        col += 1
    return out


ROW = "\x1b[3;1H" + "".join(f"\x1b[38;5;253;48;5;234m{cell}\x1b[0m" for cell in (" Essex ", " adopted ", " 17 "))
FRAMES = [
    ROW,
    ROW + "\r\n\x1b[4;1H" + "\x1b[38;5;253;48;5;234m next row\x1b[0m",  # a cursor move between: still one style
    "\x1b[1;38;5;195m A \x1b[0m\x1b[38;5;195m B \x1b[0m",  # bold then not bold: both kept
    "\x1b[7m \x1b[0m" * 80,  # a scroll bar
    "plain \x1b[1mbold\x1b[0m plain \x1b[1mbold\x1b[0m",
    "\x1b[1m\x1b[3mboth\x1b[0m\x1b[3mitalic\x1b[0m",  # a style set over another: not taken for it
    "\x1b]8;id=1;http://x\x1b\\link\x1b]8;;\x1b\\\x1b[1mX\x1b[0m",
    "",
]


@pytest.mark.parametrize("frame", FRAMES)
def test_the_terminal_shows_the_same_cells_in_the_same_styles(frame):
    assert cells(fewer_sgr(frame)) == cells(frame)
    assert len(fewer_sgr(frame)) <= len(frame)


def test_a_row_of_cells_in_one_style_sets_it_once():
    assert fewer_sgr(ROW) == "\x1b[3;1H\x1b[38;5;253;48;5;234m Essex  adopted  17 \x1b[0m"
    assert fewer_sgr("\x1b[7m \x1b[0m" * 80) == "\x1b[7m" + " " * 80 + "\x1b[0m"


def test_a_different_style_after_a_reset_is_set_after_the_reset():
    assert fewer_sgr("\x1b[1;38;5;195m A \x1b[0m\x1b[38;5;195m B \x1b[0m") == \
        "\x1b[1;38;5;195m A \x1b[0m\x1b[38;5;195m B \x1b[0m"
