"""Conformance tests any compact plugin can run against itself.

In your plugin's tests::

    from compact_tui.content.conformance import ConformanceTests

    class TestConformance(ConformanceTests):
        compact_id = "castle_point"

pytest collects the inherited tests. They load your plugin through its installed entry
point, exactly as the app does, so ``pip install -e .`` first.
"""

from __future__ import annotations

import os
from functools import cached_property

from .check import check_compact
from .model import CLAUSE_KINDS, SIDES, Compact
from .plugins import LOAD_PLUGINS_ENV, load_registry, make_plugin_manager
from .registry import Registry


class ConformanceTests:
    """Mix into a ``Test...`` class and set ``compact_id``."""

    compact_id: str = ""

    @cached_property
    def registry(self) -> Registry:
        return load_registry()

    @property
    def compact(self) -> Compact:
        compact = self.registry.get(self.compact_id)
        if compact is None:
            problems = self.registry.problems(self.compact_id) or [str(e) for e in self.registry.errors]
            raise AssertionError(f"compact {self.compact_id!r} cannot be used:\n" + "\n".join(problems))
        return compact

    def test_registers_through_entry_point_without_errors(self) -> None:
        mine = [str(e) for e in self.registry.errors if self.compact_id in (e.compact, e.plugin)]
        assert not mine, "\n".join(mine)
        assert self.compact.plugin, "the compact should come from a named plugin"

    def test_loads_on_its_own(self) -> None:
        old = os.environ.get(LOAD_PLUGINS_ENV)
        os.environ[LOAD_PLUGINS_ENV] = self.compact.plugin
        try:
            registry = load_registry(*make_plugin_manager())
        finally:
            if old is None:
                del os.environ[LOAD_PLUGINS_ENV]
            else:
                os.environ[LOAD_PLUGINS_ENV] = old
        assert self.compact_id in registry.compacts
        assert [str(e) for e in registry.errors] == []

    def test_content_passes_plugin_check(self) -> None:
        """The checks the app makes as it loads plugins; the message lists every problem."""
        problems = self.registry.problems(self.compact_id)
        if self.compact_id in self.registry.compacts:
            problems = check_compact(self.compact)
        assert not problems, f"{len(problems)} problem(s) in {self.compact_id!r}:\n" + "\n".join(problems)

    def test_identity_is_complete(self) -> None:
        info = self.compact.info
        assert info.id == self.compact_id
        assert info.name and info.area and info.status
        assert info.sides.statutory and info.sides.vcs

    def test_every_clause_has_reference_side_theme_and_text(self) -> None:
        for clause in self.compact.clauses:
            assert clause.ref and clause.text.strip(), clause
            assert clause.kind in CLAUSE_KINDS, clause
            assert clause.party in SIDES, clause
            assert clause.theme, clause

    def test_has_content_or_says_it_is_pending(self) -> None:
        compact = self.compact
        pending = [s for s in compact.sections if s.pending]
        assert compact.sections, "a compact lists at least one section"
        assert compact.clauses or pending, "no clauses and nothing marked pending"
        for section in pending:
            assert not compact.in_section(section.ref), f"pending section {section.ref} has clauses"

    def test_text_has_no_control_characters(self) -> None:
        for clause in self.compact.clauses:
            assert all(ch in "\n\t" or ch.isprintable() for ch in clause.text), clause.ref

    def test_rules_cite_clauses_and_keep_source_words(self) -> None:
        for rule in self.compact.rules:
            assert self.compact.clause(rule.ref) is not None, rule.id
            assert rule.states.strip() or rule.reading.strip(), rule.id

    def test_dispute_procedure_is_stated_or_pending(self) -> None:
        proc = self.compact.procedure
        assert proc is not None, "give a [procedure], with pending = true if the text has none yet" \
            " (elsewhere = true if it says the procedure is in another document)"
        if proc.walkable:
            assert proc.stage(proc.start) is not None
            assert any(s.outcome for s in proc.stages)
