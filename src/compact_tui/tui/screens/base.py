"""What every screen shares: the one-line navigation bar and the footer of keys."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ...text import one_line
from ..sections import SECTIONS
from ..textual_private import FirstFrameScreen



class NavBar(Static):
    """``compact-tui  1 Compacts  2 Cases ...`` with the current section marked."""

    def __init__(self, current: str, title: str = ""):
        super().__init__(id="navbar")
        self.current = current
        self.title = title

    def render(self) -> Text:
        text = Text("compact-tui ", style="bold")
        for section in SECTIONS:
            style = "reverse bold" if section.mode == self.current else ""
            text.append(f" {section.key} {section.label} ", style=style)
        if self.title:  # beside the sections, or under them in a narrow terminal
            title = one_line(self.title)
            fits = not self.size.width or text.cell_len + 2 + len(title) <= self.size.width
            text.append("  " if fits else "\n ")
            text.append(title, style="italic")
        return text


class KeyBar(Static):
    """The keys of the current screen on one line, as textual's ``Footer`` shows them (the
    focused widget's, the screen's, then the app's; ``show=False`` ones left out; the
    keymap's keys), drawn as one piece of text. The ``Footer`` makes a widget per key and
    rebuilds them all whenever focus moves, which was a large share of start-up. Keys are
    bold, so they read without colour; a key that cannot be used now is dim. In a terminal
    too narrow for one line, it takes two."""

    COMPONENT_CLASSES = {"keybar--key"}

    def __init__(self):
        super().__init__(id="keybar")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def render(self) -> Text:
        key_style = self.get_component_rich_style("keybar--key", partial=True)
        entries, seen = [], set()
        palette = None
        for key, (_node, binding, enabled, _tooltip) in self.screen.active_bindings.items():
            if key == self.app.COMMAND_PALETTE_BINDING and self.app.ENABLE_COMMAND_PALETTE:
                palette = binding
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            dim = "" if enabled else "dim"
            entry = Text(" ")
            entry.append(self.app.get_key_display(binding), style=key_style + Style(dim=True) if dim else key_style)
            entry.append(" " + binding.description, style=dim)
            entries.append(entry)
        # one line, or as many as it takes in a narrow terminal, broken between keys, never in one
        width = self.size.width or 80
        text, line = Text(), 0
        for entry in entries:
            if line and line + entry.cell_len > width:
                text.append("\n")
                line = 0
            text.append_text(entry)
            line += entry.cell_len
        if palette is not None:  # at the right of the last line, or of a line of its own
            right = f"{self.app.get_key_display(palette)} palette "
            gap = width - line - len(right)
            if gap < 2:
                text.append("\n")
                gap = width - len(right)
            text.append(" " * gap)
            text.append(right.split(" ")[0], style=key_style)
            text.append(" palette ")
        return text


class BaseScreen(FirstFrameScreen):
    """A screen with the navigation bar on top and the keys at the bottom."""

    SECTION = "compacts"
    HEADING = ""

    def compose(self) -> ComposeResult:
        yield NavBar(self.SECTION, self.HEADING)
        yield from self.compose_body()
        yield KeyBar()

    def compose_body(self) -> ComposeResult:
        yield from ()


class DetailScreen(BaseScreen):
    """A screen pushed on top of a section: ``escape`` goes back."""

    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    def action_back(self) -> None:
        self.app.pop_screen()

