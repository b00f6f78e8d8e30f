"""Dates as officers type them, and periods measured by calendar rules.

A period runs from the date given to the date due: 12 weeks from 5 January 2026 is
30 March 2026; three months from 31 January is 30 April (the day is kept where the month
has it, else the month's last day). Working days skip weekends and England's bank
holidays (from the ``holidays`` package, loaded only when a working-day period is used).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import lru_cache

from .errors import UserError
from .model import Period

_OFFSET = re.compile(r"^([+-])(\d{1,4})([dwmy])$")


def parse_date(text: str, today: date | None = None, field: str = "date") -> date:
    """``YYYY-MM-DD``, ``today``, ``yesterday``, ``tomorrow`` or an offset like ``+12w``,
    ``-3d``, ``+3m``, ``+1y`` from today."""
    today = today or date.today()
    raw = text.strip().lower()
    if raw == "today":
        return today
    if raw == "yesterday":
        return today - timedelta(days=1)
    if raw == "tomorrow":
        return today + timedelta(days=1)
    match = _OFFSET.match(raw)
    if match:
        sign = 1 if match.group(1) == "+" else -1
        amount, unit = int(match.group(2)) * sign, match.group(3)
        if unit == "d":
            return today + timedelta(days=amount)
        if unit == "w":
            return today + timedelta(weeks=amount)
        if unit == "m":
            return add_months(today, amount)
        return add_months(today, 12 * amount)
    try:
        return date.fromisoformat(raw) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw) else _bad(text, field)
    except ValueError:
        return _bad(text, field)


def _bad(text: str, field: str) -> date:
    raise UserError(f"{field} {text!r} is not a date: use YYYY-MM-DD, 'today', or an offset such as +12w, -3d, +3m.")


def add_months(start: date, months: int) -> date:
    """Calendar months: the same day of the month, or the month's last day if it is shorter."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def add_period(start: date, period: Period) -> date:
    """The date a period that starts on ``start`` is due."""
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
