"""The command palette (ctrl+p): compacts, clauses, cases and every action."""

from __future__ import annotations

import re
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ..text import one_line
from .sections import SECTIONS

ACTIONS = (
    ("New record", "quick_log", "log a consultation, funding change, dispute ..."),
    ("Search every compact", "search", "find clauses as you type"),
    ("Compare a theme across the compacts", "compare_theme", "one theme side by side"),
    *((s.palette, f"go('{s.mode}')", s.palette_help) for s in SECTIONS),
    ("Show keys", "toggle_help", "the keys of this screen"),
    ("Quit", "quit", "leave compact-tui"),
)


#: ``12``, ``#12``, ``case 12``, ``Case #12``: the case of that number.
CASE_NUMBER = re.compile(r"\s*(?:case\s*)?#?\s*(\d{1,9})\s*$", re.IGNORECASE)
#: ``compare consultation``, ``Compare fund``: the compacts side by side on a theme.
COMPARE = re.compile(r"\s*compare\s+(\S.*?)\s*$", re.IGNORECASE)
#: Above any fuzzy match's score: a case number typed is that case, before clause 6.11.
FIRST = 1000.0


class CompactCommands(Provider):
    """Actions, compacts and clauses by name; a number opens that case."""

    async def discover(self) -> Hits:
        for title, action, help_text in ACTIONS:
            yield DiscoveryHit(title, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        app = self.app
        matcher = self.matcher(query)
        for title, action, help_text in ACTIONS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), partial(app.run_action, action), help=help_text)
        for compact in app.registry:
            name = one_line(f"Compact: {compact.info.name}")
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(app.open_compact, compact.id))
        number = CASE_NUMBER.match(query)
        if number:
            case_id = int(number.group(1))
            yield Hit(FIRST, f"Open case {case_id}", partial(app.open_case, case_id), help="by its number")
        compare = COMPARE.match(query)
        if compare:
            from ..content.lookup import themes

            wanted = self.matcher(compare.group(1))
            for theme in themes(app.registry):
                score = wanted.match(theme)
                if score > 0:
                    yield Hit(FIRST / 2 + score, one_line(f"Compare the compacts on {theme}"),
                              partial(app.action_compare_theme, theme), help="one theme side by side")
        stripped = query.strip()
        if len(stripped) >= 2:
            for compact in app.registry:
                for clause in compact.clauses:
                    label = one_line(f"{compact.id} {clause.ref}")
                    score = matcher.match(label)
                    if score > 0:
                        yield Hit(score * 0.9, matcher.highlight(label), partial(app.open_clause, compact.id, clause.ref),
                                  help=one_line(clause.text[:70]))
