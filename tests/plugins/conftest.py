"""Fixtures every plugin's tests share: the installed compacts, the one under test (named by
the test module's ``COMPACT_ID``) and its source text (``SEED_NAME``).

A module may set ``SEED_REPAIRS`` (``{old: new}``, the repairs its plugin makes to extraction
damage) and ``squash_seed(text)`` (how to flatten the text; default: whitespace squashed)."""

import pytest

from compact_tui.content.plugins import load_registry

from .seeds import read_seed, squash


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def compact(registry, request):
    found = registry.get(request.module.COMPACT_ID)
    assert found is not None, [str(e) for e in registry.errors]
    return found


@pytest.fixture(scope="module")
def raw_seed(request) -> str:
    """The module's seed text with its ``SEED_REPAIRS`` made, line breaks kept."""
    text = read_seed(request.module.SEED_NAME)
    for old, new in getattr(request.module, "SEED_REPAIRS", {}).items():
        text = text.replace(old, new)
    return text


@pytest.fixture(scope="module")
def seed(raw_seed, request) -> str:
    """The module's seed text flattened, for finding a clause's words in it."""
    return getattr(request.module, "squash_seed", squash)(raw_seed)
