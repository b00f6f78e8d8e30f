"""A compact file written for an earlier format keeps working, and ``plugin upgrade`` brings it up
to date keeping every word of its text.

``data/format1_southampton.toml`` is the Southampton plugin's compact.toml exactly as it was in
format 1 (``git show aa8bc01:plugins/southampton/src/compact_tui_southampton/compact.toml``):
rules quoting their words in ``source``, stages in ``text``, ``reading`` for how words were
read, and no word on where the procedure, its moves and conditions stand. Every run reads it
and upgrades a copy of it.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest

from compact_tui.content.file_format import FORMAT, TO_CONFIRM
from compact_tui.content.hookspecs import hookimpl
from compact_tui.content.plugins import LOAD_PLUGINS_ENV, load_registry
from compact_tui.content.reader import read_document

from .conftest import FIVE, REPO_ROOT

FORMAT_1 = Path(__file__).parent / "data" / "format1_southampton.toml"


@pytest.fixture
def old_file(tmp_path):
    path = tmp_path / "compact.toml"
    shutil.copyfile(FORMAT_1, path)
    return path


def strings(value) -> list[str]:
    """Every text in a parsed TOML document, at any depth."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def test_a_format_1_file_is_read_as_it_stands_and_its_compact_is_usable(fresh_pm, old_file):
    class Southampton:
        @hookimpl
        def compact_tui_register_compacts(self, register):
            register(old_file)

    fresh_pm.register(Southampton(), name="southampton")
    registry = load_registry(fresh_pm, [])
    assert registry.errors == []
    compact = registry.require("southampton")
    consultation, funding = compact.rules
    assert consultation.states.startswith("Where it is appropriate, and enables meaningful engagement")
    assert (consultation.severity, consultation.severity_standing.states) == ("warning", "Where it is appropriate")
    assert funding.states.startswith("Give at least three months notice in writing")
    assert compact.procedure.standing.is_reading and compact.procedure.reading.startswith(TO_CONFIRM)
    negotiation = compact.procedure.stage("negotiation")
    assert negotiation.states == ("As far as possible any disagreements or breaches should be resolved by "
                                  "negotiation and discussion between those involved.")
    assert negotiation.reading == "Every disagreement or alleged breach starts here, between the parties themselves."
    assert all(m.reading.startswith(TO_CONFIRM) for m in compact.procedure.moves)
    doc = read_document(old_file)
    assert (doc.format, doc.numbered, len(doc.carried)) == (1, False, 23)


def test_plugin_check_names_the_earlier_format_and_the_command_that_upgrades_it(cli, old_file, monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")  # the installed Southampton would hold its id
    checked = cli("plugin", "check", str(old_file))
    assert (checked.code, checked.out) == (0, (
        "southampton: ok\n"
        f"warning: southampton: {old_file} is written for format 1, read as format 4, 23 things carried over as "
        f"readings to confirm; 'compact-tui plugin upgrade {old_file}' rewrites it in format 4, listing what to "
        "confirm\n"))


def test_plugin_upgrade_rewrites_a_format_1_file_keeping_every_word_and_it_passes_check(cli, old_file, monkeypatch):
    before = old_file.read_text(encoding="utf-8")
    upgraded = cli("plugin", "upgrade", str(old_file))
    assert upgraded.code == 0, upgraded.err
    lines = upgraded.out.splitlines()
    assert lines[0] == (f"Upgraded {old_file} from format 1 to format 4 (renamed 'source' to 'states', 'text' to "
                        "'states' on 6 items).")
    # 2 rules whose 'reading' now makes them readings, 1 breach whose words say "where it is
    # appropriate", the procedure, 7 stages (5 with a reading, 2 endings with no words), 6 moves
    # and 6 conditions that format 1 never asked about; both exceptions quote their rule's words.
    assert lines[1] == "23 things it could not decide, each marked TO CONFIRM in the file:"
    items = " ".join(lines[2:-1]).replace("     ", " ").split("  - ")[1:]
    assert [item.strip() for item in items[:2]] == [
        "compact.toml:501: rule consultation-12-weeks ([[rules]] #1): its 'reading' (in format 1, how the words "
        "are read into the rule) now makes the rule a reading, and it is shown as one; if the text states the rule "
        "and this only says how it is applied, move it to 'note'",
        "compact.toml:501: rule consultation-12-weeks ([[rules]] #1): format 1 called it a breach, but its words "
        "say 'where it is appropriate', which leaves the duty to judgement: format 2 makes it a warning"]
    assert lines[-1] == "plugin check: ok"
    assert len(items) == 23 and all(len(line) <= 78 for line in lines[1:])

    after = old_file.read_text(encoding="utf-8")
    old, new = tomllib.loads(before), tomllib.loads(after)
    assert new["format"] == FORMAT
    words = strings(old)
    words[words.index("breach")] = "warning"  # the one value changed: the breach whose words say "where ..."
    assert sorted(words) == sorted(s for s in strings(new) if not s.startswith(TO_CONFIRM))
    kept = after.splitlines()
    renamed = {"source =": "states =", "text =": "states ="}
    for line in before.splitlines():  # each line is still there, or only its key was renamed
        changed = next((line.replace(k, v, 1) for k, v in renamed.items() if line.startswith(k)), line)
        assert line in kept or changed in kept or line == 'severity = "breach"', line
    assert after.count(TO_CONFIRM) == 23

    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    checked = cli("plugin", "check", str(old_file))
    assert (checked.code, checked.out) == (0, (
        f"southampton: ok\nwarning: southampton: 23 things in {old_file} that an upgrade could not decide still "
        f"wait for you to confirm them (marked '{TO_CONFIRM}')\n"))
    again = cli("plugin", "upgrade", str(old_file))
    assert (again.code, again.out) == (0, f"{old_file} is already written for format 4: nothing to change.\n"
                                          "plugin check: ok\n")
    assert old_file.read_text(encoding="utf-8") == after


WARNING_WITHOUT_QUALIFIER = '''
[compact]
id = "castle_point"
name = "Castle Point Compact"
area = "Castle Point"
status = "draft"

[[clauses]]
ref = "4.1"
kind = "undertaking"
party = "statutory"
theme = "funding"
text = "Give three months' notice of a change to funding."

[[rules]]
id = "funding-notice"
ref = "4.1"
applies_to = "funding-change"
type = "minimum-period"
title = "Three months' notice of a funding change"
period = "3m"
from = "notified"
to = "effective"
severity = "warning"
source = "Give three months' notice of a change to funding."
'''


def test_a_warning_whose_words_carry_no_qualifier_is_carried_over_for_its_author(cli, tmp_path):
    path = tmp_path / "compact.toml"
    path.write_text(WARNING_WITHOUT_QUALIFIER, encoding="utf-8")
    upgraded = cli("plugin", "upgrade", str(path))
    assert (upgraded.code, upgraded.out.splitlines()[1:]) == (0, [
        "1 thing it could not decide, each marked TO CONFIRM in the file:",
        "  - compact.toml:17: rule funding-notice ([[rules]] #1): a warning whose words",
        "    carry no qualifier: quote the words that make it one, or say why",
        "plugin check: ok"])
    rule = tomllib.loads(path.read_text(encoding="utf-8"))["rules"][0]
    assert (rule["severity"], rule["states"]) == ("warning", "Give three months' notice of a change to funding.")
    assert rule["severity_reading"].startswith(f"{TO_CONFIRM}: format 1 called this rule a warning")


def test_a_file_for_a_newer_format_or_a_wrong_number_says_so(cli, tmp_path, monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    path = tmp_path / "compact.toml"
    for number, problem in ((9, "'format': written for format 9, newer than this compact-tui reads (formats 1 to 4): "
                                "upgrade compact-tui"),
                            ('"two"', "'format': 'format' must be a whole number, the format the file is written for "
                                      "(now 4), not 'two'")):
        path.write_text(f"format = {number}\n" + WARNING_WITHOUT_QUALIFIER.replace(
            'severity = "warning"\nsource', 'severity_reading = "Our reading."\nseverity = "warning"\nstates'),
            encoding="utf-8")
        checked = cli("plugin", "check", str(path))
        assert (checked.code, checked.out) == (1, f"castle_point: 1 problem\n  - {path}:1: {problem}\n")
    upgraded = cli("plugin", "upgrade", str(path))
    assert (upgraded.code, upgraded.err) == (1, (
        f"compact-tui: {path}: 'format' must be a whole number, the format the file is written for (now 4), not "
        "'two'.\n"))


def test_a_table_written_inline_cannot_be_upgraded_in_place_and_nothing_is_written(cli, tmp_path):
    path = tmp_path / "compact.toml"
    text = WARNING_WITHOUT_QUALIFIER + ('\n[procedure]\nstart = "talk"\nstages = [{id = "talk", title = "Talk"}, '
                                        '{id = "done", title = "Done", outcome = "resolved"}]\n'
                                        'moves = [{from = "talk", to = "done"}]\n')
    path.write_text(text, encoding="utf-8")
    upgraded = cli("plugin", "upgrade", str(path))
    assert (upgraded.code, upgraded.err) == (1, (
        f"compact-tui: {path}: stage talk ([[procedure.stages]] #1) is not written as a table of its own (an inline "
        "table?), so it cannot be upgraded in place; nothing was written.\n"))
    assert path.read_text(encoding="utf-8") == text


def test_the_five_compacts_and_a_new_plugin_say_the_current_format(cli, tmp_path):
    for plugin in FIVE:
        path = REPO_ROOT / f"plugins/{plugin}/src/compact_tui_{plugin}/compact.toml"
        assert tomllib.loads(path.read_text(encoding="utf-8"))["format"] == FORMAT, plugin
    assert cli("plugin", "new", "Castle Point", "--dir", str(tmp_path)).code == 0
    made = tmp_path / "castle_point/src/compact_tui_castle_point/compact.toml"
    assert tomllib.loads(made.read_text(encoding="utf-8"))["format"] == FORMAT


def test_a_format_2_exception_that_does_not_quote_its_rule_is_taken_out_and_kept_in_a_comment(cli, tmp_path):
    """Format 3 holds an exception to its rule's own words (issue 19): a free description, which
    format 2 accepted, would let a reason silence what the text does not allow."""
    path = tmp_path / "compact.toml"
    text = "format = 2\n" + WARNING_WITHOUT_QUALIFIER.replace(
        'severity = "warning"\nsource', 'exception = "urgent cases"\nseverity_reading = "Our reading."\n'
        'severity = "warning"\nstates')
    path.write_text(text, encoding="utf-8")
    upgraded = cli("plugin", "upgrade", str(path))
    assert (upgraded.code, upgraded.out) == (0, (
        f"Upgraded {path} from format 2 to format 4.\n"
        "1 thing it could not decide, each marked TO CONFIRM in the file:\n"
        "  - compact.toml:16: rule funding-notice ([[rules]] #1): its exception does\n"
        "    not quote the words of its 'states', as format 3 asks, so it is taken out\n"
        "    (kept in a comment) and a reason recorded on a case silences nothing;\n"
        "    quote the text's own words for the exception, if it gives one\n"
        "plugin check: ok\n"))
    after = path.read_text(encoding="utf-8")
    assert '\n# exception = "urgent cases"\n' in after and f"# {TO_CONFIRM}: its exception does not" in after
    assert "exception" not in tomllib.loads(after)["rules"][0]


def _format_3_with_status(status: str) -> str:
    return "format = 3\n" + WARNING_WITHOUT_QUALIFIER.replace('status = "draft"', f'status = "{status}"').replace(
        'severity = "warning"\nsource', 'severity_reading = "Our reading."\nseverity = "warning"\nstates')


def test_a_format_3_status_that_says_plainly_what_it_means_becomes_the_listed_word(cli, tmp_path):
    """Format 4 takes ``status`` from a list (issue 19); format 3 took any words."""
    path = tmp_path / "compact.toml"
    text = _format_3_with_status("Signed")
    path.write_text(text, encoding="utf-8")
    upgraded = cli("plugin", "upgrade", str(path))
    assert (upgraded.code, upgraded.out) == (0, (
        f"Upgraded {path} from format 3 to format 4. Its status 'Signed' is now 'adopted', the word of the format's "
        "list it means.\nplugin check: ok\n"))
    assert path.read_text(encoding="utf-8") == text.replace("format = 3", "format = 4").replace(
        'status = "Signed"', 'status = "adopted"')


def test_a_format_3_status_the_upgrade_cannot_place_is_unstated_and_kept_to_confirm(cli, tmp_path, monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    path = tmp_path / "compact.toml"
    path.write_text(_format_3_with_status("under review"), encoding="utf-8")
    doc = read_document(path)
    assert (doc.format, doc.info.status) == (3, "unstated")
    assert doc.carried == [
        "[compact]: its status 'under review' is not one of the words format 4 takes (adopted, draft, working-draft, "
        "unstated) and the upgrade cannot tell which it means, so it is set to 'unstated' and your words are kept "
        "in a comment; write the word the text bears out, and say in 'status_reading' why if the text does not "
        "state it"]
    checked = cli("plugin", "check", str(path))
    assert (checked.code, checked.out) == (0, (
        f"castle_point: ok\nwarning: castle_point: {path} is written for format 3, read as format 4, 1 thing carried "
        f"over as readings to confirm; 'compact-tui plugin upgrade {path}' rewrites it in format 4, listing what to "
        "confirm\n"))
    upgraded = cli("plugin", "upgrade", str(path))
    assert (upgraded.code, upgraded.out) == (0, (
        f"Upgraded {path} from format 3 to format 4.\n"
        "1 thing it could not decide, each marked TO CONFIRM in the file:\n"
        "  - compact.toml:3: [compact]: its status 'under review' is not one of the\n"
        "    words format 4 takes (adopted, draft, working-draft, unstated) and the\n"
        "    upgrade cannot tell which it means, so it is set to 'unstated' and your\n"
        "    words are kept in a comment; write the word the text bears out, and say in\n"
        "    'status_reading' why if the text does not state it\n"
        "plugin check: ok\n"))
    after = path.read_text(encoding="utf-8").splitlines()
    assert after[2:9] == [
        "[compact]",
        f"# {TO_CONFIRM}: its status 'under review' is not one of the words format 4 takes (adopted, draft, "
        "working-draft, unstated) and the upgrade cannot tell which it means, so it is set to 'unstated' and your "
        "words are kept in a comment; write the word the text bears out, and say in 'status_reading' why if the "
        "text does not state it.",
        'status = "unstated"',
        'id = "castle_point"',
        'name = "Castle Point Compact"',
        'area = "Castle Point"',
        '# status = "under review"']
    checked = cli("plugin", "check", str(path))
    assert (checked.code, checked.out) == (0, (
        f"castle_point: ok\nwarning: castle_point: 1 thing in {path} that an upgrade could not decide still wait "
        f"for you to confirm them (marked '{TO_CONFIRM}')\n"))


def test_plugin_check_refuses_a_status_off_the_list_in_a_format_4_file(cli, tmp_path, monkeypatch):
    monkeypatch.setenv(LOAD_PLUGINS_ENV, "")
    path = tmp_path / "compact.toml"
    for status, problem in (("under review", "unknown status 'under review' (known: adopted, draft, working-draft, "
                                             "unstated)"),
                            ("Adopted", "unknown status 'Adopted' (did you mean 'adopted'?) (known: adopted, draft, "
                                        "working-draft, unstated)")):
        path.write_text(_format_3_with_status(status).replace("format = 3", "format = 4"), encoding="utf-8")
        checked = cli("plugin", "check", str(path))
        assert (checked.code, checked.out) == (1, f"castle_point: 1 problem\n  - {path}:7: [compact]: {problem}\n")


def test_the_five_compacts_say_how_they_stand_in_the_listed_words():
    """The words each text uses of itself: Essex 'REVISED SPRING 2017', Havering 'Draft December
    2009' (for consultation), High Peak 'the first working draft', Southend 'Signing The Compact
    Agreement'; Southampton says nothing of it, and its 'adopted' says why it is a reading."""
    found = {}
    for plugin in FIVE:
        path = REPO_ROOT / f"plugins/{plugin}/src/compact_tui_{plugin}/compact.toml"
        compact = tomllib.loads(path.read_text(encoding="utf-8"))["compact"]
        found[plugin] = (compact["status"], bool(compact.get("status_reading")))
    assert found == {"essex": ("adopted", False), "havering": ("draft", False),
                     "high_peak": ("working-draft", False), "southampton": ("adopted", True),
                     "southend": ("adopted", False)}
