"""The plugin contract: every hook in compact_tui.content.hookspecs, shown working on a fresh manager,
and every way a plugin can fail, reported by name while the other compacts keep loading."""

from __future__ import annotations

import sys
from importlib.metadata import EntryPoint
from importlib.metadata import entry_points as real_entry_points

import pytest

import compact_tui.content.plugins as plugins_module
from compact_tui.errors import UserError
from compact_tui.content.hookspecs import hookimpl
from compact_tui.content.model import (
    Clause,
    CompactInfo,
    DisputeProcedure,
    Move,
    NoticeRule,
    Period,
    Section,
    Stage,
)
from compact_tui.content.plugins import (
    CONTENT_PLUGIN_NAME,
    ENTRY_POINT_GROUP,
    LOAD_PLUGINS_ENV,
    load_registry,
    make_plugin_manager,
)

from .conftest import FIVE, TALK_PROCEDURE, toml_plugin

TESTSHIRE_TOML = '''
[compact]
id = "testshire"
name = "Testshire Compact"
area = "Testshire"
status = "draft"

[compact.sides]
statutory = "Public bodies"
vcs = "VCS"

[[sections]]
ref = "1"
title = "Principles"

[[sections]]
ref = "2"
title = "Funding"

[[clauses]]
ref = "2.1"
section = "2"
kind = "undertaking"
party = "statutory"
theme = "funding"
text = "Give three months' notice in writing of ending funding."

[[clauses]]
ref = "1.1"
section = "1"
kind = "principle"
party = "both"
theme = "independence"
text = "The sector is independent."

[[clauses]]
ref = "2.2"
section = "2"
kind = "provision"
party = "both"
theme = "review"
text = "This section is reviewed every year."

[[rules]]
id = "notice"
ref = "2.1"
applies_to = "funding-change"
type = "minimum-period"
title = "Three months' notice"
period = "3m"
from = "notified"
to = "effective"
states = "Give three months' notice"

''' + TALK_PROCEDURE

CODESHIRE = CompactInfo(id="codeshire", name="Codeshire Compact", area="Codeshire", status="adopted")


class CodeshirePlugin:
    """A plugin that brings its compact entirely in code, through every content hook."""

    @hookimpl
    def compact_tui_register_compacts(self, register):
        register(CODESHIRE)

    @hookimpl
    def compact_tui_sections(self, compact):
        if compact.id == "codeshire":
            return [Section("A", "Values"), Section("B", "Commitments"), Section("C", "Disputes", pending=True)]
        return None

    @hookimpl
    def compact_tui_principles(self, compact):
        if compact.id == "codeshire":
            return [Clause("A.1", "principle", "both", "equality", "Everyone is treated fairly.", section="A")]
        return None

    @hookimpl
    def compact_tui_undertakings(self, compact):
        if compact.id == "codeshire":
            return [Clause("B.2", "undertaking", "vcs", "consultation", "Respond to consultations.", "B"),
                    Clause("B.1", "undertaking", "statutory", "funding", "Pay grants on time.", "B")]
        return None

    @hookimpl
    def compact_tui_provisions(self, compact):
        if compact.id == "codeshire":
            return [Clause("A.0", "definition", "both", "general", "'VCS' means the voluntary sector.", "A")]
        return None

    @hookimpl
    def compact_tui_notice_rules(self, compact):
        if compact.id == "codeshire":
            return [NoticeRule(id="review", ref="B.1", applies_to="annual-review", type="recurring",
                               title="Annual review", period=Period(12, "m"), states="every year", severity_states="every year")]
        return None

    @hookimpl
    def compact_tui_dispute_procedure(self, compact):
        if compact.id == "codeshire":
            return DisputeProcedure(start="ask", stages=(Stage("ask", "Ask", states="Ask first."),
                                                         Stage("done", "Done", outcome="resolved", states="Ask first.")),
                                    moves=(Move("ask", "done", states="Ask first."),), states="Ask first.")
        return None


@pytest.fixture
def testshire_toml(tmp_path):
    path = tmp_path / "compact.toml"
    path.write_text(TESTSHIRE_TOML, encoding="utf-8")
    return path


def registry_of(pm):
    return load_registry(pm, [])


# -- each hook, shown working -------------------------------------------------------------


def test_compact_tui_register_compacts_records_info_and_the_plugin_name(fresh_pm):
    fresh_pm.register(CodeshirePlugin(), name="codeshire-plugin")
    registry = registry_of(fresh_pm)
    assert list(registry.compacts) == ["codeshire"]
    assert registry.get("Codeshire ").info is CODESHIRE
    assert registry.get("codeshire").plugin == "codeshire-plugin"
    assert registry.errors == []


def test_compact_tui_register_compacts_with_a_toml_file_uses_the_builtin_content_plugin(fresh_pm, testshire_toml):
    fresh_pm.register(toml_plugin(testshire_toml), name="testshire-plugin")
    registry = registry_of(fresh_pm)
    compact = registry.get("testshire")
    assert compact.info.name == "Testshire Compact"
    assert compact.info.sides.statutory == "Public bodies"
    # The built-in content plugin answers every content hook through the same contract.
    info = compact.info
    for hook in ("compact_tui_sections", "compact_tui_principles", "compact_tui_undertakings",
                 "compact_tui_provisions", "compact_tui_notice_rules", "compact_tui_dispute_procedure"):
        names = [impl.plugin_name for impl in getattr(fresh_pm.hook, hook).get_hookimpls()]
        assert CONTENT_PLUGIN_NAME in names, hook
    assert fresh_pm.hook.compact_tui_principles(compact=info) == [[compact.clause("1.1")]]


def test_compact_tui_sections(fresh_pm, testshire_toml):
    fresh_pm.register(CodeshirePlugin(), name="code")
    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    registry = registry_of(fresh_pm)
    code = registry.get("codeshire")
    assert [(s.ref, s.pending) for s in code.sections] == [("A", False), ("B", False), ("C", True)]
    assert [s.title for s in registry.get("testshire").sections] == ["Principles", "Funding"]


def test_compact_tui_principles(fresh_pm, testshire_toml):
    fresh_pm.register(CodeshirePlugin(), name="code")
    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    registry = registry_of(fresh_pm)
    assert [c.ref for c in registry.get("codeshire").principles] == ["A.1"]
    assert [c.text for c in registry.get("testshire").principles] == ["The sector is independent."]


def test_compact_tui_undertakings(fresh_pm, testshire_toml):
    fresh_pm.register(CodeshirePlugin(), name="code")
    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    registry = registry_of(fresh_pm)
    # Sorted naturally within the section, whatever order the hook gave them in.
    assert [(c.ref, c.party) for c in registry.get("codeshire").undertakings] == [
        ("B.1", "statutory"), ("B.2", "vcs")]
    assert [c.ref for c in registry.get("testshire").undertakings] == ["2.1"]


def test_compact_tui_provisions(fresh_pm, testshire_toml):
    fresh_pm.register(CodeshirePlugin(), name="code")
    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    registry = registry_of(fresh_pm)
    code = registry.get("codeshire")
    assert code.clause("A.0").kind == "definition"
    # Clauses of all kinds are kept together in the order of the sections.
    assert [c.ref for c in code.clauses] == ["A.0", "A.1", "B.1", "B.2"]
    assert [c.ref for c in registry.get("testshire").clauses] == ["1.1", "2.1", "2.2"]


def test_compact_tui_notice_rules(fresh_pm, testshire_toml):
    fresh_pm.register(CodeshirePlugin(), name="code")
    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    registry = registry_of(fresh_pm)
    assert [(r.id, str(r.period)) for r in registry.get("codeshire").rules] == [("review", "12m")]
    assert [(r.id, str(r.period)) for r in registry.get("testshire").rules] == [("notice", "3m")]


def test_compact_tui_notice_rules_in_code_add_to_the_plugins_own_toml_compact(fresh_pm, testshire_toml):
    class TomlAndCode:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(content=testshire_toml)

        @hookimpl
        def compact_tui_notice_rules(self, compact):
            return [NoticeRule(id="extra", ref="2.2", applies_to="annual-review", type="recurring",
                               title="Review", period=Period(12, "m"), states="every year", severity_states="every year")]

    fresh_pm.register(TomlAndCode(), name="testshire")
    assert sorted(r.id for r in registry_of(fresh_pm).get("testshire").rules) == ["extra", "notice"]


def test_a_plugin_is_never_asked_about_another_plugins_compact(fresh_pm, testshire_toml):
    asked = []

    class Meddler:
        @hookimpl
        def compact_tui_notice_rules(self, compact):
            asked.append(compact.id)
            return [NoticeRule(id="meddled", ref="2.2", applies_to="note", type="recurring",
                               title="Meddled", period=Period(1, "d"), source="none")]

    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    fresh_pm.register(Meddler(), name="meddler")
    registry = registry_of(fresh_pm)
    assert [r.id for r in registry.get("testshire").rules] == ["notice"]
    assert asked == [] and registry.errors == []


def test_compact_tui_dispute_procedure_first_answer_wins(fresh_pm, testshire_toml):
    override = DisputeProcedure(start="", pending=True, note="Replaced in code", states="Information pending")

    class Override:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(content=testshire_toml)

        @hookimpl
        def compact_tui_dispute_procedure(self, compact):
            return override  # the plugin's own answer comes before its TOML's (pluggy: last registered first)

    fresh_pm.register(Override(), name="override")
    assert registry_of(fresh_pm).get("testshire").procedure is override


def test_hooks_go_through_pluggy_so_a_wrapper_sees_and_can_change_the_answers(fresh_pm, testshire_toml):
    class Wrapping:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(content=testshire_toml)

        @hookimpl(wrapper=True)
        def compact_tui_sections(self, compact):
            sections = yield  # every answer, the TOML's included
            return [[Section(s.ref, s.title.upper()) for s in answer] for answer in sections]

    fresh_pm.register(Wrapping(), name="testshire")
    registry = registry_of(fresh_pm)
    assert [s.title for s in registry.get("testshire").sections] == ["PRINCIPLES", "FUNDING"]
    assert registry.errors == []


def test_trylast_puts_a_plugins_answer_after_its_tomls_as_pluggy_documents(fresh_pm, testshire_toml):
    class Fallback:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(content=testshire_toml)

        @hookimpl(trylast=True)
        def compact_tui_dispute_procedure(self, compact):
            return DisputeProcedure(start="", pending=True, note="only if the TOML has none", states="Information pending")

    fresh_pm.register(Fallback(), name="testshire")
    assert [s.id for s in registry_of(fresh_pm).get("testshire").procedure.stages] == ["talk", "resolved"]


def test_every_call_goes_through_pluggys_hook_calling(fresh_pm, testshire_toml):
    seen = []
    fresh_pm.add_hookcall_monitoring(lambda name, impls, kwargs: seen.append((name, [i.plugin_name for i in impls])),
                                     lambda outcome, name, impls, kwargs: None)
    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    registry_of(fresh_pm)
    assert ("compact_tui_register_compacts", ["toml"]) in seen
    assert ("compact_tui_sections", [CONTENT_PLUGIN_NAME]) in seen
    assert ("compact_tui_dispute_procedure", [CONTENT_PLUGIN_NAME]) in seen


# -- failures: named, with the reason, and the others keep working -------------------------


class Boom:
    @hookimpl
    def compact_tui_register_compacts(self, register):
        raise RuntimeError("the dog ate it")


def test_plugin_raising_in_register_is_reported_and_others_load(fresh_pm):
    fresh_pm.register(Boom(), name="boom")
    fresh_pm.register(CodeshirePlugin(), name="code")
    registry = registry_of(fresh_pm)
    assert list(registry.compacts) == ["codeshire"]
    [error] = registry.errors
    assert error.plugin == "boom"
    assert "RuntimeError: the dog ate it" in error.reason
    assert "'boom'" in str(error)


def test_plugin_with_invalid_toml_is_reported_and_others_load(fresh_pm, tmp_path, testshire_toml):
    bad = tmp_path / "bad.toml"
    bad.write_text('[compact\nid = "bad"\n', encoding="utf-8")
    fresh_pm.register(toml_plugin(bad), name="badshire")
    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    registry = registry_of(fresh_pm)
    assert list(registry.compacts) == ["testshire"]
    [error] = registry.errors
    assert error.plugin == "badshire"
    assert error.reason == (f"registered a content file that cannot be read: {bad}:1: not valid TOML: "
                            "Expected ']' at the end of a table declaration (at line 1, column 9)")
    assert error.compact == "" and registry.unavailable == {}  # not even its id can be read


def test_a_compact_whose_toml_will_not_parse_is_listed_by_its_id_as_unavailable(fresh_pm, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[compact]\nid = "badshire"\nname = "Badshire Compact"\narea = "Badshire\n', encoding="utf-8")
    fresh_pm.register(toml_plugin(bad), name="badplugin")
    registry = registry_of(fresh_pm)
    [error] = registry.errors
    assert (error.plugin, error.compact, error.info.name) == ("badplugin", "badshire", "Badshire Compact")
    assert list(registry.unavailable) == ["badshire"]
    with pytest.raises(UserError) as refused:
        registry.require("badshire")
    assert str(refused.value) == (
        f"Badshire Compact ('badshire') is installed but cannot be used: plugin 'badplugin' registered a content "
        f"file that cannot be read: {bad}:4: not valid TOML: Illegal character '\\n' (at line 4, column 17); "
        "see 'compact-tui plugin check badshire'.")


def test_plugin_with_content_missing_fields_is_reported_field_by_field(fresh_pm, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[compact]\nid = "bad"\n\n[[clauses]]\nref = "1.1"\n', encoding="utf-8")
    fresh_pm.register(toml_plugin(bad), name="badshire")
    [error] = registry_of(fresh_pm).errors
    assert f"{bad}:1: [compact]: missing 'name'" in error.problems
    assert f"{bad}:4: clause 1.1 ([[clauses]] #1): missing 'text'" in error.problems


def test_plugin_registering_something_that_is_not_a_compact_is_reported(fresh_pm):
    class Wrong:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(42)

    fresh_pm.register(Wrong(), name="wrong")
    [error] = registry_of(fresh_pm).errors
    assert error.plugin == "wrong"
    assert error.reason == ("register() needs a CompactInfo or the compact's TOML file (a path, a str or an importlib "
                            "resource; positionally or as content=) whose [compact] has an id; it was given int 42")


def test_register_takes_only_its_documented_arguments(fresh_pm, testshire_toml):
    """``register(info=None, *, content=None)``: the content file is given by keyword."""
    class Positional:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(None, testshire_toml)

    fresh_pm.register(Positional(), name="positional")
    registry = registry_of(fresh_pm)
    assert registry.compacts == {}
    [error] = registry.errors
    assert error.plugin == "positional"
    assert error.reason.startswith("failed to register its compacts: TypeError: ")


def test_plugin_claiming_a_taken_id_is_reported_and_the_first_keeps_it(fresh_pm):
    class Impostor:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(CompactInfo(id="codeshire", name="Impostor", area="Nowhere", status="draft"))

    fresh_pm.register(CodeshirePlugin(), name="code")
    fresh_pm.register(Impostor(), name="impostor")
    registry = registry_of(fresh_pm)
    [error] = registry.errors
    assert error.plugin == "impostor"
    assert error.reason == "claims compact id 'codeshire', which plugin 'code' registered; refused (this plugin is plugin 'impostor')"
    assert registry.get("codeshire").info is CODESHIRE


def test_plugin_raising_in_a_content_hook_is_reported_and_others_load(fresh_pm, testshire_toml):
    class Broken(CodeshirePlugin):
        @hookimpl
        def compact_tui_principles(self, compact):
            raise KeyError("A.1")

    fresh_pm.register(Broken(), name="code")
    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    registry = registry_of(fresh_pm)
    assert list(registry.compacts) == ["testshire"]
    assert list(registry.unavailable) == ["codeshire"]
    [error] = registry.errors
    assert (error.plugin, error.compact) == ("code", "codeshire")
    assert error.problems == ("plugin 'code': compact_tui_principles failed: KeyError: 'A.1'",)


def fake_entry_points(monkeypatch, *extra: EntryPoint):
    """The real installed entry points, plus ``extra``."""

    def entry_points(group):
        return [*real_entry_points(group=group), *extra]

    monkeypatch.setattr(plugins_module, "entry_points", entry_points)


def test_entry_point_that_cannot_be_imported_is_reported_and_the_five_load(monkeypatch):
    monkeypatch.delenv(LOAD_PLUGINS_ENV, raising=False)
    ghost = EntryPoint(name="ghost", value="compact_tui_no_such_module", group=ENTRY_POINT_GROUP)
    fake_entry_points(monkeypatch, ghost)
    registry = load_registry(*make_plugin_manager())
    [error] = registry.errors
    assert error.plugin == "ghost"
    assert "could not be loaded: ModuleNotFoundError" in error.reason
    assert "compact_tui_no_such_module" in error.reason
    assert set(FIVE) <= set(registry.compacts)


def test_two_entry_points_with_one_name_are_reported(monkeypatch):
    monkeypatch.delenv(LOAD_PLUGINS_ENV, raising=False)
    twin = EntryPoint(name="essex", value="compact_tui_southend", group=ENTRY_POINT_GROUP)
    fake_entry_points(monkeypatch, twin)
    registry = load_registry(*make_plugin_manager())
    assert [(e.plugin, e.reason) for e in registry.errors] == [
        ("essex", "another plugin is already installed under this name")]
    assert set(FIVE) <= set(registry.compacts)


def test_misspelled_hookimpl_is_caught_by_check_pending_and_named(monkeypatch, tmp_path):
    monkeypatch.delenv(LOAD_PLUGINS_ENV, raising=False)
    (tmp_path / "misspelt_plugin.py").write_text(
        "from compact_tui.content.hookspecs import hookimpl\n\n"
        "@hookimpl\n"
        "def compact_tui_principle(compact):\n"
        "    return []\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    fake_entry_points(monkeypatch, EntryPoint(name="misspelt", value="misspelt_plugin", group=ENTRY_POINT_GROUP))
    pm, errors = make_plugin_manager()
    [error] = errors
    assert error.plugin == "misspelt"
    assert error.reason == ("has a hook implementation compact-tui does not know, 'compact_tui_principle' "
                            "(did you mean 'compact_tui_principles'?), so its compacts are not used")
    assert set(FIVE) <= set(load_registry(pm, errors).compacts)


def test_load_plugins_env_loads_only_the_named_plugin(monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "southampton")
    registry = load_registry(*make_plugin_manager())
    assert list(registry.compacts) == ["southampton"]
    assert registry.errors == []


def test_load_plugins_env_with_several_names(monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, " essex, southend ")
    assert sorted(load_registry(*make_plugin_manager()).compacts) == ["essex", "southend"]


def test_load_plugins_env_empty_loads_none(monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    pm, errors = make_plugin_manager()
    registry = load_registry(pm, errors)
    assert registry.compacts == {} and registry.errors == []
    # The core's built-ins are still there: they are plugins too.
    assert pm.has_plugin(CONTENT_PLUGIN_NAME)


def test_each_manager_is_fresh(fresh_pm):
    fresh_pm.register(CodeshirePlugin(), name="code")
    other, _ = make_plugin_manager(load_entry_points=False)
    assert not other.has_plugin("code")
    assert registry_of(other).compacts == {}


# -- register: a str or a path, positionally or as content= ------------------------------------


@pytest.mark.parametrize("how", ["a Path, positionally", "a str, positionally", "a str, as content="])
def test_compact_tui_register_compacts_takes_the_file_as_a_str_or_a_path(fresh_pm, testshire_toml, how):
    given = {"a Path, positionally": lambda r: r(testshire_toml),
             "a str, positionally": lambda r: r(str(testshire_toml)),
             "a str, as content=": lambda r: r(content=str(testshire_toml))}[how]

    class Plugin:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            given(register)

    fresh_pm.register(Plugin(), name="testshire")
    registry = registry_of(fresh_pm)
    assert (list(registry.compacts), registry.errors) == (["testshire"], [])


def test_compact_tui_register_compacts_reads_a_relative_path_from_the_plugins_own_folder(
        fresh_pm, tmp_path, monkeypatch):
    package = tmp_path / "relative_plugin"
    package.mkdir()
    (package / "compact.toml").write_text(TESTSHIRE_TOML, encoding="utf-8")
    (package / "__init__.py").write_text(
        "from compact_tui.hookspecs import hookimpl\n\n"
        "@hookimpl\n"
        "def compact_tui_register_compacts(register):\n"
        "    register('compact.toml')\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path.parent)  # not the plugin's folder: the path is not read from here
    monkeypatch.delitem(sys.modules, "relative_plugin", raising=False)  # an earlier run's, in this process
    import importlib

    fresh_pm.register(importlib.import_module("relative_plugin"), name="relative")
    registry = registry_of(fresh_pm)
    assert (list(registry.compacts), registry.errors) == (["testshire"], [])
    assert registry.sources == {"testshire": str(package / "compact.toml")}


def test_compact_tui_register_compacts_refuses_two_files_or_a_number_saying_what_it_takes(fresh_pm, testshire_toml):
    class Twice:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(testshire_toml, content=testshire_toml)
            register(content=42)

    fresh_pm.register(Twice(), name="twice")
    assert [e.reason for e in registry_of(fresh_pm).errors] == [
        f"register() was given two content files, {testshire_toml} and content={testshire_toml}: give one",
        "register(content=...) needs the compact's TOML file (a path, a str or an importlib resource); it was "
        "given int 42"]


# -- hooks that can never be called ------------------------------------------------------------


def test_a_plugin_registering_no_compact_is_told_its_content_hooks_are_never_called(fresh_pm, testshire_toml):
    class Idle:
        @hookimpl
        def compact_tui_principles(self, compact):
            return []

        @hookimpl
        def compact_tui_notice_rules(self, compact):
            return []

    fresh_pm.register(Idle(), name="idle")
    fresh_pm.register(toml_plugin(testshire_toml), name="toml")
    registry = registry_of(fresh_pm)
    assert (list(registry.compacts), registry.errors) == (["testshire"], [])
    assert [str(w) for w in registry.warnings] == [
        "plugin 'idle': answers compact_tui_notice_rules, compact_tui_principles but registers no compact, so they "
        "are never called (a plugin is asked only about the compacts it registers: call register() in its "
        "compact_tui_register_compacts)"]
