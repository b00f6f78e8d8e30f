"""The text boundary: what is refused where text enters, and what each medium gets on the way out."""

import csv
import io

import pytest

from compact_tui.errors import UserError
from compact_tui.text import check_text, csv_cell, markdown, one_line, plain, quoted, serialised, terminal

ESC_CLEAR = "x\x1b]0;pwned\x07\x1b[2J"


@pytest.mark.parametrize("name", [
    "می\u200cخواهم",                      # Persian with ZWNJ
    "\U0001F469\u200d\U0001F4BB team",    # ZWJ emoji sequence
    "Ысык-Көл Compact", "東京都", "עמותה", "Ngā Hau e Whā", "Café\u00a0Ltd",
])
def test_names_in_any_script_are_accepted(name):
    assert check_text(name, "the title", 200, single_line=True) == name


@pytest.mark.parametrize("bad, words", [
    (ESC_CLEAR, "a control character (U+001B)"),
    ("a\u202egnp.exe", "a bidirectional override (U+202E)"),
    ("two\nlines", "a control character (U+000A)"),
    ("line\u2028sep", "a control character (U+2028)"),
    ("bad \udcff byte", "is not valid UTF-8"),
])
def test_what_could_steer_a_terminal_is_refused_with_a_sentence(bad, words):
    with pytest.raises(UserError) as err:
        check_text(bad, "the title", 200, single_line=True)
    assert words in str(err.value)


def test_terminal_output_shows_escapes_instead_of_sending_them():
    assert terminal(ESC_CLEAR) == "x\\x1b]0;pwned\\x07\\x1b[2J"
    assert terminal("a\u202eb\u2066c") == "a\\u202eb\\u2066c"
    assert terminal("two\nlines\tkept") == "two\nlines\tkept"
    assert one_line("two\nlines") == "two\\x0alines"
    assert terminal("می\u200cخواهم") == "می\u200cخواهم"   # ZWNJ is text, not a control
    assert terminal(None) == ""


def test_plain_is_never_markup():
    text = plain("[bold]x[/] [@click=app.quit]q[/]\x1b[2J")
    assert text.plain == "[bold]x[/] [@click=app.quit]q[/]\\x1b[2J"
    assert not text.spans


def test_markdown_cannot_forge_links_headings_or_cells():
    out = markdown("# Head | [click](http://evil.example) <b>*x*</b> &amp; `c`\n## two")
    assert out == ("\\# Head \\| \\[click\\](http\\://evil\\.example) \\<b\\>\\*x\\*\\</b\\> \\&amp; \\`c\\`"
                   "\\\\x0a\\#\\# two")


@pytest.mark.parametrize("cell", ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_cells_never_start_a_formula(cell):
    assert csv_cell(cell) == "'" + cell
    buf = io.StringIO()
    csv.writer(buf).writerow([csv_cell(cell)])
    assert next(csv.reader(io.StringIO(buf.getvalue())))[0][0] == "'"


def test_csv_keeps_numbers_and_makes_text_inert():
    assert csv_cell(-3) == -3 and csv_cell(None) == "" and csv_cell("2026-01-05") == "2026-01-05"
    assert csv_cell("a\x1b[2Jb\nc") == "a\\x1b[2Jb\\x0ac"


def test_serialised_json_escapes_what_json_leaves_raw():
    import json

    doc = json.dumps({"t": "a\u202eb\x1b"}, ensure_ascii=False)
    out = serialised(doc)
    assert "\u202e" not in out and "\x1b" not in out
    assert json.loads(out) == {"t": "a\u202eb\x1b"}


def test_quoted_cuts_a_long_value():
    out = quoted("x" * 100_000)
    assert len(out) < 100 and "100000 characters" in out
    assert quoted("it's") == "'it\\'s'"
