"""What the compacts list shows for each installed compact, as plain data.

The app's first screen is this list. Its rows are kept with the registry snapshot
(:mod:`compact_tui.content.content_cache`), so a start can draw them before the model is imported
or the registry rebuilt; both happen just after the first frame. The same function builds
the rows from a live registry, so a snapshot's rows and a fresh registry's compare equal
exactly when the list would look the same.
"""

from __future__ import annotations


def compact_rows(registry) -> list[dict]:
    """One JSON-able dict per compact, the usable ones in the registry's order, then those
    that cannot be used: ``id``, ``name``, ``status``, ``available``, the counts of
    ``principles``, ``undertakings`` and ``rules`` (None when unavailable), ``above`` (the
    compact one level up, or its name and "(not installed)"; for an unavailable one, how many
    problems), ``problems`` (each one, for an unavailable compact), and for the summary pane
    ``area``, ``revision``, ``statutory``, ``vcs`` (the two sides' names) and ``summary``."""
    rows = []
    for compact in registry:
        info = compact.info
        above, name = registry.above(compact)
        level = above.info.name if above else (f"{name} (not installed)" if name else "")
        rows.append({"id": info.id, "name": info.name, "status": info.status, "available": True,
                     "principles": len(compact.principles), "undertakings": len(compact.undertakings),
                     "rules": len(compact.rules), "above": level, "problems": [], "area": info.area,
                     "revision": info.revision, "statutory": info.sides.statutory, "vcs": info.sides.vcs,
                     "summary": info.summary})
    for compact_id, info in registry.unavailable.items():
        problems = registry.problems(compact_id)
        rows.append({"id": compact_id, "name": info.name or compact_id, "status": "unavailable",
                     "available": False, "principles": None, "undertakings": None, "rules": None,
                     "above": f"{len(problems)} problem{'s' if len(problems) != 1 else ''}",
                     "problems": list(problems), "area": info.area, "revision": info.revision,
                     "statutory": info.sides.statutory, "vcs": info.sides.vcs, "summary": info.summary})
    return rows
