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

#: Records what content_cache rebuilds from JSON (the Registry, then each compact by id) and
#: whether the plugins were asked, then runs the check.
WATCHED = """
import json, sys
from compact_tui.content import content_cache, plugins
from compact_tui.content.installed import installed_registry
from compact_tui.content.model import Compact

rebuilt, asked = [], []
real_json, real_load = content_cache.from_json, plugins.load_registry

def from_json(kind, value):
    made = real_json(kind, value)
    rebuilt.append(made.info.id if kind is Compact else kind.__name__)
    return made

def load_registry(*args, **kwargs):
    asked.append(len(rebuilt))
    return real_load(*args, **kwargs)

content_cache.from_json, plugins.load_registry = from_json, load_registry
"""


def run(env: dict[str, str], check: str) -> dict:
    done = run_subprocess([sys.executable, "-c", WATCHED + textwrap.dedent(check)], **env)
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
