"""The model at the path plugins import it from: ``from compact_tui.model import Clause``.

The classes are defined in :mod:`compact_tui.content.model`; this module only re-exports them,
so a plugin written against the documented path keeps working.
"""

from .content.model import (
    CASE_KINDS,
    CLAUSE_KINDS,
    DATE_FIELDS,
    EXCEPTION_ASKS,
    OUTCOMES,
    PERIOD_UNITS,
    RULE_TYPES,
    SEVERITIES,
    SEVERITY_QUALIFIERS,
    SIDES,
    STATUSES,
    THEMES,
    Clause,
    Compact,
    CompactInfo,
    Condition,
    DisputeProcedure,
    Move,
    NoticeRule,
    ParentLink,
    Period,
    Section,
    Sides,
    Stage,
    Standing,
    normalise_ref,
    qualifiers_in,
    ref_sort_key,
)

__all__ = [
    "CASE_KINDS", "CLAUSE_KINDS", "DATE_FIELDS", "EXCEPTION_ASKS", "OUTCOMES", "PERIOD_UNITS", "RULE_TYPES", "SEVERITIES",
    "SEVERITY_QUALIFIERS", "SIDES", "STATUSES", "THEMES", "Clause", "Compact", "CompactInfo", "Condition",
    "DisputeProcedure", "Move", "NoticeRule", "ParentLink", "Period", "Section", "Sides", "Stage",
    "Standing", "normalise_ref", "qualifiers_in", "ref_sort_key",
]
