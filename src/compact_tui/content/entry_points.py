"""The installed entry points of one group, as ``importlib.metadata.entry_points(group=...)``
lists them, read straight from the distributions' metadata folders.

Every command finds the compact plugins this way. ``importlib.metadata`` would do the same
job, but importing it (with the ``email``, ``zipfile`` and ``csv`` modules it needs) costs about
15 ms of a ``compact-tui log`` that is budgeted at 1.3x the import of its libraries; the
folders are already read for the registry snapshot's key (:func:`content_cache.plugin_distributions`).
``tests/core/test_entry_points.py`` checks that both list the same entry points.

As ``importlib.metadata`` does, a distribution found twice on ``sys.path`` counts once, the first.
"""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Distribution:
    name: str


@dataclass(frozen=True)
class EntryPoint:
    """``name = module:attr``, from distribution ``dist``."""

    name: str
    value: str
    group: str
    dist: Distribution | None = None

    def load(self):
        """The object named: the module imported, then each attribute after the colon."""
        target = self.value.split("[", 1)[0].strip()  # "module:attr [extra]"
        module_name, _, attrs = target.partition(":")
        found = importlib.import_module(module_name.strip())
        for attr in filter(None, attrs.strip().split(".")):
            found = getattr(found, attr)
        return found


def distribution_name(folder: str) -> str:
    """``compact_tui_essex-0.1.0.dist-info`` -> ``compact-tui-essex`` (normalised as PEP 503 does)."""
    stem = folder.rsplit(".", 1)[0]
    name = stem.split("-", 1)[0]
    return re.sub(r"[-_.]+", "-", name).lower()


def entry_points(group: str) -> list[EntryPoint]:
    from .content_cache import plugin_distributions

    found: list[EntryPoint] = []
    seen: set[str] = set()
    for _, folder, text in plugin_distributions(group):
        dist = distribution_name(folder)
        if dist in seen:
            continue
        seen.add(dist)
        for line in text.splitlines():
            name, sep, value = line.partition("=")
            if sep and name.strip():
                found.append(EntryPoint(name.strip(), value.strip(), group, Distribution(dist)))
    return found
