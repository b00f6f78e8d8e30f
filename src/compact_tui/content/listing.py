"""What the compacts list shows for each installed compact, as plain data.

The app's first screen is this list. Its rows are kept with the registry snapshot
(:mod:`compact_tui.content.content_cache`), so a start can draw them before the model is imported
or the registry rebuilt; both happen just after the first frame. The same function builds
the rows from a live registry, so a snapshot's rows and a fresh registry's compare equal
exactly when the list would look the same.
"""

from __future__ import annotations


TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .registry import PluginError, Registry


def reading_rules(registry: Registry) -> dict[str, list[str]]:
    """For each usable compact, the ids of its rules whose rule or severity is our reading of
    the text, not stated by it (what the Cases list's lower-case marks rest on)."""
    return {compact.info.id: sorted(r.id for r in compact.rules
                                    if r.standing.is_reading or r.severity_standing.is_reading)
            for compact in registry}


def compact_rows(registry: Registry) -> list[dict[str, Any]]:
    """One JSON-able dict per compact, the usable ones in the registry's order, then one for
    each plugin, or compact of a plugin, that cannot be used: ``key`` (the row's own, unique),
    ``id`` (None where a failed plugin's compacts cannot be told), ``name``, ``plugin``,
    ``reason`` (why it cannot be used, for an unavailable one), ``status``, ``available``, the counts of ``principles``, ``undertakings``
    and ``rules`` (None when unavailable), ``above`` (the compact one level up, or its name and
    "(not installed)"; for an unavailable one, why in a few words), ``problems`` (each one, for
    an unavailable compact), and for the summary pane ``area``, ``revision``, ``statutory``,
    ``vcs`` (the two sides' names) and ``summary``; ``reading_rules`` (:func:`reading_rules`), so
    the Cases list can mark readings before the registry is rebuilt."""
    rows = []
    readings = reading_rules(registry)
    for compact in registry:
        info = compact.info
        above, name = registry.above(compact)
        level = above.info.name if above else (f"{name} (not installed)" if name else "")
        rows.append({"key": info.id, "id": info.id, "name": info.name, "plugin": compact.plugin, "reason": "",
                     "status": info.status, "available": True,
                     "principles": len(compact.principles), "undertakings": len(compact.undertakings),
                     "rules": len(compact.rules), "above": level, "problems": [], "area": info.area,
                     "revision": info.revision, "statutory": info.sides.statutory, "vcs": info.sides.vcs,
                     "summary": info.summary, "status_reading": info.status_reading,
                     "parent_says": registry.parent_says(compact), "reading_rules": readings[info.id]})
    for row in unavailable_rows(registry):
        info = row.pop("info")
        rows.append({**row, "status": "unavailable", "principles": None, "undertakings": None, "rules": None,
                     "area": info.area if info else "", "revision": info.revision if info else "",
                     "statutory": info.sides.statutory if info else "", "vcs": info.sides.vcs if info else "",
                     "summary": info.summary if info else "", "status_reading": "", "parent_says": "",
                     "reading_rules": []})
    return rows


def unavailable_rows(registry: Registry) -> list[dict[str, Any]]:
    """Each plugin, or compact of a plugin, that cannot be used, once: ``key``, ``id`` (the
    compact's, or None where it cannot be told), ``name``, ``plugin``, ``available`` (False),
    ``above`` (why, in a few words), ``reason`` (the sentence), ``problems`` and ``info``."""
    rows: list[dict[str, Any]] = []
    for error in registry.errors:
        info = error.info or registry.unavailable.get(error.compact)
        compact_id = error.compact or (info.id if info else "") or None
        key = f"{error.plugin}:{compact_id or ''}"
        problems = list(error.problems) or [str(error)]
        known = next((r for r in rows if r["key"] == key), None)
        if known is not None:  # one row each: a second failure of the same is one more problem
            known["problems"] += [p for p in problems if p not in known["problems"]]
            continue
        name = (info.name if info else "") or (compact_id or f"plugin {error.plugin!r}")
        rows.append({"key": key, "id": compact_id, "name": name, "plugin": error.plugin, "available": False,
                     "above": _in_brief(error), "reason": str(error), "problems": problems, "info": info})
    return rows


def _in_brief(error: PluginError) -> str:
    """Why a row is unavailable, in a few words, for the list's last column."""
    reason = error.reason
    if reason.startswith("cannot be used: "):
        return reason.removeprefix("cannot be used: ").split(" (", 1)[0]  # "3 problems"
    for start, brief in (("could not be loaded", "plugin failed to load"),
                         ("failed to register", "plugin failed to register it"),
                         ("registered a content file", "its file cannot be read"),
                         ("claims compact id", "id taken by another plugin"),
                         ("has a hook implementation", "a hook name is misspelt"),
                         ("has hook implementations", "hook names are misspelt"),
                         ("another plugin is already", "plugin name taken"),
                         ("register()", "plugin registered it wrongly")):
        if reason.startswith(start):
            return brief
    return "plugin failed"
