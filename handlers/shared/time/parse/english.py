"""The English half of the time parser: ``remind me every weekday at 9:15am to check comments``."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from handlers.shared.time.parse.lexicon import WEEKDAYS, ordinal
from handlers.shared.time.parse.ordinals import day_in_month
from handlers.shared.time.parse.reading import ParseError
from handlers.shared.time.parse.scan import Parts, Scan, add_months, make_date, next_day_of_month, roll_year

DAYS = {
    "monday": 0,
    "mon": 0,
    "tuesday": 1,
    "tue": 1,
    "tues": 1,
    "wednesday": 2,
    "wed": 2,
    "thursday": 3,
    "thu": 3,
    "thur": 3,
    "thurs": 3,
    "friday": 4,
    "fri": 4,
    "saturday": 5,
    "sat": 5,
    "sunday": 6,
    "sun": 6,
}
MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty-five": 45,
    "half an": 0.5,
    "half a": 0.5,
}
NUM = r"(\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|half an|half a)"
DAY_RE = "|".join(sorted(DAYS, key=len, reverse=True))
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
# Holidays on a fixed day of the Gregorian calendar, as said in English.
HOLIDAYS_EN = {
    "christmas eve": (12, 24),
    "christmas day": (12, 25),
    "christmas": (12, 25),
    "xmas": (12, 25),
    "new year's eve": (12, 31),
    "new years eve": (12, 31),
    "new year's day": (1, 1),
    "new years day": (1, 1),
    "valentine's day": (2, 14),
    "valentines day": (2, 14),
    "halloween": (10, 31),
}
HOLIDAY_RE = "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(HOLIDAYS_EN, key=len, reverse=True))
UNITS = {
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "hr": "hours",
    "day": "days",
    "week": "weeks",
}


ORDINALS = {
    "first": 1,
    "1st": 1,
    "second": 2,
    "2nd": 2,
    "third": 3,
    "3rd": 3,
    "fourth": 4,
    "4th": 4,
    "fifth": 5,
    "5th": 5,
    "last": -1,
    "second to last": -2,
    "second-to-last": -2,
    "next to last": -2,
    "penultimate": -2,
}
ORD_RE = "|".join(sorted(map(re.escape, ORDINALS), key=len, reverse=True))


def _month_ordinal(scan: Scan, p: Parts, today: date) -> None:
    """``the last friday of every month``, ``the first working day of next month``, ``the 2nd
    tuesday of march``: the same readings as 每月最后一个周五 and 下个月第一个工作日."""
    m = scan.take(
        rf"\b(?:on\s+)?the\s+({ORD_RE})\s+({DAY_RE}|working\s+day|business\s+day|workday|day)\s+of\s+"
        rf"(?:(every|each)\s+month|(this|next|the)\s+month|({MONTH_RE}))\b"
    )
    if not m:
        return
    n, what = ORDINALS[m.group(1)], m.group(2)
    kind = "weekday" if what in DAYS else "day" if what == "day" else "workday"
    weekday = DAYS.get(what)
    if m.group(3):  # every month
        if kind == "workday":
            p.workday_nth = n
        elif kind == "day":
            if n < -1:
                raise ParseError("unread", f"「{m.group(0).strip()}」这种每月规则小编还不会算，请说几号")
            p.dom = "last" if n == -1 else str(n)
        elif n > 0:
            p.dom = f"{ordinal(n)} {WEEKDAYS[weekday or 0]}"
        elif n == -1:
            p.dom = f"last {WEEKDAYS[weekday or 0]}"
        else:
            p.weekday_nth = (n, weekday or 0)
        return
    if m.group(5):
        month = MONTHS[m.group(5)]
        year = today.year + (1 if month < today.month else 0)
    else:
        year, month = add_months(today.year, today.month, 1 if m.group(4) == "next" else 0)
    found = day_in_month(year, month, n, kind, weekday)
    if found is None:
        raise ParseError("invalid", f"{year}年{month}月没有「{m.group(0).strip()}」")
    p.day = found


# "the daily tip", "our nightly stream": after an article or a possessive the word names a thing
_NOT_NAMING = r"(?<!\bthe )(?<!\bour )(?<!\bmy )(?<!\byour )(?<!\bthis )(?<!\bnext )(?<!\ba )"


def _num(word: str) -> float:
    return float(word) if word.isdigit() else NUMBERS[word]


def scan_en(text: str, now: datetime) -> tuple[Parts, Scan]:
    scan = Scan(text)
    p = Parts()
    today = now.date()
    if any(v in text for v in ("later", "soon", "sometime", "in a bit", "in a while")) and not any(
        ch.isdigit() for ch in text
    ):
        raise ParseError("vague", "this time is not precise enough")

    _month_ordinal(scan, p, today)
    # recurrences
    m = scan.take(rf"\bevery\s+{NUM}?\s*(minute|min|hour|hr|day|week)s?\b")
    if m:
        n = int(_num(m.group(1))) if m.group(1) else 1
        unit = UNITS[m.group(2)]
        if unit == "weeks" and n >= 2:
            p.weekly_every = n
        elif unit == "days" and n == 1:
            p.daily = True
        elif unit == "weeks":
            p.dows = None
            p.interval = {"weeks": 1}
        else:
            p.interval = {unit: n}
    if scan.take(r"\bevery\s+weekday\b|\bon\s+weekdays\b|\bweekdays\b"):
        p.dows = [0, 1, 2, 3, 4]
    elif scan.take(r"\bevery\s+weekend\b|\bon\s+weekends\b"):
        p.dows = [5, 6]
    else:
        m = scan.take(rf"\bevery\s+((?:(?:{DAY_RE})s?\b(?:\s*,\s*|\s+and\s+|\s+)?)+)")
        if m:
            p.dows = sorted({DAYS[d] for d in re.findall(DAY_RE, m.group(1))})
    if not p.daily and scan.take(rf"\bevery\s+(?:day|morning)\b|{_NOT_NAMING}\bdaily\b|\beach\s+day\b"):
        p.daily = True
    if scan.take(rf"\bevery\s+night\b|{_NOT_NAMING}\bnightly\b"):
        p.daily, p.part = True, "晚上"
    m = scan.take(
        r"\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)?\s+of\s+(?:every|each)\s+month\b|\b(?:every|each)\s+month\s+on\s+the\s+(\d{1,2})(?:st|nd|rd|th)?\b|\bmonthly\s+on\s+the\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    )
    if m:
        day = int(next(g for g in m.groups() if g))
        if not 1 <= day <= 31:
            raise ParseError("invalid", f"no day {day} in a month")
        p.dom = str(day)
    if scan.take(r"\b(?:on\s+)?the\s+last\s+day\s+of\s+(?:every|each|the)\s+month\b"):
        p.dom = "last"

    # offsets
    m = scan.take(
        rf"\bin\s+{NUM}\s*(minute|min|hour|hr|day|week)s?\b(?:\s+and\s+{NUM}\s*(minute|min)s?)?"
        r"(\s+and\s+a\s+half\b)?"
    )
    if m:
        amount, unit = _num(m.group(1)) + (0.5 if m.group(5) else 0), UNITS[m.group(2)]
        if unit in ("days", "weeks"):
            days = amount * (7 if unit == "weeks" else 1)
            if days != int(days):
                raise ParseError("unread", f"{m.group(0).strip()}: say the day and the time instead")
            p.day_offset = int(days)
        else:
            span = amount * (60 if unit == "hours" else 1)
            if m.group(3):
                span += _num(m.group(3))
            p.offset = timedelta(minutes=span)

    # a repeating rule's last day: "until December 3", "through the 15th of January", "till end of month"
    if p.daily or p.dows or p.dom or p.interval or p.weekly_every:
        m = scan.take(
            rf"\b(?:until|till|through|thru)\s+(?:the\s+)?(?:({MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?"
            rf"|(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})|(end)\s+of\s+(?:the\s+|this\s+)?month)\b"
        )
        if m:
            if m.group(5):
                p.until = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
            else:
                month = MONTHS[m.group(1) or m.group(4)]
                p.until = roll_year(make_date(today.year, month, int(m.group(2) or m.group(3))), today)

    # dates
    m = scan.take(rf"\b(?:on\s+)?({MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b")
    if m:
        year = int(m.group(3)) if m.group(3) else today.year
        p.day = make_date(year, MONTHS[m.group(1)], int(m.group(2)))
        if not m.group(3):
            p.day = roll_year(p.day, today)
    else:
        m = scan.take(rf"\b(?:on\s+)?(?:the\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({MONTH_RE})\b")
        if m:
            p.day = roll_year(make_date(today.year, MONTHS[m.group(2)], int(m.group(1))), today)
    if p.day is None:
        m = scan.take(rf"\b(?:on\s+)?(?:the\s+)?({HOLIDAY_RE})\b")
        if m:
            month, day = HOLIDAYS_EN[re.sub(r"\s+", " ", m.group(1))]
            p.day = roll_year(date(today.year, month, day), today)
    if p.day is None and not p.dom:
        # "on the 20th": the next 20th (this month's if still ahead); "the 1st of next month"
        m = scan.take(
            r"\b(?:on\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b(?:\s+of\s+(this|next)\s+month\b)?(?!\s+of\b)"
        )
        if m and m.group(2):
            y, mo = add_months(today.year, today.month, 1 if m.group(2) == "next" else 0)
            p.day = make_date(y, mo, int(m.group(1)))
        elif m:
            p.day = next_day_of_month(int(m.group(1)), today)
    m = scan.take(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
    if m:
        p.day = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if scan.take(r"\b(?:at\s+|by\s+)?(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?month\b"):
        p.day = date(today.year, today.month, calendar.monthrange(today.year, today.month)[1])
    m = scan.take(r"\b(today|tonight|tomorrow|tmr|the\s+day\s+after\s+tomorrow|yesterday)\b")
    if m:
        word = m.group(1)
        shift = {"today": 0, "tonight": 0, "tomorrow": 1, "tmr": 1, "yesterday": -1}.get(word, 2)
        p.day = today + timedelta(days=shift)
        if word == "tonight":
            p.part = "晚上"
    m = scan.take(rf"\b(next|this|coming)?\s*\b({DAY_RE})s?\b")
    if m and not p.dows:
        wd = DAYS[m.group(2)]
        monday = today - timedelta(days=today.weekday())
        named = {"next": monday + timedelta(days=7 + wd), "this": monday + timedelta(days=wd)}.get(
            m.group(1) or ""
        )
        if p.day is not None and (named or p.day).weekday() != wd or (named and p.day and named != p.day):
            # "tomorrow ... next friday": two days; neither is dropped silently
            raise ParseError(
                "unread", f"「{m.group(0).strip()}」和 {p.day.month}月{p.day.day}日是两个日子，是哪一天？"
            )
        if named is not None:
            p.day = named
        else:
            p.bare_weekday = wd
    elif p.day is None and scan.find(r"\bnext\s+week\b"):
        raise ParseError("vague", "which day next week?")

    # parts of the day
    m = scan.take(r"\bin\s+the\s+(morning|afternoon|evening)\b|\b(morning|afternoon|evening|night)\b")
    if m:
        p.part = {"morning": "上午", "afternoon": "下午", "evening": "晚上", "night": "晚上"}[
            m.group(1) or m.group(2)
        ]

    # clock
    m = scan.take(r"\b(?:at\s+)?(noon|midday|midnight)\b")
    if m:
        p.hour, p.minute = (12, 0) if m.group(1) != "midnight" else (24, 0)
        p.part = None
    else:
        m = scan.take(r"\b(?:at\s+|@\s*)?(\d{1,2})(?::([0-5]\d))?\s*(am|pm|a\.m\.|p\.m\.)")
        if m:
            hour, minute = int(m.group(1)), int(m.group(2) or 0)
            if not 1 <= hour <= 12:
                raise ParseError("invalid", f"no {hour}{m.group(3)}")
            pm = m.group(3).startswith("p")
            p.hour = (hour % 12) + (12 if pm else 0)
            p.minute = minute
            p.part = None
        else:
            m = scan.take(r"\b(?:at\s+)(\d{1,2})(?::([0-5]\d))?\b|\b(\d{1,2}):([0-5]\d)\b")
            if m:
                hour = int(m.group(1) or m.group(3))
                p.minute = int(m.group(2) or m.group(4) or 0)
                if hour > 24:
                    raise ParseError("invalid", f"no hour {hour}")
                p.hour = hour
                if hour >= 13:
                    p.part = None
    _first_day(scan, p)
    return p, scan


def _first_day(scan: Scan, p: Parts) -> None:
    """「every day at 9am starting next monday」: the day after starting/from/beginning is the first."""
    if p.day is None or not p.recurring:
        return
    for start, _end in sorted(scan.spans):
        m = re.search(r"\b(?:starting|from|beginning|as\s+of)\s*(?:on\s+)?$", scan.text[:start])
        if m and not any(scan.used[m.start() : m.end()]):
            scan.mark(m.start(), m.end())
            p.starts, p.day = p.day, None
            return
