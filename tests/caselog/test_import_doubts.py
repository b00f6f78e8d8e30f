"""What import warns about, and what it checks before it takes the write lock (issue 18, item
6; issue 24, item 4): the same case twice, a file imported twice, dates that cannot be right,
a two-figure year; and a colleague who writes while the rows are being checked."""

from __future__ import annotations

from compact_tui.caselog import transfer
from compact_tui.caselog.transfer import import_file
from compact_tui.cli import main

from .caselog_helpers import counts, d, new


def sheet(tmp_path, text: str, name: str = "kept.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_same_case_twice_and_the_same_file_twice_are_warned_about(log, tmp_path):
    path = sheet(tmp_path, "title,kind,opened\nBus routes,note,2026-01-05\nLibrary,note,2026-01-06\n"
                           "Bus routes,note,2026-01-05\n")
    first = import_file(log, path, "essex", today=d("2026-03-01"))
    assert first.written and first.warnings == [
        "row 4 is the same case as row 2 (same compact, kind, title, dates and parties)."]
    again = import_file(log, path, "essex", today=d("2026-03-01"))
    assert again.warnings[0] == ("every row is already in the case log (cases 1 to 3, the same compact, kind, title, "
                                 "dates and parties): was this file imported before?")
    refused = import_file(log, path, "essex", today=d("2026-03-01"), strict=True)
    assert refused.written is False and refused.errors[0].endswith("(--strict)")
    assert counts(log.store)["cases"] == 6


def test_dates_that_cannot_be_right_are_warned_about(log, tmp_path):
    path = sheet(tmp_path, "title,kind,compact,opened,stage,stage_since\n"
                           "Future,note,essex,2026-04-01,,\n"
                           "Stage first,dispute,essex,2026-02-01,raise-with-organisation,2026-01-01\n")
    result = import_file(log, path, today=d("2026-03-01"), dry_run=True)
    assert result.warnings == [
        "row 2: opened 2026-04-01 is after today (2026-03-01).",
        "row 3: stage_since 2026-01-01 is before the case opened (2026-02-01).",
    ]


def test_the_cli_prints_warnings_and_strict_refuses(db_path, tmp_path, capsys):
    path = sheet(tmp_path, "title,kind\nSame,note\nSame,note\n")
    assert main(["--db", str(db_path), "import", str(path), "--compact", "essex", "--strict"]) == 1
    err = capsys.readouterr().err
    assert err.splitlines()[1] == ("  row 3 is the same case as row 2 (same compact, kind, title, dates and parties). "
                                   "(--strict)")
    assert main(["--db", str(db_path), "import", str(path), "--compact", "essex"]) == 0
    out, err = capsys.readouterr()
    assert err == (f"compact-tui: {path}: 1 warning (--strict refuses the file instead):\n"
                   f"  row 3 is the same case as row 2 (same compact, kind, title, dates and parties).\n")
    assert out.startswith("Imported 2 cases")


def test_a_two_figure_year_is_named_and_can_be_read_as_this_century(db_path, tmp_path, capsys):
    """LibreOffice with UK settings saves 31/12/26."""
    path = sheet(tmp_path, "title,kind,start,end\nLibrary hours,consultation,05/01/26,30/03/26\n")
    assert main(["--db", str(db_path), "import", str(path), "--compact", "southampton"]) == 1
    assert capsys.readouterr().err.splitlines()[1] == (
        "  row 2: the start column '05/01/26' has a two-figure year, which could be any century: save the sheet "
        "with four-figure years (in LibreOffice or Excel: format the column as a date DD/MM/YYYY, then save as CSV "
        "again), or import with --short-years to read it as '05/01/2026'.")
    assert main(["--db", str(db_path), "import", str(path), "--compact", "southampton", "--short-years"]) == 0
    assert main(["--db", str(db_path), "case", "1", "--json"]) == 0
    assert '"start": "2026-01-05"' in capsys.readouterr().out


def test_rows_are_checked_before_the_write_lock(log, tmp_path, monkeypatch):
    """No row is prepared inside the import's transaction: the write lock is held only to write."""
    prepare = log.prepare
    inside = []

    def watched(*args, **kw):
        inside.append(log.store.db.conn.in_transaction)
        return prepare(*args, **kw)

    monkeypatch.setattr(log, "prepare", watched)
    path = sheet(tmp_path, "title,kind\n" + "".join(f"Case {i},note\n" for i in range(50)))
    result = import_file(log, path, "essex")
    assert (result.written, result.checked, len(inside), any(inside)) == (True, "before", 50, False)


def test_a_colleague_writing_meanwhile_makes_import_check_again_under_the_lock(log, tmp_path, monkeypatch):
    """Southend 10.4, an annual meeting: a colleague logs the 2025 review while the file (with
    the 2026 one, 13 months later) is being checked. Checked again under the lock, the 2026
    review is found late, as it would be had the two been logged one after the other."""
    plan = transfer._plan
    calls = []

    def colleague_meanwhile(*args, **kw):
        planned = plan(*args, **kw)
        if not calls:
            log.log(new("annual-review", "southend", "Review", on="2025-01-15"))
        calls.append(log.store.db.conn.in_transaction)
        return planned

    monkeypatch.setattr(transfer, "_plan", colleague_meanwhile)
    path = sheet(tmp_path, "title,kind,on\nReview,annual-review,2026-02-15\n")
    result = import_file(log, path, "southend")
    assert (result.written, result.checked, calls) == (True, "again", [False, True])
    assert [f["ref"] for f in log.get(result.ids[0])["findings"]] == ["10.4"]
