"""Small widgets the screens share: a form frame that says when there is more below, and the
keys panel. (The fields of a form are in ``fields.py``.)"""

from __future__ import annotations

from textual.containers import VerticalScroll


class FormBody(VerticalScroll):
    """A form's frame. When the form is taller than the terminal, its bottom edge says so
    ("more below") until the last field is in view, so a scroll bar is never the only sign."""

    MORE = "more below: tab or scroll"

    def on_mount(self) -> None:
        self.call_after_refresh(self.show_if_more)

    def on_resize(self) -> None:
        self.call_after_refresh(self.show_if_more)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.show_if_more()

    def watch_virtual_size(self, size) -> None:
        self.call_after_refresh(self.show_if_more)

    def show_if_more(self) -> None:
        more = self.max_scroll_y > 0 and self.scroll_y < self.max_scroll_y
        self.border_subtitle = self.MORE if more else ""


#: what to call the focused widget's own keys in the keys panel
_WIDGET_NAMES = {"DataTable": "In the table", "OptionList": "In the list", "Input": "In the text field",
                 "Select": "In the choice", "Checkbox": "On the tick box", "TickBox": "On the tick box",
                 "Button": "On the button", "TextArea": "In the text"}


#: the actions textual gives every screen (move focus, copy): listed with the app's keys
_EVERY_SCREEN = {"app.focus_next", "app.focus_previous", "screen.copy_text"}


class KeysPanel(VerticalScroll, can_focus=False):
    """The keys panel (``?`` or F1; ``escape`` or ``?`` again closes it). The screen's own
    actions come first, then the keys that work everywhere, then the focused widget's
    (a table's cursor keys), so what an officer is looking for is at the top."""

    def compose(self):
        from textual.widgets import Static

        yield Static(id="keys-text")

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.call_after_refresh(self.fill))
        self.fill()

    def fill(self) -> None:
        from rich.text import Text

        groups: dict[str, dict[str, tuple[list[str], str]]] = {}
        for _key, (node, binding, _enabled, _tooltip) in self.screen.active_bindings.items():
            if binding.system or not binding.description:
                continue
            if node is self.screen and binding.action not in _EVERY_SCREEN:
                group = "This screen"
            elif node is self.screen:
                group = "On every screen"
            elif node is self.app:
                group = "Everywhere"
            else:
                group = _WIDGET_NAMES.get(type(node).__name__, "Where the cursor is")
            keys, _ = groups.setdefault(group, {}).setdefault(binding.action, ([], binding.description))
            shown = self.app.get_key_display(binding)
            if shown not in keys:
                keys.append(shown)
        first = ("This screen", "Everywhere", "On every screen")
        order = [*first, *(g for g in groups if g not in first)]
        text = Text(no_wrap=False)
        for group in order:
            if group not in groups:
                continue
            text.append(f"{group}\n", style="bold underline")
            for keys, description in groups[group].values():
                text.append(f"{' '.join(keys):>9} ", style="bold")
                text.append(f"{description}\n")
            text.append("\n")
        text.append("escape or ? closes this", style="italic")
        self.query_one("#keys-text").update(text)
