"""The suite passes in any officer's shell: it pins what its results depend on (``tests/conftest.py``)
rather than inheriting it. Without the pin, ``NO_COLOR=1`` alone failed every snapshot."""

from __future__ import annotations

import os
import sys
import time
from datetime import date, datetime, timezone

from .conftest import REPO_ROOT, run_subprocess

#: A shell an officer might well have: colour off, a dumb terminal of odd size, the clock of the
#: first time zone to reach a new day (UTC+14), a Turkish LANG (where 'I'.lower() is not 'i')
#: and the bare C locale over it.
HOSTILE_SHELL = {"NO_COLOR": "1", "TERM": "dumb", "COLUMNS": "37", "LINES": "9", "TZ": "Pacific/Kiritimati",
                 "LANG": "tr_TR.UTF-8", "LC_ALL": "C", "COLORTERM": "truecolor", "FORCE_COLOR": "1"}

#: One test of each thing the pin protects: the snapshots (colour, terminal, size), a screen read
#: back as text, the dates officers type (today's date, in the pinned zone), a CSV written and read
#: back (the locale's encoding), and the pin itself.
PIECE = ["tests/tui/test_snapshots.py::test_compacts_list",
         "tests/tui/test_snapshots.py::test_a_case_with_its_finding",
         "tests/tui/test_read.py",
         "tests/caselog/test_dates.py",
         "tests/caselog/test_transfer.py",
         "tests/core/test_any_shell.py::test_the_pinned_environment_is_in_force"]


def test_the_pinned_environment_is_in_force():
    for name in ("NO_COLOR", "FORCE_COLOR", "COLORTERM"):
        assert name not in os.environ, name
    assert (os.environ["TERM"], os.environ["COLUMNS"], os.environ["LINES"]) == ("xterm-256color", "80", "24")
    assert (os.environ["LANG"], os.environ["LC_ALL"]) == ("C.UTF-8", "C.UTF-8")
    # England's clock: 1 July 2026 12:00 UTC is 13:00 BST; 1 January is GMT.
    assert time.strftime("%H:%M %Z", time.localtime(datetime(2026, 7, 1, 12, tzinfo=timezone.utc).timestamp())) \
        == "13:00 BST"
    assert time.strftime("%H:%M %Z", time.localtime(datetime(2026, 1, 1, 12, tzinfo=timezone.utc).timestamp())) \
        == "12:00 GMT"
    assert date.today() == datetime.now().date()


def test_a_piece_of_the_suite_passes_in_a_hostile_shell(tmp_path):
    result = run_subprocess([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *PIECE],
                            cwd=REPO_ROOT, **HOSTILE_SHELL)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else ""
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in summary and "failed" not in summary and "error" not in summary, summary
