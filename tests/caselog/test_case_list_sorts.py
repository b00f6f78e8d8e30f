"""The Cases list reads its first page in each sort without sorting what matches (migration
m006's indexes, proved by SQLite's own query plan), half-typed filters do not turn into a
pass over every case, and a read on the list's own connection can be stopped (issue 10)."""

from __future__ import annotations

import sqlite3

import pytest

from compact_tui.content.listing import reading_rules
from compact_tui.caselog.case_list import SORTS, STATUSES, CaseFilter, CaseReader, mark_readings, select, unfinished
from compact_tui.caselog import text_index
from compact_tui.cli import main
from compact_tui.caselog.schema_migrations import CASE_LIST_INDEXES, migrations
from compact_tui.caselog.store import Store

from .caselog_helpers import new

#: (filter typed, sort) -> the index SQLite must read the cases through, in that order (or
#: any of those named, space-separated). Written by hand from the indexes m001, m004 and m006
#: make; "" means the table itself in id order.
EXPECTED_INDEX = {
    ("", "newest"): "", ("", "oldest"): "", ("", "due"): "cases_by_due", ("", "title"): "cases_by_title",
    **{(f"compact:essex{more}", sort): index
       for more in ("", " youth") for sort, index in (
           ("newest", "cases_compact_by_id"), ("oldest", "cases_compact_by_id"),
           ("due", "cases_compact_by_due"), ("title", "cases_compact_by_title"))},
    # two fields: either one's index will do, in the sort's order
    **{("compact:essex mine", sort): index for sort, index in (
        ("newest", "cases_compact_by_id cases_owner"), ("oldest", "cases_compact_by_id cases_owner"),
        ("due", "cases_compact_by_due cases_owner_by_due"), ("title", "cases_compact_by_title cases_owner_by_title"))},
    **{("compact:essex status:open", sort): index for sort, index in (
        ("newest", "cases_compact_by_id cases_status_by_id"), ("oldest", "cases_compact_by_id cases_status_by_id"),
        ("due", "cases_compact_by_due cases_status_by_due"),
        ("title", "cases_compact_by_title cases_status_by_title"))},
    **{("kind:dispute", sort): index for sort, index in (
        ("newest", "cases_kind"), ("oldest", "cases_kind"), ("due", "cases_kind_by_due"),
        ("title", "cases_kind_by_title"))},
    **{("status:open", sort): index for sort, index in (
        ("newest", "cases_status_by_id"), ("oldest", "cases_status_by_id"), ("due", "cases_status_by_due"),
        ("title", "cases_status_by_title"))},
    **{(f"{who}", sort): index for who in ("owner:tester", "mine") for sort, index in (
        ("newest", "cases_owner"), ("oldest", "cases_owner"), ("due", "cases_owner_by_due"),
        ("title", "cases_owner_by_title"))},
    **{("compact:essex kind:dispute", sort): index for sort, index in (
        ("newest", "cases_compact_kind"), ("oldest", "cases_compact_kind"),
        ("due", "cases_compact_kind_by_due"), ("title", "cases_compact_kind_by_title"))},
    # free words alone: one pass in the sort's order (the due and title indexes carry the
    # title, parties and status, so a word matching nothing never looks up a case)
    **{("youth", sort): index for sort, index in (
        ("newest", ""), ("oldest", ""), ("due", "cases_by_due"), ("title", "cases_by_title"))},
}


@pytest.fixture
def listed(log):
    for i, (kind, compact) in enumerate([("dispute", "essex"), ("consultation", "southend"), ("note", "essex"),
                                         ("funding-change", "havering"), ("meeting", "high_peak")] * 4):
        dates = {"consultation": {"start": "2026-01-05", "end": "2026-03-30"},
                 "funding-change": {"notified": "2026-01-05", "effective": "2026-02-01"},
                 "meeting": {"on": "2026-01-05"}}.get(kind, {})
        log.log(new(kind, compact, f"Youth case {i}", opened="2026-01-05", **dates))
    return log


def plan(log, query: str, sort: str) -> list[str]:
    sql, params = select(CaseFilter.parse(query), "tester", sort)
    return [row["detail"] for row in log.store.query("EXPLAIN QUERY PLAN " + sql, [*params, 101, 0])]


@pytest.mark.parametrize("query, sort", sorted(EXPECTED_INDEX))
def test_each_sort_of_each_filter_is_read_in_order_through_its_index(listed, query, sort):
    steps = plan(listed, query, sort)
    assert not any("TEMP B-TREE" in step for step in steps), steps
    index = EXPECTED_INDEX[query, sort]
    cases = [step for step in steps if " cases" in step and "SUBQUERY" not in step][0]
    if index:
        assert cases.startswith(("SEARCH cases USING INDEX ", "SCAN cases USING INDEX ")), cases
        assert cases.split("USING INDEX ")[1].split(" ")[0] in index.split(), cases
    else:
        assert cases == "SCAN cases", cases


def test_the_sorts_claimed_are_every_sort_the_list_offers():
    assert {sort for _, sort in EXPECTED_INDEX} == set(SORTS)


def test_each_sort_gives_what_its_order_by_says(listed):
    """The indexes change how the rows are found, never which rows or their order."""
    listed.close(2)  # a consultation
    listed.withdraw(4, "logged twice")  # a funding change
    for query in ("", "compact:essex", "status:open", "youth"):
        for sort in SORTS:
            got = [r["id"] for r in listed.list(CaseFilter.parse(query), sort=sort, limit=100)]
            rows = listed.store.query("SELECT id, due, title FROM cases WHERE status != 'withdrawn'")
            rows = [r for r in rows if not query.startswith("compact:") or r["id"] in
                    {c["id"] for c in listed.store.query("SELECT id FROM cases WHERE compact = 'essex'")}]
            if query == "status:open":
                rows = [r for r in rows if r["id"] in {c["id"] for c in listed.store.query(
                    "SELECT id FROM cases WHERE status = 'open'")}]
            key = {"newest": lambda r: -r["id"], "oldest": lambda r: r["id"],
                   "due": lambda r: (r["due"] is None, r["due"] or "", -r["id"]),
                   "title": lambda r: (r["title"].lower(), -r["id"])}[sort]
            assert got == [r["id"] for r in sorted(rows, key=key)], (query, sort)


@pytest.mark.parametrize("typed, means", [
    ("compact:", CaseFilter()),
    ("compact:essex kind:", CaseFilter(compact="essex")),
    ("compact:essex kind: status:", CaseFilter(compact="essex")),
    ("org:", CaseFilter()),
    ('org:"Age UK', CaseFilter(org="Age UK")),
    ('org:"Age UK" youth', CaseFilter(org="Age UK", text="youth")),
    ("Older People's", CaseFilter(text="Older People's")),
    ("compact:ess", CaseFilter(compact="ess")),
])
def test_a_half_typed_filter_means_what_is_typed_so_far(typed, means):
    assert CaseFilter.parse(typed) == means


KNOWN = {"compact": ("essex", "southend", "southampton"), "kind": ("dispute", "note"), "status": STATUSES}


@pytest.mark.parametrize("typed, means", [
    ("compact:ess", CaseFilter()),  # the beginning of essex: still being typed
    ("compact:s", CaseFilter()),
    ("compact:southend", CaseFilter(compact="southend")),
    ("compact:esx", CaseFilter(compact="esx")),  # begins no compact: a filter, no case matches
    ("compact:essexx", CaseFilter(compact="essexx")),
    ("compact:essex kind:disp", CaseFilter(compact="essex")),
    ("status:op youth", CaseFilter(text="youth")),
    ("org:Age", CaseFilter(org="Age")),  # organisations are not known ahead: as typed
])
def test_a_value_that_only_begins_a_known_one_is_still_being_typed(typed, means):
    assert CaseFilter.parse(typed, KNOWN) == means


def test_what_names_nothing_yet_is_said_in_a_few_words():
    assert unfinished("compact:s kind:note youth", KNOWN) == ["compact:s... (southend, southampton)"]
    assert unfinished("compact:esx status:", KNOWN) == ["no compact esx (essex, southend, southampton)"]
    assert unfinished('compact:essex org:"Age UK', KNOWN) == []


def test_a_field_with_no_value_yet_reads_no_case_more_than_the_rest(listed):
    """``compact:`` used to be a word searched for in every title and party: now it adds
    nothing, and ``compact:ess`` (no such compact) is one look-up in an index."""
    assert plan(listed, "compact:", "newest") == plan(listed, "", "newest")
    assert plan(listed, "compact:essex kind:", "due") == plan(listed, "compact:essex", "due")
    steps = plan(listed, "compact:ess", "newest")
    assert steps[0] == "SEARCH cases USING INDEX cases_compact_by_id (compact=?)"
    assert listed.list(CaseFilter.parse("compact:ess")) == []


def test_the_reader_gives_what_the_case_log_lists_and_can_be_stopped(listed, db_path):
    reader = CaseReader(db_path, "tester")
    for query in ("", "compact:essex", "mine youth", "finding:breach"):
        for sort in SORTS:
            flt = CaseFilter.parse(query)
            page = reader.page(flt, sort, 7, 3)  # the app marks readings on what it reads (mark_readings)
            assert mark_readings(page, reading_rules(listed.registry)) == listed.list(flt, sort=sort, limit=7, offset=3)
    # interrupt() from inside the read (SQLite's progress handler runs while it steps), so
    # the stop lands mid-read every time (a word of two letters: a longer one's read sets a
    # progress handler of its own, case_list.read)
    reader.conn.set_progress_handler(lambda: reader.interrupt(), 1)
    assert reader.page(CaseFilter(text="yo"), "title", 50) is None
    reader.conn.set_progress_handler(None, 1)
    assert len(reader.page(CaseFilter(text="yo"), "title", 50)) == 20, "the next read is whole"
    reader.close()


def test_the_reader_cannot_write(listed, db_path):
    reader = CaseReader(db_path, "tester")
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.conn.execute("DELETE FROM cases")
    reader.close()
    assert listed.count() == 20


# -- the migration ---------------------------------------------------------------------------


def schema(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name").fetchall()
    conn.close()
    return rows


def test_a_case_log_at_the_previous_schema_keeps_its_rows_gains_the_indexes_and_verifies(tmp_path, registry):
    from compact_tui.caselog.case_log import CaseLog

    previous = tmp_path / "m005.db"
    older = sqlite3.connect(previous)
    from sqlite_utils import Database

    migrations.apply(Database(older), stop_before="m006_case_list_sorts")
    older.close()
    # A case log with cases, written by the case log itself, then taken back to schema m005:
    # the file a compact-tui before m006 left (checked: the same schema, table for table).
    path = tmp_path / "cases.db"
    store = Store(path)
    log = CaseLog(store, registry, actor="officer")
    for i in range(12):
        kind = ("consultation", "dispute", "meeting")[i % 3]
        dates = {"consultation": {"start": "2026-01-05", "end": "2026-02-02"}, "meeting": {"on": "2026-01-05"}}
        log.log(new(kind, ("essex", "southend")[i % 2], f"Case {i}", opened="2026-01-05", **dates.get(kind, {})))
    log.close(1)
    log.withdraw(4, "logged twice")
    lists = {sort: log.list(sort=sort, limit=100) for sort in SORTS}
    store.close()
    conn = sqlite3.connect(path)
    with conn:
        for statement in CASE_LIST_INDEXES:
            conn.execute("DROP INDEX " + statement.split()[2])
        for name in text_index.TRIGGERS:  # and m007's search index, made after m006
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute(f"DROP TABLE {text_index.TABLE}")
        conn.execute("DROP INDEX cases_compact_year")  # and m008's
        conn.execute("DELETE FROM _sqlite_migrations WHERE name >= 'm006'")
    conn.close()
    assert schema(path) == schema(previous)
    tables = {t: sqlite3.connect(path).execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
              for t in ("cases", "events", "case_parties", "findings", "chain_head")}

    store = Store(path)  # opened by this version: m006 (and those after it) applied
    assert store.schema_current
    names = {r["name"] for r in store.query("SELECT name FROM sqlite_master WHERE type = 'index'")}
    assert {s.split()[2] for s in CASE_LIST_INDEXES} <= names
    log = CaseLog(store, registry, actor="officer")
    assert {sort: log.list(sort=sort, limit=100) for sort in SORTS} == lists
    store.close()
    assert {t: sqlite3.connect(path).execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall()
            for t in tables} == tables, "indexes only: no row and no event changed"
    assert main(["--db", str(path), "audit", "verify"]) == 0


def test_a_compact_tui_before_m006_reads_but_will_not_write_a_migrated_file(tmp_path, registry, monkeypatch,
                                                                          capsys):
    path = tmp_path / "cases.db"
    Store(path).close()  # migrated to m006 by this version
    before = [(name, f) for name, f in migrations._functions if name < "m006"]
    monkeypatch.setattr(migrations, "_functions", before)  # what the version before knew
    store = Store(path)
    assert store.refusal is not None and "its schema is version 8" in store.refusal
    assert "knows up to version 5" in store.refusal
    store.close()


@pytest.mark.parametrize("typed, means", [
    ("compact:Essex", CaseFilter(compact="essex")),
    ("Compact:ESSEX Kind:Dispute STATUS:Open finding:Breach", CaseFilter(compact="essex", kind="dispute",
                                                                          status="open", finding="breach")),
    ('org:"Age UK" Youth', CaseFilter(org="Age UK", text="Youth")),  # names and words: as typed
    ("compact:Ess", CaseFilter()),  # still the beginning of essex
])
def test_compacts_kinds_statuses_and_findings_match_whatever_their_case(typed, means):
    assert CaseFilter.parse(typed, KNOWN) == means


def test_a_filter_made_in_code_folds_its_compact_too(listed):
    assert CaseFilter(compact="ESSEX", kind="Dispute") == CaseFilter(compact="essex", kind="dispute")
    upper = listed.list(CaseFilter(compact="Essex"), limit=100)
    assert upper and upper == listed.list(CaseFilter(compact="essex"), limit=100)


def test_what_names_nothing_is_said_whatever_the_case_typed():
    assert unfinished("Compact:ESX", KNOWN) == ["no compact esx (essex, southend, southampton)"]
    assert unfinished("compact:Essex", KNOWN) == []


def test_the_command_line_lists_a_compact_named_in_capitals(tmp_path, capsys):
    from compact_tui.cli import main

    db = str(tmp_path / "c.db")
    assert main(["--db", db, "log", "note", "--compact", "Essex", "--title", "Met the forum"]) == 0
    capsys.readouterr()
    assert main(["--db", db, "cases", "--compact", "ESSEX"]) == 0
    out = capsys.readouterr().out
    assert "Met the forum" in out and "essex" in out


def test_the_command_line_says_so_before_it_upgrades_a_case_log_once(tmp_path, capsys):
    path = tmp_path / "cases.db"
    conn = sqlite3.connect(path)
    migrations.apply(conn, stop_before="m006_case_list_sorts")  # a log the version before made
    conn.close()
    assert main(["--db", str(path), "cases"]) == 0
    err = capsys.readouterr().err
    assert err == (f"compact-tui: bringing the case log {path} up to this version's schema (version 5 to 8); "
                   "this happens once, and takes a few seconds on a large log...\n")
    assert main(["--db", str(path), "cases"]) == 0
    assert capsys.readouterr().err == ""  # once
    fresh = tmp_path / "new.db"
    assert main(["--db", str(fresh), "cases"]) == 0
    assert capsys.readouterr().err == ""  # a new log is made, not upgraded: nothing to say
