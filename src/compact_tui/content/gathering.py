"""Gathering one compact's content from the plugin that registered it.

Each content hook is asked through pluggy's own calling, of a ``HookCaller`` holding only that
plugin and the core's content plugin (which answers from the plugin's TOML), so wrappers and
``tryfirst``/``trylast`` work as pluggy documents; the answers are added together and their types
checked, and then the whole compact is checked (:mod:`compact_tui.content.check`). Anything a hook
does wrong is a problem charged to its plugin, never an exception.

Kept apart from :mod:`compact_tui.content.plugins`, which finds the plugins and builds the registry.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pluggy

from . import hookspecs
from .model import Clause, Compact, CompactInfo, DisputeProcedure, NoticeRule, Section, ref_sort_key
from .plugin_safety import Interrupts, describe, short
from .reader import CompactDocument

CONTENT_PLUGIN_NAME = "compact_tui.content"
#: Each content hook, and what it must return a list of.
HOOK_RESULTS = dict(zip(hookspecs.CONTENT_HOOKS, (Section, Clause, Clause, Clause, NoticeRule), strict=True))


def gather(pm: pluggy.PluginManager, info: CompactInfo, plugin: str,
           doc: CompactDocument | None = None, interrupts: Interrupts | None = None) -> tuple[Compact, list[str]]:
    """One compact's content, asked of the plugin that registered it (and of the core's
    content plugin, for its TOML), and every problem with it: a hook that failed (any exception
    but the officer's own Ctrl-C), answered with the wrong type, or (a ``wrapper=True``
    implementation) handed back something other than the list of answers, and everything
    :func:`compact_tui.content.check.check_compact` finds (the checker is imported only when a compact
    needs checking: not for a TOML file whose check is kept with its cached parse)."""
    interrupts = interrupts or Interrupts()
    compact = Compact(info=info, plugin=plugin)
    owner = pm.get_plugin(plugin)
    clauses, problems = _content(pm, compact, owner, interrupts)
    compact.clauses = clauses
    problems += _procedure(pm, compact, owner, interrupts)
    if problems:
        return compact, problems
    problems = _checked(compact, doc)
    if not problems:
        compact.clauses = source_order(compact.sections, clauses, doc)
    return compact, problems


def _content(pm: pluggy.PluginManager, compact: Compact, owner: object,
             interrupts: Interrupts) -> tuple[list[Clause], list[str]]:
    """Each content hook's answers: sections and rules straight onto ``compact``; the clauses,
    and the problems, returned."""
    plugin = compact.plugin
    clauses: list[Clause] = []
    problems: list[str] = []
    for hook_name, kind in HOOK_RESULTS.items():
        try:
            answers = subset_caller(pm, hook_name, owner)(compact=compact.info)
            if not isinstance(answers, (list, tuple)):
                problems.append(f"plugin {plugin!r}: {hook_name} returned {short(answers)}, not the list of answers "
                                "(a wrapper=True implementation must return what its yield gave it)")
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
        except BaseException as exc:
            if interrupts.officers(exc):
                raise
            problems.append(f"plugin {plugin!r}: {hook_name} failed: {describe(exc)}")
    return clauses, problems


def _procedure(pm: pluggy.PluginManager, compact: Compact, owner: object, interrupts: Interrupts) -> list[str]:
    """The dispute procedure (the first answer) onto ``compact``; the problems with it."""
    plugin = compact.plugin
    try:
        procedure = subset_caller(pm, "compact_tui_dispute_procedure", owner)(compact=compact.info)
    except BaseException as exc:
        if interrupts.officers(exc):
            raise
        return [f"plugin {plugin!r}: compact_tui_dispute_procedure failed: {describe(exc)}"]
    if procedure is None or isinstance(procedure, DisputeProcedure):
        compact.procedure = procedure
        return []
    return [f"plugin {plugin!r}: compact_tui_dispute_procedure returned {short(procedure)}, "
            "not a DisputeProcedure or None"]


def _checked(compact: Compact, doc: CompactDocument | None) -> list[str]:
    """What the checks find in the gathered compact; for content that came from its TOML alone,
    the check kept with the file's cached parse."""
    if doc is not None and _only_from(doc, compact):
        if doc.checked is None:
            from .check import check_compact

            doc.checked = check_compact(compact, doc)
            _keep(doc)
        return list(doc.checked)
    from .check import check_compact

    return check_compact(compact, doc)


def _only_from(doc: CompactDocument, compact: Compact) -> bool:
    """Whether everything in ``compact`` came from ``doc`` (no plugin added or changed a thing)."""
    def same(ours: Sequence[object], theirs: Sequence[object]) -> bool:
        return len(ours) == len(theirs) and {id(x) for x in ours} == {id(x) for x in theirs}

    return (compact.info is doc.info and compact.procedure is doc.procedure and same(compact.sections, doc.sections)
            and same(compact.clauses, doc.clauses) and same(compact.rules, doc.rules))


def _keep(doc: CompactDocument) -> None:
    from pathlib import Path

    from . import content_cache

    if doc.source and doc.digest and Path(doc.source).is_file():
        content_cache.save(Path(doc.source), doc, doc.digest)


def subset_caller(pm: pluggy.PluginManager, hook_name: str, owner: object) -> Any:
    """A pluggy ``HookCaller`` for ``hook_name`` holding only ``owner`` and the core's content
    plugin."""
    keep = {id(owner), id(pm.get_plugin(CONTENT_PLUGIN_NAME))}
    return pm.subset_hook_caller(hook_name, [p for p in pm.get_plugins() if id(p) not in keep])


def _wrong_type(answer: Any, kind: type) -> str:
    if not isinstance(answer, (list, tuple)):
        return f"{short(answer)}, not a list of {kind.__name__}"
    for i, item in enumerate(answer, 1):
        if not isinstance(item, kind):
            return f"{short(answer)}: item #{i} is {short(item)}, not a {kind.__name__}"
    return ""


def source_order(sections: Sequence[Section], clauses: list[Clause], doc: CompactDocument | None) -> list[Clause]:
    """Clauses by section, in the order the compact's TOML gives them (its source's order);
    clauses that came from code follow those of their section, by reference."""
    order = {s.ref: i for i, s in enumerate(sections)}
    position = {id(c): i for i, c in enumerate(doc.clauses)} if doc else {}
    return sorted(clauses, key=lambda c: (order.get(c.section, len(order)), id(c) not in position,
                                          position.get(id(c), 0), ref_sort_key(c.ref)))
