"""Export -> import keeps every case as it was (issue 18, item 3; issue 24, items 5, 6 and 8):
a log in which every kind, status and field is set goes out as CSV (and through a spreadsheet's
quoting) and as JSON, and comes back with every field equal; the files of the release before
(the bare-list JSON, the CSV with ``\\x0a``) still import; an officer's own ``'`` survives."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from compact_tui.caselog import orgs
from compact_tui.caselog.attachments import attach
from compact_tui.caselog.audit import verify
from compact_tui.caselog.case_export import exported
from compact_tui.caselog.case_log import CaseLog
from compact_tui.caselog.store import Store
from compact_tui.caselog.transfer import export_cases, import_file
from compact_tui.cli import main

from .caselog_helpers import d, new

DATA = Path(__file__).parent / "data"


def every_kind_status_and_field(log, tmp_path) -> None:
    """Each kind of case; open, closed (with an outcome), withdrawn (with its reason) and
    disputes part-way and at an outcome; every field set somewhere, text that a spreadsheet
    or a renderer could misread included."""
    orgs.add_org(log.store, "Age UK", "vcs", "Southampton")
    orgs.sign(log.store, log.registry, "Age UK", "southampton", d("2025-06-01"))
    first = log.log(new("consultation", "southampton", "'=not a formula, my own apostrophe", start="2026-01-05",
                        end="2026-02-02", orgs=["Age UK", "Youth Trust"], cites=["2.4", "4.5"],
                        reason="Budget cut\nagreed at cabinet;\ttabbed", in_writing=True, confidential=True,
                        note="first line\nsecond line"))
    log.set_owner(first["id"], "jo.bloggs")
    evidence = tmp_path / "notice.pdf"
    evidence.write_bytes(b"%PDF-1.4 the council's letter")
    attach(log, first["id"], evidence, note="the letter")
    log.log(new("funding-change", "southampton", "=SUM(A1) grant, see www.example.org or jo@example.org",
                notified="2026-03-01", effective="2026-04-01", period_end="2027-03-31", in_writing=False))
    closed = log.log(new("consultation", "essex", "'quoted by the officer", start="2026-01-05", end="2026-04-30"))
    log.close(closed["id"], on=d("2026-02-01"), outcome="Extended to 12 weeks")
    gone = log.log(new("note", "essex", "Logged twice", opened="2026-01-07", note="a note"))
    log.withdraw(gone["id"], "logged twice:\nsee case 3", on=d("2026-01-08"))
    moving = log.log(new("dispute", "essex", "Cut without notice", opened="2026-01-10", orgs=["Essex CVS"]))
    log.advance(moving["id"], "raise-with-organisation", confirm=["full-information"], on=d("2026-02-01"))
    settled = log.log(new("dispute", "southend", "-5% settled", opened="2026-01-12"))
    log.advance(settled["id"], "resolved-between-parties", on=d("2026-01-20"))
    log.log(new("meeting", "havering", "Steering group", on="2026-01-10", cites=["5.3.p3"]))
    log.log(new("annual-review", "southend", "Review", on="2025-01-15"))
    log.log(new("annual-review", "southend", "Review", on="2026-02-15"))  # 13 months: a finding
    log.log(new("champion", "essex", "@champion appointed", on="2026-01-20", orgs=["Essex CVS"]))
    log.log(new("signatory", "southampton", "Age UK signs", on="2026-02-20", orgs=["Age UK"]))
    log.log(new("note", "high_peak", "+44 phone note", note="call back"))
    log.log(new("funding-change", "southend", "Age UK Southend grant", notified="2026-03-02",  # a reading
                effective="2026-04-13", period_end="2026-03-01"))


def the_cases(log) -> list[dict]:
    """Every case as the export sees it, less what a new case log gives it anew (its id, who
    and when it was written there, its timeline), attachments by name, size and SHA-256."""
    out = []
    for row in log.store.query("SELECT id FROM cases ORDER BY id"):
        case = exported(log.get(row["id"]))
        for k in ("id", "created_by", "created_at", "updated_at", "timeline"):
            case.pop(k)
        case["attachments"] = [(a["name"], a["size"], a["sha256"]) for a in case["attachments"]]
        out.append(case)
    return out


def test_every_column_of_a_case_is_compared(log):
    """So a column added later cannot escape the round trip's comparison."""
    every_kind_status_and_field(log, Path(log.store.path).parent)
    columns = {c["name"] for c in log.store.query("PRAGMA table_info(cases)")}
    compared = set(the_cases(log)[0])
    assert columns - {"id", "created_by", "created_at", "updated_at"} <= compared
    assert {"parties", "cites", "note", "findings", "attachments", "closed_on", "withdrawn_on",
            "withdrawn_reason"} <= compared


def spreadsheet_saved(text: str) -> str:
    """The CSV as a spreadsheet saves it again: every cell quoted, CRLF line ends."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    out = io.StringIO(newline="")
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize("fmt, through", [("csv", None), ("csv", spreadsheet_saved), ("json", None)])
def test_export_then_import_gives_every_case_back_field_for_field(log, registry, tmp_path, fmt, through):
    every_kind_status_and_field(log, tmp_path)
    text = export_cases(log, fmt)
    path = tmp_path / f"all.{fmt}"
    path.write_bytes((through(text) if through else text).encode("utf-8"))
    fresh = CaseLog(Store(tmp_path / "new.db"), registry, actor="importer")
    result = import_file(fresh, path)
    assert (result.errors, len(result.ids)) == ([], 13)
    assert the_cases(fresh) == the_cases(log)
    assert verify(fresh.store.db).ok
    withdrawn = fresh.get(result.ids[3])
    assert [e["action"] for e in withdrawn["events"]] == ["imported", "withdrawn"]
    assert withdrawn["events"][1]["note"] == "logged twice:\nsee case 3"
    # and once more: the attachment's name, size and SHA-256 are carried a second time
    again = tmp_path / f"again.{fmt}"
    again.write_text(export_cases(fresh, fmt), encoding="utf-8")
    third = CaseLog(Store(tmp_path / "third.db"), registry, actor="importer")
    assert import_file(third, again).errors == []
    assert the_cases(third) == the_cases(log)
    fresh.store.close()
    third.store.close()


SOUTHEND_LATE = ("A Compact for Southend-on-Sea 6.3(c): Future funding made known before the end of the current "
                 "funding period (normally): 1 day late; it was due by 2026-03-01.")


def test_a_finding_that_is_our_reading_is_marked_so_in_both_exports_and_after_import(log, registry, tmp_path):
    """Southend 6.3(c) is our reading of what a code still to be written "will promote": its
    finding carries that in the JSON (``standing``) and says it in the CSV, as ``case N`` does,
    and the same after the file is imported into another case log and exported again."""
    log.log(new("funding-change", "southend", "Age UK Southend grant", notified="2026-03-02",
                effective="2026-04-13", period_end="2026-03-01"))
    log.log(new("annual-review", "southend", "Review", on="2025-01-15"))
    log.log(new("annual-review", "southend", "Review", on="2026-02-15"))  # 10.4: stated
    reading = {"rule_id": "funding-decision-before-period-end", "ref": "6.3(c)", "severity": "warning",
               "message": SOUTHEND_LATE, "due": "2026-03-01", "standing": "reading", "severity_standing": "stated"}
    stated = {"rule_id": "annual-review", "ref": "10.4", "severity": "breach",
              "message": "A Compact for Southend-on-Sea 10.4: Annual meeting to review the operation of the Compact: "
                         "held 56 weeks 4 days after the last one (2025-01-15); due every 12 months, by 2026-01-15.",
              "due": "2026-01-15", "standing": "stated", "severity_standing": "stated"}
    for source in (log, None):
        if source is None:  # the JSON imported into a new case log, and exported from there
            path = tmp_path / "all.json"
            path.write_text(export_cases(log, "json"), encoding="utf-8")
            source = CaseLog(Store(tmp_path / "new.db"), registry, actor="importer")
            assert import_file(source, path).errors == []
        cases = json.loads(export_cases(source, "json"))["cases"]
        assert [c["findings"] for c in cases] == [[reading], [], [stated]]
        rows = list(csv.DictReader(io.StringIO(export_cases(source, "csv"), newline="")))
        assert [r["findings"] for r in rows] == [f"warning 6.3(c) (a reading): {SOUTHEND_LATE}", "",
                                                  f"breach 10.4: {stated['message']}"]
        if source is not log:
            source.store.close()


def test_a_json_export_of_the_release_before_still_imports(log):
    """Version 1 was the bare list of cases (``tests/caselog/data/export_v1.json``, written by
    that release): its closed case keeps its outcome, its withdrawn one its reason and date."""
    assert json.loads((DATA / "export_v1.json").read_text())[0]["id"] == 1  # a bare list
    result = import_file(log, DATA / "export_v1.json")
    assert result.errors == [] and len(result.ids) == 5
    check_the_release_befores_cases(log, result.ids)


def test_a_csv_export_of_the_release_before_still_imports(log):
    """That release wrote a line break as ``\\x0a`` and put ``'`` before ``=`` without telling
    it from an officer's own; such a file is read as it was written."""
    assert "\\x0a" in (DATA / "export_v1.csv").read_text()
    result = import_file(log, DATA / "export_v1.csv")
    assert result.errors == [] and len(result.ids) == 5
    check_the_release_befores_cases(log, result.ids)


def check_the_release_befores_cases(log, ids) -> None:
    cases = [log.get(i) for i in ids]
    assert cases[0]["reason"] == "Budget cut\nagreed at cabinet"
    assert cases[1]["title"] == "=SUM(A1) grant"
    assert (cases[2]["status"], cases[2]["outcome"], cases[2]["events"][-1]["happened_on"]) == (
        "closed", "Extended to 12 weeks", "2026-02-01")
    assert (cases[3]["status"], cases[3]["events"][-1]["action"], cases[3]["events"][-1]["happened_on"],
            cases[3]["events"][-1]["note"]) == ("withdrawn", "withdrawn", "2026-01-08", "logged twice")
    assert (cases[4]["stage"], cases[4]["stage_since"]) == ("raise-with-organisation", "2026-02-01")
    assert verify(log.store.db).ok


def test_case_n_lists_the_files_left_in_the_case_log_it_came_from(log, registry, tmp_path, capsys):
    case = log.log(new("note", "essex", "With a letter", note="x"))
    evidence = tmp_path / "notice.pdf"
    evidence.write_bytes(b"%PDF-1.4 the council's letter")
    attach(log, case["id"], evidence)
    path = tmp_path / "all.json"
    path.write_text(export_cases(log, "json"), encoding="utf-8")
    other = tmp_path / "other.db"
    assert main(["--db", str(other), "import", str(path)]) == 0
    capsys.readouterr()
    assert main(["--db", str(other), "case", "1"]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("Attachments in the case log it was imported from (attach each again to keep it here):")
    assert lines[at + 1].startswith("  notice.pdf (29 bytes, SHA-256 ")


def test_a_newer_exports_json_is_refused_with_a_sentence(db_path, tmp_path, capsys):
    path = tmp_path / "new.json"
    path.write_text(json.dumps({"format": "compact-tui cases", "version": 3, "cases": []}))
    assert main(["--db", str(db_path), "import", str(path)]) == 1
    assert capsys.readouterr().err == (f"compact-tui: {path} is a cases export of version 3; this compact-tui reads "
                                       f"versions 1 to 2 (a newer compact-tui wrote it: update this one).\n")


def test_an_officers_own_apostrophe_in_a_sheet_is_kept(log, tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("title,kind\n'=A1 as typed,note\n'quoted,note\n", encoding="utf-8")
    result = import_file(log, path, "essex")
    assert [log.get(i)["title"] for i in result.ids] == ["'=A1 as typed", "'quoted"]


def test_a_line_break_stays_inside_one_quoted_cell(log, tmp_path):
    log.log(new("note", "essex", "Two lines", reason="first\nsecond", note="x"))
    text = export_cases(log, "csv")
    assert '"first\nsecond"' in text and "\\x0a" not in text
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["reason"] == "first\nsecond"
