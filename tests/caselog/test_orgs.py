"""Organisations, what they signed, and whichever compact applies (most local first)."""

from __future__ import annotations

import json

import pytest

from compact_tui.caselog import orgs
from compact_tui.cli import main
from compact_tui.errors import UserError

from .caselog_helpers import d, new


def test_which_walks_up_from_a_locality_and_says_when_the_level_up_is_not_installed(store, registry):
    levels = orgs.which(store, registry, "Southend-on-Sea")
    assert [(lv.compact, lv.name, lv.installed) for lv in levels] == [
        ("southend", "A Compact for Southend-on-Sea", True), ("essex", "Essex Compact", True),
        ("", "the National Compact", False)]
    # Southend's own text never names Essex: the link is read from the Essex Compact's 2.p5
    assert levels[1].why == ("one level up, by our reading of a source text ('compact-tui show southend' says "
                             "which): use it where the compact below does not cover the matter")
    assert levels[2].why == ("one level up, as a source text states: use it where the compact below does "
                             "not cover the matter")


def test_which_goes_no_higher_than_a_text_states(store, registry):
    levels = orgs.which(store, registry, "High Peak")
    assert [(lv.compact, lv.installed) for lv in levels] == [("high_peak", True)]


def test_which_follows_a_local_setting_where_the_text_names_no_level_up(store, registry):
    from compact_tui.record import replace

    levels = orgs.which(store, replace(registry, local_parents={"high_peak": "Derbyshire"}), "High Peak")
    assert [(lv.compact, lv.name, lv.installed) for lv in levels] == [
        ("high_peak", "High Peak Compact", True), ("", "the compact for Derbyshire", False)]
    assert levels[1].why.startswith("one level up, by your local setting ([hierarchy] in config.toml)")


def test_which_starts_from_the_most_local_compact_an_organisation_signed(store, registry):
    orgs.add_org(store, "Southend Association of Voluntary Services", "vcs")
    orgs.sign(store, registry, "Southend Association of Voluntary Services", "essex", d("2025-01-01"))
    orgs.sign(store, registry, "Southend Association of Voluntary Services", "southend", d("2025-02-01"))
    levels = orgs.which(store, registry, "southend association of voluntary services")
    assert [lv.compact for lv in levels] == ["southend", "essex", ""]
    assert "signed it on 2025-02-01" in levels[0].why


def test_logging_with_an_org_and_no_compact_uses_the_one_it_signed(log, store, registry):
    orgs.add_org(store, "Havering CVS", "vcs")
    orgs.sign(store, registry, "Havering CVS", "havering", d("2026-01-01"))
    case = log.log(new("note", None, "a word", orgs=["Havering CVS"]))
    assert case["compact"] == "havering"
    with pytest.raises(UserError, match="say which compact"):
        log.log(new("note", None, "a word", orgs=["Unknown Group"]))


def test_a_signatory_case_records_the_signature(log, store):
    orgs.add_org(store, "Essex CVS", "vcs")
    log.log(new("signatory", "essex", "Essex CVS signs", on="2026-04-01", orgs=["Essex CVS"]))
    assert orgs.get_org(store, "Essex CVS")["signed"] == [{"compact": "essex", "signed_on": "2026-04-01"}]


def test_orgs_refuse_wrong_input(store, registry):
    orgs.add_org(store, "Age UK", "vcs")
    with pytest.raises(UserError, match="side 'charity' is not known"):
        orgs.add_org(store, "Other", "charity")
    with pytest.raises(UserError):
        orgs.add_org(store, "age uk", "vcs")  # names are unique, whatever the case
    with pytest.raises(UserError, match="no compact 'nowhere'"):
        orgs.sign(store, registry, "Age UK", "nowhere", d("2026-01-01"))
    with pytest.raises(UserError, match="no organisation called"):
        orgs.sign(store, registry, "Nobody", "essex", d("2026-01-01"))
    assert [o["name"] for o in orgs.list_orgs(store)] == ["Age UK"]


def test_cli_orgs_and_which(db_path, capsys):
    db = ["--db", str(db_path)]
    assert main([*db, "orgs", "add", "Glossop Volunteers", "--side", "vcs", "--json"]) == 0
    assert main([*db, "orgs", "sign", "Glossop Volunteers", "high_peak", "--on", "2026-03-01"]) == 0
    capsys.readouterr()
    assert main([*db, "orgs", "--json"]) == 0
    [org] = json.loads(capsys.readouterr().out)
    assert org["name"] == "Glossop Volunteers" and org["signed"] == [{"compact": "high_peak", "signed_on": "2026-03-01"}]
    assert main([*db, "which", "Glossop Volunteers"]) == 0
    assert capsys.readouterr().out == "High Peak Compact: Glossop Volunteers signed it on 2026-03-01\n"
    assert main([*db, "which", "Southend"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "    the National Compact (not installed here): one level up, as a source text states: "
        "use it where the compact below does not cover the matter")
    assert main([*db, "which", "Atlantis"]) == 1
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_org_names_are_every_name_a_to_z_whatever_the_case(store):
    assert orgs.org_names(store) == []
    for name in ("havering CVS", "Age UK Essex", "Basildon Council"):
        orgs.add_org(store, name, "vcs")
    assert orgs.org_names(store) == ["Age UK Essex", "Basildon Council", "havering CVS"]


def test_signing_a_compact_that_is_not_installed_is_refused(store, registry):
    orgs.add_org(store, "Derbyshire CVS", "vcs")
    with pytest.raises(UserError, match="no compact 'derbyshire' is installed"):
        orgs.sign(store, registry, "Derbyshire CVS", "derbyshire", d("2025-01-01"))
    assert orgs.get_org(store, "Derbyshire CVS")["signed"] == []
