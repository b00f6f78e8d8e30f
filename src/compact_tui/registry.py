"""The installed compacts as the rest of compact-tui sees them, and the plugins that failed.

Kept apart from :mod:`compact_tui.plugins` (which finds and calls the plugins) so that code
which only reads compacts, such as a saved snapshot, does not import pluggy.

A compact whose content fails the checks is *unavailable*: listed, with its problems, but
never used (no rule of it is applied, no case or move is made under it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .errors import UserError
from .model import Compact, CompactInfo
from .text import quoted

@dataclass(frozen=True)
class PluginError:
    """A plugin (or one of its compacts) that could not be used, and why."""

    plugin: str
    reason: str
    compact: str = ""
    problems: tuple[str, ...] = ()  # each problem with the compact's content, one per line

    def __str__(self) -> str:
        what = f"plugin {self.plugin!r}"
        if self.compact:
            what += f" (compact {self.compact!r})"
        return f"{what}: {self.reason}"


@dataclass
class Registry:
    """The installed compacts, by id; the compacts that cannot be used; the plugins that failed."""

    compacts: dict[str, Compact] = field(default_factory=dict)
    errors: list[PluginError] = field(default_factory=list)
    #: Compacts registered but not used because of their problems (named in ``errors``).
    unavailable: dict[str, CompactInfo] = field(default_factory=dict)
    #: Every file the compacts came from (content files, plugin modules): a saved snapshot of
    #: this registry stands only while they are unchanged.
    files: list[str] = field(default_factory=list)

    def get(self, compact_id: str) -> Compact | None:
        return self.compacts.get(compact_id.strip().lower())

    def __iter__(self):
        return iter(self.compacts.values())

    def require(self, compact_id: str) -> Compact:
        """The usable compact ``compact_id``, or a :class:`UserError` saying why not."""
        compact = self.get(compact_id)
        if compact is not None:
            return compact
        wanted = compact_id.strip().lower()
        if wanted in self.unavailable:
            problems = sum(len(e.problems) or 1 for e in self.errors if e.compact == wanted)
            raise UserError(f"{self.unavailable[wanted].name or wanted} ({quoted(wanted)}) cannot be used: its "
                            f"plugin has {problems} problem{'s' if problems != 1 else ''} "
                            f"('compact-tui plugin check {wanted}' lists them).")
        known = ", ".join(sorted(self.compacts)) or "none"
        raise UserError(f"no compact {quoted(compact_id)} is installed (installed: {known}).")

    def problems(self, compact_id: str) -> list[str]:
        """Why an unavailable compact cannot be used, one line per problem."""
        out: list[str] = []
        for error in self.errors:
            if error.compact == compact_id:
                out += list(error.problems) or [error.reason]
        return out

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
