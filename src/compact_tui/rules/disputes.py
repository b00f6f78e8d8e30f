"""A dispute moves only through its compact's own procedure.

Pure functions over a :class:`~compact_tui.content.model.DisputeProcedure`: which moves are open
from a stage, and why a move is refused. The case log calls these before it writes.
"""

from __future__ import annotations


from ..record import record
from ..content.model import Compact, Move
from ..text import quoted

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..content.registry import Registry

SECTORS = ("statutory", "vcs")


@record(frozen=True)
class TeamMember:
    name: str
    sector: str  # statutory or vcs

    @classmethod
    def parse(cls, text: str) -> TeamMember:
        """``Jane Smith:vcs`` or ``A. Patel:statutory``."""
        name, sep, sector = text.rpartition(":")
        sector = sector.strip().lower()
        if not sep or not name.strip() or sector not in SECTORS:
            raise ValueError(f"{quoted(text)} should be NAME:statutory or NAME:vcs")
        return cls(name.strip(), sector)


def pending_message(compact: Compact, registry: Registry | None = None) -> str:
    """What to tell an officer when a compact's procedure is not written yet."""
    info = compact.info
    proc = compact.procedure
    if proc is not None and proc.elsewhere:
        from ..content.quotes import quote_source

        source = quote_source(compact, proc.states, proc.ref)
        words = f": {source} says '{proc.states}'" if proc.states and source else \
            f": '{proc.states}'" if proc.states else ""
        return (f"{info.name}'s dispute procedure is outlined separately, not in this text{words}. "
                "Log the dispute, note what happens and close it by hand.")
    base = f"{info.name}'s dispute procedure is 'information pending'" if proc and proc.pending and not proc.states_none \
        else f"{info.name} states no dispute procedure"
    if registry is not None:
        above, name = registry.above(compact)
        if above is not None:
            return f"{base}; turn one level up, to {above.info.name} ('compact-tui show {above.id}')."
        if name:
            return f"{base}; turn one level up, to {name} (not installed here)."
    elif info.parent is not None:
        return f"{base}; turn one level up, to {info.parent.name or 'the compact for ' + info.parent.area}."
    return f"{base}; its text names no compact one level up."


def moves_from(compact: Compact, stage: str | None) -> tuple[Move, ...]:
    proc = compact.procedure
    if proc is None or not proc.walkable or stage is None:
        return ()
    return proc.moves_from(stage)


def refusal(compact: Compact, stage: str | None, to_stage: str,
            confirmed: set[str], team: list[TeamMember]) -> str | None:
    """Why the move from ``stage`` to ``to_stage`` is not allowed now; ``None`` if it is."""
    proc = compact.procedure
    if proc is None or not proc.walkable:
        return pending_message(compact)
    current = proc.stage(stage or "")
    if current is not None and current.outcome:
        return f"the dispute has ended at '{current.title}' ({current.outcome}); it cannot move on."
    target = proc.stage(to_stage)
    if target is None:
        known = ", ".join(s.id for s in proc.stages)
        return f"{quoted(to_stage)} is not a stage of {compact.info.name}'s procedure (stages: {known})."
    options = [m for m in proc.moves_from(stage or "") if m.to_stage == to_stage]
    if not options:
        allowed = ", ".join(m.to_stage for m in proc.moves_from(stage or "")) or "none"
        return (f"{compact.info.name}'s procedure does not allow a move from '{stage}' to '{to_stage}' "
                f"(allowed now: {allowed}).")
    reasons = [r for r in (unmet(m, confirmed, team) for m in options) if r]
    if len(reasons) == len(options):
        return reasons[0]
    return None


def unmet(move: Move, confirmed: set[str], team: list[TeamMember]) -> str | None:
    """The first condition of ``move`` that is not met, as a sentence."""
    for cond in move.conditions:
        where = f" ({cond.ref})" if cond.ref else ""
        if cond.team_size:
            if len(team) != cond.team_size:
                return f"this move needs a team of {cond.team_size}{where}, {len(team)} named: {cond.question}"
            for sector in SECTORS:
                if sum(1 for m in team if m.sector == sector) < cond.min_per_sector:
                    return (f"the team needs at least {cond.min_per_sector} member{'s' if cond.min_per_sector != 1 else ''} from the "
                            f"{'statutory' if sector == 'statutory' else 'voluntary and community'} sector{where}.")
        elif cond.id not in confirmed:
            return f"not yet confirmed{where}: {cond.question} [condition {cond.id}]"
    return None
