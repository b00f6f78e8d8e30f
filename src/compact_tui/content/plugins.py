"""Finding plugins and gathering the compacts they bring.

``make_plugin_manager()`` builds a fresh pluggy manager (there is no global one), loads
the ``compact_tui`` entry points one by one, and registers the core's built-in plugins
through the same hooks. ``load_registry()`` asks each plugin, on its own, for its compacts
and then for their content (:mod:`compact_tui.content.gathering`), and checks each compact
(:mod:`compact_tui.content.check`):

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
from importlib.resources.abc import Traversable
from pathlib import Path
from types import ModuleType
from typing import Any, cast

import pluggy

from . import hookspecs
from .gathering import CONTENT_PLUGIN_NAME, HOOK_RESULTS, gather, subset_caller  # noqa: F401 (HOOK_RESULTS: the hooks' types)
from .model import Clause, Compact, CompactInfo, DisputeProcedure, NoticeRule, Section
from .plugin_safety import Interrupts, compact_in_file, compacts_in_package, describe, short
from .reader import CompactDocument, ContentError, read_document
from .registry import PluginError, Registry
from .snapshot_trust import imported_since, plugin_folder

ENTRY_POINT_GROUP = "compact_tui"
LOAD_PLUGINS_ENV = "COMPACT_TUI_LOAD_PLUGINS"
#: A plugin's claim to a compact: the plugin's name, the compact, the TOML it came from.
Claim = tuple[str, CompactInfo, CompactDocument | None]


def entry_points(group: str) -> Any:
    """The installed entry points of ``group``, as ``importlib.metadata`` lists them (imported
    here, on first use: a command that finds no plugins does not pay for it)."""
    from importlib.metadata import entry_points as installed

    return installed(group=group)


class ContentPlugin:
    """Built-in plugin: answers the content hooks from each compact's TOML file."""

    def __init__(self) -> None:
        self.documents: dict[str, CompactDocument] = {}

    @hookspecs.hookimpl
    def compact_tui_sections(self, compact: CompactInfo) -> list[Section] | None:
        doc = self.documents.get(compact.id)
        return doc.sections if doc else None

    @hookspecs.hookimpl
    def compact_tui_principles(self, compact: CompactInfo) -> list[Clause] | None:
        doc = self.documents.get(compact.id)
        return [c for c in doc.clauses if c.kind == "principle"] if doc else None

    @hookspecs.hookimpl
    def compact_tui_undertakings(self, compact: CompactInfo) -> list[Clause] | None:
        doc = self.documents.get(compact.id)
        return [c for c in doc.clauses if c.kind == "undertaking"] if doc else None

    @hookspecs.hookimpl
    def compact_tui_provisions(self, compact: CompactInfo) -> list[Clause] | None:
        doc = self.documents.get(compact.id)
        return [c for c in doc.clauses if c.kind not in ("principle", "undertaking")] if doc else None

    @hookspecs.hookimpl
    def compact_tui_notice_rules(self, compact: CompactInfo) -> list[NoticeRule] | None:
        doc = self.documents.get(compact.id)
        return doc.rules if doc else None

    @hookspecs.hookimpl
    def compact_tui_dispute_procedure(self, compact: CompactInfo) -> DisputeProcedure | None:
        doc = self.documents.get(compact.id)
        return doc.procedure if doc else None


def make_plugin_manager(load_entry_points: bool = True) -> tuple[pluggy.PluginManager, list[PluginError]]:
    """A new plugin manager with the hookspecs, the built-ins and (optionally) entry points.

    Returns the manager and the plugins that failed to load (each with the compacts it would
    have brought, where those can be told: see :func:`_failed`).
    """
    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(ContentPlugin(), name=CONTENT_PLUGIN_NAME)
    errors: list[PluginError] = []
    with Interrupts() as interrupts:
        if load_entry_points:
            wanted = os.environ.get(LOAD_PLUGINS_ENV)
            names = None if wanted is None else {n.strip() for n in wanted.split(",") if n.strip()}
            for ep in entry_points(group=ENTRY_POINT_GROUP):
                if names is not None and ep.name not in names:
                    continue
                if pm.has_plugin(ep.name):
                    errors += _failed(ep.name, "another plugin is already installed under this name",
                                      ep.value, None, interrupts)
                    continue
                try:
                    plugin = ep.load()
                except BaseException as exc:  # a broken plugin must not stop the others
                    if interrupts.officers(exc):
                        raise
                    errors += _failed(ep.name, f"could not be loaded: {describe(exc)}", ep.value, None, interrupts)
                    continue
                try:
                    pm.register(plugin, name=ep.name)
                except BaseException as exc:  # a hook implementation whose arguments its hook has not
                    if interrupts.officers(exc):
                        raise
                    errors += _failed(ep.name, f"could not be loaded: {describe(exc)}", ep.value, plugin,
                                      interrupts)
        while True:
            try:
                pm.check_pending()
                break
            except pluggy.PluginValidationError as exc:  # name it, drop it, and check the rest
                plugin = exc.plugin
                name = pm.get_name(plugin) or "?"
                reason = _unknown_hooks(pm, plugin) or f"{describe(exc)} (is a @hookimpl misspelled?)"
                pm.unregister(plugin)
                errors += _failed(name, reason, _module_name(plugin), plugin, interrupts)
    return pm, errors


def _unknown_hooks(pm: pluggy.PluginManager, plugin: object) -> str:
    """``has a hook implementation compact-tui does not know, 'compact_tui_principle' (did you
    mean 'compact_tui_principles'?), ...``; ``""`` if every hook implementation is known."""
    from .schema import nearest

    known = {name for name in dir(hookspecs) if name.startswith("compact_tui_")}
    unknown = []
    for name in dir(plugin):
        try:
            marked = pm.parse_hookimpl_opts(plugin, name) is not None
        except BaseException:  # noqa: BLE001 - an attribute that raises when read is no hook
            marked = False
        if marked and name not in known:
            unknown.append(f"{name!r}{nearest(name, known)}")
    if not unknown:
        return ""
    if len(unknown) == 1:
        return f"has a hook implementation compact-tui does not know, {unknown[0]}, so its compacts are not used"
    return f"has hook implementations compact-tui does not know, {', '.join(unknown)}, so its compacts are not used"


def _failed(plugin: str, reason: str, module_name: str, loaded: object | None,
            interrupts: Interrupts) -> list[PluginError]:
    """The errors for a plugin that failed before its compacts could be registered: one for each
    compact it would have brought (those its own register hook still names, when it was loaded;
    else those whose TOML lies in its package), or one for the plugin when none can be told."""
    infos: list[CompactInfo] = []
    register = getattr(loaded, "compact_tui_register_compacts", None) if loaded is not None else None
    if callable(register):
        registrar = _Registrar(plugin, Registry(), _folder_of(loaded))
        try:
            register(register=registrar)
        except BaseException as exc:
            if interrupts.officers(exc):
                raise
        infos = [info for info, _ in registrar.claims]
    if not infos:
        infos = [_info(about) for about in compacts_in_package(module_name)]
    if not infos:
        return [PluginError(plugin, reason)]
    return [PluginError(plugin, reason, info.id, info=info) for info in infos]


def _module_name(plugin: object) -> str:
    return plugin.__name__ if isinstance(plugin, ModuleType) else type(plugin).__module__


def _folder_of(plugin: object) -> Path | None:
    """The folder of a plugin's module (a relative content path is taken from it)."""
    module = plugin if isinstance(plugin, ModuleType) else sys.modules.get(type(plugin).__module__)
    path = getattr(module, "__file__", None)
    return Path(path).parent if isinstance(path, str) else None


class _Registrar:
    """The ``register`` a plugin's ``compact_tui_register_compacts`` is given (see
    :class:`compact_tui.content.hookspecs.Register`): it records what the plugin claims, and never
    raises for content problems: those make the compact unavailable."""

    def __init__(self, plugin: str, registry: Registry, folder: Path | None = None) -> None:
        self.plugin = plugin
        self.registry = registry
        self.folder = folder  # the plugin module's folder: a relative path is taken from it
        self.claims: list[tuple[CompactInfo, CompactDocument | None]] = []

    def __call__(self, info: Any = None, *, content: Any = None) -> None:
        if info is not None and not isinstance(info, CompactInfo) and _is_file(info):
            if content is not None:
                return self._refuse(f"register() was given two content files, {info} and content={content}: "
                                    "give one")
            info, content = None, info
        if content is not None and not _is_file(content):
            return self._refuse(f"register(content=...) needs the compact's TOML file (a path, a str or an "
                                f"importlib resource); it was given {type(content).__name__} {short(content)}")
        if isinstance(content, (str, os.PathLike)):
            content = Path(content)
            if not content.is_absolute() and self.folder is not None:
                content = self.folder / content
        doc = None
        if content is not None:
            self.registry.files.append(str(content))
            try:
                doc = read_document(content)
            except ContentError as exc:
                if not isinstance(info, CompactInfo):
                    about = compact_in_file(content) if isinstance(content, Path) else None
                    found = _info(about) if about else None
                    self.registry.errors.append(PluginError(
                        self.plugin, "registered a content file that cannot be read: " + "; ".join(exc.problems),
                        found.id if found else "", tuple(exc.problems), found))
                    return None
                doc = CompactDocument(info=info, source=str(content), problems=list(exc.problems))
            info = info if info is not None else doc.info
        if not isinstance(info, CompactInfo) or not isinstance(info.id, str) or not info.id:
            got = f"{type(info).__name__} {short(info)}" if info is not None else "nothing"
            return self._refuse(f"register() needs a CompactInfo or the compact's TOML file (a path, a str or an "
                                f"importlib resource; positionally or as content=) whose [compact] has an id; "
                                f"it was given {got}", tuple(doc.problems) if doc is not None else ())
        self.claims.append((info, doc))
        return None

    def _refuse(self, reason: str, problems: tuple[str, ...] = ()) -> None:
        self.registry.errors.append(PluginError(self.plugin, reason[:300], problems=problems))


def _info(about: dict[str, str]) -> CompactInfo:
    """The identity a plugin's TOML gives (its string fields), for one that failed before it registered."""
    given: dict[str, Any] = dict(about)
    return CompactInfo(**given)


def _is_file(value: Any) -> bool:
    """Whether ``value`` can be a compact's TOML file: a path, a ``str``, an importlib resource."""
    return isinstance(value, (str, os.PathLike, Traversable))


def load_registry(pm: pluggy.PluginManager | None = None, errors: list[PluginError] | None = None,
                  hierarchy: dict[str, str] | None = None) -> Registry:
    """Ask every plugin for its compacts and their content; check each compact.

    ``hierarchy`` is the officer's own ``[hierarchy]`` (compact id -> area one level up); by
    default it is read from the user's config. Whatever a plugin does (see
    :mod:`compact_tui.plugin_safety`), it is charged to that plugin and every compact it
    brought is listed as unavailable with why; no other plugin is touched.
    """
    before = set(sys.modules) if pm is None else None
    if pm is None:
        pm, errors = make_plugin_manager()
    registry = Registry(errors=list(errors or []))
    registry.local_parents = dict(_local_hierarchy() if hierarchy is None else hierarchy)
    content_plugin = cast(ContentPlugin, pm.get_plugin(CONTENT_PLUGIN_NAME))
    usable: dict[str, Compact] = {}
    with Interrupts() as interrupts:
        winners = _claims(pm, registry, interrupts)
        registry.files += _module_files(pm)
        registry.packages = sorted({plugin_folder(path) for path in _module_files(pm)})
        for compact_id, (plugin, info, doc) in winners.items():
            if doc is not None:
                content_plugin.documents[compact_id] = doc
                registry.sources[compact_id] = doc.source
            try:
                compact, problems = gather(pm, info, plugin, doc, interrupts)
            except BaseException as exc:  # the checks met something no plugin should hand over
                if interrupts.officers(exc):
                    raise
                compact, problems = Compact(info=info, plugin=plugin), [
                    f"plugin {plugin!r}: checking what it answered failed: {describe(exc)}"]
            if problems:
                count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
                registry.errors.append(PluginError(plugin, f"cannot be used: {count} ({problems[0]}"
                                                   f"{'; ...' if len(problems) > 1 else ''})",
                                                   compact_id, tuple(problems), info))
            else:
                usable[compact_id] = compact
    for error in registry.errors:
        if error.compact and error.compact not in usable and error.compact not in registry.unavailable:
            registry.unavailable[error.compact] = error.info or CompactInfo(id=error.compact, name="", area="",
                                                                            status="")
    registry.compacts = dict(sorted(usable.items(), key=lambda kv: kv[1].info.name.lower()))
    plugins = [p for p in pm.get_plugins() if pm.get_name(p) != CONTENT_PLUGIN_NAME]
    if before is not None and not any(_module_name(p) in before for p in plugins):
        registry.imported = imported_since(before)  # the plugins were first imported just now
    return registry


def _claims(pm: pluggy.PluginManager, registry: Registry,
            interrupts: Interrupts) -> dict[str, Claim]:
    """Ask each plugin, on its own, for its compacts: who holds each id. A plugin that fails
    here, or loses an id to another, is named in ``registry.errors``; one that registers no
    compact, though it answers content hooks, in ``registry.warnings``."""
    claims: dict[str, list[Claim]] = {}
    for impl in pm.hook.compact_tui_register_compacts.get_hookimpls():
        plugin = impl.plugin_name
        registrar = _Registrar(plugin, registry, _folder_of(impl.plugin))
        try:
            subset_caller(pm, "compact_tui_register_compacts", impl.plugin)(register=registrar)
        except BaseException as exc:
            if interrupts.officers(exc):
                raise
            reason = f"failed to register its compacts: {describe(exc)}"
            infos = [info for info, _ in registrar.claims] or \
                [_info(about) for about in compacts_in_package(_module_name(impl.plugin))]
            registry.errors += [PluginError(plugin, reason, info.id, info=info) for info in infos] or \
                [PluginError(plugin, reason)]
            continue
        for info, doc in registrar.claims:
            claims.setdefault(info.id, []).append((plugin, info, doc))

    winners: dict[str, Claim] = {}
    for compact_id, claimants in claims.items():
        winners[compact_id] = plugin, _, _ = _rightful(compact_id, claimants)
        for other, info, _ in claimants:
            if other != plugin:
                registry.errors.append(PluginError(other, (
                    f"claims compact id {compact_id!r}, which {_package(plugin)} registered; refused "
                    f"(this plugin is {_package(other)})"), info=info))
    _uncalled_hooks(pm, registry, {plugin for plugin, _, _ in winners.values()})
    return winners


def _uncalled_hooks(pm: pluggy.PluginManager, registry: Registry, holding: set[str]) -> None:
    """Warn of a plugin that answers content hooks but holds no compact: they are never called."""
    failed = {e.plugin for e in registry.errors}
    for plugin in pm.get_plugins():
        name = pm.get_name(plugin) or "?"
        if name == CONTENT_PLUGIN_NAME or name in holding or name in failed:
            continue
        hooks = sorted(c.name for c in pm.get_hookcallers(plugin) or [] if c.name != "compact_tui_register_compacts")
        if hooks:
            registry.warnings.append(PluginError(name, (
                f"answers {', '.join(hooks)} but registers no compact, so {'they are' if len(hooks) > 1 else 'it is'} "
                "never called (a plugin is asked only about the compacts it registers: call register() in its "
                "compact_tui_register_compacts)")))
        else:
            registry.warnings.append(PluginError(name, "registers no compact"))


def _rightful(compact_id: str, claimants: list[Claim]) -> Claim:
    """Of plugins claiming one id, the one whose entry point has that name, else the first."""
    return next((c for c in claimants if c[0] == compact_id), claimants[0])


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
