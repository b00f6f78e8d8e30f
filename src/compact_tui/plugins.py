"""Finding plugins and gathering the compacts they bring.

``make_plugin_manager()`` builds a fresh pluggy manager (there is no global one), loads
the ``compact_tui`` entry points one by one, and registers the core's built-in plugins
through the same hooks. ``load_registry()`` asks every plugin for its compacts and their
content. A plugin that fails to import, raises in a hook, sends invalid content or claims
an id already taken is recorded in ``Registry.errors`` by name, and every other compact
keeps working.

Set ``COMPACT_TUI_LOAD_PLUGINS=essex,southend`` to load only the named entry points
(empty: none).
"""

from __future__ import annotations

import os
import sys
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .content import CompactDocument, ContentError, read_document
from .model import Clause, Compact, CompactInfo, ref_sort_key
from .registry import PluginError, Registry

ENTRY_POINT_GROUP = "compact_tui"
LOAD_PLUGINS_ENV = "COMPACT_TUI_LOAD_PLUGINS"


class ContentPlugin:
    """Built-in plugin: answers the content hooks from each compact's TOML file."""

    def __init__(self) -> None:
        self.documents: dict[str, CompactDocument] = {}

    @hookspecs.hookimpl
    def compact_tui_sections(self, compact: CompactInfo):
        doc = self.documents.get(compact.id)
        return doc.sections if doc else None

    @hookspecs.hookimpl
    def compact_tui_principles(self, compact: CompactInfo):
        doc = self.documents.get(compact.id)
        return [c for c in doc.clauses if c.kind == "principle"] if doc else None

    @hookspecs.hookimpl
    def compact_tui_undertakings(self, compact: CompactInfo):
        doc = self.documents.get(compact.id)
        return [c for c in doc.clauses if c.kind == "undertaking"] if doc else None

    @hookspecs.hookimpl
    def compact_tui_provisions(self, compact: CompactInfo):
        doc = self.documents.get(compact.id)
        return [c for c in doc.clauses if c.kind not in ("principle", "undertaking")] if doc else None

    @hookspecs.hookimpl
    def compact_tui_notice_rules(self, compact: CompactInfo):
        doc = self.documents.get(compact.id)
        return doc.rules if doc else None

    @hookspecs.hookimpl
    def compact_tui_dispute_procedure(self, compact: CompactInfo):
        doc = self.documents.get(compact.id)
        return doc.procedure if doc else None


CONTENT_PLUGIN_NAME = "compact_tui.content"


def make_plugin_manager(load_entry_points: bool = True) -> tuple[pluggy.PluginManager, list[PluginError]]:
    """A new plugin manager with the hookspecs, the built-ins and (optionally) entry points.

    Returns the manager and the plugins that failed to load.
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(ContentPlugin(), name=CONTENT_PLUGIN_NAME)
    errors: list[PluginError] = []
    if load_entry_points:
        wanted = os.environ.get(LOAD_PLUGINS_ENV)
        names = None if wanted is None else {n.strip() for n in wanted.split(",") if n.strip()}
        for ep in entry_points(group=ENTRY_POINT_GROUP):
            if names is not None and ep.name not in names:
                continue
            if pm.has_plugin(ep.name):
                errors.append(PluginError(ep.name, "another plugin is already installed under this name"))
                continue
            try:
                pm.register(ep.load(), name=ep.name)
            except Exception as exc:  # a broken plugin must not stop the others
                errors.append(PluginError(ep.name, f"could not be loaded: {_describe(exc)}"))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        errors.append(PluginError(pm.get_name(exc.plugin) or "?", f"{exc} (is a @hookimpl misspelled?)"))
    return pm, errors


def load_registry(pm: pluggy.PluginManager | None = None, errors: list[PluginError] | None = None) -> Registry:
    """Ask every plugin for its compacts and their content."""
    if pm is None:
        pm, errors = make_plugin_manager()
    registry = Registry(errors=list(errors or []))
    content_plugin: ContentPlugin = pm.get_plugin(CONTENT_PLUGIN_NAME)
    infos: dict[str, tuple[CompactInfo, str]] = {}

    for impl in pm.hook.compact_tui_register_compacts.get_hookimpls():
        plugin = impl.plugin_name

        def register(info: CompactInfo | None = None, content_path: Any = None, *, content=None,
                     _plugin: str = plugin) -> None:
            path = content if content is not None else content_path
            doc = None
            if path is not None:
                registry.files.append(str(path))
                doc = read_document(path)
                info = info or doc.info
            if not isinstance(info, CompactInfo) or not info.id:
                raise ContentError(_plugin, ["register() needs a CompactInfo or a content file"])
            if info.id in infos:
                owner = infos[info.id][1]
                registry.errors.append(PluginError(
                    _plugin, f"claims compact id {info.id!r}, already registered by {owner!r}", info.id))
                return
            infos[info.id] = (info, _plugin)
            if doc is not None:
                content_plugin.documents[info.id] = doc

        try:
            impl.function(register=register)
        except ContentError as exc:
            registry.errors.append(PluginError(plugin, "invalid content: " + "; ".join(exc.problems)))
        except Exception as exc:
            registry.errors.append(PluginError(plugin, f"failed to register its compacts: {_describe(exc)}"))

    registry.files += _module_files(pm)
    for compact_id, (info, plugin) in infos.items():
        try:
            registry.compacts[compact_id] = gather(pm, info, plugin)
        except Exception as exc:
            registry.errors.append(PluginError(plugin, _describe(exc), compact_id))
    registry.compacts = dict(sorted(registry.compacts.items(), key=lambda kv: kv[1].info.name.lower()))
    return registry


def gather(pm: pluggy.PluginManager, info: CompactInfo, plugin: str) -> Compact:
    """Collect one compact's content from every plugin that answers for it."""
    compact = Compact(info=info, plugin=plugin)
    clauses: list[Clause] = []
    for hook_name in hookspecs.CONTENT_HOOKS:
        for impl in getattr(pm.hook, hook_name).get_hookimpls():
            try:
                result = impl.function(compact=info)
            except Exception as exc:
                raise RuntimeError(f"{hook_name} in {impl.plugin_name!r} failed: {_describe(exc)}") from exc
            if not result:
                continue
            if hook_name == "compact_tui_sections":
                compact.sections.extend(result)
            elif hook_name == "compact_tui_notice_rules":
                compact.rules.extend(result)
            else:
                clauses.extend(result)
    compact.clauses = source_order(compact.sections, clauses, pm.get_plugin(CONTENT_PLUGIN_NAME).documents.get(info.id))
    compact.procedure = pm.hook.compact_tui_dispute_procedure(compact=info)
    return compact


def source_order(sections, clauses: list[Clause], doc: CompactDocument | None) -> list[Clause]:
    """Clauses by section, in the order the compact's TOML gives them (its source's order);
    clauses that came from code follow those of their section, by reference."""
    order = {s.ref: i for i, s in enumerate(sections)}
    position = {id(c): i for i, c in enumerate(doc.clauses)} if doc else {}
    return sorted(clauses, key=lambda c: (order.get(c.section, len(order)), id(c) not in position,
                                          position.get(id(c), 0), ref_sort_key(c.ref)))


def _module_files(pm: pluggy.PluginManager) -> list[str]:
    """The source file of each plugin's module, so that a saved snapshot goes stale when a
    plugin's code changes (an editable install is edited in place)."""
    files = []
    for plugin in pm.get_plugins():
        module = plugin if isinstance(plugin, ModuleType) else sys.modules.get(type(plugin).__module__)
        path = getattr(module, "__file__", None)
        if path and not path.startswith(os.path.dirname(__file__)):
            files.append(path)
    return sorted(set(files))


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
