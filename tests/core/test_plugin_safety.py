"""A careless or hostile plugin, really installed with pip beside the five: whatever it does, the
five are still listed and usable, the culprit is named, and nothing is written under a compact
that cannot be used.

One package, ``compact-tui-rogue`` (entry point ``rogue``), is built in a temporary folder and
installed once; ``ROGUE_MODE`` chooses its misbehaviour, read when its module is imported, so
each command runs in a fresh process. The last test uninstalls it between two starts of the app.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import textwrap

import pytest

from compact_tui.content import content_cache

from .conftest import FIVE, VENV_BIN, one_clause_toml, plugin_pyproject, run_subprocess
from .test_scaffold import install_args, pip

pytestmark = pytest.mark.installs

ROGUE_INIT = '''
"""A plugin that misbehaves as ROGUE_MODE says (read once, at import)."""
import os
import signal
import time
from importlib.resources import files

from compact_tui.content.hookspecs import hookimpl
from compact_tui.content.model import CompactInfo

MODE = os.environ.get("ROGUE_MODE", "ok")

if MODE == "import":
    import compact_tui_no_such_module  # noqa: F401


class RogueError(BaseException):
    """Not an Exception: what a careless plugin might raise."""


@hookimpl
def compact_tui_register_compacts(register):
    if MODE == "national":
        register(content=files(__name__) / "national.toml")
        return
    if MODE == "toml":
        register(files(__name__) / "broken.toml")
        return
    if MODE == "essex":
        register(CompactInfo(id="essex", name="Not the Essex Compact", area="Essex", status="adopted"))
    register(content=files(__name__) / "compact.toml")
    if MODE == "register":
        raise RuntimeError("rogue register")


if MODE in ("wrapnone", "wrap42"):
    @hookimpl(wrapper=True)
    def compact_tui_undertakings(compact):
        answers = yield
        if MODE == "wrap42":
            return 42
        answers.append([])  # and forgets to return them

if MODE == "wrapper":
    @hookimpl(wrapper=True)
    def compact_tui_sections(compact):
        sections = yield
        return sections
else:
    @hookimpl
    def compact_tui_sections(compact):
        if MODE == "raise":
            raise RuntimeError("rogue sections")
        if MODE == "string":
            return "1. Principles"
        if MODE == "exit3":
            raise SystemExit(3)
        if MODE == "interrupt":
            raise KeyboardInterrupt
        if MODE == "base":
            raise RogueError("not an Exception")
        if MODE == "sigint":  # the officer presses Ctrl-C while this plugin is asked
            os.kill(os.getpid(), signal.SIGINT)
            time.sleep(5)
        return None

if MODE == "misspelt":
    @hookimpl
    def compact_tui_undertaking(compact):
        return []


@hookimpl
def compact_tui_notice_rules(compact):
    return [42] if MODE == "rules42" else None


@hookimpl
def compact_tui_dispute_procedure(compact):
    return "talk it over" if MODE == "procstring" else None
'''

ROGUE_TOML = one_clause_toml("rogueshire", "Rogueshire", "Work together.") + '''
[procedure]
pending = true
note = "Not yet written."
reading = "Not yet copied from the text, so treated as pending."
'''

NATIONAL_TOML = '''
[compact]
id = "national"
name = "The Compact"
area = "England"
status = "adopted"

[[sections]]
ref = "1"
title = "Shared principles"
pending = true
note = "Not copied here."

[procedure]
pending = true
note = "Not copied here."
reading = "Not copied from the text, so treated as pending."
'''

BROKEN_TOML = '''
[compact]
id = "rogueshire"
name = "Rogueshire Compact"
area = "Rogueshire
'''

PYPROJECT = plugin_pyproject("rogue")

_installed: list[bool] = [False]


@pytest.fixture(scope="module")
def rogue_source(tmp_path_factory):
    root = tmp_path_factory.mktemp("rogue")
    package = root / "src" / "compact_tui_rogue"
    package.mkdir(parents=True)
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (package / "__init__.py").write_text(textwrap.dedent(ROGUE_INIT), encoding="utf-8")
    (package / "compact.toml").write_text(ROGUE_TOML, encoding="utf-8")
    (package / "national.toml").write_text(NATIONAL_TOML, encoding="utf-8")
    (package / "broken.toml").write_text(BROKEN_TOML, encoding="utf-8")
    yield root
    if _installed[0]:
        pip("uninstall", "-y", "compact-tui-rogue")
        _installed[0] = False


@pytest.fixture
def rogue(rogue_source):
    """compact-tui-rogue, really installed (not editable: the app's process can import it)."""
    if not _installed[0]:
        done = pip("install", *install_args(), str(rogue_source))
        assert done.returncode == 0, done.stderr
        _installed[0] = True
        importlib.invalidate_caches()
    return rogue_source


def cli(mode: str, db, *args: str, config=None) -> subprocess.CompletedProcess:
    env = {"ROGUE_MODE": mode, "COMPACT_TUI_DB": str(db)}
    if config is not None:
        env["COMPACT_TUI_CONFIG"] = str(config)
    return run_subprocess([str(VENV_BIN / "compact-tui"), *args], **env)


#: What a plugin does wrong in its hooks -> the one problem charged to it (its compact is unavailable).
FAILURES = {
    "raise": "plugin 'rogue': compact_tui_sections failed: RuntimeError: rogue sections",
    "string": "plugin 'rogue': compact_tui_sections returned '1. Principles', not a list of Section",
    "rules42": "plugin 'rogue': compact_tui_notice_rules returned [42]: item #1 is 42, not a NoticeRule",
    "exit3": "plugin 'rogue': compact_tui_sections failed: SystemExit: 3",
    "interrupt": "plugin 'rogue': compact_tui_sections failed: KeyboardInterrupt",
    "base": "plugin 'rogue': compact_tui_sections failed: RogueError: not an Exception",
    "wrapnone": "plugin 'rogue': compact_tui_undertakings returned None, not the list of answers (a wrapper=True "
                "implementation must return what its yield gave it)",
    "wrap42": "plugin 'rogue': compact_tui_undertakings returned 42, not the list of answers (a wrapper=True "
              "implementation must return what its yield gave it)",
    "procstring": "plugin 'rogue': compact_tui_dispute_procedure returned 'talk it over', "
                  "not a DisputeProcedure or None",
}


@pytest.mark.parametrize("mode", list(FAILURES))
def test_a_misbehaving_plugin_is_named_its_compact_unavailable_and_the_five_work(rogue, tmp_path, mode):
    db = tmp_path / "cases.db"
    listed = cli(mode, db, "compacts", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert {cid for cid, row in rows.items() if row["available"]} == set(FIVE)
    assert rows["rogueshire"]["problems"] == [FAILURES[mode]]
    assert rows["rogueshire"]["plugin"] == "rogue"
    warning = f"plugin 'rogue' (compact 'rogueshire'): cannot be used: 1 problem ({FAILURES[mode]})"
    assert rows["rogueshire"]["reason"] == warning
    assert listed.stderr == f"compact-tui: warning: {warning}\n"

    refused = cli(mode, db, "log", "note", "--compact", "rogueshire", "--title", "Met the forum")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1] == (
        f"compact-tui: Rogueshire Compact ('rogueshire') is installed but cannot be used: it has 1 problem "
        f"({FAILURES[mode]}); see 'compact-tui plugin check rogueshire'.")

    logged = cli(mode, db, "log", "note", "--compact", "southend", "--title", "Met the forum", "--json")
    assert logged.returncode == 0, logged.stderr
    cases = cli(mode, db, "cases", "--json")
    assert [(c["compact"], c["title"]) for c in json.loads(cases.stdout)] == [("southend", "Met the forum")]


def rogue_folder() -> str:
    from importlib.util import find_spec

    importlib.invalidate_caches()
    return find_spec("compact_tui_rogue").submodule_search_locations[0]


def plugin_failures() -> dict[str, tuple[list[str], str]]:
    """A plugin that fails before its compacts can be asked about -> the compacts listed as
    unavailable (those it registered, else those whose files lie in its package) and why."""
    return {
        "import": (["rogueshire", "national"],
                   "could not be loaded: ModuleNotFoundError: No module named 'compact_tui_no_such_module'"),
        "register": (["rogueshire"], "failed to register its compacts: RuntimeError: rogue register"),
        "toml": (["rogueshire"], f"registered a content file that cannot be read: {rogue_folder()}/broken.toml:5: "
                                 "not valid TOML: Illegal character '\\n' (at line 5, column 19)"),
        "misspelt": (["rogueshire"], "has a hook implementation compact-tui does not know, 'compact_tui_undertaking' "
                                     "(did you mean 'compact_tui_undertakings'?), so its compacts are not used"),
    }


@pytest.mark.parametrize("mode", ["import", "register", "toml", "misspelt"])
def test_a_plugin_that_fails_before_its_compacts_are_asked_about_still_lists_them_with_why(rogue, tmp_path, mode):
    """Listed, never vanished: in compacts (text and --json), plugin check, which and log."""
    db = tmp_path / "cases.db"
    ids, reason = plugin_failures()[mode]
    listed = cli(mode, db, "compacts", "--json")
    assert listed.returncode == 0, listed.stderr
    rows = json.loads(listed.stdout)
    assert {r["id"] for r in rows if r["available"]} == set(FIVE)
    unavailable = [r for r in rows if not r["available"]]
    assert [(r["id"], r["plugin"], r["reason"]) for r in unavailable] == [
        (cid, "rogue", f"plugin 'rogue' (compact '{cid}'): {reason}") for cid in ids]
    assert listed.stderr == "".join(f"compact-tui: warning: plugin 'rogue' (compact '{cid}'): {reason}\n"
                                    for cid in ids)

    text = cli(mode, db, "compacts")
    assert text.stdout.splitlines()[6] == "rogueshire     UNAVAILABLE            -    -     -  Rogueshire Compact"

    checked = cli(mode, db, "plugin", "check", "rogueshire")
    problem = reason.removeprefix("registered a content file that cannot be read: ") if mode == "toml" \
        else f"plugin 'rogue' (compact 'rogueshire'): {reason}"  # a file's problem says where it is
    assert (checked.returncode, checked.stdout) == (1, f"rogueshire: 1 problem\n  - {problem}\n")

    refused = cli(mode, db, "log", "note", "--compact", "rogueshire", "--title", "Met the forum")
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1] == (
        f"compact-tui: Rogueshire Compact ('rogueshire') is installed but cannot be used: plugin 'rogue' {reason}; "
        "see 'compact-tui plugin check rogueshire'.")

    which = cli(mode, db, "which", "Rogueshire")
    assert (which.returncode, which.stdout) == (0, (
        f"Rogueshire Compact (installed, cannot be used): it covers Rogueshire, but it cannot be used: "
        f"plugin 'rogue' {reason}\n"))

    logged = cli(mode, db, "log", "note", "--compact", "essex", "--title", "Met the forum", "--json")
    assert logged.returncode == 0, logged.stderr
    assert [c["compact"] for c in json.loads(cli(mode, db, "cases", "--json").stdout)] == ["essex"]


def test_a_keyboard_interrupt_the_plugin_raises_is_its_own_but_the_officers_ctrl_c_stops_the_command(
        rogue, tmp_path):
    """Told apart by whether a SIGINT came (plugin_safety.Interrupts): raised by the plugin, its
    compact is unavailable and the command goes on; Ctrl-C pressed while the plugin runs stops it."""
    db = tmp_path / "cases.db"
    raised = cli("interrupt", db, "compacts", "--json")
    assert raised.returncode == 0
    assert {r["id"] for r in json.loads(raised.stdout) if r["available"]} == set(FIVE)
    pressed = cli("sigint", db, "compacts", "--json")
    assert (pressed.returncode, pressed.stdout) == (130, "")


def test_a_plugin_claiming_essex_is_refused_listed_and_the_real_essex_stays(rogue, tmp_path):
    listed = cli("essex", tmp_path / "cases.db", "compacts", "--json")
    assert listed.returncode == 0
    rows = json.loads(listed.stdout)
    [essex] = [row for row in rows if row["id"] == "essex" and row["available"]]
    assert (essex["name"], essex["plugin"]) == ("Essex Compact", "essex")
    assert [row for row in rows if row["id"] == "rogueshire"][0]["available"] is True  # its own compact is fine
    reason = ("plugin 'rogue': claims compact id 'essex', which plugin 'essex' (package compact-tui-essex) "
              "registered; refused (this plugin is plugin 'rogue' (package compact-tui-rogue))")
    assert [(r["id"], r["name"], r["plugin"], r["reason"]) for r in rows if not r["available"]] == [
        ("essex", "Not the Essex Compact", "rogue", reason)]
    assert listed.stderr == f"compact-tui: warning: {reason}\n"
    logged = cli("essex", tmp_path / "cases.db", "log", "note", "--compact", "essex", "--title", "Met", "--json")
    assert logged.returncode == 0 and json.loads(logged.stdout)["compact"] == "essex"


def test_an_ordinary_wrapper_hookimpl_works_and_harms_nobody(rogue, tmp_path):
    listed = cli("wrapper", tmp_path / "cases.db", "compacts", "--json")
    assert listed.returncode == 0 and listed.stderr == ""
    rows = {row["id"]: row for row in json.loads(listed.stdout)}
    assert {cid for cid, row in rows.items() if row["available"]} == {*FIVE, "rogueshire"}


def test_a_national_compact_under_any_id_is_the_top_and_answers_which_for_anywhere(rogue, tmp_path):
    db = tmp_path / "cases.db"
    config = tmp_path / "config.toml"
    config.write_text('[hierarchy]\nhavering = "England"\nsouthampton = "England"\n', encoding="utf-8")
    rows = {r["id"]: r for r in json.loads(cli("national", db, "compacts", "--json", config=config).stdout)}
    assert {cid: rows[cid]["parent"] for cid in FIVE} == {
        "essex": "national", "southend": "essex", "havering": "national", "southampton": "national",
        "high_peak": None}
    assert (rows["essex"]["parent_link"], rows["havering"]["parent_link"]) == ("stated", "local setting")

    tree = cli("national", db, "compacts", config=config).stdout.splitlines()
    assert [line.split()[0] for line in tree[1:]] == ["high_peak", "national", "havering", "essex", "southend",
                                                      "southampton"]
    assert [len(line) - len(line.lstrip()) for line in tree[1:]] == [0, 0, 2, 2, 4, 2]

    which = cli("national", db, "which", "Leeds")
    assert (which.returncode, which.stdout) == (0, (
        "The Compact: no installed local compact names Leeds; The Compact covers all of England\n"))
    which = cli("national", db, "which", "Southend", config=config)
    assert which.stdout.splitlines() == [
        "A Compact for Southend-on-Sea: it covers Southend",
        "  Essex Compact: one level up, by our reading of a source text ('compact-tui show southend' says which): "
        "use it where the compact below does not "
        "cover the matter",
        "    The Compact: one level up, as a source text states: use it where the compact below does not "
        "cover the matter"]


def test_the_first_frame_and_the_case_log_agree_with_what_is_installed(rogue, tmp_path, monkeypatch):
    """Start the app with the plugin installed, uninstall it, start again: the second start's first
    frame (and its case log) has no trace of it, though the first start left a snapshot."""
    from textual.widgets import DataTable

    from compact_tui.caselog.case_log import NewCase
    from compact_tui.errors import UserError
    from compact_tui.tui.app import make_app

    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setenv("ROGUE_MODE", "ok")
    monkeypatch.delenv("COMPACT_TUI_LOAD_PLUGINS", raising=False)

    def start():
        """Start the app; what its first frame is drawn from, and the rows the compacts list shows."""
        app = make_app(db_path=tmp_path / "t.db", keymap={})
        seen = {"snapshot": app.registry_is_snapshot, "first": sorted(c.info.name for c in app.registry)}

        async def first_frame():
            async with app.run_test(size=(80, 24)):
                table = app.screen.query_one("#compacts", DataTable)
                seen["rows"] = sorted(str(table.get_row_at(i)[0]) for i in range(table.row_count))
        asyncio.run(first_frame())
        assert seen["first"] == seen["rows"]
        return app, seen

    app, seen = start()
    assert "Rogueshire Compact" in seen["rows"] and len(seen["rows"]) == 6
    assert app.caselog.log(NewCase(kind="note", compact="rogueshire", title="Met"))["compact"] == "rogueshire"

    removed = pip("uninstall", "-y", "compact-tui-rogue")
    assert removed.returncode == 0, removed.stderr
    _installed[0] = False

    app, seen = start()
    assert not seen["snapshot"]  # the snapshot named a plugin that is gone: not used
    assert "Rogueshire Compact" not in seen["first"] and len(seen["first"]) == 5
    with pytest.raises(UserError, match="no compact 'rogueshire' is installed"):
        app.caselog.log(NewCase(kind="note", compact="rogueshire", title="Met again"))
    assert [c["compact"] for c in app.caselog.list()] == ["rogueshire"]  # the old case stays readable

    app, seen = start()  # a third start draws from the second's snapshot: it agrees too
    assert seen["snapshot"] and len(seen["first"]) == 5 and "rogueshire" not in app.caselog.registry.compacts


#: mode -> what the app's compacts list says of Rogueshire (its last column), and the first line
#: of its summary pane under the list.
APP_MODES = {
    "import": ("plugin failed to load", "Rogueshire Compact cannot be used ('compact-tui plugin check rogueshire'):"),
    "register": ("plugin failed to register it",
                 "Rogueshire Compact cannot be used ('compact-tui plugin check rogueshire'):"),
    "toml": ("its file cannot be read", "Rogueshire Compact cannot be used ('compact-tui plugin check rogueshire'):"),
    "misspelt": ("a hook name is misspelt",
                 "Rogueshire Compact cannot be used ('compact-tui plugin check rogueshire'):"),
    "interrupt": ("1 problem", "Rogueshire Compact cannot be used: 1 problem ('compact-tui plugin check rogueshire')"),
    "wrapnone": ("1 problem", "Rogueshire Compact cannot be used: 1 problem ('compact-tui plugin check rogueshire')"),
    "base": ("1 problem", "Rogueshire Compact cannot be used: 1 problem ('compact-tui plugin check rogueshire')"),
}


@pytest.mark.parametrize("mode", list(APP_MODES))
def test_the_app_lists_a_broken_plugins_compact_says_why_and_the_others_open(rogue, tmp_path, monkeypatch, mode):
    import sys

    from textual.widgets import DataTable, Static

    from compact_tui.caselog.case_log import NewCase
    from compact_tui.tui.app import make_app
    from compact_tui.tui.screens.compacts import CompactScreen

    monkeypatch.setenv("ROGUE_MODE", mode)
    monkeypatch.setenv(content_cache.CACHE_ENV, "off")
    monkeypatch.delenv("COMPACT_TUI_LOAD_PLUGINS", raising=False)
    sys.modules.pop("compact_tui_rogue", None)  # read ROGUE_MODE again
    brief, head = APP_MODES[mode]
    why = (plugin_failures()[mode][1] if mode in ("import", "register", "toml", "misspelt")
           else FAILURES[mode])
    app = make_app(db_path=tmp_path / "t.db", keymap={})
    seen = {}

    async def journey():
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            table = app.screen.query_one("#compacts", DataTable)
            rows = [[c.plain for c in table.get_row_at(i)] for i in range(table.row_count)]
            seen["rows"] = rows
            at = next(i for i, row in enumerate(rows) if row[0] == "Rogueshire Compact")
            table.move_cursor(row=at)
            await pilot.pause()
            seen["summary"] = app.screen.query_one("#compact-summary", Static).render().plain
            await pilot.press("enter")
            await pilot.pause()
            seen["told"] = [n.message for n in app._notifications][-1]
            table.move_cursor(row=next(i for i, row in enumerate(rows) if row[0] == "Essex Compact"))
            await pilot.press("enter")
            await pilot.pause()
            seen["opened"] = isinstance(app.screen, CompactScreen) and app.screen.compact.id == "essex"

    asyncio.run(journey())
    assert ["Rogueshire Compact", "unavailable", "-", "-", "-", brief] in seen["rows"]
    assert sorted(row[0] for row in seen["rows"] if row[1] != "unavailable") == [
        "A Compact for Southend-on-Sea", "Compact for Havering", "Essex Compact", "High Peak Compact",
        "Southampton Compact"]
    lines = seen["summary"].splitlines()
    assert lines == [head, why if mode in FAILURES else f"plugin 'rogue' (compact 'rogueshire'): {why}"]
    assert seen["told"] == seen["summary"]
    assert seen["opened"]
    assert app.caselog.log(NewCase(kind="note", compact="southend", title="Met"))["compact"] == "southend"
