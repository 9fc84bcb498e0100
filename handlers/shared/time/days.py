"""Days people name when entering or looking up numbers: 今天, 昨天, 上周五, 11-20, 11月20日, 2026-11-20."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import NamedTuple

from handlers.shared.time.parse import WD, cn_int, weekday_index

DAY_RE = re.compile(
    rf"(今天|今日|昨天|昨日|前天|大前天|(?:\d+|[一二两三四五六七八九十]+)\s*天前"
    rf"|上\s*(?:周|星期|礼拜)\s*{WD}|(?:本|这)?\s*(?:周|星期|礼拜)\s*{WD}"
    r"|\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]?|\d{1,2}[-/]\d{1,2})"
)


class DateError(ValueError):
    pass


def parse_day(text: str, today: date) -> date:
    """A day on or before today (numbers are recorded for the past). Raises DateError."""
    t = text.strip()
    simple = {"今天": 0, "今日": 0, "昨天": 1, "昨日": 1, "前天": 2, "大前天": 3}
    if t in simple:
        return today - timedelta(days=simple[t])
    m = re.fullmatch(r"(\d+|[一二两三四五六七八九十]+)\s*天前", t)
    if m:
        return today - timedelta(days=cn_int(m.group(1)))
    m = re.fullmatch(rf"上\s*(?:周|星期|礼拜)\s*({WD})", t)
    if m:
        monday = today - timedelta(days=today.weekday() + 7)
        return monday + timedelta(days=weekday_index(m.group(1)))
    m = re.fullmatch(rf"(?:本|这)?\s*(?:周|星期|礼拜)\s*({WD})", t)
    if m:
        back = (today.weekday() - weekday_index(m.group(1))) % 7
        return today - timedelta(days=back)
    m = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", t)
    if m:
        return _make(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?|(\d{1,2})[-/](\d{1,2})", t)
    if m:
        month, day = (int(x) for x in (m.group(1, 2) if m.group(1) else m.group(3, 4)))
        d = _make(today.year, month, day)
        return d if d <= today else _make(today.year - 1, month, day)
    raise DateError(text)


def _make(y: int, m: int, d: int) -> date:
    try:
        return date(y, m, d)
    except ValueError:
        raise DateError(f"{y}-{m}-{d}") from None


def find_day(text: str, today: date) -> tuple[date | None, str]:
    """A day named anywhere in ``text``, and the text without it."""
    m = DAY_RE.search(text)
    if not m:
        return None, text
    return parse_day(m.group(0), today), (text[: m.start()] + " " + text[m.end() :]).strip()


class Period(NamedTuple):
    """A span of days a person named, and what kind of span it is: the kind, not the Chinese
    word, decides what it is compared with (:meth:`previous`)."""

    start: date
    end: date
    label: str
    kind: str = "span"  # day, week (Monday to today), whole_week, month_to_date, month, span

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """What this is compared with, like with like: the month before a whole month, the same days
        of the month before for 本月, the same weekdays a week earlier for 本周/上周, else the span of
        equal length just before."""
        if self.kind == "month":
            last = self.start - timedelta(days=1)
            return Period(last.replace(day=1), last, f"{last.month}月", "month")
        if self.kind == "month_to_date":
            last = self.start - timedelta(days=1)
            first = last.replace(day=1)
            return Period(first, min(last, first + timedelta(days=self.days - 1)), "上月同期")
        if self.kind in ("week", "whole_week"):
            return Period(self.start - timedelta(days=7), self.end - timedelta(days=7), "前一周", self.kind)
        return Period(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), "前一期", self.kind
        )

    def earlier(self) -> Period:
        """The period before this one, shown whole when this one has nothing yet: the whole month
        before 本月; otherwise :meth:`previous`."""
        if self.kind == "month_to_date":
            last = self.start - timedelta(days=1)
            return Period(last.replace(day=1), last, f"{last.month}月", "month")
        return self.previous()


def period(text: str, today: date) -> Period | None:
    """``今天|昨天|本周|上周|本月|上月|今年|近N天|最近N天`` → a :class:`Period`; None if not a period word."""
    t = text.strip()
    if t in ("", "近7天"):
        return Period(today - timedelta(days=6), today, "近 7 天")
    if t in ("今天", "今日"):
        return Period(today, today, "今天", "day")
    if t in ("昨天", "昨日"):
        d = today - timedelta(days=1)
        return Period(d, d, "昨天", "day")
    if t in ("本周", "这周"):
        return Period(today - timedelta(days=today.weekday()), today, "本周", "week")
    if t == "上周":
        monday = today - timedelta(days=today.weekday() + 7)
        return Period(monday, monday + timedelta(days=6), "上周", "whole_week")
    if t in ("本月", "这个月"):
        return Period(today.replace(day=1), today, "本月", "month_to_date")
    if t in ("上月", "上个月"):
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last, "上月", "month")
    if t in ("今年", "本年"):
        return Period(today.replace(month=1, day=1), today, "今年")
    m = re.fullmatch(r"(?:近|最近|过去)?\s*(\d+|[一二两三四五六七八九十]+)\s*天", t)
    if m:
        n = cn_int(m.group(1))
        if not 1 <= n <= 1100:
            return None
        return Period(today - timedelta(days=n - 1), today, f"近 {n} 天")
    return None
