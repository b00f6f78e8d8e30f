"""Import from a spreadsheet (all rows or none, each checked as ``log`` checks it) and export
with timelines; an export imported into a new case log gives the same cases."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os

import pytest

from compact_tui.caselog.audit import verify
from compact_tui.caselog.case_log import CaseLog
from compact_tui.cli import main
from compact_tui.errors import UserError
from compact_tui.caselog.store import Store
from compact_tui.caselog.transfer import export_cases, import_csv

from .caselog_helpers import counts, d, new


def write_csv(path, rows) -> str:
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return str(path)


HEADER = ["Title", "Kind", "Start", "End", "Parties", "Clauses cited", "Reason", "Confidential"]


def test_each_row_becomes_a_case_with_the_compacts_rules_applied(log, tmp_path):
    path = write_csv(tmp_path / "kept.csv", [
        HEADER,
        ["Library hours", "consultation", "2026-01-05", "2026-02-02", "Age UK; Youth Trust", "2.4", "", "no"],
        ["Bus routes", "consultation", "2026-01-05", "2026-04-30", "", "", "", "yes"],
    ])
    result = import_csv(log, path, "southampton", today=d("2026-01-05"))
    assert (result.rows, result.ids, result.errors, result.written) == (2, [1, 2], [], True)
    first = log.get(1)
    assert (first["title"], first["start"], first["end"], first["parties"], first["cites"]) == (
        "Library hours", "2026-01-05", "2026-02-02", ["Age UK", "Youth Trust"], ["2.4"])
    # Southampton 2.4: 12 weeks for a formal written consultation; four weeks given
    assert [(f["ref"], f["severity"], f["due"]) for f in first["findings"]] == [("2.4", "warning", "2026-03-30")]
    assert log.get(2)["confidential"] is True and log.get(2)["findings"] == []
    [event] = first["events"]
    assert (event["action"], event["note"]) == ("imported", "Imported from kept.csv, row 2.")
    assert event["detail"]["source"] == {"file": "kept.csv", "row": 2,
                                         "sha256": hashlib.sha256(open(path, "rb").read()).hexdigest()}
    assert verify(log.store.db).ok


def test_a_thousand_rows_with_three_bad_ones_write_nothing_and_name_each(log, tmp_path):
    rows = [HEADER] + [[f"Consultation {i}", "consultation", "2026-01-05", "2026-04-30", "", "", "", ""]
                       for i in range(1000)]
    rows[100][0] = ""                      # row 101: no title
    rows[501][3] = "31/04/2026"            # row 502: April has 30 days
    rows[1000][5] = "99.9"                 # row 1001: a clause Southampton does not have
    path = write_csv(tmp_path / "big.csv", rows)
    before = counts(log.store)
    result = import_csv(log, path, "southampton")
    assert result.errors == [
        "row 101: the title is empty.",
        "row 502: the end column '31/04/2026' is not a date: use YYYY-MM-DD (or DD/MM/YYYY), 'today', or an "
        "offset such as +12w, -3d, +3m.",
        "row 1001: Southampton Compact has no clause '99.9' to cite ('compact-tui show southampton' lists them).",
    ]
    assert (result.ids, result.written) == ([], False)
    assert counts(log.store) == before


def test_a_spreadsheets_day_month_year_dates_are_read_in_englands_order(log, tmp_path):
    """Day first: 05/01/2026 is 5 January (month first, 30/03/2026 would be no date at all).
    Southampton 2.4 owes 12 weeks' consultation, and 5 January to 30 March 2026 is 12 weeks:
    nothing is found."""
    path = write_csv(tmp_path / "kept.csv", [HEADER, ["Library hours", "consultation", "05/01/2026", "30/03/2026",
                                                      "", "2.4", "", ""]])
    result = import_csv(log, path, "southampton")
    assert result.errors == [] and result.written
    case = log.get(result.ids[0])
    assert (case["start"], case["end"]) == ("2026-01-05", "2026-03-30")
    assert case["findings"] == []


@pytest.mark.parametrize("log_args, cells", [
    (["--title", "Bad \x1b[31mtitle"], {"Title": "Bad \x1b[31mtitle"}),
    (["--title", "x" * 201], {"Title": "x" * 201}),
    (["--title", "Closes first", "--start", "2026-03-01", "--end", "2026-02-01"],
     {"Title": "Closes first", "Start": "2026-03-01", "End": "2026-02-01"}),
    (["--title", "Cites", "--cite", "99.9"], {"Title": "Cites", "Clauses cited": "99.9"}),
])
def test_a_row_is_refused_with_the_sentence_log_gives(db_path, tmp_path, capsys, log_args, cells):
    assert main(["--db", str(db_path), "log", "consultation", "--compact", "southampton", *log_args]) == 1
    sentence = capsys.readouterr().err.removeprefix("compact-tui: ").rstrip("\n")
    row = {"Title": "", "Kind": "consultation", "Start": "", "End": "", "Clauses cited": "", **cells}
    path = write_csv(tmp_path / "one.csv", [list(row), list(row.values())])
    assert main(["--db", str(db_path), "import", path, "--compact", "southampton"]) == 1
    assert capsys.readouterr().err.splitlines()[1] == f"  row 2: {sentence}"


def test_a_header_it_does_not_know_is_named(log, tmp_path):
    path = write_csv(tmp_path / "h.csv", [["Title", "Kind", "Colour"], ["x", "note", "red"]])
    with pytest.raises(UserError, match="^the column 'Colour' is not one import knows"):
        import_csv(log, path, "essex")
    assert counts(log.store)["cases"] == 0


def test_a_dry_run_checks_every_row_and_writes_nothing(log, tmp_path):
    path = write_csv(tmp_path / "kept.csv", [HEADER, ["Library hours", "consultation", "2026-01-05", "2026-02-02",
                                                      "", "2.4", "", ""]])
    result = import_csv(log, path, "southampton", dry_run=True)
    assert (result.rows, result.errors, result.findings, result.written) == (1, [], 1, False)
    assert counts(log.store)["cases"] == 0 and counts(log.store)["events"] == 0


def test_a_row_sees_the_rows_above_it(log, tmp_path):
    """Southend 10.4, an annual meeting: the second review, 13 months after the first in the same
    file, is late, as it would be if the two had been logged one after the other."""
    path = write_csv(tmp_path / "reviews.csv", [["title", "kind", "on"], ["Review", "annual-review", "2025-01-15"],
                                                 ["Review", "annual-review", "2026-02-15"]])
    result = import_csv(log, path, "southend")
    assert [f["ref"] for f in log.get(result.ids[1])["findings"]] == ["10.4"]


def a_varied_log(log):
    """Cases of every shape the round trip has to carry."""
    log.log(new("consultation", "southampton", "Library hours", start="2026-01-05", end="2026-02-02",
                orgs=["Age UK", "Youth Trust"], cites=["2.4"]))
    log.log(new("funding-change", "southampton", "=SUM(A1) grant", effective="2026-06-01", in_writing=False,
                reason="Budget cut\nagreed at cabinet"))
    log.log(new("consultation", "essex", "-5% transport", start="2026-01-05", end="2026-04-30", confidential=True))
    closed = log.log(new("consultation", "essex", "Closed early", start="2026-01-05", end="2026-04-30"))
    log.close(closed["id"])
    dispute = log.log(new("dispute", "essex", "Cut without notice", opened="2026-01-10", orgs=["Essex CVS"]))
    log.advance(dispute["id"], "raise-with-organisation", confirm=["full-information"], on=d("2026-02-01"))
    log.log(new("meeting", "havering", "Steering group", on="2026-01-10", cites=["5.3.p3"]))
    log.log(new("annual-review", "southend", "Review", on="2025-01-15"))
    late = log.log(new("annual-review", "southend", "Review", on="2026-02-15"))
    log.set_owner(late["id"], "jo.bloggs")


SAME = ("compact", "kind", "title", "status", "stage", "stage_since", "outcome", "opened", "start", "end", "notified",
        "effective", "period_end", "on", "parties", "cites", "reason", "in_writing", "confidential", "owner", "due",
        "due_what")


def the_cases(log) -> list[dict]:
    out = []
    for row in log.store.query("SELECT id FROM cases ORDER BY id"):
        case = log.get(row["id"])
        out.append({**{k: case[k] for k in SAME},
                    "findings": [(f["rule_id"], f["ref"], f["severity"], f["message"], f["due"])
                                 for f in case["findings"]]})
    return out


def test_export_then_import_into_a_new_case_log_gives_the_same_cases(log, registry, tmp_path):
    a_varied_log(log)
    exported = tmp_path / "all.csv"
    exported.write_text(export_cases(log, "csv"), encoding="utf-8")
    fresh = CaseLog(Store(tmp_path / "new.db"), registry, actor="tester")
    result = import_csv(fresh, exported)
    assert result.errors == [] and len(result.ids) == 8
    assert the_cases(fresh) == the_cases(log)
    assert verify(fresh.store.db).ok
    fresh.store.close()


def test_the_json_export_has_every_case_with_its_timeline(log):
    a_varied_log(log)
    document = json.loads(export_cases(log, "json"))
    assert {k: document[k] for k in ("format", "version", "written_by", "compact")} == {
        "format": "compact-tui cases", "version": 2, "written_by": "compact-tui 0.1.0", "compact": None}
    cases = document["cases"]
    assert [c["id"] for c in cases] == list(range(1, 9))
    dispute = cases[4]
    assert [e["action"] for e in dispute["timeline"]] == ["logged", "advanced"]
    assert dispute["timeline"][1]["detail"]["from"] == "full-information"
    assert cases[1]["reason"] == "Budget cut\nagreed at cabinet" and cases[1]["in_writing"] is False
    assert [e["action"] for e in cases[7]["timeline"]] == ["logged", "owner-changed"]


def test_the_csv_export_lets_no_cell_be_a_formula(log):
    a_varied_log(log)
    rows = list(csv.DictReader(io.StringIO(export_cases(log, "csv"), newline="")))
    assert [r["title"] for r in rows][1:3] == ["'=SUM(A1) grant", "'-5% transport"]
    assert rows[1]["reason"] == "Budget cut\nagreed at cabinet"  # one cell, on two lines
    assert rows[4]["timeline"] == ("2026-01-10 logged by tester | 2026-02-01 advanced by tester")


def test_cli_export_to_a_private_file_and_import_again(db_path, tmp_path, capsys):
    assert main(["--db", str(db_path), "log", "consultation", "--compact", "southampton", "--title", "Library hours",
                 "--start", "2026-01-05", "--end", "2026-02-02"]) == 0
    out = tmp_path / "cases.csv"
    assert main(["--db", str(db_path), "export", "--format", "csv", "-o", str(out)]) == 0
    assert os.stat(out).st_mode & 0o777 == 0o600
    other = tmp_path / "other.db"
    capsys.readouterr()
    assert main(["--db", str(other), "import", str(out), "--dry-run"]) == 0
    assert capsys.readouterr().out == (f"{out}: all 1 case can be imported (1 finding). Nothing was written "
                                       f"(--dry-run).\n")
    assert main(["--db", str(other), "import", str(out)]) == 0
    assert capsys.readouterr().out == f"Imported 1 case from {out} (case 1 to 1), 1 finding.\n"
    assert main(["--db", str(other), "case", "1"]) == 0
    assert "imported by " in capsys.readouterr().out
