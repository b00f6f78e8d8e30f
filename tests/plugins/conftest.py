"""Fixtures every plugin's tests share: the installed compacts, and the one under test
(named by the test module's ``COMPACT_ID``)."""

import pytest

from compact_tui.plugins import load_registry


@pytest.fixture(scope="module")
def registry():
    return load_registry()


@pytest.fixture(scope="module")
def compact(registry, request):
    found = registry.get(request.module.COMPACT_ID)
    assert found is not None, [str(e) for e in registry.errors]
    return found
