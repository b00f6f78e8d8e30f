"""A command's registry from a trusted snapshot rebuilds each compact only when it is asked for
(``content_cache.SnapshotCompacts``): ``log --compact essex`` rebuilds Essex and no other, and
every other use sees every compact as the plugins give them. A compact whose JSON no longer
fits (the file edited behind its stamp) is never used: the plugins are asked, as they are when
the whole snapshot is refused.

Each check runs in a fresh interpreter, as a command does: a snapshot is trusted only where
the plugins' own imports could be watched, which a test session that imported them already
cannot do."""

from __future__ import annotations

import json
import os
import sys
import textwrap

import pytest

from compact_tui.content import content_cache

from .conftest import FIVE, run_subprocess

#: Records what content_cache rebuilds from JSON (the Registry, each compact by id, a compact's
#: info alone as "info ID") and whether the plugins were asked, then runs the check.
WATCHED = """
import json, sys
from compact_tui.content import content_cache, plugins
from compact_tui.content.installed import installed_registry
from compact_tui.content.model import Compact, CompactInfo

rebuilt, asked = [], []
real_json, real_load = content_cache.from_json, plugins.load_registry

def from_json(kind, value):
    made = real_json(kind, value)
    rebuilt.append(made.info.id if kind is Compact else f"info {made.id}" if kind is CompactInfo else kind.__name__)
    return made

def compacts_rebuilt():
    return [r for r in rebuilt if r != "Registry" and not r.startswith("info ")]

def load_registry(*args, **kwargs):
    asked.append(len(rebuilt))
    return real_load(*args, **kwargs)

content_cache.from_json, plugins.load_registry = from_json, load_registry
"""


def run(env: dict[str, str], check: str, helpers: str = "") -> dict:
    done = run_subprocess([sys.executable, "-c", WATCHED + helpers + textwrap.dedent(check)], **env)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def env(tmp_path):
    """A cache of this test's own (a test makes its snapshot itself, with :func:`snapshot_made`:
    pytest's own variable names the phase it runs in, and a change of environment is a change
    the snapshot's stamp sees)."""
    return {"COMPACT_TUI_CACHE": str(tmp_path / "cache")}


def snapshot_made(env: dict[str, str]) -> None:
    assert run(env, "installed_registry(); print(json.dumps(asked))") == [0]  # asked, the snapshot made


def test_one_compact_asked_for_is_the_one_rebuilt(env):
    snapshot_made(env)
    assert run(env, """
        registry = installed_registry()
        name = registry.require("Essex").info.name
        same = registry.get("essex") is registry.get("essex")
        ids, size, has = sorted(registry.compacts), len(registry.compacts), "southampton" in registry.compacts
        print(json.dumps([name, same, ids, size, has, rebuilt, asked]))
    """) == ["Essex Compact", True, sorted(FIVE), 5, True, ["Registry", "essex"], []]


def test_every_compact_is_the_plugins_own_in_their_order(env):
    snapshot_made(env)
    assert run(env, """
        lazy = installed_registry()
        fresh = real_load()
        print(json.dumps([list(lazy.compacts) == list(fresh.compacts), dict(lazy.compacts) == dict(fresh.compacts),
                          [c.id for c in lazy] == [c.id for c in fresh], lazy.national() == fresh.national(),
                          lazy.chain("high_peak") == fresh.chain("high_peak"), asked]))
    """) == [True, True, True, True, True, []]


def test_no_such_compact(env):
    snapshot_made(env)
    assert run(env, """
        registry = installed_registry()
        try:
            registry.compacts["nowhere"]
        except KeyError:
            print(json.dumps([registry.get("nowhere"), "KeyError", rebuilt]))
    """) == [None, "KeyError", ["Registry"]]


def test_a_compact_edited_behind_the_stamp_is_asked_of_the_plugins(env):
    snapshot_made(env)
    snapshot = os.path.join(env["COMPACT_TUI_CACHE"], content_cache.SNAPSHOT)
    with open(snapshot, encoding="utf-8") as handle:
        data = json.load(handle)
    rules = data["registry"]["compacts"]["southampton"]["rules"]
    next(r for r in rules if r.get("period"))["period"] = ["3m"]  # the shape of a period no longer
    with open(snapshot, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    assert run(env, """
        registry = installed_registry()
        essex = registry.get("essex")
        before = list(asked)
        southampton = registry.get("southampton")
        fresh = real_load()
        print(json.dumps([before, asked, southampton == fresh.get("southampton"), essex == fresh.get("essex"),
                          registry.get("high_peak") == fresh.get("high_peak"), len(asked)]))
    """) == [[], [2], True, True, True, 1]  # asked once, when southampton's JSON did not fit
    assert run(env, "print(json.dumps([installed_registry().get('southampton').id, asked]))") == [
        "southampton", []]  # the snapshot made again from the plugins' answers, and trusted


# -- the hierarchy, from each compact's info alone ------------------------------------------------

#: Every hierarchy question asked of a registry, as JSON: each compact's chain (ids and names),
#: the compact one level up, the compact covering each area and locality installed (and two no
#: compact covers), the national compact, and `which` for each of those places, each level's
#: name, whether it is installed and the sentence saying why it applies.
HIERARCHY = """
from compact_tui.caselog.orgs import which

def answers(registry):
    places = sorted({n for c in registry.compacts for n in (registry.info(c).area, *registry.info(c).localities)})
    places += ["England", "Derby", "  essex "]
    out = {"chain": {c: [(cid, level.id if level else None, name) for cid, level, name in registry.chain(c)]
                     for c in [*registry.compacts, "nowhere"]},
           "levels": {c: registry.levels(c) for c in [*registry.compacts, "nowhere"]},
           "above": {c: [getattr(registry.above(registry.compacts[c])[0], "id", None), registry.above(registry.compacts[c])[1]]
                     for c in registry.compacts},
           "covering": {p: getattr(registry.covering(p), "id", None) for p in places},
           "covering_id": {p: registry.covering_id(p) for p in places},
           "covering, not itself": {c: registry.covering_id(registry.info(c).area, exclude=c) for c in registry.compacts},
           "national": getattr(registry.national(), "id", None),
           "which": {p: [list(vars(level).values()) for level in which(None, registry, p)] for p in places}}
    return out
"""


def test_the_hierarchy_from_the_snapshot_is_the_plugins_own_and_rebuilds_no_compact(env):
    """Each compact's chain, the compact one level up, which compact covers each place and
    `which` for each: the same from the snapshot (each compact's info alone) as from the plugins;
    `levels`, `covering_id` and `which` rebuild no compact, and `chain` only those on it."""
    snapshot_made(env)
    assert run(env, helpers=HIERARCHY, check="""
        lazy = installed_registry()
        lazy_levels = [lazy.levels(c) for c in lazy.compacts]
        which(None, lazy, "Southend-on-Sea"), which(None, lazy, "Derby"), lazy.covering_id("England")
        before_chain = compacts_rebuilt()
        lazy.chain("southend")
        after_chain = compacts_rebuilt()
        fresh = real_load()
        print(json.dumps([answers(lazy) == answers(fresh), lazy_levels, before_chain, after_chain, asked]))
    """) == [True, [[["southend", True, "A Compact for Southend-on-Sea"], ["essex", True, "Essex Compact"],
                     ["", False, "the National Compact"]],
                    [["havering", True, "Compact for Havering"]],
                    [["essex", True, "Essex Compact"], ["", False, "the National Compact"]],
                    [["high_peak", True, "High Peak Compact"]],
                    [["southampton", True, "Southampton Compact"]]],
             [], ["southend", "essex"], []]


def test_a_local_setting_one_level_up_is_the_same_from_the_snapshot(env):
    """``[hierarchy]`` in the officer's config (a compact under another its text does not name):
    the chains and `which`'s sentences are the plugins' own."""
    snapshot_made(env)
    assert run(env, helpers=HIERARCHY, check="""
        lazy = installed_registry()
        lazy.local_parents = {"havering": "Essex", "high_peak": "Derbyshire"}
        said, rebuilt_for_it = which(None, lazy, "Havering"), compacts_rebuilt()
        fresh = real_load()
        fresh.local_parents = lazy.local_parents
        print(json.dumps([answers(lazy) == answers(fresh), lazy.levels("havering"), said[1].why, rebuilt_for_it]))
    """) == [True, [["havering", True, "Compact for Havering"], ["essex", True, "Essex Compact"],
                    ["", False, "the National Compact"]],
             "one level up, by your local setting ([hierarchy] in config.toml): use it where the compact below "
             "does not cover the matter", []]


def test_a_compact_info_edited_behind_the_stamp_is_asked_of_the_plugins(env):
    """An info that no longer fits is never used, as a whole compact that no longer fits is not:
    the plugins are asked when it is first needed, and their answers used from then on."""
    snapshot_made(env)
    snapshot = os.path.join(env["COMPACT_TUI_CACHE"], content_cache.SNAPSHOT)
    with open(snapshot, encoding="utf-8") as handle:
        data = json.load(handle)
    data["registry"]["compacts"]["essex"]["info"]["localities"] = "Essex"  # a list no longer
    with open(snapshot, "w", encoding="utf-8") as handle:
        json.dump(data, handle)
    assert run(env, helpers=HIERARCHY, check="""
        lazy = installed_registry()
        southend = lazy.levels("southend")
        fresh = real_load()
        print(json.dumps([southend == fresh.levels("southend"), asked, answers(lazy) == answers(fresh)]))
    """) == [True, [3], True]  # asked once: after the Registry, Southend's info and Havering's, at Essex's


@pytest.fixture
def caselog_env(tmp_path, env):
    """``env`` with a case log, config and folders of this test's own, and an organisation that
    has signed Southend's compact and Essex's (the one above it)."""
    env = {**env, "COMPACT_TUI_DB": str(tmp_path / "cases.db"), "COMPACT_TUI_CONFIG": str(tmp_path / "config.toml"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_STATE_HOME": str(tmp_path / "state")}
    for args in (["orgs", "add", "Leigh Trust", "--side", "vcs", "--locality", "Leigh-on-Sea"],
                 ["orgs", "sign", "Leigh Trust", "essex"], ["orgs", "sign", "Leigh Trust", "southend"],
                 ["orgs", "add", "Harlow Trust", "--side", "vcs"], ["orgs", "sign", "Harlow Trust", "essex"]):
        done = run_subprocess([CLI, *args], **env)
        assert done.returncode == 0, done.stderr
    return env


CLI = os.path.join(os.path.dirname(sys.executable), "compact-tui")


@pytest.mark.parametrize("org, compact", [("Leigh Trust", "southend"), ("Harlow Trust", "essex")])
def test_log_with_org_rebuilds_only_the_compact_the_organisation_signed(caselog_env, org, compact):
    """The real ``log --org``, from the snapshot: the compact found is the most local the
    organisation signed, as with the plugins asked, and it is the only compact rebuilt."""
    snapshot_made(caselog_env)
    argv = ["log", "funding-change", "--org", org, "--title", "Grant ends", "--notified", "2026-12-01",
            "--effective", "2027-01-12", "--json"]
    done = run(caselog_env, f"""
        import contextlib, io
        from compact_tui.cli import main
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = main({argv!r})
        print(json.dumps([code, json.loads(out.getvalue())["compact"], compacts_rebuilt(), asked]))
    """)
    assert done == [0, compact, [compact], []]
    asked_now = run_subprocess([CLI, *argv], **{**caselog_env, "COMPACT_TUI_CACHE": "off"})
    assert asked_now.returncode == 0, asked_now.stderr
    assert json.loads(asked_now.stdout)["compact"] == compact


def test_which_says_the_same_from_the_snapshot_as_with_the_plugins_asked(caselog_env):
    """The real ``which``, fresh processes, for an organisation, each compact's places, a place
    none covers: word for word the same from the snapshot as with no snapshot at all."""
    snapshot_made(caselog_env)
    targets = ["Leigh Trust", "Harlow Trust", "Southend-on-Sea", "Essex", "Havering", "High Peak", "Southampton",
               "Derby"]
    for target in targets:
        lazy = run_subprocess([CLI, "which", target], **caselog_env)
        asked_now = run_subprocess([CLI, "which", target], **{**caselog_env, "COMPACT_TUI_CACHE": "off"})
        assert (lazy.returncode, lazy.stdout, lazy.stderr) == (asked_now.returncode, asked_now.stdout,
                                                               asked_now.stderr), target
    signed_on = next(s["signed_on"] for o in json.loads(run_subprocess([CLI, "orgs", "--json"], **caselog_env).stdout)
                     for s in o["signed"] if o["name"] == "Leigh Trust" and s["compact"] == "southend")
    assert run_subprocess([CLI, "which", "Leigh Trust"], **caselog_env).stdout == (
        f"A Compact for Southend-on-Sea: Leigh Trust signed it on {signed_on}\n"
        "  Essex Compact: one level up, by our reading of a source text ('compact-tui show southend' says which): "
        "use it where the compact below does not cover the matter\n"
        "    the National Compact (not installed here): one level up, as a source text states: use it where the "
        "compact below does not cover the matter\n")
