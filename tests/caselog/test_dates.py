"""Dates as officers type them, and periods by calendar rules (known dates only)."""

from __future__ import annotations

from datetime import date

import pytest

from compact_tui.rules.dates import add_months, add_period, add_working_days, describe_gap, is_working_day, parse_date
from compact_tui.errors import UserError
from compact_tui.content.model import Period

D = date.fromisoformat


@pytest.mark.parametrize("start, period, due", [
    ("2026-01-05", "12w", "2026-03-30"),   # the example
    ("2026-01-31", "3m", "2026-04-30"),    # April has no 31st: its last day
    ("2024-11-30", "3m", "2025-02-28"),    # February of a common year
    ("2023-11-30", "3m", "2024-02-29"),    # February of a leap year
    ("2024-02-29", "12m", "2025-02-28"),   # from a leap day, a year on
    ("2026-08-31", "1m", "2026-09-30"),
    ("2026-12-31", "2m", "2027-02-28"),    # across the year end
    ("2026-01-15", "12m", "2027-01-15"),
    ("2026-03-01", "10d", "2026-03-11"),
])
def test_add_period_by_calendar_rules(start, period, due):
    assert add_period(D(start), Period.parse(period)) == D(due)


def test_add_months_backwards_keeps_month_end():
    assert add_months(D("2026-05-31"), -3) == D("2026-02-28")
    assert add_months(D("2024-05-31"), -3) == D("2024-02-29")
    assert add_months(D("2026-01-15"), -1) == D("2025-12-15")


@pytest.mark.parametrize("day", [
    "2026-04-03",  # Good Friday
    "2026-04-06",  # Easter Monday
    "2026-05-04",  # early May bank holiday
    "2026-12-25",  # Christmas Day (a Friday)
    "2026-12-28",  # substitute for Boxing Day, which falls on a Saturday
    "2027-01-01",  # New Year's Day
    "2026-12-26",  # Saturday
    "2026-12-27",  # Sunday
])
def test_not_working_days(day):
    assert not is_working_day(D(day))


@pytest.mark.parametrize("day", ["2026-04-02", "2026-04-07", "2026-05-05", "2026-12-24", "2026-12-29"])
def test_working_days(day):
    assert is_working_day(D(day))


@pytest.mark.parametrize("start, days, due", [
    ("2026-12-24", 1, "2026-12-29"),   # over Christmas, Boxing Day's substitute and the weekend
    ("2026-12-23", 3, "2026-12-30"),
    ("2026-04-02", 1, "2026-04-07"),   # over Good Friday, the weekend and Easter Monday
    ("2026-05-01", 1, "2026-05-05"),   # over the early May bank holiday
    ("2026-12-31", 1, "2027-01-04"),   # into a new year, over New Year's Day
    ("2026-03-02", 5, "2026-03-09"),   # an ordinary week
])
def test_working_day_periods_skip_bank_holidays(start, days, due):
    assert add_working_days(D(start), days) == D(due)
    assert add_period(D(start), Period(days, "wd")) == D(due)


TODAY = D("2026-01-31")


@pytest.mark.parametrize("text, expected", [
    ("today", "2026-01-31"),
    (" Today ", "2026-01-31"),
    ("+12w", "2026-04-25"),
    ("-3d", "2026-01-28"),
    ("+3m", "2026-04-30"),      # calendar months, month end kept
    ("+1m", "2026-02-28"),
    ("-1y", "2025-01-31"),
    ("2026-03-30", "2026-03-30"),
    ("2024-02-29", "2024-02-29"),
    ("05/01/2026", "2026-01-05"),  # England's order, as a spreadsheet exported here writes it
    ("5/1/2026", "2026-01-05"),
    ("31/12/2026", "2026-12-31"),
    ("29/02/2024", "2024-02-29"),
])
def test_parse_date(text, expected):
    assert parse_date(text, TODAY) == D(expected)


@pytest.mark.parametrize("text", ["2026-02-30", "2025-02-29", "soon", "+3x", "12w", "2026-1-5", "", "+w",
                                  "2026-01-05T10:00", "05/01/26", "29/02/2025", "13/13/2026", "12/31/2026",
                                  "05-01-2026", "5/1/ 2026"])
def test_parse_date_refuses_wrong_input(text):
    with pytest.raises(UserError) as err:
        parse_date(text, TODAY, field="--start")
    message = str(err.value)
    assert message.startswith("--start ") and "is not a date" in message
    assert "\n" not in message
    assert "YYYY-MM-DD (or DD/MM/YYYY)" in message


def test_describe_gap():
    assert describe_gap(D("2026-01-05"), D("2026-03-29")) == "11 weeks 6 days"
    assert describe_gap(D("2026-01-05"), D("2026-01-06")) == "1 day"
    assert describe_gap(D("2026-01-06"), D("2026-01-05")) == "1 day before"
