"""The conformance tests at the path plugins import them from:
``from compact_tui.conformance import ConformanceTests``.

They are defined in :mod:`compact_tui.content.conformance`; this module only re-exports them,
so a plugin's tests written against the documented path keep working.
"""

from .content.conformance import ConformanceTests

__all__ = ["ConformanceTests"]
