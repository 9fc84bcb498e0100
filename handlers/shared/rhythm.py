"""Publishing slots as times: which days, how long before, when each slot falls in a week."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAY_CN = "一二三四五六日"
DOW = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_LEAD = 120


def days_label(days: list[int]) -> str:
    if days == list(range(7)):
        return "每天"
    if days == [0, 1, 2, 3, 4]:
        return "工作日"
    return "每周" + "".join(WEEKDAY_CN[d] for d in days)


def lead_label(minutes: int) -> str:
    if minutes % 1440 == 0:
        return f"{minutes // 1440} 天"
    if minutes % 60 == 0:
        return f"{minutes // 60} 小时"
    return f"{minutes} 分钟"


def nudge_rule(days: list[int], at: str, lead_minutes: int) -> dict:
    """The cron rule that fires ``lead_minutes`` before each slot (crossing midnight if it must)."""
    hh, mm = (int(x) for x in at.split(":"))
    total = hh * 60 + mm - lead_minutes
    shift, minute_of_day = divmod(total, 1440)
    nudge_days = sorted({(d + shift) % 7 for d in days})
    return {
        "kind": "cron",
        "minute": str(minute_of_day % 60),
        "hour": str(minute_of_day // 60),
        "day": "*",
        "month": "*",
        "day_of_week": ",".join(DOW[d] for d in nudge_days),
    }


def slot_times(slot: dict, start: date, end: date, tz: ZoneInfo) -> list[datetime]:
    """Every occurrence of a slot on days in [start, end)."""
    hh, mm = (int(x) for x in slot["at"].split(":"))
    out, d = [], start
    while d < end:
        if d.weekday() in slot["days"]:
            out.append(datetime.combine(d, time(hh, mm), tz))
        d += timedelta(days=1)
    return out


def dow_list(field: str) -> list[int]:
    days: set[int] = set()
    for part in field.split(","):
        if "-" in part:
            a, b = (DOW.index(x) for x in part.split("-"))
            days.update(range(a, b + 1))
        else:
            days.add(DOW.index(part))
    return sorted(days)
