"""The cache of parsed compact files and the registry snapshot the app starts from: JSON that
can never run code, used only while its stamp matches, and private to its owner."""

import os
import pickle
import stat

import pytest

from compact_tui.content import content_cache
from compact_tui.content.reader import CompactDocument, read_document
from compact_tui.content.plugins import load_registry

from .conftest import one_clause_toml, toml_plugin

TOML = one_clause_toml("cachetown", "Cachetown", "{text}")


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache" / "deeper"
    monkeypatch.setenv(content_cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def toml(tmp_path):
    path = tmp_path / "compact.toml"
    path.write_text(TOML.format(text="First words."), encoding="utf-8")
    return path


def cached_parse(path):
    """The parse kept for ``path`` as it is now, or None."""
    return content_cache.load(path, CompactDocument, content_cache.digest(path.read_bytes()))


def cached_files(folder):
    return sorted(p for p in folder.iterdir() if p.is_file())


def test_a_parsed_file_is_reused_until_the_file_changes(cache, toml):
    assert read_document(toml).clauses[0].text == "First words."
    assert cached_parse(toml).clauses[0].text == "First words."  # saved

    toml.write_text(TOML.format(text="Second, longer words."), encoding="utf-8")
    assert cached_parse(toml) is None  # the stamp no longer matches
    assert read_document(toml).clauses[0].text == "Second, longer words."


def test_a_file_edited_in_place_with_its_size_and_time_put_back_is_parsed_again(cache, toml):
    assert read_document(toml).clauses[0].text == "First words."
    before = toml.stat()
    toml.write_text(TOML.format(text="Other words."), encoding="utf-8")  # the same length
    os.utime(toml, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (toml.stat().st_size, toml.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert read_document(toml).clauses[0].text == "Other words."


def test_the_cache_is_json(cache, toml):
    read_document(toml)
    [cached] = cached_files(cache)
    assert cached.suffix == ".json"
    assert b"First words." in cached.read_bytes()


@pytest.mark.parametrize("garbage", [b"not json", b"\x80\x04garbled", b"[1, 2]", b'{"stamp": 1}', b""])
def test_a_garbled_cache_file_means_parse_again(cache, toml, garbage):
    read_document(toml)
    [cached] = cached_files(cache)
    cached.write_bytes(garbage)
    assert read_document(toml).clauses[0].text == "First words."


def test_a_cache_file_with_the_right_stamp_but_the_wrong_shape_is_ignored(cache, toml):
    import json

    read_document(toml)
    [cached] = cached_files(cache)
    data = json.loads(cached.read_text())
    data["doc"]["clauses"][0]["text"] = {"__reduce__": "os.system"}
    cached.write_text(json.dumps(data))
    assert cached_parse(toml) is None
    assert read_document(toml).clauses[0].text == "First words."


class _Payload:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def test_a_planted_pickle_is_never_run(cache, toml, tmp_path):
    """Where the old cache kept a pickle, a planted one (here: one that would create a file
    when unpickled) is read as JSON, found garbled, and ignored."""
    read_document(toml)
    [cached] = cached_files(cache)
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Payload(str(marker)))
    cached.write_bytes(payload)
    (cache / content_cache.SNAPSHOT).write_bytes(payload)
    (cache / "registry.pickle").write_bytes(payload)
    assert read_document(toml).clauses[0].text == "First words."
    assert content_cache.load_snapshot() is None
    assert not marker.exists()


def test_a_cache_file_others_can_write_is_ignored(cache, toml):
    read_document(toml)
    [cached] = cached_files(cache)
    cached.chmod(0o666)  # as if planted, or left open to anyone on the server
    assert cached_parse(toml) is None


def test_under_umask_000_every_folder_and_file_is_the_owners_alone(cache, toml):
    old = os.umask(0)
    try:
        read_document(toml)
        content_cache.save_snapshot(load_registry())
    finally:
        os.umask(old)
    folders = {stat.S_IMODE(p.stat().st_mode) for p in (cache.parent, cache)}
    files = {p.name: stat.S_IMODE(p.stat().st_mode) for p in cache.iterdir()}
    assert folders == {0o700}
    assert len(files) == 7  # the snapshot, and one parse each of Cachetown and the five compacts
    assert set(files.values()) == {0o600}


def test_cache_off_writes_nothing(tmp_path, monkeypatch, toml):
    monkeypatch.setenv(content_cache.CACHE_ENV, "off")
    read_document(toml)
    assert cached_parse(toml) is None
    content_cache.save_snapshot(load_registry())
    assert content_cache.load_snapshot() is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["compact.toml"]


def test_snapshot_round_trip_and_plugin_filter_is_part_of_its_key(cache, monkeypatch):
    monkeypatch.delenv("COMPACT_TUI_LOAD_PLUGINS", raising=False)
    registry = load_registry()
    content_cache.save_snapshot(registry)
    again = content_cache.load_snapshot()
    assert list(again.compacts) == ["southend", "havering", "essex", "high_peak", "southampton"]
    assert again.get("southampton").clause("4.5").text.startswith("Give at least three months notice in w")
    assert again.get("southampton").rules == registry.get("southampton").rules
    assert again.get("essex").procedure == registry.get("essex").procedure
    monkeypatch.setenv("COMPACT_TUI_LOAD_PLUGINS", "essex")
    assert content_cache.load_snapshot() is None
    assert (cache / content_cache.SNAPSHOT).exists()


def test_snapshot_goes_stale_when_a_content_file_changes(cache, monkeypatch, toml):
    from compact_tui.content.plugins import make_plugin_manager

    pm, _ = make_plugin_manager(load_entry_points=False)
    pm.register(toml_plugin(toml), name="cachetown")
    content_cache.save_snapshot(load_registry(pm, []))
    assert list(content_cache.load_snapshot().compacts) == ["cachetown"]
    toml.write_text(TOML.format(text="Edited in place, as an editable install is."), encoding="utf-8")
    assert content_cache.load_snapshot() is None


def test_snapshot_goes_stale_when_a_plugin_distribution_appears(cache, monkeypatch, tmp_path):
    """Installing (or removing) a package with a ``compact_tui`` entry point changes the key,
    as a real pip install does (see test_plugin_safety for that)."""
    monkeypatch.delenv("COMPACT_TUI_LOAD_PLUGINS", raising=False)
    content_cache.save_snapshot(load_registry())
    assert content_cache.load_snapshot() is not None
    site = tmp_path / "site"
    dist = site / "compact_tui_leeds-1.0.dist-info"
    dist.mkdir(parents=True)
    (dist / "entry_points.txt").write_text("[console_scripts]\nx = y:z\n\n[compact_tui]\nleeds = compact_tui_leeds\n")
    monkeypatch.syspath_prepend(str(site))
    assert [d[1:] for d in content_cache.plugin_distributions() if d[0] == str(site)] == [
        ["compact_tui_leeds-1.0.dist-info", "leeds = compact_tui_leeds"]]
    assert content_cache.load_snapshot() is None


def test_a_toml_compacts_check_is_kept_with_its_parse(cache, toml):
    from compact_tui.content.plugins import make_plugin_manager

    pm, _ = make_plugin_manager(load_entry_points=False)
    pm.register(toml_plugin(toml), name="cachetown")
    assert "cachetown" in load_registry(pm, [], hierarchy={}).compacts
    assert cached_parse(toml).checked == []  # not checked again next time


def test_a_cache_folder_left_open_by_an_older_version_is_closed(cache, toml):
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    read_document(toml)
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700
