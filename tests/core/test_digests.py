"""The hashes taken without hashlib (:mod:`compact_tui.digests`) are hashlib's and hmac's, byte
for byte: the timeline is evidence, and a chain sealed by one version must verify under another.

Besides the functions against the standard library's, a case log written by the real command
is checked by hand: each event's hash worked out again with ``hashlib.blake2b`` and the chain
key's id with ``hmac``, as an auditor with only Python's standard library would."""

from __future__ import annotations

import hashlib
import hmac
import sqlite3

from hypothesis import given
from hypothesis import strategies as st

from compact_tui.caselog.audit import EVENT_COLUMNS, GENESIS, event_message
from compact_tui.digests import blake2b, hmac_sha256, sha256

from .conftest import VENV_BIN, run_subprocess


def test_rfc_4231_test_cases_1_and_6():
    assert hmac_sha256(b"\x0b" * 20, b"Hi There").hex() == (
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    assert hmac_sha256(b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First").hex() == (
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")


@given(st.binary(max_size=200), st.binary(max_size=300))
def test_hmac_sha256_is_hmacs(key, message):
    assert hmac_sha256(key, message) == hmac.digest(key, message, "sha256")


@given(st.binary(max_size=300))
def test_sha256_is_hashlibs(data):
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


@given(st.binary(min_size=0, max_size=64), st.binary(max_size=300), st.sampled_from([16, 32, 64]))
def test_blake2b_is_hashlibs(key, data, size):
    assert blake2b(data, key=key, digest_size=size).digest() == hashlib.blake2b(data, key=key, digest_size=size).digest()


def test_a_timeline_written_by_log_verifies_with_the_standard_library_alone(tmp_path):
    key = bytes(range(32))
    (tmp_path / "team.key").write_text(key.hex() + "\n", encoding="ascii")
    env = {"COMPACT_TUI_DB": str(tmp_path / "cases.db"), "COMPACT_TUI_KEY_FILE": str(tmp_path / "team.key")}
    for title in ("First", "Second"):
        done = run_subprocess([str(VENV_BIN / "compact-tui"), "log", "note", "--compact", "essex", "--title", title,
                               "--note", "Said on the phone."], **env)
        assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(tmp_path / "cases.db")
    events = conn.execute(f"SELECT {', '.join(EVENT_COLUMNS)}, prev_hash, hash FROM events ORDER BY id").fetchall()
    head = conn.execute("SELECT last_event_id, last_hash, key_id FROM chain_head").fetchone()
    conn.close()
    assert len(events) >= 2
    prev = GENESIS
    for *fields, prev_hash, digest in events:
        assert prev_hash == prev
        assert digest == hashlib.blake2b(event_message(prev, fields).encode("utf-8"), key=key, digest_size=32).hexdigest()
        prev = digest
    assert head == (events[-1][0], prev, hmac.digest(key, b"compact-tui chain key id", "sha256").hex()[:12])
