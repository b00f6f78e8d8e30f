"""Settings for the whole suite, and the hostile case logs the app and command-line tests share."""

import locale
import os
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

#: What the suite's results depend on in the shell it is started from, pinned before any test
#: module (and so textual or rich) is imported: an officer's NO_COLOR or TERM=dumb changes every
#: snapshot, COLUMNS and LINES change how rich and textual size their output, TZ moves
#: ``date.today()`` and the timeline's clock, and LANG/LC_ALL change the default encoding of
#: every file opened without one. A test that checks one of these (``NO_COLOR`` in
#: ``tests/tui/test_snapshots.py``) sets it itself with ``monkeypatch``;
#: ``tests/core/test_any_shell.py`` runs a piece of the suite in a hostile shell to keep it so.
PINNED_ENVIRONMENT = {
    "TERM": "xterm-256color",
    "COLUMNS": "80",
    "LINES": "24",
    "TZ": "Europe/London",  # England's compacts, England's clock
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
}
#: Set in an officer's shell, these change colour or terminal handling; the suite runs without them.
UNSET_ENVIRONMENT = ("NO_COLOR", "FORCE_COLOR", "CLICOLOR_FORCE", "COLORTERM", "TTY_COMPATIBLE",
                     "TTY_INTERACTIVE", "LANGUAGE", "TEXTUAL_ANIMATIONS", "TEXTUAL_DRIVER", "TEXTUAL_FPS",
                     "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_PRESS")


def _pin_environment() -> None:
    for name in UNSET_ENVIRONMENT:
        os.environ.pop(name, None)
    os.environ.update(PINNED_ENVIRONMENT)
    time.tzset()
    try:
        locale.setlocale(locale.LC_ALL, "C.UTF-8")
    except locale.Error:  # a system without C.UTF-8: Python's own UTF-8 default stands
        pass


_pin_environment()


@pytest.fixture(autouse=True, scope="session")
def _private_content_cache(tmp_path_factory):
    """Keep parsed compacts, the registry snapshot and crash logs in folders of this run, so no test
    sees (or leaves behind) another run's, and the user's own cache is never touched."""
    import os

    folder = tmp_path_factory.mktemp("cache")
    settings = {"COMPACT_TUI_CACHE": str(folder),
                "COMPACT_TUI_STATE": str(tmp_path_factory.mktemp("state")),  # crash logs
                "COMPACT_TUI_CONFIG": str(folder / "no-config.toml")}  # the user's own config is never read
    saved = {name: os.environ.get(name) for name in settings}
    os.environ.update(settings)
    yield
    for name, old in saved.items():
        if old is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = old

@pytest.fixture(autouse=True, scope="session")
def _chain_key_of_this_run(tmp_path_factory):
    """Seal every test's timeline with one key made for this run, as a team key file
    ($COMPACT_TUI_KEY_FILE), so no test makes or reads a key beside the user's own config."""
    import os

    from compact_tui.caselog.chain_key import KEY_ENV, new_key_text

    path = tmp_path_factory.mktemp("key") / "team.key"
    path.write_text(new_key_text() + "\n")
    path.chmod(0o600)
    old = os.environ.get(KEY_ENV)
    os.environ[KEY_ENV] = str(path)
    yield
    if old is None:
        os.environ.pop(KEY_ENV, None)
    else:
        os.environ[KEY_ENV] = old


@pytest.fixture(scope="session")
def _hostile_file(tmp_path_factory):
    from hostile_data import build

    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    return path, build(path)


@pytest.fixture
def hostile_db(_hostile_file, tmp_path):
    """A copy, for this test alone, of a case log with hostile text in every field
    (``tests/hostile_data.py``): ``.path``, and ``.ids`` of what is in it."""
    import shutil

    path, ids = _hostile_file
    copy = tmp_path / "hostile.db"
    shutil.copy(path, copy)
    return HostileDb(copy, ids)


@pytest.fixture
def bad_dates_db(tmp_path):
    """A case log whose stored dates are out of range or not dates (``tests/hostile_data.py``)."""
    from hostile_data import build_bad_dates

    path = tmp_path / "bad-dates.db"
    build_bad_dates(path)
    return path


@dataclass
class HostileDb:
    path: Path
    ids: dict


def pytest_terminal_summary(terminalreporter):
    """Say plainly, at the end of the run, when the tests of each compact against its source
    text did not run, and how to run them."""
    skipped = [r for r in terminalreporter.stats.get("skipped", [])
               if isinstance(r.longrepr, tuple) and "seed texts (shared/seeds)" in str(r.longrepr[-1])]
    if skipped:
        terminalreporter.write_line(
            f"{len(skipped)} tests of the compacts against their source texts were skipped: the texts "
            f"(shared/seeds) are not beside this checkout. Put shared/ beside it (as CI has it), or set "
            f"COMPACT_TUI_SEEDS=/path/to/seeds, to run them (tests/plugins/seeds.py).", yellow=True, bold=True)
