"""Which clause a quote comes from, so that every quote shown says so.

A claim's ``states`` holds the text's own words. A rule, stage, condition and procedure name
their clause (``ref``); a move does not, so its words are looked up in the compact's own
clauses, and the clause that holds them is the one named: found in the text, never claimed.
A ``ref`` that is a section rather than a clause (a procedure that runs through a whole
section) is named as the section.
"""

from __future__ import annotations

import re

from .model import Compact


def _bare(text: str) -> str:
    """Words to compare: spaces as one, lower case, without the list letters a quote may run
    through ("a) ", "(b) ")."""
    flat = " ".join(text.split()).lower()
    return re.sub(r"(?:^|(?<=\s))\(?[a-h]\)\s*", "", flat)


def quote_source(compact: Compact, words: str, ref: str = "") -> str:
    """``6.s1``, ``section 6`` or ``""``: where in ``compact``'s text ``words`` come from.
    ``ref``, when the claim names a clause, is the answer; a section's number is narrowed to the
    clause of that section whose text holds the words, or said as the section when they run
    through more than one. With no ``ref``: the first clause whose text holds the words, and
    ``""`` when none does."""
    wanted = _bare(words)
    if ref and (compact.clause(ref) is not None or compact.section(ref) is None):
        return ref
    clauses = compact.in_section(ref) if ref else compact.clauses
    found = next((c.ref for c in clauses if wanted and wanted in _bare(c.text)), "")
    return found or (f"section {ref}" if ref else "")
