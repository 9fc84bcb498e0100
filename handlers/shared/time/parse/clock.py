"""The part of the day and the clock time: 下午, 9:30, 三点一刻, 十点零五, 1130, 三点到五点."""

from __future__ import annotations

import re
from datetime import date

from handlers.shared.time.parse.lexicon import PARTS, N, cn_int
from handlers.shared.time.parse.reading import ParseError
from handlers.shared.time.parse.scan import Parts, Scan

# A one-character part of the day (早, 晚) is one only next to a day or a clock: 明早, 每晚, 周五晚,
# 早8点; inside a word (早安图, 晚会) it is the task's.
_WORDS = sorted((w for w in PARTS if len(w) > 1), key=len, reverse=True)
_PART = re.compile(
    "(?:"
    + "|".join(_WORDS)
    + ")(?!茶)"  # 下午茶, 早茶: a meal, not a part of the day
    + rf"|(?<=[今明后每天日末号一二三四五六七1-7])[早晚](?![安餐饭会报点饭班市场霞])|[早晚](?=\s*{N}\s*[点點时:：])"
)


def read(scan: Scan, p: Parts, today: date) -> None:
    m = scan.take(_PART.pattern)
    if m and p.part is None:
        p.part = m.group(0)
    elif m and PARTS[m.group(0)] != PARTS[p.part or m.group(0)]:  # 明早……晚上8点: which one?
        raise ParseError("unread", f"「{p.part}」和「{m.group(0)}」是两个时段，是哪一个？")
    read_clock(scan, p, allow_compact=bool(p.day or p.part or p.bare_weekday is not None))


def read_clock(scan: Scan, p: Parts, allow_compact: bool) -> None:
    """The clock time: ``9:30``, ``9点半``, ``三点一刻``, ``十点零五``, ``9点20``, ``1130``."""
    m = scan.take(r"(?<!\d)([01]?\d|2[0-9]):([0-5]\d)(?!\d)")
    if m:
        p.hour, p.minute = int(m.group(1)), int(m.group(2))
    else:
        m = scan.take(rf"({N})\s*[点點时](?:\s*(半|一刻|1刻|三刻|3刻|整|钟|(?:零|〇|0)?\s*({N})\s*分?))?")
        if m:
            p.hour = cn_int(m.group(1))
            pair = m.group(1)
            if len(pair) == 2 and all(c in "一二两三四五六七八九" for c in pair):
                first, second = cn_int(pair[0]), cn_int(pair[1])
                if second == first + 1:  # 两三点: between two and three, read as its start
                    p.hour = first
            tail = m.group(2) or ""
            if tail == "半":
                p.minute = 30
            elif tail in ("一刻", "1刻"):
                p.minute = 15
            elif tail in ("三刻", "3刻"):
                p.minute = 45
            elif m.group(3):
                p.minute = cn_int(m.group(3))
        elif allow_compact:
            m = scan.take(r"(?<![\d.])([01]\d|2[0-3])([0-5]\d)(?![\d.%])")
            if m:
                p.hour, p.minute = int(m.group(1)), int(m.group(2))
    if m:
        p.clock_text = m.group(0)
        # a range "三点到五点": the start is what counts
        before = re.compile(r"\s*(?:之前|以前|前)")
        b = before.match(scan.text, m.end())
        if b and not any(scan.used[b.start() : b.end()]):
            scan.mark(b.start(), b.end())
        rng = re.compile(rf"\s*(?:到|至|-|~|—)\s*(?:{N})\s*(?:[点點时](?:半|{N}分?)?|:[0-5]\d)")
        r = rng.match(scan.text, m.end())
        if r and not any(scan.used[r.start() : r.end()]):
            scan.mark(r.start(), r.end())
        if p.hour is not None and (p.hour > 24 or p.minute > 59 or (p.hour == 24 and p.minute)):
            raise ParseError("invalid", f"没有 {p.hour}:{p.minute:02d} 这个时间")
