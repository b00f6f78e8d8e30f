"""Every file compact-tui writes, opened as the program an officer uses would open it (issue 24,
items 5-8): the Markdown report rendered as GitHub-style renderers do (markdown-it-py with
GFM tables, strikethrough and linkify), with no user text made a link; every export and report
over a case log of hostile text, with no escape code left live in any of them."""

from __future__ import annotations

import csv
import io
import json
import tomllib

import pytest
from markdown_it import MarkdownIt

from compact_tui.caselog.case_export import export_cases
from compact_tui.caselog.case_log import CaseLog
from compact_tui.caselog.store import Store
from compact_tui.content.plugins import load_registry
from compact_tui.due.deadlines import deadlines
from compact_tui.due.reminders import to_ics
from compact_tui.report import annual_report, render
from compact_tui.text import is_unsafe
from tests import hostile_data

from .caselog_helpers import d, new

ADDRESSES = ("www.example.org", "https://evil.example/x", "jo.bloggs@example.org", "example.com",
             "mailto:jo@x.org", "HTTP://X.ORG/path")


def github_style(text: str) -> str:
    return MarkdownIt("gfm-like", {"linkify": True}).render(text)


def test_the_renderer_would_link_a_bare_address():
    """The check below can fail: the same renderer makes links of these addresses."""
    for address in ADDRESSES:
        assert "<a " in github_style(f"see {address} now"), address


def test_no_address_in_user_text_becomes_a_link_in_the_markdown_report(log, store, registry):
    for i, address in enumerate(ADDRESSES):
        log.log(new("consultation", "essex", f"Write to {address} please", start="2026-01-05", end="2026-02-02",
                    orgs=[f"Org {address}"]))
        log.log(new("champion", "essex", f"Champion {address}", on=f"2026-03-{i + 1:02d}", orgs=[address]))
    dispute = log.log(new("dispute", "essex", "See www.example.org", opened="2026-01-10"))
    log.advance(dispute["id"], "raise-with-organisation", confirm=["full-information"], on=d("2026-02-01"))
    html = github_style(render(annual_report(store, registry, "essex", 2026), "md"))
    assert "<a " not in html
    for address in ADDRESSES:
        assert f"Champion {address}" in html


def control_characters(text: str) -> list[str]:
    """Characters that could steer a terminal, other than a line break (CRLF in iCalendar) or a tab."""
    return sorted({repr(ch) for ch in text.replace("\r\n", "\n") if is_unsafe(ch) and ch not in "\n\t"})


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    hostile_data.build(path)
    store = Store(path)
    yield CaseLog(store, load_registry(), actor="tester")
    store.close()


def test_no_escape_code_is_live_in_any_export_or_report(hostile):
    log = hostile
    today = d("2026-03-01")
    items = deadlines(log.store, log.registry, today=today, within_days=400)
    files = {
        "cases.csv": export_cases(log, "csv"),
        "cases.json": export_cases(log, "json"),
        "deadlines.ics": to_ics(items, log.registry, store=log.store, today=today, within_days=400,
                                include_confidential=True),
        **{f"report.{fmt}": render(annual_report(log.store, log.registry, "essex", 2026, True), fmt)
           for fmt in ("md", "csv", "json", "toml")},
    }
    for name, text in files.items():
        assert control_characters(text) == [], name
        assert "\x1b" not in text and "\u202e" not in text, name
    # and each still reads as what it is
    assert json.loads(files["cases.json"])["format"] == "compact-tui cases"
    assert tomllib.loads(files["report.toml"])["format"] == "compact-tui annual report"
    rows = list(csv.DictReader(io.StringIO(files["cases.csv"], newline="")))
    assert all(r["format"] == "compact-tui cases 2" for r in rows) and len(rows) == 7
    assert all(not r["title"].startswith(("=", "+", "-", "@")) for r in rows)
    assert "<a " not in github_style(files["report.md"])
