"""A case log full of hostile text, shared by the app's and the command line's tests.

Cases, organisations, signatures, findings and events are first written the ordinary way
(through :class:`CaseLog` and ``orgs``), then every text a user or a colleague could have
put there is overwritten with ``sqlite3`` behind the app's back, since the app refuses such
text where it enters: terminal escapes (an OSC title set, a screen clear), Rich/Textual
markup, Markdown links and headings, HTML, spreadsheet formulas and bidi overrides. A
second file holds stored dates nobody could have typed (year 1, year 9999, not a date).
"""

from __future__ import annotations

import sqlite3
import unicodedata
from datetime import date
from pathlib import Path

from compact_tui.caselog import orgs
from compact_tui.caselog.case_log import CaseLog, NewCase
from compact_tui.content.plugins import load_registry
from compact_tui.caselog.store import Store

#: One hostile text: escapes, markup, Markdown, HTML, a bidi override. Each field gets it with a
#: different first character, so CSV formulas (= + - @) and Markdown headings (#) are all tried.
CORE = ("\x1b]0;pwned\x07\x1b[2J[bold]B[/] [@click=app.quit]Q[/] [L](http://evil.example) "
        "<b>*e*</b> |c| `k` \u202eRTL\u202c end")
LEADS = "=+-@#"


def hostile(i: int) -> str:
    return LEADS[i % len(LEADS)] + CORE + f" {i}"


def build(path: Path) -> dict:
    """Write the hostile case log at ``path``; returns the ids of what is in it."""
    registry = load_registry()
    store = Store(path)
    log = CaseLog(store, registry, actor="tester")
    orgs.add_org(store, "Org One", "vcs", "Southend-on-Sea", "Champ")
    orgs.add_org(store, "Org Two", "statutory", "Essex")
    orgs.sign(store, registry, "Org One", "essex", date(2026, 3, 1))
    cases = [
        log.log(NewCase("dispute", "essex", "dispute", dates={"opened": date(2026, 2, 1)}, orgs=["Org One"],
                        note="first")),
        log.log(NewCase("consultation", "southampton", "consultation",
                        dates={"opened": date(2026, 2, 2), "start": date(2026, 2, 2), "end": date(2026, 2, 20)},
                        orgs=["Org Two"], cites=["2.4"], reason="why")),
        log.log(NewCase("funding-change", "southampton", "funding",
                        dates={"opened": date(2026, 2, 3), "notified": date(2026, 2, 3),
                               "effective": date(2026, 2, 10)}, cites=["4.5"])),
        log.log(NewCase("champion", "essex", "champion", dates={"on": date(2026, 4, 1)}, orgs=["Org One"])),
        log.log(NewCase("annual-review", "essex", "review", dates={"on": date(2026, 5, 1)})),
        log.log(NewCase("meeting", "essex", "meeting", dates={"on": date(2026, 5, 2)}, note="minutes")),
    ]
    log.note(cases[0]["id"], "a note", date(2026, 2, 5))
    store.close()
    ids = [c["id"] for c in cases]
    conn = sqlite3.connect(path)
    n = iter(range(10_000))
    with conn:
        for case_id in ids:
            conn.execute("UPDATE cases SET title = ?, reason = ?, parties = ?, due_what = ?, created_by = ?, "
                         "outcome = coalesce(outcome, ?) WHERE id = ?",
                         [hostile(next(n)), hostile(next(n)), hostile(next(n)), hostile(next(n)),
                          hostile(next(n)), hostile(next(n)), case_id])
            conn.execute("UPDATE case_parties SET name = ? WHERE case_id = ?", [hostile(next(n)), case_id])
            conn.execute("UPDATE events SET actor = ?, note = ? WHERE case_id = ?",
                         [hostile(next(n)), hostile(next(n)), case_id])
        for (finding_id,) in conn.execute("SELECT id FROM findings").fetchall():
            conn.execute("UPDATE findings SET message = ? WHERE id = ?", [hostile(next(n)), finding_id])
        for (org_id,) in conn.execute("SELECT id FROM organisations").fetchall():
            conn.execute("UPDATE organisations SET name = ?, locality = ?, champion = ? WHERE id = ?",
                         [hostile(next(n)), hostile(next(n)), hostile(next(n)), org_id])
        # one row whose every column is hostile, even those the app fills itself
        conn.execute(
            "INSERT INTO cases (compact, kind, title, status, stage, stage_since, outcome, opened, due, due_what, "
            "reason, confidential, parties, cites, created_by, created_at, updated_at) "
            "VALUES (?, ?, ?, 'open', ?, ?, ?, '2026-02-09', '2026-02-10', ?, ?, 0, ?, ?, ?, ?, ?)",
            [hostile(next(n)) for _ in range(5)] + [hostile(next(n)) for _ in range(8)])
    conn.close()
    return {"cases": ids, "dispute": ids[0], "orgs": 2}


#: Stored dates nobody could type: before and after the range, past the calendar, not a date.
BAD_DATES = ("0001-01-01", "9999-12-31", "99999-01-01", "not a date", "2026-02-30", "")


def build_bad_dates(path: Path) -> None:
    """A case log whose stored dates are out of range or not dates at all (written with sqlite3)."""
    registry = load_registry()
    store = Store(path)
    log = CaseLog(store, registry, actor="tester")
    made = []
    for bad in BAD_DATES:
        made.append((bad, log.log(NewCase("consultation", "essex", f"c {bad}", dates={
            "opened": date(2026, 1, 5), "start": date(2026, 1, 5), "end": date(2026, 3, 1)}))["id"]))
        made.append((bad, log.log(NewCase("dispute", "southend", f"d {bad}",
                                          dates={"opened": date(2026, 1, 5)}))["id"]))
        made.append((bad, log.log(NewCase("annual-review", "essex", f"r {bad}",
                                          dates={"on": date(2026, 1, 5)}))["id"]))
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        for bad, case_id in made:
            conn.execute('UPDATE cases SET due = ?, stage_since = ?, "end" = ?, "on" = ?, opened = ? WHERE id = ?',
                         [bad, bad, bad, bad, bad, case_id])
        conn.execute("UPDATE events SET happened_on = 'soon', detail = '{not json' WHERE id = 1")
    conn.close()


def raw_characters(text: str) -> list[str]:
    """Characters in ``text`` that would steer a terminal or reorder text (newline and tab are fine)."""
    return sorted({f"U+{ord(ch):04X}" for ch in text if ch not in "\n\t"
                   and (unicodedata.category(ch) in ("Cc", "Cs", "Zl", "Zp") or "\u202a" <= ch <= "\u202e"
                        or "\u2066" <= ch <= "\u2069")})
