"""Reading reminder times from Chinese and English chat text.

:func:`parse` turns ``每周三下午3点提醒大家交选题`` into a :class:`Reading`: a one-off instant, a
date without a time, a cron-like rule, an interval, or a reasoned refusal (past, vague,
invalid, ambiguous, no time), in the team's zone and relative to "now". It also separates the
time phrase from the task and the people to remind.

Conventions (the shared cases in ``timeparse_cases.json`` follow them):
- weeks start on Monday; ``下周三`` is Wednesday of next week; a bare weekday is its next
  occurrence (today when today's time is still ahead);
- a bare hour (``两点``) with a date is 1–6 → afternoon, 7–11 → morning, 12 → noon; without a
  date it is the nearest future of the two readings;
- a clock time with no date that has passed today moves to tomorrow; an explicit ``今天`` does not;
- ``晚上12点`` is midnight at the end of that day.

The Chinese reading is a sequence of small passes over one :class:`~.scan.Scan` — recurrence,
offsets, dates, relative days, weeks, clock — each taking only characters no earlier pass used;
:mod:`.english` fills the same parts from English; :mod:`.resolve` turns the parts into a reading
for both; :mod:`.task` takes what is left as the task and the people.
"""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.textnorm import fold
from handlers.shared.time.parse import (
    clock,
    dates,
    offsets,
    ordinals,
    recurrence,
    relative,
    timelike,
    weeks,
)
from handlers.shared.time.parse.english import scan_en
from handlers.shared.time.parse.lexicon import (
    FESTIVAL_WORDS,
    PARTS,
    UNREAD_EN,
    UNREAD_ZH,
    VAGUE_ZH,
    WD,
    cn_int,
    weekday_index,
)
from handlers.shared.time.parse.reading import ParseError, Reading
from handlers.shared.time.parse.resolve import has_time, resolve
from handlers.shared.time.parse.scan import Parts, Scan
from handlers.shared.time.parse.task import split_task

__all__ = ["PARTS", "WD", "ParseError", "Reading", "cn_int", "parse", "weekday_index"]

# The Chinese passes, in order of precedence.
ZH_PASSES = (
    ordinals.read,
    recurrence.read,
    offsets.read,
    dates.read,
    relative.read,
    weeks.read,
    dates.festivals,
    clock.read,
)


def scan_zh(text: str, now: datetime) -> tuple[Parts, Scan]:
    scan = Scan(text)
    parts = Parts()
    for read in ZH_PASSES:
        read(scan, parts, now.date())
    _first_day(scan, parts)
    return parts, scan


_STARTS = re.compile(r"\s*(?:开始|起)(?![床来草飞身码])")


def _first_day(scan: Scan, p: Parts) -> None:
    """「明天起每天…」「从下周一开始每天…」: a day followed by 起/开始 is a repeating rule's first day."""
    if p.day is None or not p.recurring:
        return
    for start, end in sorted(scan.spans):
        m = _STARTS.match(scan.text, end)
        if m and not any(scan.used[m.start() : m.end()]):
            scan.mark(m.start(), m.end())
            lead = scan.text.rfind("从", 0, start)
            if lead >= 0 and not scan.text[lead + 1 : start].strip() and not scan.used[lead]:
                scan.mark(lead, lead + 1)
            p.starts, p.day = p.day, None
            return


_EITHER = re.compile(
    r"((?:下下|下|这|本)?\s*个?(?:周|星期|礼拜))([一二三四五六日天1-7])\s*(?:或者|或是|还是|或)\s*(?:周|星期|礼拜)?([一二三四五六日天1-7])"
)


def _all_read(scan: Scan, unread: re.Pattern, parts: Parts | None = None) -> None:
    """Refuse when a time word is left over: the words around it are shown back to the person.

    ``下周三或者周四`` is asked back with both readings. A festival's name left over after an explicit
    date was read is the task's (「每年12月12日上午10点双十二复盘」), not a second time.
    """
    either = _EITHER.search(scan.text)
    if either:
        week, a, b = either.groups()
        said = either.group(0)
        raise ParseError("ambiguous", f"「{said}」是哪一天？", [(said, f"{week}{a}"), (said, f"{week}{b}")])
    rest = scan.rest()
    dated = parts is not None and (parts.month is not None or dates.has_own_day(parts))
    m = next(
        (m for m in unread.finditer(rest) if not (dated and m.group(0) in FESTIVAL_WORDS)),
        None,
    )
    if m:
        start, end = m.start(), m.end()
        while start > 0 and not rest[start - 1].isspace() and not scan.used[start - 1]:
            start -= 1
        while end < len(rest) and not rest[end].isspace() and end - m.end() < 4:
            end += 1
        words = rest[start:end].strip(" ,，。")
        raise ParseError("unread", f"「{words}」这部分时间没读懂")


def parse(text: str, now: datetime, tz: str | ZoneInfo = "Asia/Shanghai") -> Reading:
    """Read the time in ``text`` as said at ``now`` in zone ``tz``."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    now = now.astimezone(zone)
    folded = fold(text)
    # English only when there are letters and no Chinese: "12/3 20:00" is read by the numeric passes
    english = not re.search(r"[\u4e00-\u9fff]", folded) and bool(re.search(r"[a-zA-Z]", folded))
    try:
        if english:
            parts, scan = scan_en(folded.lower(), now)
        else:
            parts, scan = scan_zh(folded, now)
            if any(word in folded for word in VAGUE_ZH) and not has_time(parts):
                raise ParseError("vague", "这个时间不够具体，请说具体的时间，例如「半小时后」或「下午3点」")
        _all_read(scan, UNREAD_EN if english else UNREAD_ZH, parts)
        reading = resolve(parts, now, zone)
        # every character is the time's or the task's: a time-like word the reading did not use
        # would be saved as part of the task, so the phrase is asked about instead
        has_day = parts.month is not None or dates.has_own_day(parts)
        left = timelike.left_in_task(scan.text, scan.used, english=english, dated=has_day)
        if left:
            raise ParseError("unread", f"「{left}」这部分时间没读懂")
    except ParseError as exc:
        options = [
            folded.replace(said, meant, 1).strip() for said, meant in exc.choices if said and said in folded
        ]
        reading = Reading(kind="error", reason=exc.reason, detail=exc.detail, options=options)
        scan = None
    if scan is not None:
        reading.spans = sorted(scan.spans)
        reading.task, reading.people = split_task(text, scan.used, english)
    else:
        reading.task, reading.people = split_task(text, [False] * len(text), english)
    return reading
