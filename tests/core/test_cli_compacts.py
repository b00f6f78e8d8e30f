"""``compacts``, ``show``, ``search`` and ``plugin check`` over the five installed plugins."""

from __future__ import annotations

import pytest

from .conftest import FIVE

#: Each compact's level up (the installed compact's id, its name, the area the link names: only the
#: links a source text states, Essex section 2), status and counts of principles and undertakings,
#: written out by hand (the plugin tests, tests/plugins/, count them against each source text).
EXPECTED = {
    "southend": (("essex", "Essex Compact", "Essex"), "adopted", 15, 35),
    "havering": ((None, "", None), "draft", 5, 33),
    "essex": ((None, "the National Compact", "England"), "adopted", 17, 32),
    "high_peak": ((None, "", None), "working-draft", 9, 43),
    "southampton": ((None, "", None), "adopted", 0, 51),
}


def test_compacts_json_lists_the_five_with_identity_and_counts(cli):
    result = cli("compacts", "--json")
    assert result.code == 0, result.err
    rows = {row["id"]: row for row in result.json()}
    assert set(FIVE) <= set(rows)
    for compact_id in FIVE:
        row = rows[compact_id]
        assert row["name"], row
        parent = (row["parent"], row["parent_name"], row["parent_area"])
        assert (parent, row["status"], row["principles"], row["undertakings"]) == EXPECTED[compact_id]
        assert row["available"] is True


def test_compacts_table_names_each_compact(cli):
    result = cli("compacts")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "ID             STATUS              PRIN UNDT RULES  NAME (ONE LEVEL UP)"
    # Southampton's "adopted" is our reading (its text does not say): marked as readings are elsewhere.
    assert "southampton    adopted (a reading)    0   51     2  Southampton Compact" in lines
    assert "high_peak      working-draft          9   43     1  High Peak Compact" in lines
    ids = [line.split()[0] for line in lines[1:]]
    assert sorted(ids) == sorted(FIVE)
    # The tree: Southend indented under Essex, which names a level up that is not installed.
    essex = next(line for line in lines if line.startswith("essex "))
    assert essex.endswith("Essex Compact (one level up: the National Compact, not installed)")
    assert lines[lines.index(essex) + 1].startswith("  southend ")


def test_show_clause_prints_the_three_months_clause(cli):
    result = cli("show", "southampton", "4.5")
    assert result.code == 0, result.err
    assert "4.5" in result.out
    assert "three months" in " ".join(result.out.split())


def test_show_clause_json(cli):
    result = cli("show", "southampton", "4.5", "--json")
    assert result.code == 0, result.err
    clause = result.json()
    assert {"compact", "ref", "kind", "party", "text"} <= set(clause)
    assert (clause["compact"], clause["ref"], clause["kind"]) == ("southampton", "4.5", "undertaking")
    assert clause["party"] == "statutory"
    assert "three months" in clause["text"]


def test_show_whole_compact_lists_its_sections(cli):
    result = cli("show", "southend")
    assert result.code == 0
    assert "6.3(c)" in result.out
    assert "Dispute procedure" in result.out


def test_show_whole_compact_json_has_sections_and_clauses(cli):
    data = cli("show", "high_peak", "--json").json()
    assert data["id"] == "high_peak" and data["parent"] is None and data["parent_area"] is None
    assert any(s["pending"] for s in data["sections"])
    assert sum(len(s["clauses"]) for s in data["sections"]) == data["clauses"]


def test_search_mediation_finds_southend_and_essex(cli):
    result = cli("search", "mediation", "--json")
    assert result.code == 0, result.err
    hits = result.json()
    assert {"southend", "essex"} <= {h["compact"] for h in hits}
    for hit in hits:
        assert {"compact", "ref", "text"} <= set(hit)


def test_search_within_one_compact(cli):
    hits = cli("search", "mediation", "--compact", "essex", "--json").json()
    assert hits and {h["compact"] for h in hits} == {"essex"}


def test_plugin_check_passes_on_all_five(cli):
    result = cli("plugin", "check")
    assert result.code == 0, result.out
    for compact_id in FIVE:
        assert f"{compact_id}: ok" in result.out


@pytest.mark.parametrize("compact_id", FIVE)
def test_plugin_check_one_by_id(cli, compact_id):
    result = cli("plugin", "check", compact_id)
    assert (result.code, result.out.strip()) == (0, f"{compact_id}: ok")


@pytest.mark.parametrize("args", [
    ("show", "nowhere"),
    ("show", "nowhere", "4.5"),
    ("search", "mediation", "--compact", "nowhere"),
])
def test_unknown_compact_is_one_sentence_and_exit_1(cli, args):
    result = cli(*args)
    assert result.code == 1
    assert result.out == ""
    message = result.err.strip()
    assert message.startswith("compact-tui: no compact 'nowhere' is installed")
    assert message.count("\n") == 0 and message.endswith(".")
    assert "southampton" in message  # it says which are installed


def test_unknown_ref_is_one_sentence_and_exit_1(cli):
    result = cli("show", "southampton", "99.9")
    assert result.code == 1
    message = result.err.strip()
    assert "no clause '99.9'" in message
    assert message.count("\n") == 0 and message.endswith(".")
    assert "Traceback" not in result.err


def test_plugin_check_unknown_target_is_exit_1(cli):
    result = cli("plugin", "check", "nowhere")
    assert result.code == 1
    assert "no compact or plugin 'nowhere'" in result.err


def test_a_local_hierarchy_links_a_compact_its_text_leaves_alone(cli, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[hierarchy]\nhigh_peak = "Derbyshire"\n', encoding="utf-8")
    monkeypatch.setenv("COMPACT_TUI_CONFIG", str(config))
    row = next(r for r in cli("compacts", "--json").json() if r["id"] == "high_peak")
    assert (row["parent"], row["parent_name"], row["parent_area"], row["parent_link"]) == (
        None, "the compact for Derbyshire", "Derbyshire", "local setting")
    assert cli("show", "high_peak").out.splitlines()[1] == (
        "One level up: the compact for Derbyshire, not installed. (your local setting, [hierarchy] in config.toml)")


def test_a_hierarchy_that_is_not_a_table_of_areas_is_one_sentence(cli, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text("[hierarchy]\nhigh_peak = 3\n", encoding="utf-8")
    monkeypatch.setenv("COMPACT_TUI_CONFIG", str(config))
    result = cli("compacts")
    assert result.code == 1
    assert result.err == (f"compact-tui: in {config}, [hierarchy] must map compact ids to the area one level "
                          'up, e.g. high_peak = "Derbyshire".\n')


@pytest.mark.parametrize(("reading", "expected"), [
    ("", "testshire      draft                  1    1     1  Testshire Compact"),
    ("Its text calls itself a draft on the cover only.",
     "testshire      draft (a reading)      1    1     1  Testshire Compact"),
])
def test_the_status_is_marked_a_reading_where_the_compact_file_says_so_and_only_there(
        cli, fresh_pm, tmp_path, monkeypatch, reading, expected):
    """The marker reads the file's own status_reading, not a list of compacts kept in the code."""
    from compact_tui.cli import compacts_cmd
    from compact_tui.content.plugins import load_registry

    from .test_contract import TESTSHIRE_TOML, toml_plugin

    path = tmp_path / "compact.toml"
    line = f"status_reading = {reading!r}\n" if reading else ""
    path.write_text(TESTSHIRE_TOML.replace('status = "draft"\n', f'status = "draft"\n{line}'), encoding="utf-8")
    fresh_pm.register(toml_plugin(path), name="testshire-plugin")
    registry = load_registry(fresh_pm, [])
    assert registry.get("testshire").info.status_reading == reading
    monkeypatch.setattr(compacts_cmd, "registry_or_fail", lambda: registry)
    result = cli("compacts")
    assert (result.code, result.out.splitlines()) == (0, [
        "ID             STATUS              PRIN UNDT RULES  NAME (ONE LEVEL UP)", expected])
