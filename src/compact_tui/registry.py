"""The installed compacts as the rest of compact-tui sees them, and the plugins that failed.

Kept apart from :mod:`compact_tui.plugins` (which finds and calls the plugins) so that code
which only reads compacts, such as a saved snapshot, does not import pluggy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import Compact


@dataclass(frozen=True)
class PluginError:
    """A plugin (or one of its compacts) that could not be used, and why."""

    plugin: str
    reason: str
    compact: str = ""

    def __str__(self) -> str:
        what = f"plugin {self.plugin!r}"
        if self.compact:
            what += f" (compact {self.compact!r})"
        return f"{what}: {self.reason}"


@dataclass
class Registry:
    """The installed compacts, by id, and the plugins that could not be used."""

    compacts: dict[str, Compact] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)

    def get(self, compact_id: str) -> Compact | None:
        return self.compacts.get(compact_id.strip().lower())

    def __iter__(self):
        return iter(self.compacts.values())

    def chain(self, compact_id: str) -> list[tuple[str, Compact | None, str]]:
        """The compact and each one above it: ``(id, compact or None, name)``."""
        out: list[tuple[str, Compact | None, str]] = []
        current: str | None = compact_id
        name = ""
        while current and all(current != seen for seen, _, _ in out):
            compact = self.get(current)
            out.append((current, compact, compact.info.name if compact else name or current))
            if compact is None:
                break
            current, name = compact.info.parent, compact.info.parent_name
        return out
