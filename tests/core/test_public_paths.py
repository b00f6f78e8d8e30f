"""The paths a plugin imports from (docs/adding-your-compact.md) keep working after the core's
modules moved into packages: each is the very object the core uses, not a copy."""

from __future__ import annotations

import compact_tui.conformance as public_conformance
import compact_tui.hookspecs as public_hookspecs
import compact_tui.model as public_model
from compact_tui.content import conformance, hookspecs, model


def test_each_public_path_re_exports_the_core_s_own_objects():
    for public, real in ((public_hookspecs, hookspecs), (public_model, model), (public_conformance, conformance)):
        assert public.__all__, public.__name__
        for name in public.__all__:
            assert getattr(public, name) is getattr(real, name), f"{public.__name__}.{name}"


def test_the_public_paths_offer_everything_the_contract_exports():
    assert set(hookspecs.__all__) <= set(public_hookspecs.__all__)
    defined = {name for name, value in vars(model).items()
               if not name.startswith("_") and getattr(value, "__module__", model.__name__) == model.__name__
               and not isinstance(value, type(model))}
    assert defined - {"annotations"} <= set(public_model.__all__)
