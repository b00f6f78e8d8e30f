"""The plugin contract: the hooks through which a locality's compact reaches compact-tui.

A plugin is a module (usually in its own package, found through the ``compact_tui``
entry-point group) with functions marked ``@hookimpl``. The smallest plugin registers
one compact whose content lives in a TOML file inside the package; the core's built-in
``content`` plugin then answers the content hooks from that file. A plugin may also
answer any content hook in code, for the compacts it registered.

Every content hook is called once for each compact the plugin registered, with that
compact's :class:`~compact_tui.content.model.CompactInfo`, through pluggy's own hook calling (so
``wrapper=True``, ``tryfirst`` and ``trylast`` work as pluggy documents), together with the
core's content plugin, which answers from the compact's TOML file. A plugin is never asked
about another plugin's compact. An implementation that raises, or answers with the wrong
type, makes that compact unavailable, charged to its plugin; the other compacts are untouched.
"""

from __future__ import annotations

import os
from importlib.resources.abc import Traversable
from typing import Protocol, Union

import pluggy

from .model import Clause, CompactInfo, DisputeProcedure, NoticeRule, Section

PROJECT = "compact_tui"

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)

#: A compact's TOML file as ``register`` takes it: an importlib resource
#: (``files(__name__) / "compact.toml"``), a :class:`~pathlib.Path`, or a ``str``. A relative
#: path is taken from the plugin's own folder (its module's), not the current one.
ContentFile = Union[Traversable, "os.PathLike[str]", str]


class Register(Protocol):
    """What :func:`compact_tui_register_compacts` is given: call it once per compact.

    ``register(files(__name__) / "compact.toml")`` (or ``register(content=...)``, or a path
    or ``str``) registers a compact from its TOML file, whose ``[compact]`` table says who it
    is; ``register(info)`` registers a compact made in code, whose content the plugin's own
    content hooks give. Give both, ``register(info, content=...)``, to override the file's
    ``[compact]`` table with ``info``.
    """

    def __call__(self, info: CompactInfo | ContentFile | None = None, *,
                 content: ContentFile | None = None) -> None:
        """Record one compact.

        :param info: who the compact is; or its TOML file, as ``content``; ``None`` when
            ``content`` says.
        :param content: the compact's TOML file: an importlib resource, a path or a ``str``.
        """


@hookspec
def compact_tui_register_compacts(register: Register) -> None:
    """Register the compacts this plugin brings.

    Call ``register(content=path)`` or ``register(info)`` once per compact (see
    :class:`Register`). A compact whose id is already taken is refused, naming both
    packages; the plugin whose entry point has the compact's id keeps it.

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

__all__ = ["hookimpl", "hookspec", "Register", "ContentFile", "CONTENT_HOOKS"]
