"""Checking text that users type before it is stored (it is stored exactly as typed)."""

from __future__ import annotations

from .errors import UserError


def check_text(value: str, what: str, max_len: int, *, single_line: bool = False, required: bool = True) -> str:
    """Refuse control characters, over-long text, and (if required) empty text; else return it unchanged."""
    if value is None:
        value = ""
    if required and not value.strip():
        raise UserError(f"{what} is empty.")
    if len(value) > max_len:
        raise UserError(f"{what} is {len(value)} characters long; the most is {max_len}.")
    allowed = "" if single_line else "\n\t"
    bad = next((ch for ch in value if not ch.isprintable() and ch not in allowed), None)
    if bad is not None:
        raise UserError(f"{what} contains a control character (U+{ord(bad):04X}); type plain text.")
    return value
