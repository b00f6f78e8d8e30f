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
