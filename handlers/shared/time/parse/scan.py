"""The scan every pass shares: the text, which characters a pass has used, and the parts read so far.

A pass takes a pattern only where no earlier pass has used a character, so the order of the passes
is the order of precedence. Whatever no pass used is the task.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.shared.time.parse.reading import ParseError


class Scan:
    """Matches patterns against the folded text, remembering what was used."""

    def __init__(self, text: str):
        self.text = text
        self.used = [False] * len(text)
        self.spans: list[tuple[int, int]] = []

    def find(self, pattern: str, flags=0):
        """The first match that uses no used character. A match that overlaps used characters is
        tried again from its next character (「周一早上」: 一早 overlaps 周一, 早上 is the match)."""
        compiled = re.compile(pattern, flags)
        pos = 0
        while (m := compiled.search(self.text, pos)) is not None:
            if not any(self.used[m.start() : m.end()]):
                return m
            pos = m.start() + 1
        return None

    def take(self, pattern: str, flags=0):
        m = self.find(pattern, flags)
        if m:
            self.mark(m.start(), m.end())
        return m

    def mark(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.used[i] = True
        self.spans.append((start, end))

    def rest(self) -> str:
        return "".join(" " if u else c for c, u in zip(self.text, self.used, strict=True))


@dataclass
class Parts:
    interval: dict | None = None
    weekly_every: int | None = None
    dows: list[int] | None = None
    dom: str | None = None  # cron day field
    month: int | None = None
    months: str | None = None  # a cron month field for quarters (3,6,9,12)
    daily: bool = False
    offset: timedelta | None = None
    day_offset: int | None = None
    day: date | None = None
    bare_weekday: int | None = None
    week_shift: int | None = None
    weekday: int | None = None
    this_year_only: bool = False
    until: date | None = None  # a repeating rule's last day (inclusive)
    starts: date | None = None  # a repeating rule's first day
    lead: timedelta | None = None
    workdays: bool = False  # 工作日: official working days (调休 included), not just Monday–Friday
    weekday_nth: tuple[int, int] | None = None  # 每月倒数第N个周X: (−N, weekday), no cron field says it
    workday_nth: int | None = None  # 每月第N个 / 最后一个工作日  # 提前半小时: remind this long before
    part: str | None = None
    hour: int | None = None
    minute: int = 0
    clock_text: str = ""

    @property
    def recurring(self) -> bool:
        """Whether the reading is a repeating rule (每天, 每周一, 每月5号, 每隔两天, 每两周)."""
        return bool(self.daily or self.dows or self.dom or self.interval or self.weekly_every)


def make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError("invalid", f"{month} 月没有 {day} 日") from None


def roll_year(d: date, today: date) -> date:
    """A month and day without a year: this year's if still ahead, else next year's."""
    return d if d >= today else make_date(d.year + 1, d.month, d.day)


def add_months(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + shift
    return index // 12, index % 12 + 1


def next_day_of_month(day: int, today: date) -> date:
    if not 1 <= day <= 31:
        raise ParseError("invalid", f"没有 {day} 号")
    y, mo = today.year, today.month
    for _ in range(13):
        if day <= calendar.monthrange(y, mo)[1]:
            candidate = date(y, mo, day)
            if candidate >= today:
                return candidate
        y, mo = add_months(y, mo, 1)
    raise ParseError("invalid", f"没有 {day} 号")
