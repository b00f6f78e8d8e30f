"""What ``import`` will read: only a regular file, and never more than its limit, counted while
reading (issue 18, item 5: ``import /dev/zero`` grew to 24 GB; a FIFO hung)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from compact_tui.caselog import transfer, transfer_read
from compact_tui.errors import UserError
from compact_tui.caselog.transfer import import_csv

from .caselog_helpers import counts

CLI = str(Path(sys.executable).with_name("compact-tui"))


def run_import(db, path, timeout=30) -> subprocess.CompletedProcess:
    """The real command line, in its own process: a hang or a runaway read fails the test
    (``timeout``) instead of stopping the suite."""
    return subprocess.run([CLI, "--db", str(db), "import", str(path), "--compact", "essex"], capture_output=True,
                          text=True, timeout=timeout)


def test_a_device_is_refused_before_a_byte_is_read(db_path):
    done = run_import(db_path, "/dev/zero")
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == ("compact-tui: /dev/zero is a device, not a file saved on disk; import reads only a saved "
                           "file (save the sheet as CSV first).\n")


def test_a_fifo_with_no_writer_is_refused_not_waited_on(db_path, tmp_path):
    fifo = tmp_path / "cases.csv"
    os.mkfifo(fifo)
    done = run_import(db_path, fifo)
    assert (done.returncode, done.stderr) == (1, f"compact-tui: {fifo} is a pipe (FIFO), not a file saved on disk; "
                                                 f"import reads only a saved file (save the sheet as CSV first).\n")


def test_a_socket_is_refused(log, tmp_path):
    path = tmp_path / "s.csv"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        with pytest.raises(UserError, match=r"is a socket, not a file saved on disk"):
            import_csv(log, path, "essex")
    finally:
        server.close()


def test_a_symlink_to_a_device_is_refused_as_the_device(log, tmp_path):
    link = tmp_path / "kept.csv"
    link.symlink_to("/dev/zero")
    with pytest.raises(UserError, match=r"kept.csv is a device, not a file saved on disk"):
        import_csv(log, link, "essex")


def test_the_limit_is_counted_while_reading_not_taken_from_the_size(log, tmp_path, monkeypatch):
    """A file one byte over the limit is refused, one at the limit is read; the size the file
    reports is not consulted (a /proc file reports 0 whatever it holds)."""
    monkeypatch.setattr(transfer_read, "MAX_BYTES", 1000)
    header = b"title,kind\n"
    row = b"x,note\n"
    at_limit = tmp_path / "at.csv"
    at_limit.write_bytes(header + row * ((1000 - len(header)) // len(row)) + b" " * ((1000 - len(header)) % len(row)))
    assert at_limit.stat().st_size == 1000
    result = import_csv(log, at_limit, "essex", dry_run=True)
    assert result.errors == [] and result.rows == (1000 - len(header)) // len(row)
    over = tmp_path / "over.csv"
    over.write_bytes(at_limit.read_bytes() + b"\n")
    with pytest.raises(UserError) as err:
        import_csv(log, over, "essex")
    assert str(err.value) == f"{over} is larger than 0 MB, the most import reads (split it into parts)."
    assert counts(log.store)["cases"] == 0


def test_a_folder_and_a_missing_file_are_named(log, tmp_path):
    with pytest.raises(UserError, match=r"is a folder, not a CSV file\.$"):
        import_csv(log, tmp_path, "essex")
    with pytest.raises(UserError, match=r"^there is no file .*nothing\.csv\.$"):
        import_csv(log, tmp_path / "nothing.csv", "essex")
