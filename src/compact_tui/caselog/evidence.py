"""What rows each kind of event implies, and the comparison of those rows with the tables.

The hash-chained events are the source of truth for everything a user's record lives in:
``cases`` (every column), ``case_parties``, ``case_cites``, ``findings``, ``organisations``
and ``signatures``. The write paths keep those tables as they always did (so reading is a
plain query); :func:`derive` replays the events into the rows they imply and :func:`compare`
names every row that differs: the table, the row, what differs.

**Adding an event kind is adding one entry to** :data:`EVENT_ROWS`. Most case events use
:func:`case_changed`, which understands this ``detail``:

    {"set": {column: value, ...},        # the case's columns this event sets
     "parties": [[name, organisation_id], ...],   # the case's parties now (whole list)
     "cites": [ref, ...],                # its cited clauses now (whole list)
     "findings": [[compact, rule_id, ref, severity, message, due], ...],  # now (whole list)
     "signatures": [[organisation_id, compact, signed_on], ...]}          # signatures added

Every key is optional; a list given replaces the case's list. So "reopened" or "parties
changed" is ``"reopened": case_changed`` as long as the write path puts what it changed in
the event's detail. An event of a kind not listed here is reported by ``audit verify``.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

from ..record import field, record

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    #: An event's ``detail``, as its JSON reads (from a file that may have been edited: nothing in it is trusted).
    Detail = dict[str, Any]
    #: A row of a list a case carries (a party, a cited clause, a finding), as a tuple of its columns.
    ListRow = tuple[Any, ...]


class Event:
    """What a replay handler reads of an event. A plain class: ``typing.NamedTuple`` would
    compile each field's annotation, and Python's first compile sets up every node type of its
    syntax tree, in every command that writes an event (docs/performance.md, issue 23)."""

    __slots__ = ("id", "case_id", "at", "actor")

    def __init__(self, id: int, case_id: int | None, at: str, actor: str) -> None:  # noqa: A002 - the column's name
        self.id, self.case_id, self.at, self.actor = id, case_id, at, actor


@record
class Derived:
    """The rows the events imply."""

    cases: dict[int, dict[str, Any]] = field(default_factory=dict)
    parties: dict[int, list[ListRow]] = field(default_factory=dict)     # case -> [(name, org id)]
    cites: dict[int, list[str]] = field(default_factory=dict)           # case -> [ref]
    findings: dict[int, list[ListRow]] = field(default_factory=dict)    # case -> [(compact, rule, ref, severity, message, due)]
    organisations: dict[int, dict[str, Any]] = field(default_factory=dict)
    signatures: dict[tuple[int, str], str] = field(default_factory=dict)  # (org id, compact) -> signed_on
    attachments: dict[tuple[int, int], ListRow] = field(default_factory=dict)  # (case, n) -> (name, size, sha256)
    upgrades: list[tuple[str, Detail]] = field(default_factory=list)  # each upgraded event: (at, detail)


# -- what each kind of event implies --------------------------------------------------------

def case_of(ev: Event) -> int:
    """The case a case's event is about (``audit.verify`` names one that names no case, and
    gives it to no handler)."""
    if ev.case_id is None:
        raise ValueError("a case's event that names no case")
    return ev.case_id


def case_logged(s: Derived, ev: Event, detail: Detail) -> None:
    """A new case: who logged it and when (its first owner, unless the event names another),
    then everything :func:`case_changed` reads."""
    case_id = case_of(ev)
    s.cases[case_id] = {"created_by": ev.actor, "owner": ev.actor, "created_at": ev.at}
    s.parties.setdefault(case_id, [])
    s.cites.setdefault(case_id, [])
    s.findings.setdefault(case_id, [])
    case_changed(s, ev, detail)


def case_changed(s: Derived, ev: Event, detail: Detail) -> None:
    case_id = case_of(ev)
    case = s.cases.setdefault(case_id, {})
    case.update(detail.get("set", ()))
    case["updated_at"] = ev.at
    if "parties" in detail:
        s.parties[case_id] = [tuple(p) for p in detail["parties"]]
    if "cites" in detail:
        s.cites[case_id] = list(detail["cites"])
    if "findings" in detail:
        s.findings[case_id] = [tuple(f) for f in detail["findings"]]
    signatures_added(s, ev, detail)


def signatures_added(s: Derived, ev: Event, detail: Detail) -> None:
    for org_id, compact, signed_on in detail.get("signatures", ()):
        s.signatures[(org_id, compact)] = signed_on


def org_added(s: Derived, ev: Event, detail: Detail) -> None:
    org = dict(detail["org"])
    s.organisations[org.pop("id")] = org


def org_changed(s: Derived, ev: Event, detail: Detail) -> None:
    s.organisations.setdefault(detail["org_id"], {}).update(detail["set"])


def upgraded(s: Derived, ev: Event, detail: Detail) -> None:
    """The snapshot taken when an older case log was sealed with a key (``schema_migrations.m003``):
    the rows as they stood then, vouched for from that event on."""
    snap = detail["snapshot"]
    s.upgrades.append((ev.at, detail))
    for table in (s.cases, s.parties, s.cites, s.findings, s.organisations, s.signatures):
        table.clear()
    cols = snap["case_columns"]
    for values in snap["cases"]:
        row = dict(zip(cols, values))
        row.setdefault("owner", row.get("created_by"))  # sealed before cases had owners (m004)
        s.cases[row.pop("id")] = row
        s.parties[values[0]], s.cites[values[0]], s.findings[values[0]] = [], [], []
    for case_id, name, org_id in snap["case_parties"]:
        s.parties.setdefault(case_id, []).append((name, org_id))
    for case_id, ref in snap["case_cites"]:
        s.cites.setdefault(case_id, []).append(ref)
    for case_id, *rest in snap["findings"]:
        s.findings.setdefault(case_id, []).append(tuple(rest))
    org_cols = snap["organisation_columns"]
    for values in snap["organisations"]:
        row = dict(zip(org_cols, values))
        s.organisations[row.pop("id")] = row
    for org_id, compact, signed_on in snap["signatures"]:
        s.signatures[(org_id, compact)] = signed_on


def touched(s: Derived, ev: Event, detail: Detail) -> None:
    """An event that changes nothing but the case's ``updated_at`` (a note)."""
    s.cases.setdefault(case_of(ev), {})["updated_at"] = ev.at


def attached(s: Derived, ev: Event, detail: Detail) -> None:
    """A file kept with a case: its number, name, size and SHA-256 (``attachments.py``)."""
    n, name, size, sha256 = detail["attachment"]
    s.attachments[(case_of(ev), n)] = (name, size, sha256)
    touched(s, ev, detail)


#: event kind (the ``action`` column) -> what it implies. One entry per kind.
EVENT_ROWS: dict[str, Callable[[Derived, Event, Detail], None]] = {
    "logged": case_logged,
    "imported": case_logged,
    "changed": case_changed,
    "advanced": case_changed,
    "closed": case_changed,
    "reopened": case_changed,
    "withdrawn": case_changed,
    "reinstated": case_changed,
    "owner-changed": case_changed,
    "note": touched,
    "attached": attached,
    "org-added": org_added,
    "org-changed": org_changed,
    "signed": signatures_added,
    "upgraded": upgraded,
}
#: The kinds of event that are about a case (the rest are about an organisation, or the whole log).
CASE_EVENTS = frozenset(kind for kind, implies in EVENT_ROWS.items()
                        if implies in (case_logged, case_changed, touched, attached))


# -- comparing with the tables --------------------------------------------------------------

class Problems(list[str]):
    """Problems found, up to a limit; ``full`` once it is reached."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    @property
    def full(self) -> bool:
        return len(self) >= self.limit

    def add(self, text: str) -> None:
        if not self.full:
            self.append(text)


def compare(conn: sqlite3.Connection, s: Derived, problems: Problems) -> int:
    """Name every row of the tables that differs from what the events imply; the number of cases."""
    cases = _compare_cases(conn, s, problems)
    _compare_lists(conn, problems, "case_parties", "SELECT case_id, name, organisation_id FROM case_parties "
                   "ORDER BY case_id, rowid", s.parties, lambda r: f"party {r[0]!r}")
    _compare_lists(conn, problems, "case_cites", "SELECT case_id, ref FROM case_cites ORDER BY case_id, rowid",
                   {k: [(v,) for v in refs] for k, refs in s.cites.items()}, lambda r: f"cited clause {r[0]!r}")
    _compare_findings(conn, s, problems)
    _compare_orgs(conn, s, problems)
    _compare_signatures(conn, s, problems)
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'attachments'").fetchone():  # since m005
        _compare_attachments(conn, s, problems)
    return cases


def _differences(table: str, row_name: str, have: Mapping[str, Any], want: Mapping[str, Any]) -> list[str]:
    out: list[str] = []
    for col, wanted in want.items():
        if col in have and have[col] != wanted:
            out.append(f"{table} row {row_name}: {col} is {have[col]!r}, its events recorded {wanted!r}")
    return out


def _compare_cases(conn: sqlite3.Connection, s: Derived, problems: Problems) -> int:
    cur = conn.execute("SELECT * FROM cases ORDER BY id")
    cols = [d[0] for d in cur.description]
    rest = cols[1:]
    seen = 0
    for row in cur:
        seen += 1
        case_id = row[0]
        want = s.cases.pop(case_id, None)
        if want is None:
            problems.add(f"cases row {case_id}: no event made it (added by hand, or its events deleted)")
        elif len(want) >= len(rest) and tuple(want.get(c) for c in rest) == row[1:]:
            continue
        else:
            for text in _differences("cases", str(case_id), dict(zip(cols, row)), want):
                problems.add(text)
        if problems.full:
            return seen
    for case_id in sorted(s.cases):
        problems.add(f"cases row {case_id}: deleted, though its events remain")
    return seen


def _grouped(cur: Iterable[Sequence[Any]]) -> Iterator[tuple[Any, list[ListRow]]]:
    """Rows ``(case_id, *rest)`` sorted by case -> (case_id, [rest, ...])."""
    current: Any = None
    rows: list[ListRow] = []
    for row in cur:
        if row[0] != current:
            if current is not None:
                yield current, rows
            current, rows = row[0], []
        rows.append(tuple(row[1:]))
    if current is not None:
        yield current, rows


def _compare_lists(conn: sqlite3.Connection, problems: Problems, table: str, sql: str,
                   want_by_case: Mapping[int, list[ListRow]], describe: Callable[[ListRow], str]) -> None:
    seen = set()
    for case_id, rows in _grouped(conn.execute(sql)):
        seen.add(case_id)
        _list_difference(problems, table, case_id, rows, want_by_case.get(case_id, []), describe)
        if problems.full:
            return
    for case_id, want in want_by_case.items():
        if case_id not in seen and want:
            _list_difference(problems, table, case_id, [], want, describe)


def _list_difference(problems: Problems, table: str, case_id: int, rows: list[ListRow], want: list[ListRow],
                     describe: Callable[[ListRow], str]) -> None:
    if rows == want:
        return
    extra, missing = Counter(rows) - Counter(want), Counter(want) - Counter(rows)
    for row in extra:
        problems.add(f"{table}: case {case_id} has {describe(row)}, which its events do not record")
    for row in missing:
        problems.add(f"{table}: case {case_id}'s {describe(row)} was removed (its events record it)")


def _compare_findings(conn: sqlite3.Connection, s: Derived, problems: Problems) -> None:
    seen = set()
    cur = conn.execute("SELECT case_id, id, compact, rule_id, ref, severity, message, due FROM findings "
                       "ORDER BY case_id, id")
    for case_id, rows in _grouped(cur):
        seen.add(case_id)
        want = s.findings.get(case_id, [])
        have = [r[1:] for r in rows]
        if have != want:
            _findings_difference(problems, case_id, rows, want)
        if problems.full:
            return
    for case_id, want in s.findings.items():
        if case_id not in seen and want:
            _findings_difference(problems, case_id, [], want)


FINDING_FIELDS = ("compact", "rule_id", "ref", "severity", "message", "due")


def _findings_difference(problems: Problems, case_id: int, rows: list[ListRow], want: list[ListRow]) -> None:
    unmatched = Counter(want)
    extra: list[ListRow] = []
    for row in rows:
        if unmatched[row[1:]] > 0:
            unmatched[row[1:]] -= 1
        else:
            extra.append(row)
    missing = list(unmatched.elements())
    for row in extra:
        twin = next((m for m in missing if m[1:3] == row[2:4]), None)  # same rule and clause
        if twin is not None:
            missing.remove(twin)
            for name, has, wanted in zip(FINDING_FIELDS, row[1:], twin):
                if has != wanted:
                    problems.add(f"findings row {row[0]} (case {case_id}, rule {row[2]}): {name} is {has!r}, "
                                 f"its events recorded {wanted!r}")
        else:
            problems.add(f"findings row {row[0]} (case {case_id}): a {row[4]} of rule {row[2]} that its events "
                         f"do not record")
    for m in missing:
        problems.add(f"findings: case {case_id}'s {m[3]} of rule {m[1]} ({m[2]}) was deleted (its events record it)")


def _compare_orgs(conn: sqlite3.Connection, s: Derived, problems: Problems) -> None:
    cur = conn.execute("SELECT * FROM organisations ORDER BY id")
    cols = [d[0] for d in cur.description]
    want_all = dict(s.organisations)
    for row in cur:
        want = want_all.pop(row[0], None)
        if want is None:
            problems.add(f"organisations row {row[0]} ({row[1]!r}): no event added it (added by hand)")
        else:
            for text in _differences("organisations", f"{row[0]} ({row[1]!r})", dict(zip(cols, row)), want):
                problems.add(text)
    for org_id, want in want_all.items():
        problems.add(f"organisations row {org_id} ({want.get('name')!r}): deleted, though its events remain")


def _compare_signatures(conn: sqlite3.Connection, s: Derived, problems: Problems) -> None:
    want_all = dict(s.signatures)
    for org_id, compact, signed_on in conn.execute("SELECT organisation_id, compact, signed_on FROM signatures"):
        want = want_all.pop((org_id, compact), None)
        if want is None:
            problems.add(f"signatures row (organisation {org_id}, {compact}): no event recorded it (added by hand)")
        elif want != signed_on:
            problems.add(f"signatures row (organisation {org_id}, {compact}): signed_on is {signed_on!r}, "
                         f"its events recorded {want!r}")
    for (org_id, compact), signed_on in want_all.items():
        problems.add(f"signatures row (organisation {org_id}, {compact}): deleted, though its events record it")


def _compare_attachments(conn: sqlite3.Connection, s: Derived, problems: Problems) -> None:
    """Each kept file against its ``attached`` event: name, size, and the SHA-256 of its bytes
    now (so a file changed behind the app's back is named, even if its sha256 column was too)."""
    import hashlib

    want_all = dict(s.attachments)
    for case_id, n, name, size, sha256, content in conn.execute(
            "SELECT case_id, n, name, size, sha256, content FROM attachments ORDER BY case_id, n"):
        want = want_all.pop((case_id, n), None)
        where = f"attachments: case {case_id}'s file {n} ({name!r})"
        if want is None:
            problems.add(f"{where}: no event attached it (added by hand)")
            continue
        actual = hashlib.sha256(bytes(content or b"")).hexdigest()
        if actual != want[2]:
            problems.add(f"{where}: its content is not the file that was attached (its SHA-256 is now {actual}, "
                         f"its event recorded {want[2]})")
        for label, has, wanted in (("name", name, want[0]), ("size", size, want[1]), ("sha256", sha256, want[2])):
            if has != wanted:
                problems.add(f"{where}: {label} is {has!r}, its event recorded {wanted!r}")
    for (case_id, n), want in want_all.items():
        problems.add(f"attachments: case {case_id}'s file {n} ({want[0]!r}) was deleted (its event records it)")
