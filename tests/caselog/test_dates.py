"""Dates as officers type them, and periods by calendar rules (known dates only)."""

from __future__ import annotations

from datetime import date

import pytest

from compact_tui.content.model import Period
from compact_tui.errors import UserError
from compact_tui.rules.dates import (add_months, add_period, add_working_days, describe_gap, is_working_day,
                                     parse_date)

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


def test_a_two_figure_year_is_named_not_guessed():
    """31/12/26, as a sheet saved with UK settings writes it: the sentence says what is wrong and
    what to type; with short_years it is read as this century."""
    with pytest.raises(UserError) as err:
        parse_date("05/01/26", TODAY, field="--start")
    assert str(err.value) == ("--start '05/01/26' has a two-figure year, which could be any century: type the "
                              "year in full, as '05/01/2026'.")
    assert parse_date("05/01/26", TODAY, short_years=True) == D("2026-01-05")
    assert parse_date("31/12/99", TODAY, short_years=True) == D("2099-12-31")


@pytest.mark.parametrize("text", ["2026-02-30", "2025-02-29", "soon", "+3x", "12w", "2026-1-5", "", "+w",
                                  "2026-01-05T10:00", "29/02/2025", "13/13/2026", "12/31/2026",
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


# -- the words an officer types, and the edges of what the case log takes ----------------------

@pytest.mark.parametrize("text, expected", [
    ("yesterday", "2026-01-30"),
    ("tomorrow", "2026-02-01"),
    ("YESTERDAY", "2026-01-30"),
    ("+0d", "2026-01-31"),
    ("+1d", "2026-02-01"),
    ("+1w", "2026-02-07"),
    ("-1w", "2026-01-24"),
    ("+12W", "2026-04-25"),        # an officer's capital letter
    ("-1m", "2025-12-31"),
    ("+1y", "2027-01-31"),
    ("+2y", "2028-01-31"),
    ("+999999d", None),           # six figures: read, and past the last date taken (below)
])
def test_parse_date_words_and_offsets(text, expected):
    if expected is None:
        with pytest.raises(UserError) as err:
            parse_date(text, TODAY, field="--on")
        assert str(err.value) == ("--on '+999999d' is outside the dates the case log takes "
                                  "(1900-01-01 to 2200-12-31).")
    else:
        assert parse_date(text, TODAY) == D(expected)


def test_parse_date_whole_refusal_names_the_field_and_what_was_typed():
    with pytest.raises(UserError) as err:
        parse_date("soon", TODAY, field="--start")
    assert str(err.value) == ("--start 'soon' is not a date: use YYYY-MM-DD (or DD/MM/YYYY), 'today', or an "
                              "offset such as +12w, -3d, +3m.")


def test_seven_figures_of_offset_is_not_a_date():
    with pytest.raises(UserError) as err:
        parse_date("+1000000d", TODAY, field="--on")
    assert "is not a date" in str(err.value)


def test_an_offset_past_the_calendar_is_outside_the_range_not_a_crash():
    with pytest.raises(UserError) as err:
        parse_date("+999999y", TODAY, field="--effective")
    assert str(err.value) == ("--effective '+999999y' is outside the dates the case log takes "
                              "(1900-01-01 to 2200-12-31).")


@pytest.mark.parametrize("text, taken", [
    ("1900-01-01", True), ("1899-12-31", False), ("2200-12-31", True), ("2201-01-01", False),
    ("31/12/2200", True), ("01/01/2201", False),
])
def test_the_first_and_last_dates_the_case_log_takes(text, taken):
    if taken:
        assert parse_date(text, TODAY).isoformat() in ("1900-01-01", "2200-12-31")
    else:
        with pytest.raises(UserError) as err:
            parse_date(text, TODAY, field="--opened")
        assert str(err.value) == (f"--opened '{text}' is outside the dates the case log takes "
                                  f"(1900-01-01 to 2200-12-31).")


def test_check_date_names_a_date_not_typed_by_its_iso_form():
    from compact_tui.rules.dates import check_date

    assert check_date(D("2200-12-31")) == D("2200-12-31")
    with pytest.raises(UserError) as err:
        check_date(D("2201-01-01"))
    assert str(err.value) == "the date 2201-01-01 is outside the dates the case log takes (1900-01-01 to 2200-12-31)."


def test_a_stored_date_that_is_not_one_is_one_sentence():
    from compact_tui.rules.dates import stored_date

    assert stored_date("2026-03-30") == D("2026-03-30")
    with pytest.raises(UserError) as err:
        stored_date("30/03/2026", "the end date")
    assert str(err.value) == "the end date '30/03/2026' is not a date; correct it with 'compact-tui update'."
    with pytest.raises(UserError) as err:
        stored_date(None)
    assert str(err.value) == "a stored date '' is not a date; correct it with 'compact-tui update'."
    with pytest.raises(UserError) as err:
        stored_date("2201-01-01", "the start date")
    assert str(err.value) == ("the start date 2201-01-01 is outside the dates the case log takes "
                              "(1900-01-01 to 2200-12-31); correct it with 'compact-tui update'.")
    assert stored_date("1900-01-01") == D("1900-01-01")
    assert stored_date("2200-12-31") == D("2200-12-31")
    with pytest.raises(UserError):
        stored_date("1899-12-31")


def test_a_period_past_the_calendars_end_is_one_sentence():
    with pytest.raises(UserError) as err:
        add_period(D("9999-12-01"), Period(1, "m"))
    assert str(err.value) == "9999-12-01 plus 1 month is past the last date the calendar holds."
    with pytest.raises(UserError) as err:
        add_period(D("9999-12-01"), Period(5, "w"))
    assert str(err.value) == "9999-12-01 plus 5 weeks is past the last date the calendar holds."


@pytest.mark.parametrize("start, months, expected", [
    ("2026-12-15", 1, "2027-01-15"),    # December to January: the year turns
    ("2026-01-15", -1, "2025-12-15"),
    ("2026-11-30", 1, "2026-12-30"),
    ("2026-01-31", 0, "2026-01-31"),
    ("2026-03-31", 1, "2026-04-30"),
    ("2026-01-30", 1, "2026-02-28"),
    ("2026-01-28", 1, "2026-02-28"),    # a day February has is kept
    ("2026-01-01", 24, "2028-01-01"),
])
def test_add_months_at_the_year_and_month_ends(start, months, expected):
    assert add_months(D(start), months) == D(expected)


def test_zero_working_days_is_the_day_itself_and_one_from_friday_is_monday():
    assert add_working_days(D("2026-01-09"), 0) == D("2026-01-09")   # a Friday
    assert add_working_days(D("2026-01-09"), 1) == D("2026-01-12")
    assert add_working_days(D("2026-01-08"), 1) == D("2026-01-09")   # Thursday to Friday
    assert is_working_day(D("2026-01-09")) and not is_working_day(D("2026-01-10"))


@pytest.mark.parametrize("days, words", [
    (0, "0 days"), (1, "1 day"), (2, "2 days"), (13, "13 days"), (14, "2 weeks"), (15, "2 weeks 1 day"),
    (16, "2 weeks 2 days"), (20, "2 weeks 6 days"), (21, "3 weeks"), (83, "11 weeks 6 days"),
])
def test_a_gap_in_words(days, words):
    start = D("2026-01-05")
    assert describe_gap(start, date.fromordinal(start.toordinal() + days)) == words
    if days:
        assert describe_gap(date.fromordinal(start.toordinal() + days), start) == f"{words} before"


def test_a_same_day_gap():
    assert describe_gap(D("2026-01-05"), D("2026-01-05")) == "0 days"


@pytest.mark.parametrize("period, words", [
    ("1d", "1 day"), ("10d", "10 days"), ("1w", "1 week"), ("12w", "12 weeks"), ("1m", "1 month"),
    ("3m", "3 months"), ("1wd", "1 working day"), ("5wd", "5 working days"),
])
def test_a_period_in_words(period, words):
    assert Period.parse(period).describe() == words
