"""What an officer is told when a change was asked on a view of a case that has moved since:
who did what to it, when, and that nothing was changed (``lifecycle.stale_sentence``), for each
kind of event that moves a case, on the command line and in the app."""

from __future__ import annotations

import pytest

from compact_tui.caselog import lifecycle

AT = "2026-02-01T09:00:00+00:00"


@pytest.mark.parametrize("action, done", [
    ("closed", "closed it"), ("reopened", "reopened it"), ("withdrawn", "withdrew it"),
    ("reinstated", "reinstated it"), ("changed", "changed it"), ("frobbed", "frobbed"),
])
def test_who_did_what_and_when(action, done):
    event = {"action": action, "actor": "jo.bloggs", "at": AT, "detail": {}}
    assert lifecycle.stale_sentence(3, event, str) == (
        f"case 3 changed after you looked at it: jo.bloggs {done} at 2026-02-01 09:00 UTC; nothing was changed, "
        f"and 'compact-tui case 3' shows it as it is now.")


def test_in_the_app_it_is_shown_as_it_is_now_and_a_time_not_recorded_is_left_out():
    event = {"action": "closed", "actor": "sam", "at": "", "detail": {}}
    assert lifecycle.stale_sentence(7, event, str, command_line=False) == (
        "case 7 changed after you looked at it: sam closed it; nothing was changed, and it is shown as it is now.")
