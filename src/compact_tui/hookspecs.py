"""The plugin contract: the hooks through which a locality's compact reaches compact-tui.

A plugin is a module (usually in its own package, found through the ``compact_tui``
entry-point group) with functions marked ``@hookimpl``. The smallest plugin registers
one compact whose content lives in a TOML file inside the package; the core's built-in
``content`` plugin then answers the content hooks from that file. A plugin may also
answer any content hook in code, for the compacts it registered.

Every content hook is called once per compact and receives that compact's
:class:`~compact_tui.model.CompactInfo`; an implementation returns ``None`` for a
compact it does not know.
"""

from __future__ import annotations

from collections.abc import Callable

import pluggy

from .model import Clause, CompactInfo, DisputeProcedure, NoticeRule, Section

PROJECT = "compact_tui"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: ``register(info, content=None)``: what a plugin calls for each compact it brings.
#: ``content`` is an optional path (or importlib resource) of a compact TOML file.
Register = Callable[..., None]


@hookspec
def compact_tui_register_compacts(register: Register) -> None:
    """Register the compacts this plugin brings.

    Call ``register(info, content=path)`` once per compact, where ``info`` is a
    :class:`CompactInfo` (or ``None`` when ``content`` names a TOML file whose
    ``[compact]`` table says who it is) and ``content`` is the path of the compact's
    TOML file, if it has one. The core rejects a compact whose id is already taken
    and reports which plugin sent it.

    :param register: the callback that records a compact.
    """


@hookspec
def compact_tui_sections(compact: CompactInfo) -> list[Section] | None:
    """The sections of a compact's text, in order, including those still pending.

    :param compact: the compact asked about.
    :return: its sections, or ``None`` if this plugin does not know the compact.
    """


@hookspec
def compact_tui_principles(compact: CompactInfo) -> list[Clause] | None:
    """The shared principles (or values) of a compact, each with its source reference.

    :param compact: the compact asked about.
    :return: clauses of kind ``principle``, or ``None``.
    """


@hookspec
def compact_tui_undertakings(compact: CompactInfo) -> list[Clause] | None:
    """The undertakings (commitments) of a compact, each naming the side it binds.

    :param compact: the compact asked about.
    :return: clauses of kind ``undertaking``, or ``None``.
    """


@hookspec
def compact_tui_provisions(compact: CompactInfo) -> list[Clause] | None:
    """Any other clause a reader may look up: purpose, review, procedure, definitions.

    :param compact: the compact asked about.
    :return: clauses of kinds ``provision``, ``procedure`` or ``definition``, or ``None``.
    """


@hookspec
def compact_tui_notice_rules(compact: CompactInfo) -> list[NoticeRule] | None:
    """The notice and timing rules a compact states, as data the rule engine evaluates.

    A compact with no rule on a matter returns none for it: rules are never invented.

    :param compact: the compact asked about.
    :return: its rules, or ``None``.
    """


@hookspec(firstresult=True)
def compact_tui_dispute_procedure(compact: CompactInfo) -> DisputeProcedure | None:
    """The compact's procedure for resolving disagreements. Stops at first non-None result.

    A compact whose text says its procedure is pending returns a procedure with
    ``pending=True`` and no stages.

    :param compact: the compact asked about.
    :return: its procedure, or ``None``.
    """


CONTENT_HOOKS = (
    "compact_tui_sections",
    "compact_tui_principles",
    "compact_tui_undertakings",
    "compact_tui_provisions",
    "compact_tui_notice_rules",
)

__all__ = ["hookimpl", "hookspec", "Register", "CONTENT_HOOKS"]
