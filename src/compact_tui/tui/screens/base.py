"""What every screen shares: the one-line navigation bar and the footer of keys."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from ...text import one_line

SECTIONS = (("1", "compacts", "Compacts"), ("2", "cases", "Cases"), ("3", "due", "Due"),
            ("4", "orgs", "Orgs"), ("5", "report", "Report"))


class NavBar(Static):
    """``compact-tui  1 Compacts  2 Cases ...`` with the current section marked."""

    def __init__(self, current: str, title: str = ""):
        super().__init__(id="navbar")
        self.current = current
        self.title = title

    def render(self) -> Text:
        text = Text("compact-tui ", style="bold")
        for key, mode, label in SECTIONS:
            style = "reverse bold" if mode == self.current else ""
            text.append(f" {key} {label} ", style=style)
        if self.title:
            text.append("  ")
            text.append(one_line(self.title), style="italic")
        return text


class BaseScreen(Screen):
    """A screen with the navigation bar on top and the keys at the bottom."""

    SECTION = "compacts"
    HEADING = ""

    def compose(self) -> ComposeResult:
        yield NavBar(self.SECTION, self.HEADING)
        yield from self.compose_body()
        yield Footer(compact=True)

    def compose_body(self) -> ComposeResult:
        yield from ()


class DetailScreen(BaseScreen):
    """A screen pushed on top of a section: ``escape`` goes back."""

    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    def action_back(self) -> None:
        self.app.pop_screen()

