"""The format's reference in docs/ is the schema the reader and the checker use, so it cannot drift."""

from __future__ import annotations

from compact_tui.content import schema
from compact_tui.content.model import Clause

from .conftest import REPO_ROOT

DOC = (REPO_ROOT / "docs" / "compact-format.md").read_text(encoding="utf-8")


def test_the_reference_in_docs_is_the_schemas():
    assert schema.with_reference(DOC) == DOC, (
        "docs/compact-format.md is out of date: run python -m compact_tui.content.schema --write docs/compact-format.md")


def test_every_field_of_every_table_is_described():
    undescribed = [f"{t.name} {f.key}" for t in schema.TABLES for f in schema.spec(t.model) if not f.about.doc]
    assert undescribed == [], "add a line for each to schema.FIELDS"


def test_the_reference_lists_a_required_field_with_its_values_and_an_optional_one_with_its_default():
    assert ("| `party` | text | yes |  | one of: statutory, vcs, both. the side it binds; both for a shared "
            "principle or joint undertaking |") in DOC
    assert ("| `severity` | text | no | \"breach\" | one of: breach, warning. breach, or warning where the words "
            "leave room (\"normally\", \"where appropriate\") |") in DOC
    assert "| `in_writing` | true/false | no | false |" in DOC
    assert "| `period` | period | no | none |" in DOC


def test_a_field_added_to_the_model_is_a_key_the_reader_accepts():
    """The keys of a table are the model's fields (with their TOML names): one place to add one."""
    assert set(schema.keys(Clause)) == {"ref", "kind", "party", "theme", "text", "section", "note"}
