"""Settings for the whole suite."""

import pytest


@pytest.fixture(autouse=True, scope="session")
def _private_content_cache(tmp_path_factory):
    """Keep parsed compacts and the registry snapshot in a folder of this run, so no test
    sees (or leaves behind) another run's, and the user's own cache is never touched."""
    import os

    old = os.environ.get("COMPACT_TUI_CACHE")
    os.environ["COMPACT_TUI_CACHE"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("COMPACT_TUI_CACHE", None)
    else:
        os.environ["COMPACT_TUI_CACHE"] = old


@pytest.fixture(autouse=True, scope="session")
def _chain_key_of_this_run(tmp_path_factory):
    """Seal every test's timeline with one key made for this run, as a team key file
    ($COMPACT_TUI_KEY_FILE), so no test makes or reads a key beside the user's own config."""
    import os

    from compact_tui.chain_key import KEY_ENV, new_key_text

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
