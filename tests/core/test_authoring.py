"""The mistakes a new author makes, each reported once with the exact message an author can act
on: the file, the line, the item by its own reference or id and its 1-based position. The same
problem makes the compact unavailable when its plugin loads, and `plugin check` lists it."""

from __future__ import annotations

import pytest

from compact_tui.content.hookspecs import hookimpl
from compact_tui.content.plugins import load_registry

from .conftest import TALK_PROCEDURE, toml_plugin

GOOD = '''\
format = 4
[compact]
id = "castle_point"
name = "Castle Point Compact"
area = "Castle Point"
status = "draft"

[[sections]]
ref = "1"
title = "Funding"

[[clauses]]
ref = "1.1"
section = "1"
kind = "undertaking"
party = "statutory"
theme = "funding"
text = "Give three months' notice in writing of ending funding."

[[clauses]]
ref = "1.2"
section = "1"
kind = "undertaking"
party = "vcs"
theme = "consultation"
text = "Respond to consultations."

[[rules]]
id = "notice"
ref = "1.1"
applies_to = "funding-change"
type = "minimum-period"
title = "Three months' notice"
period = "3m"
from = "notified"
to = "effective"
in_writing = true
severity = "breach"
states = "Give three months' notice in writing"

''' + TALK_PROCEDURE


@pytest.fixture
def write(tmp_path):
    path = tmp_path / "compact.toml"

    def write_with(old: str, new: str) -> str:
        assert old in GOOD
        path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
        return str(path)

    return write_with


def problems_when_loaded(path: str) -> list[str]:
    """Load the file through a plugin, as the app does: the compact is unavailable, with these."""
    from pathlib import Path

    from compact_tui.content.plugins import make_plugin_manager

    pm, _ = make_plugin_manager(load_entry_points=False)
    pm.register(toml_plugin(Path(path)), name="castle_point")
    registry = load_registry(pm, [], hierarchy={})
    assert registry.get("castle_point") is None
    assert list(registry.unavailable) == ["castle_point"]
    return registry.problems("castle_point")


def check(cli, path: str) -> list[str]:
    result = cli("plugin", "check", path)
    assert result.code == 1
    lines = result.out.splitlines()
    assert lines[0] in ("castle_point: 1 problem", f"{path}: 1 problem")
    return [line.removeprefix("  - ") for line in lines[1:]]


def test_the_good_file_is_sound(cli, write):
    path = write("", "")
    assert cli("plugin", "check", path).out == "castle_point: ok\n"


def test_a_rule_citing_a_clause_that_does_not_exist(cli, write):
    path = write('ref = "1.1"\napplies_to', 'ref = "4.9"\napplies_to')
    expected = [f"{path}:30: rule notice ([[rules]] #1): cites '4.9', which is not a clause of this compact"]
    assert check(cli, path) == expected
    assert problems_when_loaded(path) == expected


def test_a_duplicate_clause_reference_is_reported_once(cli, write):
    path = write('ref = "1.2"', 'ref = "1.1"')
    expected = [f"{path}:21: clause 1.1 ([[clauses]] #2): reference '1.1' is already used by #1, line 12"]
    assert check(cli, path) == expected
    assert problems_when_loaded(path) == expected


def test_a_move_to_an_unknown_stage(cli, write):
    path = write('to = "resolved"', 'to = "resolvd"')
    expected = [f"{path}:58: move talk -> resolvd ([[procedure.moves]] #1): 'to' names 'resolvd', which is "
                "not a stage (did you mean 'resolved'?)"]
    assert check(cli, path) == expected
    assert problems_when_loaded(path) == expected


def test_an_unknown_side(cli, write):
    path = write('party = "vcs"', 'party = "council"')
    expected = [f"{path}:24: clause 1.2 ([[clauses]] #2): unknown party 'council' (known: statutory, vcs, both)"]
    assert check(cli, path) == expected
    assert problems_when_loaded(path) == expected


def test_a_misspelt_severity_key(cli, write):
    path = write('severity = "breach"', 'severty = "warning"')
    expected = [f"{path}:38: rule notice ([[rules]] #1): unknown key 'severty' (did you mean 'severity'?)"]
    assert check(cli, path) == expected
    assert problems_when_loaded(path) == expected


def test_a_misspelt_in_writing_key(cli, write):
    path = write("in_writing = true", "in_writting = true")
    expected = [f"{path}:37: rule notice ([[rules]] #1): unknown key 'in_writting' (did you mean 'in_writing'?)"]
    assert check(cli, path) == expected


def test_an_unknown_theme(cli, write):
    path = write('theme = "consultation"', 'theme = "consulting"')
    expected = [f"{path}:25: clause 1.2 ([[clauses]] #2): unknown theme 'consulting' (did you mean "
                "'consultation'?) (known: independence, funding, consultation, policy, services, equality, "
                "volunteering, partnership, communication, information, capacity, accountability, "
                "representation, review, disputes, governance, general)"]
    assert check(cli, path) == expected


def test_an_unknown_severity_value(cli, write):
    path = write('severity = "breach"', 'severity = "fatal"')
    expected = [f"{path}:38: rule notice ([[rules]] #1): unknown severity 'fatal' (known: breach, warning)"]
    assert check(cli, path) == expected


def test_a_value_of_the_wrong_type(cli, write):
    path = write('title = "Funding"', 'title = "Funding"\npending = "yes"')
    expected = [f"{path}:11: section 1 ([[sections]] #1): 'pending' must be true or false, not text"]
    assert check(cli, path) == expected


def test_a_period_that_is_not_one(cli, write):
    path = write('period = "3m"', 'period = "3 months"')
    expected = [f"{path}:34: rule notice ([[rules]] #1): 'period' '3 months' is not a period such as 12w, "
                "3m, 10d or 5wd"]
    assert check(cli, path) == expected


def test_a_missing_required_field(cli, write):
    path = write('text = "Respond to consultations."\n', "")
    expected = [f"{path}:20: clause 1.2 ([[clauses]] #2): missing 'text'"]
    assert check(cli, path) == expected


def test_an_unknown_table(cli, write):
    path = write("[[rules]]", "[[rulez]]")
    assert check(cli, path) == [f"{path}: [rulez]: unknown table 'rulez' (did you mean 'rules'?)"]


def test_a_toml_syntax_error_names_its_line(cli, write):
    path = write('title = "Funding"', 'title = "Funding')
    [problem] = check(cli, path)
    assert problem.startswith(f"{path}:10: not valid TOML: ")


@pytest.mark.parametrize("old, new, key, shown", [
    ('text = "Respond to consultations."', 'text = "Respond\\u001b]0;owned\\u0007 to consultations."', "text", "\\x1b"),
    ('title = "Funding"', 'title = "Fund\\u202eing"', "title", "\\u202e"),
    ('name = "Castle Point Compact"', 'name = "Castle Point\\u0008 Compact"', "name", "\\x08"),
])
def test_a_control_character_in_the_text_makes_the_compact_unavailable(cli, write, old, new, key, shown):
    """An escape sequence, a backspace or a bidirectional override is no part of a compact's
    words: every screen would show it inert, but the author is told where it is, and the
    compact is not used until it is gone."""
    path = write(old, new)
    [problem] = check(cli, path)
    assert f"'{key}' holds the control character {shown} at character" in problem and problem.endswith(": remove it")
    assert "\x1b" not in problem and "\u202e" not in problem and "\x08" not in problem
    assert problems_when_loaded(path) == [problem]


def test_line_breaks_and_tabs_in_a_clause_are_text(cli, write):
    path = write('text = "Respond to consultations."', 'text = "Respond to\\n\\tconsultations."')
    assert cli("plugin", "check", path).out == "castle_point: ok\n"


def test_an_exception_the_rule_s_words_do_not_give(cli, write):
    # the words quoted say nothing of an exception, so a reason could silence what the text does not allow
    path = write("in_writing = true", 'in_writing = true\nexception = "apart from in exceptional circumstances"')
    expected = [f"{path}:38: rule notice ([[rules]] #1): its exception must be words of its 'states', verbatim "
                "(the text's own exception or alternative): 'apart from in exceptional circumstances' is not in them"]
    assert check(cli, path) == expected
    assert problems_when_loaded(path) == expected


def test_an_exception_quoted_from_the_rule_s_words_is_no_problem(cli, write):
    path = write('states = "Give three months\' notice in writing"',
                 'states = "Give three months\' notice in writing, apart from in exceptional circumstances"\n'
                 'exception = "apart from in exceptional circumstances"')
    assert cli("plugin", "check", path).code == 0


def _procedure_says(tmp_path, procedure: str):
    """A compact whose [procedure] is ``procedure``: what the format makes of it."""
    from compact_tui.content.plugins import make_plugin_manager
    from compact_tui.rules.disputes import pending_message

    path = tmp_path / "silent.toml"
    path.write_text(GOOD[:GOOD.index("[procedure]")] + procedure, encoding="utf-8")

    pm, _ = make_plugin_manager(load_entry_points=False)
    pm.register(toml_plugin(path), name="castle_point")
    registry = load_registry(pm, [], hierarchy={})
    return registry, registry.get("castle_point"), pending_message


def test_a_text_that_says_nothing_of_disputes_states_none_and_is_never_information_pending(tmp_path, cli):
    registry, compact, pending_message = _procedure_says(tmp_path, '[procedure]\nstates_none = true\n')
    assert compact is not None, registry.problems("castle_point")
    assert not compact.procedure.walkable
    assert pending_message(compact) == "Castle Point Compact states no dispute procedure; its text names no " \
                                       "compact one level up."
    from compact_tui.cli.compacts_cmd import procedure_status

    assert procedure_status(compact.procedure) == procedure_status(None) == "none"


def test_a_procedure_marked_pending_and_states_none_is_refused(tmp_path):
    registry, compact, _ = _procedure_says(tmp_path, '[procedure]\npending = true\nstates_none = true\n'
                                                     'states = "Information pending"\n')
    assert compact is None
    [problem] = registry.problems("castle_point")
    assert problem == f"{tmp_path / 'silent.toml'}:43: [procedure]: marked both pending and stating none: say only " \
                      "what the text says"
