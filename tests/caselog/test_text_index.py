"""The search index of the cases' titles and parties (migration m007, ``text_index.py``):
a free word few cases hold is looked up rather than tested on every case; the index follows
every write, whoever makes it; and from the attacker's side, an index edited, emptied,
damaged or cut off from the cases never puts a wrong case into a list, and ``audit verify``
names each of those (and nothing on an untouched log), which ``audit reindex`` puts right."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest

from compact_tui.caselog import case_list, text_index
from compact_tui.caselog.case_list import SORTS, CaseFilter, select
from compact_tui.cli import main
from compact_tui.caselog.store import Store

from .caselog_helpers import new

TITLES = ["Youth club funding", "Grant to Leigh Arts ending", "Ünïcode café review", "50% cut to 'Age_UK'",
          'The "quoted" forum', "Romford youth forum", "Braintree carers"]
PARTIES = [["Romford Youth Trust"], [], ["Café Forum"], ["Age UK"], [], ["Havering Youth Forum", "Age UK"], []]
#: free words (and pairs) as an officer types them, cases that hold them and cases that do not
WORDS = ["youth", "YOUTH", "yo", "y", "rom", "Romford youth", "café", "CAFÉ", "ünï", "50%", "_UK", "'Age_UK'",
         '"quoted"', "quo", "forum Age", "zebra", "zz", "carers braintree", "leigh arts"]


@pytest.fixture
def cases(log):
    for i, (title, parties) in enumerate(zip(TITLES, PARTIES)):
        kind = ("note", "dispute", "meeting")[i % 3]
        dates = {"on": "2026-01-05"} if kind == "meeting" else {}
        log.log(new(kind, ("essex", "southend")[i % 2], title, orgs=parties, opened="2026-01-05", **dates))
    return log


def by_hand(db_path, *statements):
    conn = sqlite3.connect(db_path, isolation_level=None)
    for sql in statements:
        conn.execute(sql)
    conn.close()


def verify_says(db_path, capsys) -> tuple[int, str]:
    code = main(["--db", str(db_path), "audit", "verify"])
    return code, capsys.readouterr().out


def looked_up(log, monkeypatch, flt: CaseFilter, sort: str = "newest") -> list[int]:
    """The ids listed when the index is asked at once (no case read one by one first)."""
    monkeypatch.setattr(case_list, "SCAN_STEPS", 0)
    monkeypatch.setattr(case_list, "STEP", 1)
    return [r["id"] for r in log.list(flt, sort=sort, limit=100)]


@pytest.mark.parametrize("sort", SORTS)
def test_looked_up_or_read_case_by_case_a_word_lists_the_same_cases(cases, monkeypatch, sort):
    for words in WORDS:
        flt = CaseFilter(text=words)
        monkeypatch.setattr(case_list, "SCAN_STEPS", 10**9)  # every case read one by one (LIKE)
        one_by_one = [r["id"] for r in cases.list(flt, sort=sort, limit=100)]
        assert looked_up(cases, monkeypatch, flt, sort) == one_by_one, words
    assert looked_up(cases, monkeypatch, CaseFilter(text="youth")) == [6, 1]
    assert looked_up(cases, monkeypatch, CaseFilter(text="café")) == [3]
    assert looked_up(cases, monkeypatch, CaseFilter(text="50%")) == [4]  # not "50 and anything"
    assert looked_up(cases, monkeypatch, CaseFilter(text="zebra")) == []


def test_a_word_of_three_letters_or_more_is_looked_up_in_the_index(cases):
    conn = cases.store.db.conn
    sql, params = select(CaseFilter(text="zebra"), "tester", "due", indexed=True)
    plan = " / ".join(r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {sql}", [*params, 101, 0]))
    assert f"SCAN {text_index.TABLE} VIRTUAL TABLE INDEX" in plan
    assert text_index.match(["zebra", "zz", "Age"]) == '"zeb" AND "ebr" AND "bra" AND "Age"'
    assert text_index.match(["yo", '"a']) is None  # too short to look up: read case by case
    assert text_index.match(['a"b']) == '"a""b"'


def test_the_index_follows_every_write_the_case_log_makes(cases, monkeypatch):
    cases.update(1, title="Renamed case")
    cases.update(6, parties=["Upminster Carers"])
    cases.withdraw(2, "logged twice")
    assert looked_up(cases, monkeypatch, CaseFilter(text="club")) == []
    assert looked_up(cases, monkeypatch, CaseFilter(text="havering")) == []
    assert looked_up(cases, monkeypatch, CaseFilter(text="renamed")) == [1]
    assert looked_up(cases, monkeypatch, CaseFilter(text="upminster")) == [6]
    assert looked_up(cases, monkeypatch, CaseFilter(text="leigh", status="withdrawn")) == [2]
    assert text_index.check(cases.store.db.conn) == ([], None)


def test_the_index_follows_writes_made_behind_the_apps_back(cases, db_path, monkeypatch):
    by_hand(db_path, "UPDATE cases SET title = 'Hidden agenda' WHERE id = 7",
            "DELETE FROM case_parties WHERE case_id = 5", "DELETE FROM events WHERE case_id = 5",
            "DELETE FROM cases WHERE id = 5")
    assert looked_up(cases, monkeypatch, CaseFilter(text="hidden")) == [7]
    assert looked_up(cases, monkeypatch, CaseFilter(text="quoted")) == []
    assert text_index.check(cases.store.db.conn) == ([], None)


def test_an_untouched_log_verifies_with_its_index(cases, db_path, capsys):
    assert verify_says(db_path, capsys) == (0, "OK: 7 events and 7 cases check out, each event a change its case could take then, and so does the file itself.\n")


NOT_EXACT = ("the search index cases_text does not hold exactly the words of every case (database disk image is "
             "malformed: edited by hand, or cases written while its triggers were gone), so a search can miss a "
             "case; 'compact-tui audit reindex' makes it again from the cases")


def test_a_case_taken_out_of_the_index_by_hand_is_named_and_reindex_puts_it_back(cases, db_path, monkeypatch,
                                                                                capsys):
    """The attack: a case hidden from every search for its words, its rows untouched."""
    by_hand(db_path, "INSERT INTO cases_text(cases_text, rowid, title, parties) "
                     "SELECT 'delete', id, title, parties FROM cases WHERE id = 6")
    assert looked_up(cases, monkeypatch, CaseFilter(text="youth")) == [1]  # what the attacker wanted
    assert verify_says(db_path, capsys) == (1, f"1 problem found:\n  - {NOT_EXACT}\n")
    assert main(["--db", str(db_path), "audit", "reindex"]) == 0
    assert capsys.readouterr().out == f"Made the search index again from the 7 cases in {db_path}.\n"
    assert looked_up(cases, monkeypatch, CaseFilter(text="youth")) == [6, 1]
    assert verify_says(db_path, capsys)[0] == 0


def test_a_case_put_into_the_index_by_hand_is_never_listed_for_a_word_it_lacks(cases, db_path, monkeypatch,
                                                                              capsys):
    by_hand(db_path, "INSERT INTO cases_text(rowid, title, parties) VALUES (3, 'Zebra crossing', '')")
    assert looked_up(cases, monkeypatch, CaseFilter(text="zebra")) == []  # each word is tested on the case
    assert verify_says(db_path, capsys) == (1, f"1 problem found:\n  - {NOT_EXACT}\n")


def test_triggers_dropped_then_a_case_logged_are_both_named(cases, db_path, monkeypatch, capsys):
    by_hand(db_path, "DROP TRIGGER cases_text_after_insert")
    cases.log(new("note", "essex", "Logged while the trigger was gone", opened="2026-01-06"))
    assert looked_up(cases, monkeypatch, CaseFilter(text="trigger")) == []
    assert verify_says(db_path, capsys) == (1, "2 problems found:\n"
        "  - the trigger cases_text_after_insert is missing, so the search index no longer follows the cases\n"
        f"  - {NOT_EXACT}\n")
    assert main(["--db", str(db_path), "audit", "reindex"]) == 0
    capsys.readouterr()
    assert looked_up(cases, monkeypatch, CaseFilter(text="trigger")) == [8]
    assert verify_says(db_path, capsys)[0] == 0


def test_a_trigger_added_or_altered_by_hand_is_named(cases, db_path, capsys):
    by_hand(db_path, "DROP TRIGGER cases_text_after_update",
            "CREATE TRIGGER cases_text_after_update AFTER UPDATE OF title ON cases BEGIN SELECT 1; END",
            "CREATE TRIGGER quietly AFTER INSERT ON events BEGIN SELECT 1; END")
    assert verify_says(db_path, capsys) == (1, "2 problems found:\n"
        "  - the trigger cases_text_after_update was altered: it is not the one migration m007_case_text_index made\n"
        "  - a trigger quietly was added by hand: no version of compact-tui makes it\n")


def test_an_index_made_again_another_way_is_named(cases, db_path, capsys):
    by_hand(db_path, *(f"DROP TRIGGER {name}" for name in text_index.TRIGGERS), "DROP TABLE cases_text",
            "CREATE VIRTUAL TABLE cases_text USING fts5(title, parties, content='cases', content_rowid='id')",
            "INSERT INTO cases_text(cases_text) VALUES ('rebuild')",
            *text_index.TRIGGERS.values())
    assert verify_says(db_path, capsys) == (1, "1 problem found:\n  - the search index cases_text was altered: "
                                               "it is not the table migration m007_case_text_index made\n")


def test_a_damaged_index_still_lists_every_case_is_named_and_made_again(cases, db_path, monkeypatch, capsys):
    by_hand(db_path, "DROP TABLE cases_text_data")
    assert looked_up(cases, monkeypatch, CaseFilter(text="youth")) == [6, 1]  # read case by case instead
    code, out = verify_says(db_path, capsys)
    assert code == 1 and out.startswith("1 problem found:\n  - the search index cases_text does not hold exactly")
    assert main(["--db", str(db_path), "audit", "reindex"]) == 0
    capsys.readouterr()
    assert verify_says(db_path, capsys)[0] == 0
    assert looked_up(cases, monkeypatch, CaseFilter(text="youth")) == [6, 1]


def test_a_missing_index_still_lists_every_case_is_named_and_made_again(cases, db_path, monkeypatch, capsys):
    by_hand(db_path, *(f"DROP TRIGGER {name}" for name in text_index.TRIGGERS), "DROP TABLE cases_text")
    assert looked_up(cases, monkeypatch, CaseFilter(text="youth")) == [6, 1]
    assert verify_says(db_path, capsys) == (1, "1 problem found:\n  - the search index cases_text is missing, so "
        "free words in the Cases filter cannot be looked up ('compact-tui audit reindex' makes it again)\n")
    assert main(["--db", str(db_path), "audit", "reindex"]) == 0
    capsys.readouterr()
    assert verify_says(db_path, capsys)[0] == 0


def test_a_file_only_readable_says_the_index_was_not_checked(cases, db_path, capsys):
    cases.store.close()
    Store(db_path).close()  # (closed last: the WAL folded back into the file)
    if os.geteuid() == 0:  # root ignores modes: the immutable flag
        if subprocess.run(["chattr", "+i", str(db_path)], capture_output=True).returncode != 0:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        undo = ["chattr", "-i", str(db_path)]
    else:
        db_path.chmod(0o400)
        undo = ["chmod", "600", str(db_path)]
    try:
        code = main(["--db", str(db_path), "audit", "verify"])
    finally:
        subprocess.run(undo, check=True)
    captured = capsys.readouterr()
    assert (code, captured.out) == (0, "OK: 7 events and 7 cases check out, each event a change its case could take then, and so does the file itself.\n")
    assert captured.err == ("Note: the search index was not checked against the cases: the file is open only "
                            "for reading.\n")


@pytest.mark.parametrize("typed, text", [
    ("ze", ""), ("zeb", "zeb"), ("ze ", "ze"), ("youth ki", "youth"), ("compact:essex ki", ""),
    ("UK youth", "UK youth"), ('"Age UK', "Age UK"), ("mine", ""), ("compact:es", ""),
])
def test_a_short_last_word_is_still_being_typed_until_a_third_letter_a_space_or_enter(typed, text):
    known = {"compact": ("essex", "southend")}
    assert CaseFilter.parse(typed, known, typing=True).text == text
    assert CaseFilter.parse(typed, known).text == " ".join(
        w for w in typed.replace('"', "").split() if ":" not in w and w != "mine")  # Enter, the command line


def test_the_list_says_a_short_word_is_not_searched_yet():
    from compact_tui.caselog.case_list import unfinished

    assert unfinished("compact:essex ki", {"compact": ("essex",)}, typing=True) == [
        "ki... (a third letter, a space or Enter searches)"]
    assert unfinished("compact:essex ki", {"compact": ("essex",)}) == []
    assert unfinished("ki ", {}, typing=True) == []
