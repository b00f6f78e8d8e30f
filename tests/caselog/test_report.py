"""The annual review report for a seeded year: Markdown that reads right, and CSV, JSON, TOML."""

from __future__ import annotations

import csv
import io
import json
import tomllib

import pytest

from compact_tui.caselog import orgs
from compact_tui.cli import main
from compact_tui.report import annual_report, render

from .caselog_helpers import d, new

SECRET = "Staff restructure (confidential)"


@pytest.fixture
def essex_year(log, store, registry):
    """Essex in 2026, with a year either side that must not be counted."""
    orgs.add_org(store, "Essex CVS", "vcs", locality="Chelmsford")
    orgs.add_org(store, "Essex County Council", "statutory")
    orgs.sign(store, registry, "Essex CVS", "essex", d("2026-03-01"))
    orgs.sign(store, registry, "Essex County Council", "essex", d("2025-06-01"))  # the year before
    log.log(new("annual-review", "essex", "Review 2025", on="2025-02-01"))
    log.log(new("consultation", "essex", "Library hours", opened="2026-01-05", start="2026-01-05", end="2026-03-30"))
    log.log(new("consultation", "essex", "Bus routes", opened="2026-06-01", start="2026-06-01", end="2026-07-01"))
    log.log(new("consultation", "essex", SECRET, opened="2026-04-01", confidential=True))
    log.log(new("funding-change", "essex", "Grant reduced", opened="2026-03-01", effective="2026-09-01"))
    dispute = log.log(new("dispute", "essex", "Grant cut | appeal", opened="2026-02-01", orgs=["Essex CVS"]))
    log.advance(dispute["id"], "raise-with-organisation", confirm=["full-information"], on=d("2026-03-01"))
    log.advance(dispute["id"], "own-decision-makers", confirm=["not-satisfied"], on=d("2026-03-01"))
    review = log.log(new("annual-review", "essex", "Review 2026", on="2026-03-15"))
    assert [f["ref"] for f in review["findings"]] == ["7.b2"]  # 13 months and a half after the last
    log.log(new("meeting", "essex", "Compact Forum", on="2026-06-01"))
    log.log(new("champion", "essex", "Jo Bloggs appointed champion", on="2026-05-01", orgs=["Essex CVS"]))
    log.log(new("meeting", "essex", "Forum 2027", on="2027-01-10"))
    log.log(new("meeting", "southend", "Another compact's meeting", on="2026-06-01"))
    return {"dispute": dispute["id"], "review": review["id"]}


def test_the_report_counts_the_year(essex_year, store, registry):
    r = annual_report(store, registry, "essex", 2026)
    assert r["cases_by_kind"] == {"consultation": 2, "funding-change": 1, "dispute": 1, "champion": 1,
                                  "signatory": 0, "meeting": 1, "annual-review": 1, "note": 0}
    assert r["cases_total"] == 7
    [dispute] = r["disputes"]
    assert (dispute["id"], dispute["steps_taken"], dispute["status"]) == (essex_year["dispute"], 2, "open")
    assert dispute["stage"] == "own-decision-makers"
    assert [(f["case_id"], f["ref"], f["severity"]) for f in r["findings"]] == [(essex_year["review"], "7.b2", "breach")]
    assert r["findings_summary"] == {"breach": 1, "warning": 0}
    assert [s["name"] for s in r["signatories"]] == ["Essex CVS"]
    assert [c["title"] for c in r["champions"]] == ["Jo Bloggs appointed champion"]
    assert [a["on"] for a in r["annual_reviews"]] == ["2026-03-15"]


def test_the_markdown_reads_right(essex_year, store, registry):
    md = render(annual_report(store, registry, "essex", 2026), "md")
    lines = md.splitlines()
    assert lines[0] == "# Essex Compact: annual review 2026"
    assert "7 cases logged in 2026 (confidential cases left out)." in lines
    for heading in ("## Cases by kind", "## Disagreements", "## Rule findings", "## Compact Champions",
                    "## Signatories", "## Annual reviews held"):
        assert heading in lines
    assert "| consultation | 2 |" in lines and "| signatory | 0 |" in lines
    assert (f"| {essex_year['dispute']} | Grant cut \\| appeal | 2026-02-01 | "
            f"3) Refer the matter to the complainant's own decision-makers (2 steps) | open |"
            in lines)
    assert "1 breach, 0 warnings." in lines
    assert any(line.startswith(f"- case {essex_year['review']}, 7.b2 (breach): ") for line in lines)
    assert "- 2026-05-01 Jo Bloggs appointed champion (Essex CVS)" in lines
    assert "- 2026-03-01 Essex CVS (vcs)" in lines
    assert "- 2026-03-15 Review 2026" in lines
    assert SECRET not in md and "Forum 2027" not in md and "Another compact" not in md


def test_the_apps_preview_shows_each_lists_first_items_and_says_how_many_more(log, store, registry):
    """The app shows the first items of each list; the report written out has every one."""
    from compact_tui.report import render_markdown

    for i in range(1, 36):
        log.log(new("dispute", "essex", f"Dispute {i}", opened="2026-02-01"))
    for i in range(1, 4):
        log.log(new("champion", "essex", f"Champion {i}", on="2026-05-01"))
    report = annual_report(store, registry, "essex", 2026)
    preview = render_markdown(report, limit=30).splitlines()
    rows = [line for line in preview if line.startswith("| ") and "Dispute " in line]
    assert len(rows) == 30
    assert "*... and 5 more disagreements: the report written out lists every one.*" in preview
    assert sum(line.startswith("- 2026-05-01 Champion") for line in preview) == 3  # 3 of 30: all shown
    assert not any("more champions" in line for line in preview)
    written = render(report, "md")
    assert sum(line.startswith("| ") and "Dispute " in line for line in written.splitlines()) == 35
    assert "more disagreements" not in written


def test_confidential_cases_only_when_asked(essex_year, store, registry):
    r = annual_report(store, registry, "essex", 2026, include_confidential=True)
    assert r["cases_by_kind"]["consultation"] == 3 and r["cases_total"] == 8
    md = render(r, "md")
    assert "8 cases logged in 2026." in md.splitlines()
    assert "| consultation | 3 |" in md
    for fmt in ("csv", "json", "toml"):
        assert str(3) in render(r, fmt)
    assert SECRET not in render(annual_report(store, registry, "essex", 2026), "json")


def test_csv_json_and_toml_render_and_parse(essex_year, store, registry):
    r = annual_report(store, registry, "essex", 2026)
    assert json.loads(render(r, "json")) == {"format": "compact-tui annual report", "version": 2,
                                             **json.loads(json.dumps(r))}
    assert render(r, "json").startswith('{\n  "format": "compact-tui annual report",\n  "version": 2,\n')
    assert render(r, "toml").startswith('format = "compact-tui annual report"\nversion = 2\n')
    back = tomllib.loads(render(r, "toml"))
    assert back["year"] == 2026 and back["cases_by_kind"] == r["cases_by_kind"]
    assert back["disputes"][0]["title"] == "Grant cut | appeal"
    assert back["findings_summary"] == {"breach": 1, "warning": 0}
    rows = list(csv.reader(io.StringIO(render(r, "csv"))))
    assert rows[0] == ["section", "item", "field", "value"]
    assert ["cases_by_kind", "consultation", "count", "2"] in rows
    assert ["disputes", "1", "title", "Grant cut | appeal"] in rows
    assert ["findings", "1", "ref", "7.b2"] in rows


def test_an_empty_year_still_reads(store, registry):
    md = render(annual_report(store, registry, "southend", 2030), "md")
    assert "0 cases logged in 2030 (confidential cases left out)." in md
    assert "None raised." in md and "0 breaches, 0 warnings." in md


def test_high_peak_success_measures_are_counted_where_they_can_be(log, store, registry):
    orgs.add_org(store, "Glossop Volunteers", "vcs")
    orgs.sign(store, registry, "Glossop Volunteers", "high_peak", d("2026-04-01"))
    log.log(new("dispute", "high_peak", "A disagreement", opened="2026-05-01"))
    log.log(new("annual-review", "high_peak", "Review", on="2026-09-01"))
    r = annual_report(store, registry, "high_peak", 2026)
    counted = {m["ref"]: (m["counted_as"], m["count"]) for m in r["measures"]}
    assert counted == {"5.b1": ("signatories", 1), "5.b5": ("dispute", 1), "5.b7": ("annual-review", 1)}
    md = render(r, "md")
    assert "## Success measures" in md
    assert "- 5.b1 A substantial number of organisations have signed up to the Compact: 1" in md


def test_cli_report_writes_a_file_and_refuses_an_unknown_compact(essex_year, db_path, tmp_path, capsys):
    out = tmp_path / "essex-2026.toml"
    assert main(["--db", str(db_path), "report", "annual", "--compact", "essex", "--year", "2026",
                 "--format", "toml", "-o", str(out)]) == 0
    assert tomllib.loads(out.read_text("utf-8"))["cases_total"] == 7
    capsys.readouterr()
    assert main(["--db", str(db_path), "report", "annual", "--compact", "nowhere", "--year", "2026"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("compact-tui: no compact 'nowhere' is installed") and len(err.splitlines()) == 1


def test_one_case_reads_as_one(log, store, registry):
    log.log(new("dispute", "southend", "Grant cut", opened="2030-02-01"))
    md = render(annual_report(store, registry, "southend", 2030), "md")
    assert "1 case logged in 2030 (confidential cases left out)." in md
