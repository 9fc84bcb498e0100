"""China's official working days: weekends, statutory holidays and 调休 make-up days.

From ``chinese-calendar`` (maintained, updated each year when the State Council announces the
next year's arrangement). A year it does not cover yet falls back to Monday–Friday, and
:func:`known` says so, so the bot can warn instead of pretending.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache


@cache
def _calendar():
    import chinese_calendar

    return chinese_calendar


def known(day: date) -> bool:
    """Whether the official arrangement for ``day``'s year is in the data."""
    try:
        _calendar().is_workday(day)
    except NotImplementedError:
        return False
    return True


def is_workday(day: date) -> bool:
    """An official working day (a 调休 Saturday counts; a holiday on a weekday does not)."""
    try:
        return _calendar().is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def holiday_name(day: date) -> str | None:
    """The statutory holiday ``day`` belongs to (English name from the data), or None."""
    try:
        is_holiday, name = _calendar().get_holiday_detail(day)
    except NotImplementedError:
        return None
    return name if is_holiday else None


def nth_workday(year: int, month: int, n: int) -> date | None:
    """The ``n``-th working day of a month (``-1``: the last one), or None if it has fewer."""
    first = date(year, month, 1)
    nxt = date(year + month // 12, month % 12 + 1, 1)
    days = [first + timedelta(days=i) for i in range((nxt - first).days)]
    workdays = [d for d in days if is_workday(d)]
    if not workdays or abs(n) > len(workdays) or n == 0:
        return None
    return workdays[n - 1] if n > 0 else workdays[n]


def first_workday_after_holiday(today: date, horizon: int = 400) -> date | None:
    """The first working day after the next statutory holiday that starts or runs from ``today``."""
    day = today
    in_holiday = holiday_name(day - timedelta(days=1)) is not None and holiday_name(day) is not None
    for _ in range(horizon):
        if holiday_name(day) is not None:
            in_holiday = True
        elif in_holiday and is_workday(day):
            return day
        day += timedelta(days=1)
    return None
