"""The plain objects the rest of compact-tui uses: a compact and what it says.

Nothing here reads files, touches the database or imports the UI. Plugins build
these objects (usually from TOML through :mod:`compact_tui.content.reader`) and the
rules, the case log and the app read them.
"""

from __future__ import annotations

import re

from ..record import field, record

#: The sides a clause can bind. ``both`` is a joint undertaking or a shared principle.
SIDES = ("statutory", "vcs", "both")

#: What a clause is. Counts of principles and undertakings are what ``compacts`` reports.
CLAUSE_KINDS = ("principle", "undertaking", "provision", "procedure", "definition")

#: Themes a clause may carry (no others: they let compacts be compared).
THEMES = (
    "independence",
    "funding",
    "consultation",
    "policy",
    "services",
    "equality",
    "volunteering",
    "partnership",
    "communication",
    "information",
    "capacity",
    "accountability",
    "representation",
    "review",
    "disputes",
    "governance",
    "general",
)

#: The kinds of case the log records; notice rules name one of these in ``applies_to``.
CASE_KINDS = (
    "consultation",
    "funding-change",
    "dispute",
    "champion",
    "signatory",
    "meeting",
    "annual-review",
    "note",
)

#: Dates a case can carry; notice rules measure between two of these.
DATE_FIELDS = ("opened", "start", "end", "notified", "effective", "period_end", "on")

#: How a dispute procedure can end.
OUTCOMES = ("resolved", "referred", "not-compact-matter", "no-agreement")

#: The kinds of notice rule the engine evaluates.
RULE_TYPES = ("minimum-period", "deadline", "recurring")

#: How a broken notice rule is reported: ``warning`` where the words leave room ("normally").
SEVERITIES = ("breach", "warning")

#: How a compact stands, as its text says of itself (each word's meaning: docs/compact-format.md).
STATUSES = ("adopted", "draft", "working-draft", "unstated")

#: What a rule's allowed exception asks the case to record as its reason: ``circumstances``
#: (the text allows exceptional circumstances) or ``explanation`` (the text asks only that a
#: shorter time or another approach be explained: the explanation is what is checked).
EXCEPTION_ASKS = ("circumstances", "explanation")

#: Units of a period: calendar days, weeks, months, and working days (weekends and
#: England's bank holidays skipped).
PERIOD_UNITS = ("d", "w", "m", "wd")

#: Words that leave a duty to judgement. A rule whose quoted words (``states``) carry one of
#: these is a warning, never a breach: "where appropriate" and "normally" are not "always".
#: ``plugin check`` holds every rule to this (docs/compact-format.md, "Severity").
SEVERITY_QUALIFIERS = (
    "where appropriate",
    "where it is appropriate",
    "normally",
    "wherever possible",
    "where possible",
    "as far as possible",
    "if possible",
)


def qualifiers_in(words: str) -> list[str]:
    """The :data:`SEVERITY_QUALIFIERS` found in ``words`` (the longest where one holds another)."""
    folded = " ".join(words.lower().split()) if isinstance(words, str) else ""
    found = [q for q in SEVERITY_QUALIFIERS if q in folded]
    return [q for q in found if not any(q != other and q in other for other in found)]


@record(frozen=True)
class Period:
    """A length of time: ``amount`` of ``unit`` (``d``, ``w``, ``m`` or ``wd``)."""

    amount: int
    unit: str

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read ``12w``, ``3m``, ``10d`` or ``5wd``; raise ValueError otherwise."""
        text = text.strip().lower()
        for unit in ("wd", "d", "w", "m"):
            if text.endswith(unit) and text[: -len(unit)].isdigit():
                return cls(int(text[: -len(unit)]), unit)
        raise ValueError(f"{text!r} is not a period such as 12w, 3m, 10d or 5wd")

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    def describe(self) -> str:
        """Words for the period, as a finding says it: ``12 weeks``, ``3 months``."""
        names = {"d": "day", "w": "week", "m": "month", "wd": "working day"}
        name = names[self.unit]
        return f"{self.amount} {name}{'' if self.amount == 1 else 's'}"


@record(frozen=True)
class Sides:
    """The words a compact uses for each side, e.g. ``SOs`` and ``VCOs``."""

    statutory: str = "statutory organisations"
    vcs: str = "voluntary and community sector"

    def name(self, party: str) -> str:
        if party == "statutory":
            return self.statutory
        if party == "vcs":
            return self.vcs
        return f"{self.statutory} and {self.vcs}"


@record(frozen=True)
class Standing:
    """Whether the source states a claim, or the claim is our reading of the source.

    ``states`` holds the source's own words for the claim, verbatim. ``reading`` says why
    the claim is ours and not the text's; when it is given the claim is a reading (and
    ``states``, if any, holds the words read). A claim with neither is unsourced, which
    ``plugin check`` reports.
    """

    states: str = ""
    reading: str = ""

    @property
    def is_reading(self) -> bool:
        return bool(self.reading.strip())

    @property
    def label(self) -> str:
        """``stated``, ``reading`` or ``unsourced``."""
        if self.is_reading:
            return "reading"
        return "stated" if self.states.strip() else "unsourced"

    def as_dict(self) -> dict[str, str]:
        return {"standing": self.label, "states": self.states, "reading": self.reading}


class _HasStanding:
    """Mixed into each claim that carries ``states`` and ``reading`` fields."""

    states: str
    reading: str

    @property
    def standing(self) -> Standing:
        return Standing(self.states, self.reading)


@record(frozen=True)
class ParentLink(_HasStanding):
    """The compact one level up, named by the area it covers (never by a plugin's id), with
    the words of a source text that state the link."""

    area: str  # "England", "Essex": whichever installed compact covers it is the level up
    name: str = ""  # that compact's name, for when none installed covers the area
    states: str = ""  # the source's words stating the link, verbatim
    reading: str = ""  # how they are read, if they need reading
    ref: str = ""  # the clause of that text the words are in
    quoted_from: str = ""  # the area of the compact whose text it is, where it is not this compact's own


@record(frozen=True)
class CompactInfo:
    """What identifies a compact: who made it, where it applies, what it is one level below."""

    id: str
    name: str
    area: str
    status: str  # one of STATUSES
    revision: str = ""
    status_reading: str = ""  # why the status is our reading, where the text does not state it
    parent: ParentLink | None = None  # only where a source text states the link
    localities: tuple[str, ...] = ()  # places the compact covers, most specific first
    sides: Sides = field(default_factory=Sides)
    summary: str = ""
    source: str = ""  # where the text comes from


@record(frozen=True)
class Section:
    """A section of the source text. ``pending`` marks "Information pending"."""

    ref: str
    title: str
    pending: bool = False
    note: str = ""


@record(frozen=True)
class Clause:
    """One principle, undertaking or other provision, with the source's own reference."""

    ref: str
    kind: str
    party: str
    theme: str
    text: str
    section: str = ""
    note: str = ""  # our reading, where the text had to be interpreted


@record(frozen=True)
class NoticeRule(_HasStanding):
    """A rule about notice or timing that the engine can evaluate against a case.

    ``minimum-period``: ``to_field`` must be at least ``period`` after ``from_field``.
    ``deadline``: ``from_field`` must fall on or before ``to_field`` (plus ``period`` if given).
    ``recurring``: a case of kind ``applies_to`` (citing ``ref`` when ``needs_cite``) is
    due every ``period`` after the previous one.

    Its standing: ``states`` quotes the compact's words for the rule, ``reading`` (if any)
    says why the rule is our reading of them. The severity has its own standing:
    ``severity_states`` quotes the words that make it a breach or a warning (a qualifier
    such as "normally" makes it a warning), ``severity_reading`` says why, where we chose.
    """

    id: str
    ref: str
    applies_to: str
    type: str
    title: str
    period: Period | None = None
    from_field: str = ""
    to_field: str = ""
    in_writing: bool = False
    exception: str = ""  # the text's words allowing an exception or an alternative, verbatim
    exception_asks: str = "circumstances"  # what the reason recorded is: the circumstances, or an explanation
    severity: str = "breach"  # breach or warning
    needs_cite: bool = False
    states: str = ""  # the compact's own words for the rule, verbatim
    reading: str = ""  # why the rule is our reading, not the text's statement
    note: str = ""  # how the words are applied (which dates, what counts)
    severity_states: str = ""  # the words that fix the severity
    severity_reading: str = ""  # why the severity is our reading

    @property
    def severity_standing(self) -> Standing:
        """The words that set the severity: as given, else the qualifier in the rule's words
        (a warning), else the rule's own unqualified words (a breach)."""
        if self.severity_states or self.severity_reading:
            return Standing(self.severity_states, self.severity_reading)
        found = qualifiers_in(self.states)
        if found:
            folded = " ".join(self.states.split())
            at = folded.lower().index(found[0])
            return Standing(folded[at:at + len(found[0])])
        return Standing(self.states if self.severity == "breach" else "")


@record(frozen=True)
class Condition(_HasStanding):
    """Something that must be true before a move: confirmed by the officer, or a team."""

    id: str
    question: str
    ref: str = ""
    team_size: int = 0  # > 0: the move needs a team of this many named members
    min_per_sector: int = 0  # with a team: at least this many from each sector
    states: str = ""  # the compact's words that set the condition
    reading: str = ""  # why the condition is our reading


@record(frozen=True)
class Move(_HasStanding):
    """A move from one stage of a dispute procedure to another."""

    from_stage: str
    to_stage: str
    label: str = ""
    conditions: tuple[Condition, ...] = ()
    states: str = ""  # the compact's words that allow the move
    reading: str = ""  # why the move is our reading


@record(frozen=True)
class Stage(_HasStanding):
    """A stage of a dispute procedure; a stage with an ``outcome`` ends the dispute."""

    id: str
    title: str
    ref: str = ""
    states: str = ""  # the compact's own words for this step, verbatim
    reading: str = ""  # why the step is our reading
    note: str = ""  # what the step means in practice
    outcome: str = ""
    wait: Period | None = None  # how long the step may wait before a deadline is due


@record(frozen=True)
class DisputeProcedure(_HasStanding):
    """A compact's procedure for disagreements: stages, the moves between them.

    A procedure the text does not give has no stages: ``pending`` where the text says
    "information pending", ``states_none`` where it gives none and says nothing of one (the same as
    no ``[procedure]``), ``elsewhere`` where it says the procedure is set out in another
    document. A dispute under it is logged, noted and closed by hand.
    """

    start: str
    stages: tuple[Stage, ...] = ()
    moves: tuple[Move, ...] = ()
    ref: str = ""
    pending: bool = False  # the compact says its procedure is "information pending"
    elsewhere: bool = False  # the compact says its procedure is outlined in another document
    states_none: bool = False  # the compact's text gives no procedure and says nothing of one
    note: str = ""
    states: str = ""  # the compact's words for its procedure
    reading: str = ""  # why the procedure, as walked, is our reading

    @property
    def walkable(self) -> bool:
        """Whether the text gives steps a dispute can be moved through."""
        return not self.pending and not self.elsewhere and not self.states_none

    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def moves_from(self, stage_id: str) -> tuple[Move, ...]:
        return tuple(m for m in self.moves if m.from_stage == stage_id)


@record
class Compact:
    """A compact with all its content, as gathered from the plugins.

    ``clauses`` holds principles, undertakings and other provisions together, in the
    order of the source's sections.
    """

    info: CompactInfo
    sections: list[Section] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    rules: list[NoticeRule] = field(default_factory=list)
    procedure: DisputeProcedure | None = None
    plugin: str = ""

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def principles(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "principle"]

    @property
    def undertakings(self) -> list[Clause]:
        return [c for c in self.clauses if c.kind == "undertaking"]

    def clause(self, ref: str) -> Clause | None:
        wanted = normalise_ref(ref)
        return next((c for c in self.clauses if normalise_ref(c.ref) == wanted), None)

    def section(self, ref: str) -> Section | None:
        return next((s for s in self.sections if s.ref == ref), None)

    def in_section(self, ref: str) -> list[Clause]:
        return [c for c in self.clauses if c.section == ref]

    def rules_for(self, case_kind: str) -> list[NoticeRule]:
        return [r for r in self.rules if r.applies_to == case_kind]


def normalise_ref(ref: str) -> str:
    """Compare references loosely: ``6.3(c)``, ``6.3 (c)`` and ``6.3C`` are one."""
    return "".join(ref.lower().split()).replace("(", "").replace(")", "").rstrip(".")


def ref_sort_key(ref: str) -> tuple[tuple[int, int | str], ...]:
    """Order references naturally: ``2.4`` before ``2.10``, ``6.3`` before ``6.3(c)``."""
    parts = re.split(r"(\d+)", ref.lower())
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p)
