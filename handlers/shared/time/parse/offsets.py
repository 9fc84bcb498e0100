"""Offsets from now: 3小时后, 半小时后, 20分钟后, 两刻钟后, 3天后, 2周后."""

from __future__ import annotations

from datetime import date, timedelta

from handlers.shared.time.parse.lexicon import N, cn_int
from handlers.shared.time.parse.scan import Parts, Scan


def read(scan: Scan, p: Parts, today: date) -> None:
    m = scan.take(rf"({N})\s*个?\s*(?:小时|钟头)\s*(?:({N})\s*分钟?)?\s*(?:以后|之后|后)")
    if m:
        p.offset = timedelta(hours=cn_int(m.group(1)), minutes=cn_int(m.group(2)) if m.group(2) else 0)
    m = scan.take(rf"(?:({N})\s*个)?\s*半\s*个?\s*(?:小时|钟头)\s*(?:以后|之后|后)")
    if m:
        p.offset = timedelta(hours=(cn_int(m.group(1)) if m.group(1) else 0), minutes=30)
    m = scan.take(rf"({N})\s*分钟?\s*(?:以后|之后|后)")
    if m:
        p.offset = timedelta(minutes=cn_int(m.group(1)))
    m = scan.take(rf"({N})\s*刻钟\s*(?:以后|之后|后)")
    if m:
        p.offset = timedelta(minutes=15 * cn_int(m.group(1)))
    m = scan.take(rf"({N})\s*(?:天|日)\s*(?:以后|之后|后)")
    if m:
        p.day_offset = cn_int(m.group(1))
    m = scan.take(rf"({N})\s*个?\s*(?:周|星期|礼拜)\s*(?:以后|之后|后)")
    if m:
        p.day_offset = 7 * cn_int(m.group(1))
    # 提前半小时 / 提前10分钟 / 提前1天: remind this long before the time said
    m = scan.take(
        rf"提前\s*(?:({N})\s*个?\s*(小时|钟头|分钟|分|天)|(半)\s*个?\s*(?:小时|钟头)|(一刻钟))(?:提醒)?"
    )
    if m:
        if m.group(3):
            p.lead = timedelta(minutes=30)
        elif m.group(4):
            p.lead = timedelta(minutes=15)
        else:
            n, unit = cn_int(m.group(1)), m.group(2)
            p.lead = timedelta(
                **{"小时": {"hours": n}, "钟头": {"hours": n}, "天": {"days": n}}.get(unit, {"minutes": n})
            )
