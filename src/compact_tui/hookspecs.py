"""The plugin contract at the path plugins import it from: ``from compact_tui.hookspecs import hookimpl``.

The hooks are defined in :mod:`compact_tui.content.hookspecs`; this module only re-exports what
a plugin uses, so a plugin written against the documented path keeps working.
"""

from .content.hookspecs import CONTENT_HOOKS, PROJECT, ContentFile, Register, hookimpl, hookspec

__all__ = ["hookimpl", "hookspec", "Register", "ContentFile", "CONTENT_HOOKS", "PROJECT"]
