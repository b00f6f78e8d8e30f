"""Looking things up across the installed compacts: search, one theme side by side."""

from __future__ import annotations

from ..record import record
from .model import Clause, Compact
from .registry import Registry


@record(frozen=True)
class Hit:
    compact: Compact
    clause: Clause


def search(registry: Registry, text: str, compact_id: str | None = None) -> list[Hit]:
    """Clauses whose text, reference, theme or section title contain every word of ``text``."""
    words = text.lower().split()
    if not words:
        return []
    hits = []
    for compact in registry:
        if compact_id and compact.id != compact_id:
            continue
        titles = {s.ref: s.title.lower() for s in compact.sections}
        for clause in compact.clauses:
            hay = " ".join((clause.text.lower(), clause.ref.lower(), clause.theme, titles.get(clause.section, "")))
            if all(w in hay for w in words):
                hits.append(Hit(compact, clause))
    return hits


def by_theme(registry: Registry, theme: str) -> dict[str, list[Clause]]:
    """For one theme, each compact's clauses on it (an empty list where it says nothing)."""
    return {c.id: [cl for cl in c.clauses if cl.theme == theme] for c in registry}


def themes(registry: Registry) -> list[str]:
    """The themes used by any installed compact, most used first."""
    counts: dict[str, int] = {}
    for compact in registry:
        for clause in compact.clauses:
            counts[clause.theme] = counts.get(clause.theme, 0) + 1
    return sorted(counts, key=lambda t: (-counts[t], t))
