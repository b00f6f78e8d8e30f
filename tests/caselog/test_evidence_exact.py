"""What the events imply, row for row (``evidence.py``), from the attacker's side: a column the
events set but a hand edited afterwards, a file kept with a case renamed or shrunk, and the
rows of a case log sealed by the upgrade, each named exactly once, and nothing else named."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from compact_tui.caselog.audit import verify
from compact_tui.caselog.evidence import Derived, Event, Problems, case_changed, case_logged
from compact_tui.caselog.store import Store

from .caselog_helpers import new
from .test_audit import seeded, tamper  # noqa: F401  (the same nine events, ids 1..9)
from .test_audit_exact import _a_clock_that_ticks, event_at  # noqa: F401  (one second between events)
from .test_chain_upgrade import old_log


def problems(store) -> list[str]:
    return verify(store.db).problems


def test_a_hand_edited_last_change_is_named_with_the_time_its_events_record(seeded, db_path):
    note_at = event_at(db_path, 4)  # case 1's note, its last event
    tamper(db_path, "UPDATE cases SET updated_at = '2020-01-01T00:00:00+00:00' WHERE id = 1")
    assert problems(seeded) == [f"cases row 1: updated_at is '2020-01-01T00:00:00+00:00', its events recorded "
                                f"{note_at!r}"]


def test_each_column_the_logged_event_sets_is_covered(seeded, db_path):
    logged_at = event_at(db_path, 7)  # case 3, the Essex meeting
    tamper(db_path, "UPDATE cases SET created_at = '2020-01-01T00:00:00+00:00', created_by = 'mallory', "
                    "owner = 'mallory', kind = 'note', \"on\" = '2026-02-02', confidential = 1 WHERE id = 3")
    assert sorted(problems(seeded)) == sorted([
        "cases row 3: confidential is 1, its events recorded 0",
        "cases row 3: created_at is '2020-01-01T00:00:00+00:00', its events recorded " + repr(logged_at),
        "cases row 3: created_by is 'mallory', its events recorded 'tester'",
        "cases row 3: kind is 'note', its events recorded 'meeting'",
        "cases row 3: on is '2026-02-02', its events recorded '2026-02-01'",
        "cases row 3: owner is 'mallory', its events recorded 'tester'"])


def test_a_case_whose_every_column_matches_is_not_named(seeded, db_path):
    tamper(db_path, "UPDATE cases SET title = title WHERE id = 1")
    assert problems(seeded) == []
    assert verify(seeded.db).cases == 3


def test_problems_stop_at_the_limit_even_across_tables(seeded, db_path):
    tamper(db_path, "UPDATE cases SET title = 'x'")
    tamper(db_path, "UPDATE organisations SET side = 'statutory'")
    found = verify(seeded.db, limit_problems=4).problems
    assert found == ["cases row 1: title is 'x', its events recorded 'first'",
                     "cases row 2: title is 'x', its events recorded 'second'",
                     "cases row 3: title is 'x', its events recorded 'third'",
                     "organisations row 1 ('Age UK'): side is 'statutory', its events recorded 'vcs'"]


# -- the replay itself, on events made by hand ---------------------------------------------------

def test_a_logged_event_makes_the_case_with_who_and_when_and_its_lists():
    s = Derived()
    case_logged(s, Event(1, 7, "2026-02-01T09:00:01+00:00", "jo"),
                {"set": {"title": "t"}, "parties": [["Age UK", 1]], "cites": ["2.4"],
                 "findings": [["southampton", "r", "2.4", "warning", "m", "2026-03-30"]]})
    assert s.cases == {7: {"created_by": "jo", "owner": "jo", "created_at": "2026-02-01T09:00:01+00:00",
                           "title": "t", "updated_at": "2026-02-01T09:00:01+00:00"}}
    assert (s.parties, s.cites, s.findings) == ({7: [("Age UK", 1)]}, {7: ["2.4"]},
                                                {7: [("southampton", "r", "2.4", "warning", "m", "2026-03-30")]})


def test_a_logged_event_that_names_the_holder_keeps_it():
    s = Derived()
    case_logged(s, Event(1, 7, "t1", "jo"), {"set": {"owner": "sam"}})
    assert s.cases[7]["owner"] == "sam" and s.cases[7]["created_by"] == "jo"
    assert (s.parties, s.cites, s.findings) == ({7: []}, {7: []}, {7: []})


def test_a_change_replaces_only_the_lists_it_carries():
    s = Derived()
    case_logged(s, Event(1, 7, "t1", "jo"), {"parties": [["A", None]], "cites": ["1"], "findings": [["c"] * 6]})
    case_changed(s, Event(2, 7, "t2", "sam"), {"set": {"title": "new"}, "cites": ["2"]})
    assert s.cases[7] == {"created_by": "jo", "owner": "jo", "created_at": "t1", "title": "new", "updated_at": "t2"}
    assert (s.parties[7], s.cites[7], s.findings[7]) == ([("A", None)], ["2"], [("c",) * 6])
    case_changed(s, Event(3, 7, "t3", "sam"), {"parties": [], "findings": []})
    assert (s.parties[7], s.cites[7], s.findings[7]) == ([], ["2"], [])


def test_the_problem_list_knows_when_it_is_full():
    found = Problems(2)
    assert not found.full
    found.add("one")
    assert not found.full
    found.add("two")
    found.add("three")
    assert found.full and list(found) == ["one", "two"]


# -- a file kept with a case ---------------------------------------------------------------------

@pytest.fixture
def attached(log, tmp_path):
    case = log.log(new("funding-change", "southampton", "grant", notified="2026-01-05", effective="2026-06-01"))
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(b"%PDF notice of ending the grant")
    log.attach(case["id"], letter)
    return case["id"]


@pytest.mark.parametrize("sql, said", [
    ("UPDATE attachments SET name = 'other.pdf'", "attachments: case {c}'s file 1 ('other.pdf'): name is 'other.pdf', "
                                                  "its event recorded 'letter.pdf'"),
    ("UPDATE attachments SET size = 3", "attachments: case {c}'s file 1 ('letter.pdf'): size is 3, its event "
                                        "recorded 31"),
    ("UPDATE attachments SET sha256 = 'abc'", "attachments: case {c}'s file 1 ('letter.pdf'): sha256 is 'abc', its "
                                              "event recorded '{sha}'"),
])
def test_each_column_of_a_kept_file_is_covered(log, attached, db_path, sql, said):
    tamper(db_path, sql)
    sha = hashlib.sha256(b"%PDF notice of ending the grant").hexdigest()
    assert problems(log.store) == [said.format(c=attached, sha=sha)]


# -- a case log sealed by the upgrade (its rows as they stood then) ------------------------------

@pytest.fixture
def upgraded(tmp_path):
    path = tmp_path / "old.db"
    old_log(path)
    Store(path).close()
    return path


@pytest.mark.parametrize("sql, said", [
    ("UPDATE cases SET owner = 'mallory' WHERE id = 1",
     ["cases row 1: owner is 'mallory', its events recorded 'old'"]),  # sealed before cases had holders
    ("UPDATE cases SET title = 'renamed' WHERE id = 2", ["cases row 2: title is 'renamed', its events recorded 'second'"]),
    ("DELETE FROM case_cites WHERE case_id = 1", ["case_cites: case 1's cited clause '2.4' was removed (its events "
                                                  "record it)"]),
    ("UPDATE organisations SET name = 'Age Concern'", ["organisations row 1 ('Age Concern'): name is 'Age Concern', "
                                                       "its events recorded 'Age UK'"]),
    ("INSERT INTO findings (case_id, compact, rule_id, ref, severity, message, due) VALUES "
     "(1, 'southampton', 'consultation-12-weeks', '2.4', 'warning', 'forged', NULL)",
     ["findings row 1 (case 1): a warning of rule consultation-12-weeks that its events do not record"]),
    ("DELETE FROM signatures", ["signatures row (organisation 1, southampton): deleted, though its events record it"]),
    ("DELETE FROM organisations WHERE id = 1",
     ["organisations row 1 ('Age UK'): deleted, though its events remain"]),
])
def test_the_rows_sealed_by_the_upgrade_are_covered_exactly(upgraded, sql, said):
    conn = sqlite3.connect(upgraded)
    with conn:
        conn.execute(sql)
    conn.close()
    store = Store(upgraded)
    found = verify(store.db).problems
    store.close()
    if "DELETE FROM organisations" in sql:  # the signature and the parties now point at nothing
        assert found[-1:] == said and all("refers to a organisations row that does not exist" in p
                                          for p in found[:-1]) and found[:-1]
    else:
        assert found == said
