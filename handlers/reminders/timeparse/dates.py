"""Explicit dates: 2026-12-03, 12月3日, 12/3, festivals, 下个月5号, 月底, 5号."""

from __future__ import annotations

import calendar
from datetime import date

from handlers.reminders.timeparse.lexicon import HOLIDAYS, N, cn_int
from handlers.reminders.timeparse.scan import Parts, Scan, add_months, make_date, next_day_of_month, roll_year


def read(scan: Scan, p: Parts, today: date) -> None:
    m = scan.take(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?")
    if m:
        p.day = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if p.day is None and p.dom is None:
        m = scan.take(rf"(今年|明年|去年)?\s*({N})\s*月\s*({N})\s*[日号]?")
        if m:
            month, day = cn_int(m.group(2)), cn_int(m.group(3))
            year = {"明年": today.year + 1, "去年": today.year - 1}.get(m.group(1) or "", today.year)
            p.day = make_date(year, month, day)
            if not m.group(1):
                p.day = roll_year(p.day, today)
    if p.day is None and p.dom is None:
        m = scan.take(r"(?<![\d.:])(\d{1,2})[./](\d{1,2})(?![\d:])")
        if m and 1 <= int(m.group(1)) <= 12:
            p.day = roll_year(make_date(today.year, int(m.group(1)), int(m.group(2))), today)
    if p.day is None and p.dom is None:
        m = scan.take(r"(今年|明年)?\s*(" + "|".join(sorted(HOLIDAYS, key=len, reverse=True)) + r")")
        if m:
            month, day = HOLIDAYS[m.group(2)]
            year = today.year + (1 if m.group(1) == "明年" else 0)
            p.day = date(year, month, day)
            if not m.group(1):
                p.day = roll_year(p.day, today)
    if p.day is None and p.dom is None:
        m = scan.take(rf"(下下个?月|下个?月|本月|这个?月|上个?月)\s*(?:的)?\s*({N})\s*[号日]")
        if m:
            shift = {"下下": 2, "下": 1, "本": 0, "这": 0, "上": -1}[
                m.group(1)[:2] if m.group(1).startswith("下下") else m.group(1)[0]
            ]
            y, mo = add_months(today.year, today.month, shift)
            p.day = make_date(y, mo, cn_int(m.group(2)))
        else:
            m = scan.take(r"(下个?月|本月|这个?月)?\s*(?:月底|月末)")
            if m:
                shift = 1 if (m.group(1) or "").startswith("下") else 0
                y, mo = add_months(today.year, today.month, shift)
                p.day = date(y, mo, calendar.monthrange(y, mo)[1])
            else:
                m = scan.take(rf"(?<![\d月])({N})\s*号")
                if m:
                    p.day = next_day_of_month(cn_int(m.group(1)), today)
