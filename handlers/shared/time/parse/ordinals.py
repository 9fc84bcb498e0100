"""The n-th day of a kind in a month: 下个月第一个周一, 本月最后一个工作日, 12月倒数第二天,
每月最后一个周五, 每月倒数第二个工作日 (and English: the last Friday of every month).

One pass, before the others, so that 「下个月」 and 「周一」 are read together as one day rather than
as two. A day of a month is found by listing that month's days of the kind; the rule for a repeating
one is a cron day field where APScheduler has one (``1st mon``, ``last fri``) and a ``weekday_nth``
rule where it has none (倒数第二个周五).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from handlers.shared.time.parse.lexicon import WD, WEEKDAYS, WEEKWORD, N, cn_int, ordinal, weekday_index
from handlers.shared.time.parse.reading import ParseError
from handlers.shared.time.parse.scan import Parts, Scan, add_months, make_date

# which: 第N个 / 首个 / 最后一个 / 倒数第N个 (个 optional before 工作日 and 天)
_WHICH = rf"(?:第\s*(?P<n>{N})\s*个?|(?P<first>首个)|(?P<last>最后\s*[一1]?\s*个?)|倒数\s*第\s*(?P<back>{N})\s*个?)"
_KIND = rf"(?:{WEEKWORD}\s*(?P<wd>{WD})|(?P<work>工作日)|(?P<day>天|日))"
_MONTH = rf"(?:(?P<rel>下下个?|下个?|本|这个?)\s*月|(?P<year>今年|明年)?\s*(?P<mo>{N})\s*月份?)"


def _nth(m) -> int:
    if m.group("n"):
        n = cn_int(m.group("n"))
    elif m.group("first"):
        n = 1
    elif m.group("last"):
        n = -1
    else:
        n = -cn_int(m.group("back"))
    if n == 0:
        raise ParseError("invalid", "没有第 0 个")
    return n


def day_in_month(year: int, month: int, n: int, kind: str, weekday: int | None = None) -> date | None:
    """The n-th (n < 0: from the end) day of ``kind`` ("weekday", "workday", "day") in a month."""
    from bot import workdays

    days = [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]
    if kind == "weekday":
        days = [d for d in days if d.weekday() == weekday]
    elif kind == "workday":
        if not workdays.known(days[0]):
            raise ParseError(
                "unread", f"{year} 年的法定节假日和调休安排还没公布，算不出第几个工作日；请直接说日期"
            )
        days = [d for d in days if workdays.is_workday(d)]
    if abs(n) > len(days):
        return None
    return days[n - 1] if n > 0 else days[n]


def _weeks_then_weekday(scan: Scan, p: Parts, today: date) -> bool:
    """两周后的周一: the Monday of the week two weeks on (not the day two weeks from today)."""
    m = scan.take(rf"({N})\s*个?\s*{WEEKWORD}\s*(?:以后|之后|后)\s*的?\s*{WEEKWORD}\s*({WD})")
    if not m:
        return False
    monday = today - timedelta(days=today.weekday())
    p.day = monday + timedelta(days=7 * cn_int(m.group(1)) + weekday_index(m.group(2)))
    return True


def _day_range(scan: Scan, p: Parts, today: date) -> bool:
    """下个月10号到15号 (with 每天): a repeating rule's first and last day."""
    m = scan.find(
        rf"(?:(?P<rel>下下个?|下个?|本|这个?)\s*月|(?P<mo>{N})\s*月)?\s*(?P<a>{N})\s*[号日]\s*(?:到|至|-|~|—)\s*"
        rf"(?:(?P<mo2>{N})\s*月)?\s*(?P<b>{N})\s*[号日](?:\s*(?:为止|结束))?"
    )
    if not m or not re.search(r"每(?:天|日|晚|早)|天天", scan.text):
        return False
    if m.group("rel"):
        rel = m.group("rel")
        year, month = add_months(
            today.year, today.month, 2 if rel.startswith("下下") else 1 if rel.startswith("下") else 0
        )
    elif m.group("mo"):
        month = cn_int(m.group("mo"))
        year = today.year + (1 if month < today.month else 0)
    else:
        year, month = today.year, today.month
    end_year, end_month = year, month
    if m.group("mo2"):
        end_month = cn_int(m.group("mo2"))
        end_year = year + (1 if end_month < month else 0)
    p.starts = make_date(year, month, cn_int(m.group("a")))
    p.until = make_date(end_year, end_month, cn_int(m.group("b")))
    if p.until < p.starts:
        raise ParseError("invalid", "起止日期的顺序反了")
    scan.mark(m.start(), m.end())
    return True


def read(scan: Scan, p: Parts, today: date) -> None:
    if _weeks_then_weekday(scan, p, today) or _day_range(scan, p, today):
        return
    m = scan.take(rf"每个?\s*月\s*的?\s*{_WHICH}\s*{_KIND}")
    if m:
        n = _nth(m)
        if m.group("work"):
            if not -23 <= n <= 23:
                raise ParseError("invalid", "一个月没有那么多工作日")
            p.workday_nth = n
            return
        if m.group("day"):
            if n == -1:
                p.dom = "last"
            elif n > 0:
                p.dom = str(n)
            else:
                raise ParseError(
                    "unread", f"「{m.group(0)}」这种每月规则小编还不会算，可以说「每月最后一天」或几号"
                )
            return
        wd = weekday_index(m.group("wd"))
        if not -5 <= n <= 5:
            raise ParseError("invalid", "一个月里同一个星期几最多 5 个")
        if n > 0:
            p.dom = f"{ordinal(n)} {WEEKDAYS[wd]}"
        elif n == -1:
            p.dom = f"last {WEEKDAYS[wd]}"
        else:
            p.weekday_nth = (n, wd)
        return
    m = scan.take(rf"{_MONTH}\s*的?\s*{_WHICH}\s*{_KIND}")
    if not m:
        return
    if m.group("rel"):
        rel = m.group("rel")
        shift = 2 if rel.startswith("下下") else 1 if rel.startswith("下") else 0
        year, month = add_months(today.year, today.month, shift)
    else:
        month = cn_int(m.group("mo"))
        if not 1 <= month <= 12:
            raise ParseError("invalid", f"没有 {month} 月")
        year = today.year + (1 if m.group("year") == "明年" else 0)
        if not m.group("year") and month < today.month:
            year += 1
    n = _nth(m)
    kind = "workday" if m.group("work") else "day" if m.group("day") else "weekday"
    weekday = weekday_index(m.group("wd")) if m.group("wd") else None
    found = day_in_month(year, month, n, kind, weekday)
    if found is None:
        raise ParseError("invalid", f"{year}年{month}月没有「{m.group(0)}」")
    p.day = found
