"""Weeks: 下周三, 这个星期五, 周五前, 周末, and a refusal for a bare 下周."""

from __future__ import annotations

from datetime import date, timedelta

from handlers.shared.time.parse.lexicon import WD, WEEKWORD, weekday_index
from handlers.shared.time.parse.reading import ParseError
from handlers.shared.time.parse.scan import Parts, Scan


def read(scan: Scan, p: Parts, today: date) -> None:
    # 下周一到周五: every day of that stretch, then done
    m = scan.take(rf"(下下|下|这|本)\s*个?\s*{WEEKWORD}\s*({WD})\s*(?:到|至|-|~)\s*{WEEKWORD}?\s*({WD})")
    if m:
        a, b = weekday_index(m.group(2)), weekday_index(m.group(3))
        if b < a:
            raise ParseError("invalid", "一周里的起止顺序反了")
        monday = (
            today
            - timedelta(days=today.weekday())
            + timedelta(days=7 * {"下下": 2, "下": 1}.get(m.group(1), 0))
        )
        p.dows = list(range(a, b + 1))
        p.starts, p.until = monday + timedelta(days=a), monday + timedelta(days=b)
        return
    m = scan.take(rf"(下下|下|这|本|上)?\s*个?\s*{WEEKWORD}\s*({WD})(之前|以前|前)?")
    if m:
        wd = weekday_index(m.group(2))
        if m.group(3) and p.part is None:
            p.part = "下班前"
        if p.weekly_every:
            p.weekday = wd
        elif m.group(1):
            shift = {"下下": 2, "下": 1, "这": 0, "本": 0, "上": -1}[m.group(1)]
            monday = today - timedelta(days=today.weekday())
            p.day = monday + timedelta(days=7 * shift + wd)
        else:
            p.bare_weekday = wd
    elif not p.dows and (m := scan.take(r"(下下|下|这|本)?\s*个?\s*周末")):
        shift = {"下下": 2, "下": 1}.get(m.group(1) or "", 0)
        monday = today - timedelta(days=today.weekday())
        p.day = monday + timedelta(days=7 * shift + 5)
        if p.day < today:  # on Sunday "周末" is next weekend
            p.day += timedelta(days=7)
    elif p.day is None and scan.find(r"下\s*个?\s*(?:周|星期|礼拜)|下周"):
        raise ParseError("vague", "「下周」是哪一天？请说「下周一」这样的具体日子")
