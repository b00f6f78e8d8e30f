"""The cache of parsed compact files and the registry snapshot the app starts from."""

import os

from compact_tui import content_cache
from compact_tui.content import read_document
from compact_tui.plugins import load_registry

TOML = """
[compact]
id = "cachetown"
name = "Cachetown Compact"
area = "Cachetown"
status = "draft"

[[sections]]
ref = "1"
title = "Principles"

[[clauses]]
ref = "1.1"
section = "1"
kind = "principle"
party = "both"
theme = "general"
text = "{text}"
"""


def test_a_parsed_file_is_reused_until_the_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    path = tmp_path / "compact.toml"
    path.write_text(TOML.format(text="First words."), encoding="utf-8")
    first = read_document(path)
    assert first.clauses[0].text == "First words."
    assert content_cache.load(path) is not None  # saved for next time

    path.write_text(TOML.format(text="Second, longer words."), encoding="utf-8")
    assert content_cache.load(path) is None  # the stamp no longer matches
    assert read_document(path).clauses[0].text == "Second, longer words."


def test_a_broken_cache_file_means_parse_again(tmp_path, monkeypatch):
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    path = tmp_path / "compact.toml"
    path.write_text(TOML.format(text="Words."), encoding="utf-8")
    read_document(path)
    for cached in (tmp_path / "cache").iterdir():
        cached.write_bytes(b"not a pickle")
    assert read_document(path).clauses[0].text == "Words."


def test_cache_off_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv(content_cache.CACHE_ENV, "off")
    path = tmp_path / "compact.toml"
    path.write_text(TOML.format(text="Words."), encoding="utf-8")
    read_document(path)
    assert content_cache.load(path) is None
    content_cache.save_snapshot(load_registry())
    assert content_cache.load_snapshot() is None


def test_snapshot_round_trip_and_plugin_filter_is_part_of_its_key(tmp_path, monkeypatch):
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv("COMPACT_TUI_LOAD_PLUGINS", raising=False)
    registry = load_registry()
    content_cache.save_snapshot(registry)
    again = content_cache.load_snapshot()
    assert list(again.compacts) == list(registry.compacts)
    assert again.get("southampton").clause("4.5").text == registry.get("southampton").clause("4.5").text
    monkeypatch.setenv("COMPACT_TUI_LOAD_PLUGINS", "essex")
    assert content_cache.load_snapshot() is None
    assert os.path.exists(tmp_path / "cache" / content_cache.SNAPSHOT)
