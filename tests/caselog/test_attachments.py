"""Evidence files on a case: kept whole, their SHA-256 on the hash chain, listed by ``case``,
got back byte for byte, checked by ``audit verify``; a file over 20 MB is refused."""

from __future__ import annotations

import hashlib
import os

import pytest

from compact_tui.caselog.attachments import MAX_BYTES
from compact_tui.caselog.audit import verify
from compact_tui.cli import main
from compact_tui.errors import UserError

from .caselog_helpers import counts, new, tamper

#: Bytes no text codec would keep: NUL, 0xff, a lone CR, an escape sequence.
LETTER = b"%PDF-1.4\r\n\x00\xff\xfe notice of funding ending \x1b[31m\r\x00" * 50


@pytest.fixture
def case(log):
    return log.log(new("funding-change", "southampton", "Youth grant ends", effective="2026-06-01"))


@pytest.fixture
def letter(tmp_path):
    path = tmp_path / "notice letter.pdf"
    path.write_bytes(LETTER)
    return path


def test_a_file_is_kept_with_its_sha256_on_the_chain(log, case, letter):
    item = log.attach(case["id"], letter, note="the council's notice")
    digest = hashlib.sha256(LETTER).hexdigest()
    assert item == {"n": 1, "name": "notice letter.pdf", "size": len(LETTER), "sha256": digest}
    shown = log.get(case["id"])
    assert shown["attachments"] == [{"n": 1, "name": "notice letter.pdf", "size": len(LETTER), "sha256": digest}]
    event = shown["events"][-1]
    assert (event["action"], event["note"]) == ("attached", "the council's notice")
    assert event["detail"] == {"attachment": [1, "notice letter.pdf", len(LETTER), digest]}
    assert verify(log.store.db).ok


def test_attachments_are_numbered_per_case(log, case, letter):
    other = log.log(new("note", "essex", "Another", note="open"))
    assert [log.attach(case["id"], letter)["n"], log.attach(other["id"], letter)["n"],
            log.attach(case["id"], letter)["n"]] == [1, 1, 2]


def test_the_cli_gets_it_back_byte_for_byte(db_path, case, letter, tmp_path, capsys):
    assert main(["--db", str(db_path), "attach", str(case["id"]), str(letter), "--note", "notice"]) == 0
    assert capsys.readouterr().out == f"Attached notice letter.pdf to case {case['id']} as attachment 1 (2 KB).\n"
    assert main(["--db", str(db_path), "case", str(case["id"])]) == 0
    out = capsys.readouterr().out
    assert f"Attachments:\n  1. notice letter.pdf (2 KB, SHA-256 {hashlib.sha256(LETTER).hexdigest()[:16]}...)\n" in out
    back = tmp_path / "back.pdf"
    assert main(["--db", str(db_path), "attachment", str(case["id"]), "1", "-o", str(back)]) == 0
    assert back.read_bytes() == LETTER
    assert os.stat(back).st_mode & 0o777 == 0o600


def test_a_file_over_the_limit_is_refused_with_a_sentence_and_nothing_written(log, case, tmp_path):
    big = tmp_path / "scan.tiff"
    with open(big, "wb") as f:
        f.truncate(MAX_BYTES + 1)
    before = counts(log.store)
    with pytest.raises(UserError) as err:
        log.attach(case["id"], big)
    assert str(err.value) == ("'scan.tiff' is 20,971,521 bytes; a case keeps files up to 20 MB (20,971,520 bytes): "
                              "keep a larger file elsewhere and note where it is.")
    assert counts(log.store) == before
    exactly = tmp_path / "exactly.bin"
    with open(exactly, "wb") as f:
        f.truncate(MAX_BYTES)
    assert log.attach(case["id"], exactly)["size"] == 20 * 1024 * 1024


@pytest.mark.parametrize("what, refused", [
    ("missing", "there is no file "),
    ("folder", " is not a file."),
])
def test_what_is_not_a_file_is_refused(log, case, tmp_path, what, refused):
    path = tmp_path / "gone.pdf" if what == "missing" else tmp_path
    with pytest.raises(UserError, match=refused):
        log.attach(case["id"], path)


def test_a_file_changed_in_the_database_is_named_by_audit_verify_and_not_given_back(
        log, case, letter, db_path, tmp_path):
    log.attach(case["id"], letter)
    forged = LETTER.replace(b"ending", b"rising")
    tamper(db_path, "UPDATE attachments SET content = ?, sha256 = ? WHERE n = 1",
           [forged, hashlib.sha256(forged).hexdigest()])
    problems = verify(log.store.db).problems
    assert [p.split(":")[0] + ":" + p.split(":")[1] for p in problems] == [
        f"attachments: case {case['id']}'s file 1 ('notice letter.pdf')"] * 2
    assert "its content is not the file that was attached" in problems[0]
    assert "sha256 is" in problems[1]
    with pytest.raises(UserError, match="is not the file that was attached"):
        from compact_tui.caselog.attachments import content
        content(log, case["id"], 1)


def test_a_file_deleted_or_added_by_hand_is_named(log, case, letter, db_path):
    log.attach(case["id"], letter)
    tamper(db_path, "DELETE FROM attachments")
    tamper(db_path, "INSERT INTO attachments (case_id, n, name, size, sha256, content) VALUES (?, 2, 'x', 1, 'y', X'00')",
           [case["id"]])
    assert verify(log.store.db).problems == [
        f"attachments: case {case['id']}'s file 2 ('x'): no event attached it (added by hand)",
        f"attachments: case {case['id']}'s file 1 ('notice letter.pdf') was deleted (its event records it)",
    ]
