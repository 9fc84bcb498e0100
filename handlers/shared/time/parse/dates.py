"""Explicit dates: 2026-12-03, 12月3日, 12/3, festivals, 下个月5号, 月底, 5号."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from handlers.shared.time.parse import timelike
from handlers.shared.time.parse.lexicon import HOLIDAYS, LUNAR, N, cn_int
from handlers.shared.time.parse.reading import ParseError
from handlers.shared.time.parse.scan import Parts, Scan, add_months, make_date, next_day_of_month, roll_year

_SHIFT = re.compile(rf"\s*的?\s*(前|后)\s*({N})\s*个?\s*(天|日|周|星期|礼拜)")
_SAME_DAY = re.compile(r"\s*(?:当天|当日)")
_BEFORE = re.compile(r"\s*(?:之前|以前|前)(?!\s*[一二两三四五六七八九十\d])")
_UNTIL_BEFORE = re.compile(r"(?:(?:持续|一直|延续)\s*)?(?:到|至|截至|截止到?|直到)\s*$")
_UNTIL_AFTER = re.compile(r"\s*(?:为止|结束|截止)")


def _take_at(scan: Scan, pattern: re.Pattern, pos: int):
    m = pattern.match(scan.text, pos)
    if m and not any(scan.used[m.start() : m.end()]):
        scan.mark(m.start(), m.end())
        return m
    return None


def around(scan: Scan, p: Parts, m, day: date) -> date | None:
    """What is said around a date: ``前一天``/``后两天``/``前一周``/``当天`` move it; with a repeating
    rule, ``…前`` and ``到…为止`` bound the rule instead (then no single day is returned)."""
    end = m.end()
    shift = _take_at(scan, _SHIFT, end)
    if shift:
        n = cn_int(shift.group(2)) * (1 if shift.group(3) in ("天", "日") else 7)
        day = day + timedelta(days=-n if shift.group(1) == "前" else n)
        end = shift.end()
    elif same := _take_at(scan, _SAME_DAY, end):
        end = same.end()
    if not p.recurring:
        return day
    if _take_at(scan, _BEFORE, end):
        p.until = day - timedelta(days=1)
        return None
    before = _UNTIL_BEFORE.search(scan.text, 0, m.start())
    if before and not any(scan.used[before.start() : before.end()]):
        scan.mark(before.start(), before.end())
        _take_at(scan, _UNTIL_AFTER, end)
        p.until = day
        return None
    return day


_FESTIVAL_NAMES = "|".join(sorted([*HOLIDAYS, *LUNAR], key=len, reverse=True))


def has_own_day(p: Parts) -> bool:
    """The reading already has its day (明天, 周五, 每天, 每月5号…): a festival's name is then the task's."""
    return (
        p.day is not None
        or p.dom is not None
        or p.until is not None
        or p.day_offset is not None
        or p.weekday is not None
        or p.bare_weekday is not None
        or p.week_shift is not None
        or p.recurring
        or p.workdays
        or p.weekday_nth is not None
        or p.workday_nth is not None
    )


def festivals(scan: Scan, p: Parts, today: date) -> None:
    """A festival as the day (春节, 除夕, 国庆节, 圣诞), read after every other day word: once the
    reading has its own day the name is the task's (「明天上午9点提醒发中秋节海报」). A name after 提醒
    when the time before 提醒 has no day of its own could be either, and is asked about."""
    if has_own_day(p):
        _restated(scan, p, today)
        return
    m = scan.find(r"(今年|明年)?\s*(" + _FESTIVAL_NAMES + r")")
    if not m:
        return
    if _apart_from_the_time(scan.text, m.start(2), m.end(2)):
        raise ParseError(
            "unread",
            f"「{m.group(2)}」是提醒的日子，还是要做的事的一部分？"
            f"请说「{m.group(2)}……提醒……」，或者说清是哪天（如「今天」「明天」）",
        )
    scan.mark(m.start(), m.end())
    name = m.group(2)
    if name in HOLIDAYS:
        month, day = HOLIDAYS[name]
        found = date(today.year + (1 if m.group(1) == "明年" else 0), month, day)
        p.day = around(scan, p, m, found if m.group(1) else roll_year(found, today))
    else:
        p.day = around(scan, p, m, lunar_festival(LUNAR[name], today, next_year=m.group(1) == "明年"))


def _apart_from_the_time(text: str, start: int, end: int) -> bool:
    """Whether other time words stand apart from the festival's name (「下午5点发除夕海报」: 5点 is the
    time, 除夕 may be the poster's topic). Beside them (「除夕晚上8点」) or alone (「除夕提醒发红包」) the
    name is the day."""
    rest = text[:start] + " " * (end - start) + text[end:]
    spans = timelike.spans(rest, english=False, festivals=False)
    if not spans:
        return False
    gaps = [text[e:start] if e <= start else text[end:s] for s, e in spans]
    return not any(not re.sub(r"当[天日]|[\s的，,前后]", "", gap) for gap in gaps)  # 春节前一天, 七夕当天


def _restated(scan: Scan, p: Parts, today: date) -> None:
    """「12月24日平安夜晚上7点」: a festival right beside the date it falls on restates that date and is
    the time's words, not the task's; beside a date it does not fall on, it is asked about."""
    if p.day is None:
        return
    for m in re.finditer(_FESTIVAL_NAMES, scan.text):
        if any(scan.used[m.start() : m.end()]):
            continue
        beside = (m.start() > 0 and scan.used[m.start() - 1]) or (
            m.end() < len(scan.text) and scan.used[m.end()]
        )
        if not beside:
            continue
        name = m.group(0)
        if name in HOLIDAYS:
            falls = HOLIDAYS[name] == (p.day.month, p.day.day)
        else:
            falls = lunar_festival(LUNAR[name], p.day) == p.day
        if not falls:
            raise ParseError("unread", f"{p.day.month}月{p.day.day}日不是{name}，是哪一天？")
        scan.mark(m.start(), m.end())


def lunar_festival(month_day: tuple[int, ...], today: date, *, next_year: bool = False) -> date:
    """The next date of a lunar-calendar festival (this one if still ahead, else next year's)."""
    from lunardate import LunarDate

    month, day, *shift = month_day
    for year in range(today.year - 1, today.year + 3):
        solar = LunarDate(year, month, day).to_solar_date() + timedelta(days=sum(shift))
        if next_year and solar.year != today.year + 1:
            continue
        if solar >= today:
            return solar
    raise ParseError("invalid", "算不出这个节日的日期")


def read(scan: Scan, p: Parts, today: date) -> None:
    m = scan.take(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?")
    if m:
        p.day = around(scan, p, m, make_date(int(m.group(1)), int(m.group(2)), int(m.group(3))))
    if p.day is None and p.dom is None and p.until is None:
        m = scan.take(rf"(今年|明年|去年)?\s*({N})\s*月\s*({N})\s*[日号]?")
        if m:
            month, day = cn_int(m.group(2)), cn_int(m.group(3))
            year = {"明年": today.year + 1, "去年": today.year - 1}.get(m.group(1) or "", today.year)
            found = make_date(year, month, day)
            p.day = around(scan, p, m, found if m.group(1) else roll_year(found, today))
    if p.day is None and p.dom is None and p.until is None:
        m = scan.take(r"(?<![\d.:])(\d{1,2})[./](\d{1,2})(?![\d:])")
        if m and 1 <= int(m.group(1)) <= 12:
            p.day = around(
                scan, p, m, roll_year(make_date(today.year, int(m.group(1)), int(m.group(2))), today)
            )
    if p.day is None and p.dom is None and p.until is None:
        m = scan.take(r"(?:节后|假期后|假后|收假后|长假后)\s*的?\s*(?:第\s*[一1]\s*个|首个)\s*工作日")
        if m:
            from bot import workdays

            p.day = workdays.first_workday_after_holiday(today)
            if p.day is None:
                raise ParseError("unread", "还查不到下一个法定假期的安排")
    if p.day is None and p.dom is None and p.until is None:
        # 下个月的今天, 下周的今天, 明年的今天: the same day a month, a week or a year on
        m = scan.take(
            r"(下下个?月|下个?月|下下(?:个)?(?:周|星期|礼拜)|下个?(?:周|星期|礼拜)|明年)\s*的\s*(?:今天|今日|这一?天)"
        )
        if m:
            unit = m.group(1)
            if unit == "明年":
                p.day = make_date(today.year + 1, today.month, today.day)
            elif "月" in unit:
                y, mo = add_months(today.year, today.month, 2 if unit.startswith("下下") else 1)
                p.day = make_date(y, mo, today.day)
            else:
                p.day = today + timedelta(days=14 if unit.startswith("下下") else 7)
    if p.day is None and p.dom is None and p.until is None:
        m = scan.take(rf"(下下个?月|下个?月|本月|这个?月|上个?月)\s*(?:的)?\s*({N})\s*[号日]")
        if m:
            shift = {"下下": 2, "下": 1, "本": 0, "这": 0, "上": -1}[
                m.group(1)[:2] if m.group(1).startswith("下下") else m.group(1)[0]
            ]
            y, mo = add_months(today.year, today.month, shift)
            p.day = make_date(y, mo, cn_int(m.group(2)))
        else:
            m = scan.take(rf"(?:({N})\s*月|(下个?|本|这个?)\s*月|(?<!每)(?<!每个)月)\s*(?:底|末)")
            if m:
                if m.group(1):
                    y, mo = today.year, cn_int(m.group(1))
                    if not 1 <= mo <= 12:
                        raise ParseError("invalid", f"没有 {mo} 月")
                    if (y, mo) < (today.year, today.month):
                        y += 1
                else:
                    y, mo = add_months(
                        today.year, today.month, 1 if (m.group(2) or "").startswith("下") else 0
                    )
                p.day = around(scan, p, m, date(y, mo, calendar.monthrange(y, mo)[1]))
            else:
                m = scan.take(rf"(?<![\d月])({N})\s*号")
                if m:
                    p.day = next_day_of_month(cn_int(m.group(1)), today)
