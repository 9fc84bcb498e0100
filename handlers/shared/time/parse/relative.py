"""Relative days: 今天, 明天, 后天, 大后天, 今晚, 明早, 昨天."""

from __future__ import annotations

from datetime import date, timedelta

from handlers.shared.time.parse.scan import Parts, Scan


def read(scan: Scan, p: Parts, today: date) -> None:
    rel = {
        "大后天": 3,
        "后天": 2,
        "明天": 1,
        "明日": 1,
        "明早": 1,
        "明晚": 1,
        "今天": 0,
        "今日": 0,
        "今早": 0,
        "今晚": 0,
        "今夜": 0,
        "昨天": -1,
        "昨晚": -1,
        "前天": -2,
    }
    m = scan.take("|".join(sorted(rel, key=len, reverse=True)))
    if m:
        p.day = today + timedelta(days=rel[m.group(0)])
        if m.group(0) in ("明早", "今早"):
            p.part = "早上"
        elif m.group(0) in ("明晚", "今晚", "今夜", "昨晚"):
            p.part = "晚上"
