"""Search every installed compact as you type, and jump to a hit."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from ...content.lookup import search
from ...text import one_line
from .base import DetailScreen

MAX_HITS = 200


class SearchScreen(DetailScreen):
    """Type to search; ``down`` or ``enter`` goes to the first hit, and ``enter`` there opens it."""

    HEADING = "search every compact"
    BINDINGS = [Binding("down", "to_hits", "To the hits", id="search_to_hits", show=False)]

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="(words to find, e.g. three months)", id="search-input", compact=True)
        yield OptionList(id="hits", markup=False)

    def on_mount(self) -> None:
        self.query_one("#hits").display = False  # no list, and no stop, until there is a hit
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        hits_list = self.query_one("#hits", OptionList)
        hits_list.clear_options()
        hits = search(self.app.registry, event.value)
        for hit in hits[:MAX_HITS]:
            line = Text.assemble((one_line(f"{hit.compact.id} {hit.clause.ref}"), "bold"),
                                 one_line(f"  {hit.clause.theme}") + "\n", _excerpt(hit.clause.text, event.value))
            hits_list.add_option(Option(line, id=f"{hit.compact.id}\x00{hit.clause.ref}"))
        self.sub_title = f"{len(hits)} clause{'' if len(hits) == 1 else 's'}"
        if event.value.strip() and not hits:
            hits_list.add_option(Option(Text("No clause mentions that.", style="italic"), id="_none"))
        hits_list.display = hits_list.option_count > 0

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_to_hits()

    def action_to_hits(self) -> None:
        """From the search box to the first hit, highlighted, so the next ``enter`` opens it."""
        hits = self.query_one("#hits", OptionList)
        if hits.option_count and not hits.has_focus:
            hits.focus()
            hits.highlighted = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "to_hits":  # down in the list moves in the list
            return self.query_one(Input).has_focus
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and "\x00" in event.option.id:
            compact_id, ref = event.option.id.split("\x00", 1)
            self.app.open_clause(compact_id, ref)


def _excerpt(text: str, query: str, width: int = 150) -> Text:
    """The part of the clause around the first word searched for, with the words highlighted."""
    flat = " ".join(text.split())
    words = [w for w in query.lower().split() if w]
    at = flat.lower().find(words[0]) if words else 0
    start = max(0, at - 40)
    piece = ("..." if start else "") + flat[start:start + width] + ("..." if start + width < len(flat) else "")
    out = Text(one_line(piece))
    for word in words:
        out.highlight_words([word], style="reverse", case_sensitive=False)
    return out
