"""Finding plugins and gathering the compacts they bring.

``make_plugin_manager()`` builds a fresh pluggy manager (there is no global one), loads
the ``compact_tui`` entry points one by one, and registers the core's built-in plugins
through the same hooks. ``load_registry()`` asks each plugin, on its own, for its compacts
and then for their content, and checks each compact (:mod:`compact_tui.content.check`):

- a plugin is asked only about the compacts it registered, through pluggy's own calling (a
  ``HookCaller`` holding that plugin and the core's content plugin, which answers from the
  plugin's TOML), so wrappers, ``tryfirst``/``trylast`` and tracing work as pluggy documents;
- anything a plugin does wrong (it fails to import, raises, even ``SystemExit``, returns the
  wrong type, claims a taken id) is a ``PluginError`` naming it; no other plugin is touched;
- a compact whose content fails the checks is listed as unavailable, with its problems, and
  never used.

Set ``COMPACT_TUI_LOAD_PLUGINS=essex,southend`` to load only the named entry points
(empty: none).
"""

from __future__ import annotations

import os
import sys
from types import ModuleType
from typing import Any

import pluggy

from . import hookspecs
from .reader import CompactDocument, ContentError, read_document
from .entry_points import entry_points
from .model import Clause, Compact, CompactInfo, DisputeProcedure, NoticeRule, Section, ref_sort_key
from .registry import PluginError, Registry

ENTRY_POINT_GROUP = "compact_tui"
LOAD_PLUGINS_ENV = "COMPACT_TUI_LOAD_PLUGINS"
#: Each content hook, and what it must return a list of.
HOOK_RESULTS = dict(zip(hookspecs.CONTENT_HOOKS, (Section, Clause, Clause, Clause, NoticeRule), strict=True))


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
            except (Exception, SystemExit) as exc:  # a broken plugin must not stop the others
                errors.append(PluginError(ep.name, f"could not be loaded: {_describe(exc)}"))
    while True:
        try:
            pm.check_pending()
            break
        except pluggy.PluginValidationError as exc:  # name it, drop it, and check the rest
            name = pm.get_name(exc.plugin) or "?"
            errors.append(PluginError(name, f"{exc} (is a @hookimpl misspelled?)"))
            pm.unregister(exc.plugin)
    return pm, errors


class _Registrar:
    """The ``register`` a plugin's ``compact_tui_register_compacts`` is given (see
    :class:`compact_tui.content.hookspecs.Register`): it records what the plugin claims, and never
    raises for content problems: those make the compact unavailable."""

    def __init__(self, plugin: str, registry: Registry) -> None:
        self.plugin = plugin
        self.registry = registry
        self.claims: list[tuple[CompactInfo, CompactDocument | None]] = []

    def __call__(self, info: CompactInfo | None = None, *, content: Any = None) -> None:
        doc = None
        if content is not None:
            self.registry.files.append(str(content))
            try:
                doc = read_document(content)
            except ContentError as exc:
                if not isinstance(info, CompactInfo):
                    self.registry.errors.append(PluginError(self.plugin, "invalid content: " + "; ".join(
                        exc.problems), problems=tuple(exc.problems)))
                    return
                doc = CompactDocument(info=info, source=str(content), problems=list(exc.problems))
            info = info if info is not None else doc.info
        if not isinstance(info, CompactInfo) or not isinstance(info.id, str) or not info.id:
            got = f"{type(info).__name__} {info!r}" if info is not None else "nothing"
            problems = tuple(doc.problems) if doc is not None else ()
            self.registry.errors.append(PluginError(
                self.plugin, f"register() needs a CompactInfo or a content file whose [compact] has an id; "
                f"it was given {got}"[:300], problems=problems))
            return
        self.claims.append((info, doc))


def load_registry(pm: pluggy.PluginManager | None = None, errors: list[PluginError] | None = None,
                  hierarchy: dict[str, str] | None = None) -> Registry:
    """Ask every plugin for its compacts and their content; check each compact.

    ``hierarchy`` is the officer's own ``[hierarchy]`` (compact id -> area one level up); by
    default it is read from the user's config.
    """
    if pm is None:
        pm, errors = make_plugin_manager()
    registry = Registry(errors=list(errors or []))
    registry.local_parents = dict(_local_hierarchy() if hierarchy is None else hierarchy)
    content_plugin: ContentPlugin = pm.get_plugin(CONTENT_PLUGIN_NAME)

    claims: dict[str, list[tuple[str, CompactInfo, CompactDocument | None]]] = {}
    for impl in pm.hook.compact_tui_register_compacts.get_hookimpls():
        plugin = impl.plugin_name
        registrar = _Registrar(plugin, registry)
        try:
            _caller(pm, "compact_tui_register_compacts", impl.plugin)(register=registrar)
        except (Exception, SystemExit) as exc:
            registry.errors.append(PluginError(plugin, f"failed to register its compacts: {_describe(exc)}"))
        for info, doc in registrar.claims:
            claims.setdefault(info.id, []).append((plugin, info, doc))

    winners: dict[str, tuple[str, CompactInfo, CompactDocument | None]] = {}
    for compact_id, claimants in claims.items():
        winners[compact_id] = plugin, info, doc = _rightful(compact_id, claimants)
        for other, _, _ in claimants:
            if other != plugin:
                registry.errors.append(PluginError(other, (
                    f"claims compact id {compact_id!r}, which {_package(plugin)} registered; refused "
                    f"(this plugin is {_package(other)})")))
        if doc is not None:
            content_plugin.documents[compact_id] = doc

    registry.files += _module_files(pm)
    for compact_id, (plugin, info, doc) in winners.items():
        compact, problems = gather(pm, info, plugin, doc)
        if problems:
            registry.unavailable[compact_id] = info
            count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
            registry.errors.append(PluginError(plugin, f"cannot be used: {count} ({problems[0]}"
                                               f"{'; ...' if len(problems) > 1 else ''})",
                                               compact_id, tuple(problems)))
        else:
            registry.compacts[compact_id] = compact
    registry.compacts = dict(sorted(registry.compacts.items(), key=lambda kv: kv[1].info.name.lower()))
    return registry


def _rightful(compact_id: str, claimants: list) -> tuple:
    """Of plugins claiming one id, the one whose entry point has that name, else the first."""
    return next((c for c in claimants if c[0] == compact_id), claimants[0])


def gather(pm: pluggy.PluginManager, info: CompactInfo, plugin: str,
           doc: CompactDocument | None = None) -> tuple[Compact, list[str]]:
    """One compact's content, asked of the plugin that registered it (and of the core's
    content plugin, for its TOML), and every problem with it: a hook that failed or answered
    with the wrong type, and everything :func:`compact_tui.content.check.check_compact` finds (the
    checker is imported only when a compact needs checking: not for a TOML file whose check is
    kept with its cached parse)."""
    compact = Compact(info=info, plugin=plugin)
    owner = pm.get_plugin(plugin)
    clauses: list[Clause] = []
    problems: list[str] = []
    for hook_name, kind in HOOK_RESULTS.items():
        try:
            answers = _caller(pm, hook_name, owner)(compact=info)
        except (Exception, SystemExit) as exc:
            problems.append(f"plugin {plugin!r}: {hook_name} failed: {_describe(exc)}")
            continue
        for answer in answers:
            wrong = _wrong_type(answer, kind)
            if wrong:
                problems.append(f"plugin {plugin!r}: {hook_name} returned {wrong}")
            elif hook_name == "compact_tui_sections":
                compact.sections.extend(answer)
            elif hook_name == "compact_tui_notice_rules":
                compact.rules.extend(answer)
            else:
                clauses.extend(answer)
    compact.clauses = clauses
    try:
        procedure = _caller(pm, "compact_tui_dispute_procedure", owner)(compact=info)
    except (Exception, SystemExit) as exc:
        problems.append(f"plugin {plugin!r}: compact_tui_dispute_procedure failed: {_describe(exc)}")
    else:
        if procedure is None or isinstance(procedure, DisputeProcedure):
            compact.procedure = procedure
        else:
            problems.append(f"plugin {plugin!r}: compact_tui_dispute_procedure returned "
                            f"{_short(procedure)}, not a DisputeProcedure or None")
    if problems:
        return compact, problems
    if doc is not None and _only_from(doc, compact):  # TOML alone: its check is kept with its parse
        if doc.checked is None:
            from .check import check_compact

            doc.checked = check_compact(compact, doc)
            _keep(doc)
        problems = list(doc.checked)
    else:
        from .check import check_compact

        problems = check_compact(compact, doc)
    if not problems:
        compact.clauses = source_order(compact.sections, clauses, doc)
    return compact, problems


def _only_from(doc: CompactDocument, compact: Compact) -> bool:
    """Whether everything in ``compact`` came from ``doc`` (no plugin added or changed a thing)."""
    def same(ours, theirs) -> bool:
        return len(ours) == len(theirs) and {id(x) for x in ours} == {id(x) for x in theirs}

    return (compact.info is doc.info and compact.procedure is doc.procedure and same(compact.sections, doc.sections)
            and same(compact.clauses, doc.clauses) and same(compact.rules, doc.rules))


def _keep(doc: CompactDocument) -> None:
    from pathlib import Path

    from . import content_cache

    if doc.source and Path(doc.source).is_file():
        content_cache.save(Path(doc.source), doc)


def _caller(pm: pluggy.PluginManager, hook_name: str, owner: object):
    """A pluggy ``HookCaller`` for ``hook_name`` holding only ``owner`` and the core's content
    plugin."""
    keep = {id(owner), id(pm.get_plugin(CONTENT_PLUGIN_NAME))}
    return pm.subset_hook_caller(hook_name, [p for p in pm.get_plugins() if id(p) not in keep])


def _wrong_type(answer: Any, kind: type) -> str:
    if not isinstance(answer, (list, tuple)):
        return f"{_short(answer)}, not a list of {kind.__name__}"
    for i, item in enumerate(answer, 1):
        if not isinstance(item, kind):
            return f"{_short(answer)}: item #{i} is {_short(item)}, not a {kind.__name__}"
    return ""


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def source_order(sections, clauses: list[Clause], doc: CompactDocument | None) -> list[Clause]:
    """Clauses by section, in the order the compact's TOML gives them (its source's order);
    clauses that came from code follow those of their section, by reference."""
    order = {s.ref: i for i, s in enumerate(sections)}
    position = {id(c): i for i, c in enumerate(doc.clauses)} if doc else {}
    return sorted(clauses, key=lambda c: (order.get(c.section, len(order)), id(c) not in position,
                                          position.get(id(c), 0), ref_sort_key(c.ref)))


def _local_hierarchy() -> dict[str, str]:
    from ..config import load_hierarchy

    return load_hierarchy()


def _package(plugin: str) -> str:
    """``plugin 'essex' (package compact-tui-essex)``: how to find what to uninstall."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == plugin and ep.dist is not None:
            return f"plugin {plugin!r} (package {ep.dist.name})"
    return f"plugin {plugin!r}"


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
