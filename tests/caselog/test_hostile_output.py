"""Every command's output over a case log full of hostile text: nothing raw comes out.

The database (``tests/hostile_data.py``) holds terminal escapes, markup, Markdown, HTML,
spreadsheet formulas and bidi overrides in every field, written behind the app's back.
Each command runs in-process through ``compact_tui.cli.main``; its stdout and stderr must
hold no control character, and each report format must be inert for its own reader.
"""

from __future__ import annotations

import csv
import io
import json
import tomllib

import pytest
from hostile_data import raw_characters
from markdown_it import MarkdownIt

from compact_tui.cli import main

COMMANDS = [
    ["cases"], ["cases", "--json"], ["cases", "--limit", "2"], ["cases", "--text", "end"],
    *[["case", str(i)] for i in range(1, 8)], ["case", "7", "--json"],
    ["deadlines"], ["deadlines", "--json"], ["orgs"], ["orgs", "--json"], ["orgs", "list", "--compact", "essex"],
    ["which", "Southend-on-Sea"], ["which", "x\x1b]0;t\x07"], ["audit", "verify"], ["audit", "verify", "--json"],
    ["note", "1", "seen"], ["update", "2", "--reason", "changed"], ["close", "6"],
    ["advance", "1", "raise-with-organisation", "--confirm", "full-information"],
    ["log", "note", "--compact", "essex", "--title", "t", "--org", "=\x1b[2J"],
    ["deadlines", "--digest"], ["export", "--format", "json"], ["assign", "2", "x\x1b[2J"],
]


@pytest.mark.parametrize("argv", [["export", "--format", "csv"], ["deadlines", "--ics"]], ids=" ".join)
def test_files_written_for_other_programs_are_inert(hostile_db, capsys, tmp_path, argv):
    target = tmp_path / "out"
    code, out, err = run(hostile_db.path, [*argv, str(target)] if "--ics" in argv else [*argv, "-o", str(target)],
                         capsys)
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert raw_characters(text.replace("\r", "")) == [] and raw_characters(out + err) == []
    if "csv" in argv:
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert any("evil.example" in c for c in cells)
        assert [c for c in cells if c[:1] in ("=", "+", "-", "@")] == []


def run(db, argv, capsys) -> tuple[int, str, str]:
    code = main(["--db", str(db), *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_no_command_lets_stored_text_steer_the_terminal(hostile_db, capsys, argv):
    code, out, err = run(hostile_db.path, argv, capsys)
    assert code in (0, 1), err
    assert raw_characters(out) == [] and raw_characters(err) == []
    assert "Traceback" not in err
    if "--json" in argv:
        json.loads(out)


def test_the_hostile_text_is_shown_as_typed(hostile_db, capsys):
    _, out, _ = run(hostile_db.path, ["case", "1"], capsys)
    assert "\\x1b]0;pwned\\x07\\x1b[2J[bold]B[/] [@click=app.quit]Q[/] [L](http://evil.example)" in out
    assert "\\u202eRTL\\u202c" in out


@pytest.mark.parametrize("compact", ["essex", "southampton"])
def test_the_markdown_report_has_no_link_html_or_forged_heading(hostile_db, capsys, compact):
    _, out, _ = run(hostile_db.path, ["report", "annual", "--compact", compact, "--year", "2026",
                                      "--include-confidential"], capsys)
    assert raw_characters(out) == []
    assert "evil\\.example" in out  # the hostile rows are in the report (the address escaped) ...
    md = MarkdownIt("commonmark", {"linkify": True}).enable(["table", "linkify"])  # as GitHub links bare addresses
    hostile_lines = [line for line in out.splitlines() if "pwned" in line]
    assert hostile_lines
    inline = [t for line in hostile_lines for t in md.parse(line)]
    kinds = {t.type for t in inline} | {c.type for t in inline for c in (t.children or [])}
    assert not kinds & {"link_open", "html_inline", "html_block", "image", "em_open", "strong_open",
                        "code_inline"}, kinds  # ... but none of it is read as Markdown
    tokens = md.parse(out)
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert set(headings[1:]) <= {"Cases by kind", "Disagreements", "Rule findings", "Compact Champions",
                                 "Signatories", "Annual reviews held", "Success measures", "The case log's timeline",
                                 "Every rule applied", "Noted exceptions", "Rules not checked"}
    assert headings[0] == f"{'Essex' if compact == 'essex' else 'Southampton'} Compact: annual review 2026"
    rows = [line for line in out.splitlines() if line.startswith("| ") and "evil" in line]
    assert all(line.count(" | ") == 4 for line in rows)  # no forged table cell
    assert rows or compact != "essex"  # Essex's hostile dispute is in its table


@pytest.mark.parametrize("compact", ["essex", "southampton"])
def test_no_csv_cell_is_a_formula(hostile_db, capsys, compact):
    _, out, _ = run(hostile_db.path, ["report", "annual", "--compact", compact, "--year", "2026",
                                      "--format", "csv", "--include-confidential"], capsys)
    assert raw_characters(out.replace("\r", "")) == []
    cells = [cell for row in csv.reader(io.StringIO(out)) for cell in row]
    assert any("evil.example" in c for c in cells)
    assert [c for c in cells if c[:1] in ("=", "+", "-", "@")] == []


@pytest.mark.parametrize("fmt, load", [("json", json.loads), ("toml", tomllib.loads)])
def test_json_and_toml_reports_escape_what_they_carry(hostile_db, capsys, tmp_path, fmt, load):
    target = tmp_path / f"r.{fmt}"
    code, _, err = run(hostile_db.path, ["report", "annual", "--compact", "essex", "--year", "2026",
                                         "--format", fmt, "-o", str(target)], capsys)
    assert code == 0 and raw_characters(err) == []
    text = target.read_text(encoding="utf-8")
    assert raw_characters(text) == []
    data = load(text)
    assert any("\x1b]0;pwned" in d["title"] for d in data["disputes"])  # the value itself is kept exactly
