"""The installed compacts as the rest of compact-tui sees them, and the plugins that failed.

Kept apart from :mod:`compact_tui.content.plugins` (which finds and calls the plugins) so that code
which only reads compacts, such as a saved snapshot, does not import pluggy.

A compact whose content fails the checks is *unavailable*: listed, with its problems, but
never used (no rule of it is applied, no case or move is made under it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from ..record import field, record
from ..errors import UserError
from .model import Compact, CompactInfo
from ..text import quoted

#: The area of the national Compact. A local compact whose level up is "England" sits under
#: whichever installed compact covers England, and ``which`` falls back to that compact for a
#: locality no installed compact names.
NATIONAL_AREA = "England"


@record(frozen=True)
class PluginError:
    """A plugin (or one of its compacts) that could not be used, and why.

    ``compact`` is the compact it concerns, when that is known: registered, or (for a plugin
    that failed before it could register) a compact whose file lies in its package; ``info``
    is what is known of that compact. A plugin whose compacts cannot be known at all has no
    ``compact``, and is listed under its own name.
    """

    plugin: str
    reason: str
    compact: str = ""
    problems: tuple[str, ...] = ()  # each problem with the compact's content, one per line
    info: CompactInfo | None = None

    def __str__(self) -> str:
        what = f"plugin {self.plugin!r}"
        if self.compact:
            what += f" (compact {self.compact!r})"
        return f"{what}: {self.reason}"

    @property
    def why(self) -> str:
        """The reason, as it follows "cannot be used: ": ``it has 2 problems (...)`` for a
        compact whose content has problems, ``plugin 'rogue' could not be loaded: ...``."""
        reason = self.reason.removeprefix("cannot be used: ")
        return f"it has {reason}" if reason != self.reason else f"plugin {self.plugin!r} {reason}"


@record
class Registry:
    """The installed compacts, by id; the compacts that cannot be used; the plugins that failed."""

    #: A registry taken from the snapshot by a command rebuilds each compact from it only when it
    #: is first asked for (``content_cache.SnapshotCompacts``): ``log --compact essex`` needs one.
    compacts: Mapping[str, Compact] = field(default_factory=dict)
    #: Every plugin, or compact of a plugin, that cannot be used: one entry each, with why.
    errors: list[PluginError] = field(default_factory=list)
    #: Compacts installed but not usable (their id -> what is known of them), each named in
    #: ``errors``: a compact whose content has problems, or of a plugin that failed.
    unavailable: dict[str, CompactInfo] = field(default_factory=dict)
    #: Things a plugin's author should know that do not stop anything (hooks never called).
    warnings: list[PluginError] = field(default_factory=list)
    #: The officer's own hierarchy (``[hierarchy]`` in config.toml): compact id -> the area of
    #: the compact one level up, for a council that sits under a compact its text does not name.
    local_parents: dict[str, str] = field(default_factory=dict)
    #: Every file the compacts came from (content files, plugin modules): a saved snapshot of
    #: this registry stands only while they are unchanged.
    files: list[str] = field(default_factory=list)
    #: Each usable compact's content file, where it has one (id -> path).
    sources: dict[str, str] = field(default_factory=dict)
    #: Each plugin's own folder (or module file), and the file of every module imported while
    #: the plugins were loaded (``None`` where some were imported before, so that is not known):
    #: what a command checks before it trusts a snapshot (:mod:`compact_tui.content.snapshot_trust`).
    packages: list[str] = field(default_factory=list)
    imported: list[str] | None = None

    def get(self, compact_id: str) -> Compact | None:
        return self.compacts.get(compact_id.strip().lower())

    def __iter__(self) -> Iterator[Compact]:
        return iter(self.compacts.values())

    def require(self, compact_id: str) -> Compact:
        """The usable compact ``compact_id``, or a :class:`UserError` saying why not."""
        compact = self.get(compact_id)
        if compact is not None:
            return compact
        wanted = compact_id.strip().lower()
        if wanted in self.unavailable:
            raise UserError(self.why_unavailable(wanted))
        known = ", ".join(sorted(self.compacts)) or "none"
        raise UserError(f"no compact {quoted(compact_id)} is installed (installed: {known}).")

    def error_of(self, compact_id: str) -> PluginError | None:
        """The error that makes the installed compact ``compact_id`` unavailable."""
        return next((e for e in self.errors if e.compact == compact_id), None)

    def why_unavailable(self, compact_id: str) -> str:
        """One sentence: this compact is installed, but cannot be used, and why."""
        info = self.unavailable[compact_id]
        error = self.error_of(compact_id)
        why = error.why if error is not None else "its plugin failed"
        return (f"{info.name or compact_id} ({quoted(compact_id)}) is installed but cannot be used: {why}; "
                f"see 'compact-tui plugin check {compact_id}'.")

    def problems(self, compact_id: str) -> list[str]:
        """Why an unavailable compact cannot be used, one line per problem."""
        out: list[str] = []
        for error in self.errors:
            if error.compact == compact_id:
                out += list(error.problems) or [str(error)]
        return out

    # -- the hierarchy, by area -------------------------------------------------------------------
    #
    # Worked out from each compact's info alone: a registry taken from the snapshot then rebuilds
    # only the compacts a caller goes on to use (``log --org`` the one the organisation signed).

    def has(self, compact_id: str) -> bool:
        """Whether ``compact_id`` is an installed, usable compact (as :meth:`get` finds it)."""
        return compact_id.strip().lower() in self.compacts

    def info(self, compact_id: str) -> CompactInfo:
        """The info of the installed compact ``compact_id`` (KeyError if none): from a snapshot,
        read without rebuilding the rest of the compact (``SnapshotCompacts.info``)."""
        info_of: Callable[[str], CompactInfo] | None = getattr(self.compacts, "info", None)
        return info_of(compact_id) if info_of is not None else self.compacts[compact_id].info

    def parent_area(self, compact: Compact | CompactInfo) -> tuple[str, str]:
        """The area of the compact one level up and where that comes from: ``("Essex",
        "stated")`` (the compact's content, quoting its source; ``"reading"`` where the link is our
        reading of the words it quotes), ``("Derbyshire", "local
        setting")`` (``[hierarchy]`` in the officer's config), or ``("", "")`` for none."""
        info = compact.info if isinstance(compact, Compact) else compact
        local = self.local_parents.get(info.id)
        if local:
            return local, "local setting"
        parent = info.parent
        return (parent.area, parent.standing.label) if parent is not None and parent.area else ("", "")

    def parent_says(self, compact: Compact) -> str:
        """The content's link one level up in words: whether it is stated or a reading, which
        text and clause its quoted words come from, the words, and a reading's reason."""
        parent = compact.info.parent
        if parent is None or not parent.area or compact.id in self.local_parents:
            return ""
        quoted = self.covering(parent.quoted_from, exclude=compact.id) if parent.quoted_from else None
        if parent.quoted_from:  # which text the words are: another compact's, named if installed
            source = f"{quoted.info.name}'s text" if quoted else f"The text of the compact for {parent.quoted_from}"
        else:
            source = f"{compact.info.name}'s own text"
        source += f", {parent.ref}" if parent.ref else ""
        said = f'{source} says: "{parent.states}"'
        return f"A reading. {said}. {parent.reading}" if parent.standing.is_reading else f"Stated. {said}."

    def covering(self, area: str, exclude: str = "") -> Compact | None:
        """The installed compact whose area (or one of whose localities) is ``area``."""
        found = self.covering_id(area, exclude)
        return self.compacts[found] if found else None

    def covering_id(self, area: str, exclude: str = "") -> str:
        """The id of :meth:`covering`'s compact, or ``""``: no compact is rebuilt to find it."""
        wanted = area.strip().casefold()
        for compact_id in self.compacts:
            info = self.info(compact_id)
            names = (info.area, *info.localities)
            if info.id != exclude and any(n.strip().casefold() == wanted for n in names):
                return compact_id
        return ""

    def national(self) -> Compact | None:
        """The installed compact that covers England, whatever its plugin calls it."""
        return self.covering(NATIONAL_AREA)

    def chain(self, compact_id: str) -> list[tuple[str, Compact | None, str]]:
        """The compact and each one above it: ``(id, compact, name)``; a level no installed
        compact covers is ``("", None, its name)`` and ends the chain."""
        return [(cid, self.compacts[cid] if installed else None, name)
                for cid, installed, name in self.levels(compact_id)]

    def levels(self, compact_id: str) -> list[tuple[str, bool, str]]:
        """:meth:`chain` as ``(id, installed, name)``, worked out without rebuilding a compact."""
        key = compact_id.strip().lower()
        if key not in self.compacts:
            return [(compact_id, False, compact_id)]
        info = self.info(key)
        out: list[tuple[str, bool, str]] = []
        while all(info.id != seen for seen, _, _ in out):
            out.append((info.id, True, info.name))
            area, _ = self.parent_area(info)
            if not area:
                break
            above = self.covering_id(area, exclude=info.id)
            if not above:
                link = info.parent
                name = link.name if link is not None and link.name and link.area == area else ""
                out.append(("", False, name or f"the compact for {area}"))  # the text's name, as it gives it
                break
            info = self.info(above)
        return out

    def above(self, compact: Compact) -> tuple[Compact | None, str]:
        """The installed compact one level up (or None) and the name of that level ("" if the
        compact names none)."""
        levels = self.chain(compact.id)
        return (levels[1][1], levels[1][2]) if len(levels) > 1 else (None, "")
