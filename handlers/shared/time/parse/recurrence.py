"""Recurrences: 每隔N天, 每N周, 工作日/周末, 每周一三五, 每月N号 / 最后一天 / 第N个周X, 每年, 每天."""

from __future__ import annotations

import calendar
import re
from datetime import date

from handlers.shared.time.parse.lexicon import (
    HOLIDAYS,
    WD,
    WEEKDAYS,
    WEEKWORD,
    N,
    cn_int,
    ordinal,
    weekday_index,
)
from handlers.shared.time.parse.reading import ParseError
from handlers.shared.time.parse.scan import Parts, Scan

FIXED = "|".join(sorted(HOLIDAYS, key=len, reverse=True))  # festivals on a fixed Gregorian day


def read(scan: Scan, p: Parts, today: date) -> None:
    # 每隔一周的周五 / 隔周周五: every other week on that day (a weekday must follow)
    m = scan.take(rf"(?:每隔\s*({N})\s*个?\s*(?:周|星期|礼拜)|隔周)\s*的?(?=\s*{WEEKWORD}\s*{WD})")
    if m:
        p.weekly_every = (cn_int(m.group(1)) if m.group(1) else 1) + 1
    m = scan.take(rf"每隔\s*({N}|半)?\s*个?\s*(分钟|分|小时|钟头|天|日|周|星期|礼拜)")
    if m:
        n = 1 if not m.group(1) else (0.5 if m.group(1) == "半" else cn_int(m.group(1)))
        unit = {
            "分钟": "minutes",
            "分": "minutes",
            "小时": "hours",
            "钟头": "hours",
            "天": "days",
            "日": "days",
        }.get(m.group(2), "weeks")
        if n == 0.5:
            n, unit = (30, "minutes") if unit == "hours" else (12, "hours")
        p.interval = {unit: int(n)}
    m = scan.take(rf"每\s*({N})\s*个?\s*(?:周|星期|礼拜)(?:\s*一次)?")
    if m and cn_int(m.group(1)) >= 2:
        p.weekly_every = cn_int(m.group(1))
    elif m:
        scan.spans.pop()
        for i in range(m.start(), m.end()):
            scan.used[i] = False
    m = scan.take(
        rf"每个?月的?\s*(?:(最后)\s*[一1]?个?|倒数\s*第\s*({N})\s*个?|第\s*({N})\s*个?|(首个))\s*工作日"
    )
    if m:
        p.workday_nth = (
            -1
            if m.group(1)
            else -cn_int(m.group(2))
            if m.group(2)
            else 1
            if m.group(4)
            else cn_int(m.group(3))
        )
        if not -23 <= p.workday_nth <= 23 or p.workday_nth == 0:
            raise ParseError("invalid", "一个月没有那么多工作日")
    elif scan.take(r"每个?工作日|(?<![第个])工作日"):
        p.dows, p.workdays = [0, 1, 2, 3, 4], True
    elif scan.take(r"(?:每个?|每逢)周末"):
        p.dows = [5, 6]
    else:
        m = scan.take(rf"每个?\s*{WEEKWORD}\s*({WD})\s*(?:到|至|-|~)\s*{WEEKWORD}?\s*({WD})")
        if m:
            a, b = weekday_index(m.group(1)), weekday_index(m.group(2))
            p.dows = list(range(a, b + 1)) if a <= b else [*range(a, 7), *range(0, b + 1)]
        else:
            m = scan.take(
                rf"每个?\s*{WEEKWORD}\s*({WD}(?:\s*[、,，和与及]\s*{WEEKWORD}?\s*{WD}|\s*{WEEKWORD}\s*{WD}|{WD}(?!\d))*)"
            )
            if m:
                p.dows = sorted({weekday_index(c) for c in re.findall(WD, m.group(1))})
    if scan.take(r"每个?季度的?\s*(?:最后一天|季度末|最后1天)|每个?季度末"):
        p.dom, p.months = "last", "3,6,9,12"
    elif scan.take(r"每个?季度的?\s*(?:第一天|第1天|初)"):
        p.dom, p.months = "1", "1,4,7,10"
    if scan.take(r"每个?月的?\s*(?:最后一天|月底|最后1天)|每个?月底|每个?月末"):
        p.dom = "last"
    m = scan.take(rf"每个?月的?\s*第\s*({N})\s*个\s*{WEEKWORD}\s*({WD})")
    if m:
        nth = cn_int(m.group(1))
        p.dom = f"{ordinal(nth)} {WEEKDAYS[weekday_index(m.group(2))]}"
    m = scan.take(rf"每个?月的?\s*({N})\s*[号日]?((?:\s*[、,，和与及]\s*{N}\s*[号日])*)")
    if m:
        days = [cn_int(m.group(1)), *(cn_int(x) for x in re.findall(N, m.group(2) or ""))]
        for day in days:
            if not 1 <= day <= 31:
                raise ParseError("invalid", f"每月没有 {day} 号")
        p.dom = ",".join(str(d) for d in sorted(set(days)))
    m = scan.take(rf"每年的?\s*(?:({N})\s*月\s*({N})\s*[日号]?|({FIXED}))")
    if m:
        if m.group(3):  # 每年元旦: a festival on a fixed day of the Gregorian calendar
            p.month, day = HOLIDAYS[m.group(3)]
        else:
            p.month, day = cn_int(m.group(1)), cn_int(m.group(2))
        if not 1 <= p.month <= 12 or not 1 <= day <= calendar.monthrange(2024, p.month)[1]:
            raise ParseError("invalid", f"没有 {p.month} 月 {day} 日")
        p.dom = str(day)
    if scan.take(r"每晚|每天晚上|每日晚上"):
        p.daily, p.part = True, "晚上"
    elif scan.take(r"每早|每天早上|每日早上"):
        p.daily, p.part = True, "早上"
    elif scan.take(r"每天|每日|天天"):
        p.daily = True
    # 周末除外 / 除了周末 / 不含周末: a daily rule on weekdays only
    if scan.take(r"[,，]?\s*(?:周末除外|除了?周末(?:以外)?|不含周末|周末不用)"):
        if p.daily or p.dows is None:
            p.daily, p.dows = False, [0, 1, 2, 3, 4]
