"""Dates as officers type them, and periods measured by calendar rules.

A period runs from the date given to the date due: 12 weeks from 5 January 2026 is
30 March 2026; three months from 31 January is 30 April (the day is kept where the month
has it, else the month's last day). Working days skip weekends and England's bank
holidays (from the ``holidays`` package, loaded only when a working-day period is used).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from ..errors import UserError
from ..content.model import Period
from ..text import quoted

_OFFSET = re.compile(r"^([+-])(\d{1,6})([dwmy])$")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_SHORT_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})")

#: The dates the case log takes: wide enough for any record an officer keeps, narrow enough
#: that every period added to them (years of working days included) stays a real date.
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)
RANGE_TEXT = f"{EARLIEST.isoformat()} to {LATEST.isoformat()}"


def parse_date(text: str, today: date | None = None, field: str = "date", *, short_years: bool = False,
               how_to_fix: str = "type the year in full, as") -> date:
    """``YYYY-MM-DD``, ``DD/MM/YYYY`` (England's order, as a spreadsheet exported here writes
    it: ``5/1/2026`` is 5 January), ``today``, ``yesterday``, ``tomorrow`` or an offset like
    ``+12w``, ``-3d``, ``+3m``, ``+1y`` from today. A two-figure year (``31/12/26``, as a
    spreadsheet saved with UK settings writes it) is read as this century with ``short_years``;
    otherwise it is refused with a sentence that says so and, with ``how_to_fix``, what to do."""
    today = today or date.today()
    raw = (text or "").strip().lower()
    short = _SHORT_YEAR.fullmatch(raw)
    if short:
        full = f"{short.group(1)}/{short.group(2)}/{today.year // 100:02d}{short.group(3)}"
        if not short_years:
            raise UserError(f"{field} {quoted(text)} has a two-figure year, which could be any century: "
                            f"{how_to_fix} {quoted(full)}.")
        raw = full
    try:
        day = _parse(raw, today)
    except (OverflowError, ValueError):  # an offset past the calendar's ends, or a day no month has
        day = None if _OFFSET.match(raw) is None else date.max
    if day is None:
        raise UserError(f"{field} {quoted(text)} is not a date: use YYYY-MM-DD (or DD/MM/YYYY), 'today', "
                        f"or an offset such as +12w, -3d, +3m.")
    return check_date(day, field, shown=text)


def days_ahead(text: str, today: date, field: str) -> int:
    """A look-ahead typed as ``14``, ``14d``, ``2w`` or ``1m``, in days from ``today``; a wrong
    one is refused with a sentence that names ``field`` and quotes what was typed."""
    raw = (text or "").strip().lower()
    if raw.isdigit():
        if len(raw) > 5 or int(raw) > 36_500:
            raise UserError(f"{field} {quoted(text)} is more than 36500 days (100 years).")
        return int(raw)
    wrong = UserError(f"{field} {quoted(text)} is not a period: use days (14 or 14d), weeks (2w) or months (1m).")
    if not raw or raw[0] in "+-":
        raise wrong
    try:
        return (parse_date("+" + raw, today, field) - today).days
    except UserError:
        raise wrong from None


def _parse(raw: str, today: date) -> date | None:
    if raw in ("today", "yesterday", "tomorrow"):
        return today + timedelta(days={"today": 0, "yesterday": -1, "tomorrow": 1}[raw])
    match = _OFFSET.match(raw)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        amount, unit = int(match.group(2)) * sign, match.group(3)
        if unit == "d":
            return today + timedelta(days=amount)
        if unit == "w":
            return today + timedelta(weeks=amount)
        return add_months(today, amount * (1 if unit == "m" else 12))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return date.fromisoformat(raw)
    english = _DAY_MONTH_YEAR.fullmatch(raw)
    if english:
        day, month, year = (int(part) for part in english.groups())
        return date(year, month, day)
    return None


def check_date(day: date, field: str = "the date", shown: str | None = None) -> date:
    """``day`` if it lies in the range the case log takes (:data:`EARLIEST` to :data:`LATEST`)."""
    if not EARLIEST <= day <= LATEST:
        what = quoted(shown) if shown is not None else day.isoformat()
        raise UserError(f"{field} {what} is outside the dates the case log takes ({RANGE_TEXT}).")
    return day


def stored_date(value: str, what: str = "a stored date") -> date:
    """A date read back from the database, which anything may have written: one sentence, not a
    traceback, if it is not a date the case log can work with."""
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise UserError(f"{what} {quoted(value)} is not a date; correct it with 'compact-tui update'.") from None
    if not EARLIEST <= day <= LATEST:
        raise UserError(f"{what} {day.isoformat()} is outside the dates the case log takes ({RANGE_TEXT}); "
                        f"correct it with 'compact-tui update'.")
    return day


def add_months(start: date, months: int) -> date:
    """Calendar months: the same day of the month, or the month's last day if it is shorter."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, days_in_month(year, month))
    return date(year, month, day)


def days_in_month(year: int, month: int) -> int:
    """How many days the month has, February's by the Gregorian leap years (as ``calendar.monthrange``
    gives it; ``calendar`` itself is not imported: it brings ``locale`` for its month names)."""
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def add_period(start: date, period: Period) -> date:
    """The date a period that starts on ``start`` is due (one sentence if that is past the
    calendar's last day, which only a date outside :data:`EARLIEST`..:data:`LATEST` can reach)."""
    try:
        return _add_period(start, period)
    except (OverflowError, ValueError):
        raise UserError(f"{start.isoformat()} plus {period.describe()} is past the last date the calendar "
                        f"holds.") from None


def _add_period(start: date, period: Period) -> date:
    if period.unit == "d":
        return start + timedelta(days=period.amount)
    if period.unit == "w":
        return start + timedelta(weeks=period.amount)
    if period.unit == "m":
        return add_months(start, period.amount)
    return add_working_days(start, period.amount)


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (weekends and England's bank holidays skipped)."""
    current, left = start, days
    while left > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            left -= 1
    return current


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


@lru_cache(maxsize=32)
def _bank_holidays(year: int) -> frozenset[date]:
    import holidays  # loaded only for working-day periods: it takes a while to import

    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def describe_gap(start: date, end: date) -> str:
    """How long from ``start`` to ``end``, in words: ``6 weeks``, ``2 weeks 3 days``, ``5 days``."""
    days = (end - start).days
    if days < 0:
        return f"{describe_days(-days)} before"
    return describe_days(days)


def describe_days(days: int) -> str:
    if days >= 14:
        weeks, rest = divmod(days, 7)
        text = f"{weeks} weeks"
        return text + (f" {rest} day{'s' if rest != 1 else ''}" if rest else "")
    return f"{days} day{'s' if days != 1 else ''}"
