"""The installed compacts, for a command: the last snapshot when a command that writes may
trust it (:mod:`compact_tui.content.snapshot_trust`), else the plugins found and asked now, and
the snapshot made again for the next command (and the app's next start)."""

from __future__ import annotations

from .content_cache import load_trusted_snapshot

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .registry import Registry


def installed_registry() -> Registry:
    """The compacts as the installed plugins give them now (see the module's doc)."""
    registry = load_trusted_snapshot(lambda: asked().compacts)
    return registry if registry is not None else asked()


def asked() -> Registry:
    """The plugins found and asked now, and the snapshot made again from their answers."""
    from .content_cache import save_snapshot
    from .listing import compact_rows
    from .plugins import load_registry

    registry = load_registry()
    save_snapshot(registry, first_screen=compact_rows(registry))
    return registry
