"""The fields every form is made of, each readable without colour (``NO_COLOR``, ``TERM=linux``):

- :class:`TextField`: a line of text. Its hint (the placeholder) is shown in brackets and in
  italics, ``(what is this about)``, so it cannot be taken for a value; the text already in it
  is never selected when it gets the focus, so typing adds to it and never silently replaces it.
- :class:`Choice`: one value from a short list. It opens *in place*: the fields below move down
  while the list is open, so nothing they hold is covered (Textual's ``Select`` draws its list
  over them, where the options read as their values).
- :class:`TickBox`: ``[x]`` or ``[ ]``, not a colour.
- :class:`FieldLabel`: a field's label, which says ``>`` while its field has the focus.
"""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label

#: What a focused field's label starts with; an unfocused label starts with as many spaces.
MARK = "> "


def hint(text: str) -> str:
    """A placeholder as a form shows it: in brackets, so it never reads as a value."""
    text = text.strip()
    return text if not text or (text.startswith("(") and text.endswith(")")) else f"({text})"


class FieldLabel(Label):
    """A field's label; :meth:`mark` shows whether its field has the focus."""

    def __init__(self, text: str, **kwargs):
        super().__init__(MARK.replace(">", " ") + text, **kwargs)
        self.text = text

    def mark(self, focused: bool) -> None:
        self.set_class(focused, "-focused")
        self.update((MARK if focused else MARK.replace(">", " ")) + self.text)


class TextField(Input):
    """A form's line of text: the hint in brackets; nothing selected when it gets the focus."""

    def __init__(self, value: str = "", placeholder: str = "", **kwargs):
        kwargs.setdefault("compact", True)
        super().__init__(value=value, placeholder=hint(placeholder), select_on_focus=False, **kwargs)


class TickBox(Checkbox):
    """A checkbox whose state reads without colour: ``[x]`` when on, ``[ ]`` when off, and
    ``>`` before it while it has the focus.

    Textual's checkbox draws the same ``X`` either way and tells the state by its colour
    alone, which a monochrome terminal or ``NO_COLOR`` loses."""

    def render(self) -> Content:
        mark = Content.styled((MARK if self.has_focus else "  ") + ("[x]" if self.value else "[ ]"), "bold")
        label = self.label.pad(1, 1).stylize_before(self.get_visual_style("toggle--label"))
        return Content.assemble(mark, label)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()


class Choice(Widget, can_focus=True):
    """One value from a short list, chosen in place.

    Closed, it is one line: the value chosen (or its prompt, in brackets). ``enter``, ``space``
    or ``down`` opens it: every option on its own line, the rows below moving down, ``>`` and
    reverse video on the one under the cursor; ``up``/``down`` move, ``enter`` or ``space``
    chooses, ``escape`` or leaving the field closes it unchanged. While it is open, a letter
    moves to the next option that starts with it (closed, a letter is the screen's key)."""

    DEFAULT_CSS = """
    Choice { height: auto; width: 1fr; }
    Choice:focus { text-style: bold; }
    """
    BINDINGS = [
        Binding("enter,space", "press", "Open or choose", show=False),
        Binding("down", "move(1)", "Next", show=False),
        Binding("up", "move(-1)", "Previous", show=False),
        Binding("escape", "close", "Close the list", show=False),
    ]

    class Changed(Message):
        """The officer chose another value."""

        def __init__(self, choice: Choice, value: str | None):
            super().__init__()
            self.choice, self.value = choice, value

        @property
        def control(self) -> Choice:
            return self.choice

    expanded: reactive[bool] = reactive(False, layout=True)
    cursor: reactive[int] = reactive(0)

    def __init__(self, options: Sequence[tuple[str | Text, str]], value: str | None = None,
                 prompt: str = "choose one", **kwargs):
        super().__init__(**kwargs)
        self.options = [(Text(label) if isinstance(label, str) else label, key) for label, key in options]
        self.prompt = prompt
        self.chosen = value if any(key == value for _, key in self.options) else None

    @property
    def value(self) -> str | None:
        return self.chosen

    @value.setter
    def value(self, value: str | None) -> None:
        """Set from the program (a party's compact): no ``Changed`` message."""
        self.chosen = value if any(key == value for _, key in self.options) else None
        self.refresh()

    def label_of(self, value: str | None) -> Text | None:
        return next((label for label, key in self.options if key == value), None)

    def render(self) -> Text:
        if not self.expanded:
            label = self.label_of(self.chosen)
            if label is None:
                return Text(hint(self.prompt), style="italic")
            text = label.copy()
            if self.has_focus:
                text.append("  (enter: list)", style="italic")
            return text
        lines = Text()
        for i, (label, key) in enumerate(self.options):
            line = Text(MARK if i == self.cursor else "  ")
            line.append_text(label)
            if key == self.chosen:
                line.append(" (chosen)", style="italic")
            if i == self.cursor:
                line.stylize("reverse bold")
            lines.append_text(line)
            if i < len(self.options) - 1:
                lines.append("\n")
        return lines

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.options) if self.expanded and self.options else 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("close", "move"):
            return self.expanded or (action == "move" and parameters == (1,))
        return True

    def action_press(self) -> None:
        if self.expanded:
            self.choose(self.cursor)
        else:
            self.open()

    def action_move(self, step: int) -> None:
        if not self.expanded:
            self.open()
            return
        if self.options:
            self.cursor = (self.cursor + step) % len(self.options)

    def action_close(self) -> None:
        self.expanded = False

    def open(self, at: int | None = None) -> None:
        current = next((i for i, (_, key) in enumerate(self.options) if key == self.chosen), 0)
        self.cursor = current if at is None else at
        self.expanded = True

    def choose(self, index: int) -> None:
        self.expanded = False
        key = self.options[index][1]
        if key != self.chosen:
            self.chosen = key
            self.post_message(self.Changed(self, key))
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        """A letter while open: the next option starting with it."""
        if not (self.expanded and event.is_printable and event.character and event.character.isalnum()):
            return
        event.stop()
        event.prevent_default()
        letter = event.character.lower()
        start = self.cursor
        count = len(self.options)
        for step in range(1, count + 1):
            i = (start + step) % count
            if self.options[i][0].plain.lower().startswith(letter):
                self.cursor = i
                return

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.expanded = False
        self.refresh()

    def on_click(self, event: events.Click) -> None:
        if self.expanded and 0 <= event.y < len(self.options):
            self.choose(event.y)
        else:
            self.open()
