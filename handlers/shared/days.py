"""Days people name when entering or looking up numbers: 今天, 昨天, 上周五, 11-20, 11月20日, 2026-11-20."""

from __future__ import annotations

import re
from datetime import date, timedelta

from handlers.shared.timeparse import WD, cn_int, weekday_index

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


def period(text: str, today: date) -> tuple[date, date, str] | None:
    """``今天|昨天|本周|上周|本月|上月|近N天|最近N天`` → (start, end, label); None if not a period word."""
    t = text.strip()
    if t in ("", "近7天"):
        return today - timedelta(days=6), today, "近 7 天"
    if t in ("今天", "今日"):
        return today, today, "今天"
    if t in ("昨天", "昨日"):
        d = today - timedelta(days=1)
        return d, d, "昨天"
    if t in ("本周", "这周"):
        return today - timedelta(days=today.weekday()), today, "本周"
    if t == "上周":
        monday = today - timedelta(days=today.weekday() + 7)
        return monday, monday + timedelta(days=6), "上周"
    if t in ("本月", "这个月"):
        return today.replace(day=1), today, "本月"
    if t in ("上月", "上个月"):
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last, "上月"
    if t in ("今年", "本年"):
        return today.replace(month=1, day=1), today, "今年"
    m = re.fullmatch(r"(?:近|最近|过去)?\s*(\d+|[一二两三四五六七八九十]+)\s*天", t)
    if m:
        n = cn_int(m.group(1))
        if not 1 <= n <= 1100:
            return None
        return today - timedelta(days=n - 1), today, f"近 {n} 天"
    return None


def previous(start: date, end: date, label: str) -> tuple[date, date]:
    """The span a period is compared with, like with like: the previous full month for 上月, the same
    days of the previous month for 本月, the same weekdays of the previous week for 本周/上周, else the
    previous span of equal length."""
    if label == "上月":
        last = start - timedelta(days=1)
        return last.replace(day=1), last
    if label == "本月":
        prev_end_month = start - timedelta(days=1)
        first = prev_end_month.replace(day=1)
        return first, min(prev_end_month, first.replace(day=1) + timedelta(days=(end - start).days))
    if label in ("本周", "上周"):
        return start - timedelta(days=7), end - timedelta(days=7)
    days = (end - start).days + 1
    return start - timedelta(days=days), start - timedelta(days=1)
