"""The compact file's format number, and bringing a file written for an earlier format up to
the current one: in memory as it is read (so an older plugin keeps working), or rewritten in
place by ``compact-tui plugin upgrade`` (:func:`upgrade_text`), keeping every word of the text.

Each format, and what changed since the one before, is in ``docs/compact-format.md`` ("The
format number"), with what changes the number and how long earlier formats are read. A file says its format with ``format = N`` at its top;
a file with none was written before formats were numbered, and is read as format 1 if it has a
key only format 1 had (``source`` on a rule, ``text`` on a stage), else as format 2.

What an upgrade cannot decide (where a claim stands, when format 1 never asked) it does not
guess: it carries the claim over as a reading whose words begin :data:`TO_CONFIRM`, and says so.
Shown anywhere, such a claim is marked a reading; ``plugin check`` counts those left to confirm.
A status format 4's list does not hold, and no known words map to, becomes ``unstated``, the
author's words kept in a comment to confirm.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from ..record import record

#: The format this compact-tui writes, and the newest it reads.
FORMAT = 4
#: The top-level key that holds a file's format number.
KEY = "format"

#: The words a thing carried over by an upgrade is marked with, until its author confirms it.
TO_CONFIRM = "TO CONFIRM (carried over by plugin upgrade)"


class FormatError(ValueError):
    """A file that cannot be upgraded (one sentence)."""


@record(frozen=True)
class Change:
    """One change an upgrade makes to a table of the file.

    ``op`` is ``rename`` (``key`` becomes ``value``), ``set`` (``key`` takes ``value``), or
    ``add`` (``key = value`` is added). ``confirm`` says what its author should confirm, for a
    change the upgrade could not decide; ``""`` for one it could.
    """

    path: str  # the table, as content.toml_lines names it: "rules#3", "procedure.moves#1.conditions#2"
    label: str  # the item, as problems name it: "rule notice ([[rules]] #3)"
    op: str
    key: str
    value: Any
    confirm: str = ""


def written_for(data: dict[str, Any]) -> tuple[int, str]:
    """The format ``data`` (a parsed compact file) was written for, and a problem with its
    ``format`` key, if any (then the number is the current one, to read it by). A file that
    says none is format 1 if it has a key only format 1 had, or a ``[procedure]`` with none of
    the keys format 2 added (format 2 asks the procedure where it stands); else format 2."""
    if KEY not in data:
        procedure = data.get("procedure")
        older = _has_format_1_keys(data) or (isinstance(procedure, dict) and not _has_format_2_keys(procedure))
        return (1 if older else 2), ""
    number = data[KEY]
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        return FORMAT, f"'{KEY}' must be a whole number, the format the file is written for (now {FORMAT}), not {number!r}"
    if number > FORMAT:
        return FORMAT, (f"written for format {number}, newer than this compact-tui reads (formats 1 to {FORMAT}): "
                        "upgrade compact-tui")
    return number, ""


def _has_format_1_keys(data: dict[str, Any]) -> bool:
    rules = data.get("rules")
    procedure = data.get("procedure")
    stages = procedure.get("stages") if isinstance(procedure, dict) else None
    return any(isinstance(r, dict) and "source" in r for r in (rules if isinstance(rules, list) else [])) or \
        any(isinstance(s, dict) and "text" in s for s in (stages if isinstance(stages, list) else []))


def _has_format_2_keys(procedure: dict[str, Any]) -> bool:
    """Whether a ``[procedure]`` has a key format 2 added: states or reading on it or on any of
    its moves and their conditions, states or note on a stage, elsewhere."""
    def tables(key: str, within: dict[str, Any]) -> list[dict[str, Any]]:
        found = within.get(key)
        return [t for t in found if isinstance(t, dict)] if isinstance(found, list) else []

    moves = tables("moves", procedure)
    claims = [procedure, *moves, *[c for m in moves for c in tables("conditions", m)]]
    return "elsewhere" in procedure or any("states" in t or "reading" in t for t in claims) or \
        any("states" in s or "note" in s for s in tables("stages", procedure))


def changes(data: dict[str, Any], number: int) -> list[Change]:
    """What bringing ``data``, written for format ``number``, up to :data:`FORMAT` changes: each
    step's changes in turn (format 1 to 2, 2 to 3, then 3 to 4), each step reading what the one
    before made."""
    out: list[Change] = []
    for step, upgrade in ((1, _from_1), (2, _from_2), (3, _from_3)):
        if number <= step:
            found = upgrade(upgraded(data, out) if out else data)
            out += found
    return out


def upgraded(data: dict[str, Any], found: list[Change]) -> dict[str, Any]:
    """``data`` with ``found`` made (a copy), and the current format number."""
    out = copy.deepcopy(data)
    for change in found:
        table = _table(out, change.path)
        if change.op == "rename":
            table[change.value] = table.pop(change.key)
        elif change.op == "drop":
            table.pop(change.key, None)
        elif change.op != "keep":
            table[change.key] = change.value
    out.pop(KEY, None)
    return {KEY: FORMAT, **out}


def _table(data: dict[str, Any], path: str) -> dict[str, Any]:
    here: Any = data
    for part in path.split("."):
        name, _, number = part.partition("#")
        here = here[name][int(number) - 1] if number else here[name]
    assert isinstance(here, dict)
    return here


# -- format 1 to format 2 ----------------------------------------------------------------------


def _to_confirm(what: str) -> str:
    return (f"{TO_CONFIRM}: format 1 did not ask where {what} stands. Quote the text's words for it in 'states' "
            "and delete this reading, or say here why it is a reading.")


def _from_1(data: dict[str, Any]) -> list[Change]:
    return [*_rules_from_1(data), *_procedure_from_1(data)]


def _rules_from_1(data: dict[str, Any]) -> list[Change]:
    from .model import NoticeRule, qualifiers_in
    from .places import label_for

    out: list[Change] = []
    rules = data.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else [], 1):
        if not isinstance(rule, dict):
            continue
        path, label = f"rules#{i}", label_for(NoticeRule, rule, f"rules#{i}")
        words = rule.get("source", rule.get("states", ""))
        if "source" in rule and "states" not in rule:
            out.append(Change(path, label, "rename", "source", "states"))
        if isinstance(rule.get("reading"), str) and rule["reading"].strip():
            out.append(Change(path, label, "keep", "reading", rule["reading"], confirm=(
                "its 'reading' (in format 1, how the words are read into the rule) now makes the rule a reading, "
                "and it is shown as one; if the text states the rule and this only says how it is applied, move "
                "it to 'note'")))
        if "severity_states" in rule or "severity_reading" in rule:
            continue
        found = qualifiers_in(words) if isinstance(words, str) else []
        severity = rule.get("severity", "breach")
        if found and severity == "breach":
            out.append(Change(path, label, "set", "severity", "warning", confirm=(
                f"format 1 called it a breach, but its words say {found[0]!r}, which leaves the duty to judgement: "
                "format 2 makes it a warning")))
        elif severity == "warning" and not found:
            out.append(Change(path, label, "add", "severity_reading", (
                f"{TO_CONFIRM}: format 1 called this rule a warning, but its words carry no qualifier "
                "('normally', 'where appropriate'). Quote the words that make it a warning in 'severity_states' "
                "and delete this reading, or say here why it is one."),
                confirm="a warning whose words carry no qualifier: quote the words that make it one, or say why"))
    return out


def _procedure_from_1(data: dict[str, Any]) -> list[Change]:
    from .model import Condition, Move, Stage
    from .places import label_for

    out: list[Change] = []
    procedure = data.get("procedure")
    if not isinstance(procedure, dict):
        return out
    if not _stands(procedure):
        out.append(Change("procedure", "[procedure]", "add", "reading", _to_confirm("the procedure"),
                          confirm="where the procedure stands (format 1 never asked)"))
    for kind, model, what in (("stages", Stage, "this step"), ("moves", Move, "this move")):
        items = procedure.get(kind)
        for i, item in enumerate(items if isinstance(items, list) else [], 1):
            if not isinstance(item, dict):
                continue
            path = f"procedure.{kind}#{i}"
            label = label_for(model, item, path)
            if kind == "stages" and "text" in item and "states" not in item:
                out.append(Change(path, label, "rename", "text", "states"))
            if kind == "stages" and isinstance(item.get("reading"), str) and item["reading"].strip():
                out.append(Change(path, label, "keep", "reading", item["reading"], confirm=(
                    "its 'reading' (in format 1, how the step is read) now makes the step a reading, and it is "
                    "shown as one; if the text states the step and this only says what it means in practice, "
                    "move it to 'note'")))
            elif not _stands(item, "text"):
                out.append(Change(path, label, "add", "reading", _to_confirm(what),
                                  confirm=f"where {what} stands (format 1 never asked)"))
            conditions = item.get("conditions") if kind == "moves" else None
            for j, cond in enumerate(conditions if isinstance(conditions, list) else [], 1):
                if isinstance(cond, dict) and not _stands(cond):
                    cpath = f"{path}.conditions#{j}"
                    out.append(Change(cpath, label_for(Condition, cond, cpath), "add", "reading",
                                      _to_confirm("this condition"),
                                      confirm="where this condition stands (format 1 never asked)"))
    return out


# -- format 2 to format 3 ----------------------------------------------------------------------


def _from_2(data: dict[str, Any]) -> list[Change]:
    """Format 3 holds a rule's ``exception`` to the words of its ``states``: one that does not
    quote them is taken out (a recorded reason then silences nothing) and kept in a comment."""
    from .model import NoticeRule
    from .places import label_for

    out: list[Change] = []
    rules = data.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else [], 1):
        if not isinstance(rule, dict) or not isinstance(rule.get("exception"), str) or not rule["exception"].strip():
            continue
        states = rule.get("states")
        words = states if isinstance(states, str) else ""
        if " ".join(rule["exception"].split()).lower() in " ".join(words.split()).lower():
            continue
        out.append(Change(f"rules#{i}", label_for(NoticeRule, rule, f"rules#{i}"), "drop", "exception",
                          rule["exception"], confirm=(
                              "its exception does not quote the words of its 'states', as format 3 asks, so it "
                              "is taken out (kept in a comment) and a reason recorded on a case silences nothing; "
                              "quote the text's own words for the exception, if it gives one")))
    return out


# -- format 3 to format 4 ----------------------------------------------------------------------

#: Free-text statuses format 3 accepted that say plainly which listed word they mean (compared
#: in lower case, with hyphens, underscores and runs of spaces as one space).
_STATUS_WORDS = {
    "adopted": ("adopted", "agreed", "signed", "signed up", "endorsed", "approved", "ratified", "in force",
                "final", "final version", "revised", "adopted and revised"),
    "draft": ("draft", "consultation draft", "draft for consultation", "for consultation",
              "out for consultation", "final draft", "proposed"),
    "working-draft": ("working draft", "first working draft", "draft in progress"),
    "unstated": ("unstated", "not stated", "unknown", "not known"),
}


def _from_3(data: dict[str, Any]) -> list[Change]:
    """Format 4 takes ``status`` from a list (:data:`compact_tui.content.model.STATUSES`): a
    free-text status that says plainly which word it means becomes that word; any other becomes
    ``unstated``, the author's words kept in a comment, to confirm."""
    from .model import STATUSES

    compact = data.get("compact")
    status = compact.get("status") if isinstance(compact, dict) else None
    if not isinstance(status, str) or not status.strip() or status in STATUSES:
        return []
    said = " ".join(status.lower().replace("-", " ").replace("_", " ").split())
    word = next((w for w, known in _STATUS_WORDS.items() if said in known), "")
    if word:
        return [Change("compact", "[compact]", "set", "status", word)]
    return [Change("compact", "[compact]", "drop", "status", status, confirm=(
        f"its status {status!r} is not one of the words format 4 takes ({', '.join(STATUSES)}) and the upgrade "
        "cannot tell which it means, so it is set to 'unstated' and your words are kept in a comment; write "
        "the word the text bears out, and say in 'status_reading' why if the text does not state it")),
        Change("compact", "[compact]", "add", "status", "unstated")]


def _stands(item: dict[str, Any], *also: str) -> bool:
    """Whether a table already quotes its words or says why it is a reading."""
    return any(isinstance(item.get(key), str) and item[key].strip() for key in ("states", "reading", *also))


# -- rewriting the file in place ---------------------------------------------------------------


def upgrade_text(text: str, source: str) -> tuple[str, int, list[Change]]:
    """``text`` (a compact file) rewritten for the current format, the format it was written
    for, and the changes made. Only the lines that must change do: a renamed key keeps its
    value, and its line everything else; added keys go just under their table's header, with
    the format number at the top. The result is parsed again and must be exactly the upgraded
    data, or nothing is returned: :class:`FormatError` says why."""
    import tomllib

    from .places import toml_lines

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"{source} is not valid TOML ({exc}): fix that first, then upgrade it.") from None
    number, problem = written_for(data)
    if problem:
        raise FormatError(f"{source}: {problem}.")
    every = changes(data, number)
    found = [c for c in every if c.op != "keep"]
    lines = text.splitlines(keepends=True)
    where = toml_lines(text)
    inserts: dict[int, list[str]] = {}  # after this line (0: the top), these lines
    for change in every:
        if change.confirm and change.op != "add":  # an added reading says it itself
            header = where.get(change.path)
            if header is None:
                raise FormatError(_not_in_place(source, change))
            inserts.setdefault(header, []).append(f"# {TO_CONFIRM}: {change.confirm}.\n")
        if change.op == "keep":
            continue
        if change.op in ("rename", "set", "drop"):
            line = where.get(f"{change.path}.{change.key}")
            if line is None or (change.op == "drop" and re.search(r"=\s*(\"\"\"|\'\'\')", lines[line - 1])):
                raise FormatError(_not_in_place(source, change))
            lines[line - 1] = f"# {lines[line - 1]}" if change.op == "drop" else _edited(lines[line - 1], change)
        else:
            header = where.get(change.path)
            if header is None:
                raise FormatError(_not_in_place(source, change))
            inserts.setdefault(header, []).append(f"{change.key} = {json.dumps(change.value, ensure_ascii=False)}\n")
    if KEY in data:
        line = where.get(KEY)
        if line is None:
            raise FormatError(f"{source}: cannot find the line of its '{KEY}' key; set it to {FORMAT} by hand.")
        lines[line - 1] = re.sub(rf"^(\s*{KEY}\s*=\s*)[^#\s]+", rf"\g<1>{FORMAT}", lines[line - 1], count=1)
    else:
        inserts.setdefault(_top(lines), []).insert(0, f"{KEY} = {FORMAT}  # the compact file format: "
                                                       "docs/compact-format.md, 'The format number'\n\n")
    out: list[str] = []
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    for number_, line_text in enumerate(["", *lines]):
        if number_:
            out.append(line_text)
        out += inserts.get(number_, [])
    new_text = "".join(out)
    if tomllib.loads(new_text) != upgraded(data, found):
        raise FormatError(f"{source}: the rewritten file would not read as the upgrade intends (is a table written "
                          "inline?); nothing was written.")
    return new_text, number, every


def _edited(line: str, change: Change) -> str:
    if change.op == "rename":
        return re.sub(rf"^(\s*){re.escape(change.key)}(\s*=)", rf"\g<1>{change.value}\g<2>", line, count=1)
    return re.sub(r"^(\s*\w+\s*=\s*)(\"[^\"]*\"|'[^']*')", lambda m: m.group(1) + json.dumps(change.value), line,
                  count=1)


def _top(lines: list[str]) -> int:
    """The line after which a top-level key goes: after the opening comments and blank lines."""
    for i, line in enumerate(lines):
        if line.strip() and not line.lstrip().startswith("#"):
            return i
    return len(lines)


def _not_in_place(source: str, change: Change) -> str:
    return (f"{source}: {change.label} is not written as a table of its own (an inline table?), so it cannot be "
            "upgraded in place; nothing was written.")
