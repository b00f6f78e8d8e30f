"""A file that is not right is never written, and every file the app makes is private.

Each refusal is one sentence on stderr (no traceback), and the database file's checksum is
the same afterwards."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import subprocess

import pytest

from compact_tui import __version__
from compact_tui.cli import main
from compact_tui.caselog.store import Store

from .caselog_helpers import new

LOG = ["log", "meeting", "--compact", "essex", "--title", "Steering group", "--on", "2026-03-02"]


def checksum(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(capsys, db, *args) -> tuple[int, str, str]:
    code = main(["--db", str(db), *args])
    out = capsys.readouterr()
    assert "Traceback" not in out.err
    return code, out.out, out.err


@pytest.fixture
def filled(tmp_path, registry):
    """A closed case log of 40 meetings (enough for the cases table to span several pages)."""
    from compact_tui.caselog.case_log import CaseLog

    path = tmp_path / "filled.db"
    store = Store(path)
    log = CaseLog(store, registry, actor="tester")
    for i in range(40):
        log.log(new("meeting", "essex", f"Meeting {i} " + "with a long title " * 8, on="2026-01-05"))
    store.close()  # the last connection folds the WAL back into the file
    assert not os.path.exists(f"{path}-wal")
    return path


def garble_page(path, table: str) -> None:
    conn = sqlite3.connect(path)
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", [table]).fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(bytes([0xA5]) * page_size)


def test_a_garbled_page_is_one_sentence_on_every_command_and_nothing_is_written(filled, capsys):
    garble_page(filled, "cases")
    before = checksum(filled)
    # (the annual report of these 40 meetings counts them through an index alone, m008: it
    # reads no page of the table; export reads every case)
    for args in (LOG, ["cases"], ["case", "3"], ["export", "--format", "csv"]):
        code, _, err = run(capsys, filled, *args)
        assert code == 1, args
        assert err.startswith(f"compact-tui: the database {filled} is damaged (database disk image is malformed)"), err
        assert err.count("\n") == 1
    assert checksum(filled) == before


def test_audit_verify_names_a_garbled_page_the_other_commands_do_not_touch(filled, capsys):
    garble_page(filled, "findings")
    before = checksum(filled)
    assert run(capsys, filled, "cases")[0] == 0  # listing cases never reads that page
    code, out, _ = run(capsys, filled, "audit", "verify")
    assert code == 1
    assert "the file is damaged: SQLite" in out
    assert checksum(filled) == before


def test_a_dangling_reference_is_named_by_the_foreign_key_check(filled, capsys):
    conn = sqlite3.connect(filled)
    with conn:
        conn.execute("INSERT INTO case_cites (case_id, ref) VALUES (999, '7.b2')")
    conn.close()
    code, out, _ = run(capsys, filled, "audit", "verify")
    assert code == 1 and "case_cites row 1 refers to a cases row that does not exist" in out


def test_a_newer_schema_is_read_but_not_written(filled, capsys):
    conn = sqlite3.connect(filled)
    with conn:
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('compact_tui', 'm009_from_the_future', '2030-01-01')")
    conn.close()
    before = checksum(filled)
    code, out, _ = run(capsys, filled, "cases")
    assert code == 0 and "Meeting 39" in out
    sentence = (f"compact-tui: {filled} was changed by a newer compact-tui (its schema is version 9; "
                f"compact-tui {__version__} knows up to version 8): it can be read but not written; "
                f"upgrade compact-tui to change it.\n")
    for args in (LOG, ["orgs", "add", "Age UK", "--side", "vcs"], ["note", "1", "hello"]):
        code, _, err = run(capsys, filled, *args)
        assert (code, err) == (1, sentence)
    assert checksum(filled) == before


@pytest.fixture
def read_only(filled):
    """The file made read-only: chmod for a normal user; root ignores modes, so the immutable flag."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(filled)], capture_output=True)
        if done.returncode != 0:
            pytest.skip("running as root without chattr: cannot make a file read-only")
        yield filled
        subprocess.run(["chattr", "-i", str(filled)], check=True)
    else:
        filled.chmod(0o444)
        yield filled
        filled.chmod(0o600)


def test_a_read_only_file_reads_and_refuses_writing_with_a_sentence(read_only, capsys):
    before = checksum(read_only)
    code, out, _ = run(capsys, read_only, "cases")
    assert code == 0 and "Meeting 39" in out
    assert run(capsys, read_only, "audit", "verify")[0] == 0
    sentence = f"compact-tui: the database {read_only} is read-only for you: it can be read, but nothing can be written to it.\n"
    for args in (LOG, ["orgs", "add", "Age UK", "--side", "vcs"], ["note", "1", "hello"]):
        code, _, err = run(capsys, read_only, *args)
        assert (code, err) == (1, sentence)
    assert checksum(read_only) == before


def test_a_database_in_a_folder_that_does_not_exist_is_refused(tmp_path, capsys, monkeypatch):
    path = tmp_path / "shraed" / "team.db"  # a typo in a team's shared path
    code, _, err = run(capsys, path, *LOG)
    assert code == 1
    assert err == (f"compact-tui: the folder {path.parent} does not exist, so there is no case log at {path}; "
                   f"check the path (--db or $COMPACT_TUI_DB), or create the folder first.\n")
    monkeypatch.setenv("COMPACT_TUI_DB", str(path))
    assert main(LOG) == 1 and "does not exist" in capsys.readouterr().err
    assert not path.parent.exists()


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_under_umask_000_everything_made_is_owner_only(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("COMPACT_TUI_DB")
    monkeypatch.delenv("COMPACT_TUI_KEY_FILE")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("COMPACT_TUI_CONFIG", str(tmp_path / "config" / "compact-tui" / "config.toml"))
    old = os.umask(0)
    try:
        assert main(LOG) == 0
        assert main(["report", "annual", "--compact", "essex", "--year", "2026", "-o", str(tmp_path / "r.md")]) == 0
        assert main(["report", "annual", "--compact", "essex", "--year", "2026", "--include-confidential",
                     "-o", str(tmp_path / "secret.md")]) == 0
    finally:
        os.umask(old)
    folder = tmp_path / "data" / "compact-tui"
    assert (mode(tmp_path / "data"), mode(folder), mode(folder / "cases.db")) == (0o700, 0o700, 0o600)
    for extra in ("cases.db-wal", "cases.db-shm"):
        if (folder / extra).exists():
            assert mode(folder / extra) == 0o600
    key = tmp_path / "config" / "compact-tui" / "chain.key"
    assert (mode(key.parent), mode(key)) == (0o700, 0o600)
    assert (mode(tmp_path / "r.md"), mode(tmp_path / "secret.md")) == (0o600, 0o600)


def test_a_shared_group_folder_gets_group_files_but_a_confidential_report_stays_private(tmp_path, capsys):
    shared = tmp_path / "compact"
    shared.mkdir()
    shared.chmod(0o2770)  # the README's group sharing
    old = os.umask(0o077)  # even a strict umask does not stop the group from using the shared folder
    try:
        assert main(["--db", str(shared / "team.db"), *LOG]) == 0
        for name, extra in (("report.md", []), ("secret.md", ["--include-confidential"])):
            assert main(["--db", str(shared / "team.db"), "report", "annual", "--compact", "essex", "--year", "2026",
                         *extra, "-o", str(shared / name)]) == 0
    finally:
        os.umask(old)
    assert mode(shared / "team.db") == 0o660
    assert (mode(shared / "report.md"), mode(shared / "secret.md")) == (0o660, 0o600)


def test_an_existing_report_keeps_its_mode_unless_confidential(tmp_path, capsys, db_path):
    out = tmp_path / "board.md"
    out.write_text("last year's\n")
    out.chmod(0o640)
    args = ["--db", str(db_path), "report", "annual", "--compact", "essex", "--year", "2026", "-o", str(out)]
    assert main(args) == 0
    assert mode(out) == 0o640 and "annual review 2026" in out.read_text()
    assert main([*args, "--include-confidential"]) == 0
    assert mode(out) == 0o600


def test_the_annual_report_carries_the_timeline_head_that_verify_accepts(log, db_path, capsys):
    log.log(new("meeting", "essex", "Steering group", on="2026-03-02"))
    assert main(["--db", str(db_path), "report", "annual", "--compact", "essex", "--year", "2026",
                 "--format", "json"]) == 0
    import json

    timeline = json.loads(capsys.readouterr().out)["timeline"]
    assert timeline["events"] == 1 and timeline["head"].startswith("1:")
    assert main(["--db", str(db_path), "audit", "verify", "--head", timeline["head"]]) == 0
