"""The one boundary for text: checked where it comes in, made inert where it goes out.

Text is stored exactly as typed. Where it enters (the command line, a form, the case-log
API, the officer's user name) :func:`check_text` refuses what can steer a terminal: control
characters, line or paragraph separators in a one-line field, and the bidirectional
overrides and isolates that make text display in an order other than the one stored. Every
other character is accepted, so names in any script, ZWNJ (as in Persian ``می‌خواهم``) and
ZWJ emoji sequences are kept.

Where stored text leaves (a screen, a command's output, a report file, a message), it goes
through one of the functions below for that medium, because a database can hold anything
(an older version, a plugin, or ``sqlite3`` behind the app's back may have written it):

- :func:`terminal` / :func:`one_line` for a terminal: each unsafe character shown as
  ``\\x1b`` or ``\\u202e``, so no escape sequence reaches the terminal;
- :func:`plain` for the app: a ``rich`` ``Text`` of :func:`terminal`, never read as markup;
- :func:`markdown` for Markdown: :func:`one_line`, then every character that could make a
  heading, link, table cell, emphasis or HTML escaped;
- :func:`csv_cell` for CSV: :func:`one_line` (or :func:`terminal`, keeping line breaks in a
  quoted cell), and a cell a spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``)
  starts with ``'``; :func:`csv_guarded` for a file read back, where an officer's own leading
  ``'`` is doubled, so that the one added can be told from it;
- :func:`serialised` for JSON and TOML already written: the unsafe characters their writers
  leave raw (bidi controls, separators) written as ``\\uXXXX`` escapes;
- :func:`quoted` for a value echoed in a one-sentence message: quoted, inert and cut short.

No textual here (``rich`` is imported only inside :func:`plain`, which only the app calls).
"""

from __future__ import annotations

import re
import unicodedata

from .errors import UserError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from rich.text import Text

#: Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})


def is_unsafe(ch: str) -> bool:
    """A character that can steer a terminal or reorder displayed text."""
    return ch in BIDI_CONTROLS or unicodedata.category(ch) in _UNSAFE_CATEGORIES


def _visible(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(value: object, *, lines: bool = True) -> str:
    """``value`` as text a terminal shows literally; with ``lines``, newlines and tabs are kept."""
    text = "" if value is None else str(value)
    keep = "\n\t" if lines else ""
    if all(ch in keep or not is_unsafe(ch) for ch in text):
        return text
    return "".join(ch if ch in keep or not is_unsafe(ch) else _visible(ch) for ch in text)


def one_line(value: object) -> str:
    """:func:`terminal` on one line: a newline or tab is shown as ``\\x0a`` / ``\\x09`` too."""
    return terminal(value, lines=False)


def plain(value: object) -> Text:
    """Stored text for a Textual widget: a ``rich`` ``Text`` (never markup), nothing unsafe."""
    from rich.text import Text

    return Text(terminal(value))


def quoted(value: object, limit: int = 60) -> str:
    """A value for a message: ``'like this'``, on one line, inert, cut to ``limit`` characters."""
    text = one_line(value)
    if len(text) > limit:
        text = text[:limit] + f"... ({len(str(value))} characters)"
    return "'" + text.replace("'", "\\'") + "'"


def cut(message: str, limit: int = 400) -> str:
    """A message made one inert line and at most ``limit`` characters (the last defence)."""
    text = one_line(message)
    return text if len(text) <= limit else text[:limit] + "..."


#: Inline Markdown (the text is always inline, after a prefix, newlines shown as ``\x0a``, so
#: no block can start): emphasis, code, links and images, HTML, entities, table cells.
_MD_SPECIAL = set("\\`*_[]<>#|~&")


#: What GitHub-style renderers make a link of without any markup (``www.x.org``, ``x.org``,
#: ``https://...``, ``jo@x.org``): an ``@``, a ``:`` before ``//``, and a ``.`` between a letter
#: or digit and a word of letters (a top-level domain: ``.org``, ``.uk``; not ``4.5`` or
#: ``5.b1``) are escaped, which breaks the address for the autolinker and shows the text unchanged.
_AUTOLINK = re.compile(r"@|:(?=//)|(?<=[^\W_])\.(?=[^\W\d_]{2,}(?![^\W_]))")


def markdown(value: object) -> str:
    """Text for a line of Markdown: shown as typed, never as a heading, link, table or HTML,
    and no address in it made a link by a renderer that links bare addresses (GitHub's)."""
    text = "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in one_line(value))
    return _AUTOLINK.sub(lambda m: "\\" + m.group(0), text)


_FORMULA_START = ("=", "+", "-", "@")


def csv_cell(value: object, *, lines: bool = False) -> object:
    """A CSV cell: numbers as they are; text inert, and never read as a spreadsheet formula.
    With ``lines``, line breaks and tabs stay as they are (the CSV writer quotes the cell, so
    a spreadsheet shows one cell of several lines); otherwise they are shown as ``\\x0a``."""
    if value is None or isinstance(value, (int, float)):
        return "" if value is None else value
    text = terminal(value, lines=lines)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_guarded(value: object, *, lines: bool = False) -> object:
    """:func:`csv_cell` for a file compact-tui reads back (the cases export): a text that starts
    with ``'`` gets one more, so that on the way back exactly one ``'`` is taken off wherever
    the file starts a cell with ``'`` (:func:`csv_unguarded`), and an officer's own stays."""
    if value is None or isinstance(value, (int, float)):
        return "" if value is None else value
    text = terminal(value, lines=lines)
    return "'" + text if text.startswith((*_FORMULA_START, "'")) else text


def csv_unguarded(cell: str) -> str:
    """A cell of a file written with :func:`csv_guarded`, as it was before: one ``'`` off."""
    return cell[1:] if cell.startswith("'") else cell


def serialised(document: str) -> str:
    """JSON or TOML text with any unsafe character left raw by its writer made a ``\\uXXXX``
    escape (valid inside a string of either format)."""
    if not any(is_unsafe(ch) for ch in document if ch not in "\n\t"):
        return document
    return "".join(ch if ch in "\n\t" or not is_unsafe(ch) else f"\\u{ord(ch):04x}" for ch in document)


def check_text(value: str | None, what: str, max_len: int, *, single_line: bool = False, required: bool = True) -> str:
    """Refuse control characters, bidi overrides, over-long text, and (if required) empty text;
    else return it unchanged."""
    if value is None:
        value = ""
    if required and not value.strip():
        raise UserError(f"{what} is empty.")
    if len(value) > max_len:
        raise UserError(f"{what} is {len(value)} characters long; the most is {max_len}.")
    allowed = "" if single_line else "\n\t"
    bad = next((ch for ch in value if ch not in allowed and is_unsafe(ch)), None)
    if bad is not None:
        if unicodedata.category(bad) == "Cs":
            raise UserError(f"{what} is not valid UTF-8 text; type plain text.")
        kind = "a bidirectional override" if bad in BIDI_CONTROLS else "a control character"
        raise UserError(f"{what} contains {kind} (U+{ord(bad):04X}); type plain text.")
    return value
