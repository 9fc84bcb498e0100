"""How a moment is written for people: ``11月23日（周一）10:00``, with 今天/明天/后天 when close."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

WEEKDAY_CN = "一二三四五六日"


def fmt_when(dt: datetime, tz: ZoneInfo, now: datetime | None = None) -> str:
    """``11月23日（周一）10:00``, with 今天/明天 when close."""
    local = dt.astimezone(tz)
    label = f"{local.month}月{local.day}日（周{WEEKDAY_CN[local.weekday()]}）"
    if now is not None:
        delta = (local.date() - now.astimezone(tz).date()).days
        prefix = {0: "今天", 1: "明天", 2: "后天"}.get(delta)
        label = f"{prefix} {label}" if prefix else label
    return f"{label}{local:%H:%M}"
