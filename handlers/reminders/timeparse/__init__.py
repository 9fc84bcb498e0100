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
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.textnorm import fold
from handlers.shared.numbers import DIGITS

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_ZH = "一二三四五六日"
CN_DIGITS = DIGITS
N = r"(?:\d{1,4}|[零〇一二两三四五六七八九十百]{1,5})"
WD = r"[一二三四五六七日天1-7]"
WEEKWORD = r"(?:周|星期|礼拜)"

# Parts of the day: the hour a bare part of day stands for, and how an hour in it reads.
PARTS = {
    "凌晨": ("early", 5),
    "清晨": ("morning", 6),
    "早上": ("morning", 8),
    "早晨": ("morning", 8),
    "一早": ("morning", 8),
    "上午": ("morning", 9),
    "早": ("morning", 8),
    "中午": ("noon", 12),
    "午饭前": ("noon", 11),
    "午后": ("afternoon", 14),
    "下午": ("afternoon", 15),
    "下班前": ("afternoon", 17),
    "下班后": ("evening", 18),
    "傍晚": ("evening", 18),
    "晚上": ("evening", 20),
    "晚": ("evening", 20),
    "夜里": ("night", 22),
    "夜晚": ("night", 22),
    "半夜": ("night", 0),
}
# Parts of the day that name no hour on their own: with no clock, the reading is a date.
HOLIDAYS = {
    "元旦": (1, 1),
    "情人节": (2, 14),
    "妇女节": (3, 8),
    "劳动节": (5, 1),
    "五一": (5, 1),
    "儿童节": (6, 1),
    "国庆节": (10, 1),
    "国庆": (10, 1),
    "双十一": (11, 11),
    "双11": (11, 11),
    "双十二": (12, 12),
    "双12": (12, 12),
    "平安夜": (12, 24),
    "圣诞节": (12, 25),
    "圣诞": (12, 25),
}
VAGUE_ZH = (
    "待会儿",
    "待会",
    "一会儿",
    "一会",
    "晚点",
    "晚些",
    "稍后",
    "过两天",
    "过几天",
    "改天",
    "回头",
    "过一阵",
    "有空",
    "找时间",
)
VAGUE_EN = ("later", "soon", "sometime", "some time", "in a bit", "in a while")


class ParseError(Exception):
    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass
class Reading:
    """What a phrase says about time, plus the task and the people it is for."""

    kind: str  # at | cron | interval | error
    when: datetime | None = None  # kind=at with a time
    day: date | None = None  # kind=at without a time
    cron: dict | None = None
    every: dict | None = None
    at: str | None = None  # interval: "HH:MM"
    first: datetime | None = None  # interval anchored on a weekday
    reason: str | None = None
    detail: str = ""
    part: str | None = None  # the part of day named without a clock (下午, 下班前)
    part_hour: int | None = None
    guessed_hour: bool = False  # a bare hour read as am/pm by convention
    task: str = ""
    people: list[str] = field(default_factory=list)  # "我", "大家", or names
    spans: list[tuple[int, int]] = field(default_factory=list)

    def to_json(self) -> dict:
        """The form of ``timeparse_cases.json``'s ``expected``."""
        if self.kind == "error":
            return {"kind": "error", "reason": self.reason}
        if self.kind == "at":
            if self.when is not None:
                return {"kind": "at", "datetime": self.when.isoformat()}
            return {"kind": "at", "date": self.day.isoformat()}
        if self.kind == "cron":
            return {"kind": "cron", **self.cron}
        data = {"kind": "interval", "every": self.every, "at": self.at}
        if self.first is not None:
            data["first"] = self.first.isoformat()
        return data


# -- numbers -------------------------------------------------------------------------------------


def cn_int(text: str) -> int:
    """``12``, ``十二``, ``二十三``, ``两``, ``一三五`` (digit by digit) → int."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if "百" in text:
        head, _, tail = text.partition("百")
        return (cn_int(head) if head else 1) * 100 + (cn_int(tail.lstrip("零〇")) if tail else 0)
    if "十" in text:
        head, _, tail = text.partition("十")
        return (CN_DIGITS[head] if head else 1) * 10 + (CN_DIGITS[tail] if tail else 0)
    value = 0
    for ch in text:
        if ch not in CN_DIGITS:
            raise ValueError(text)
        value = value * 10 + CN_DIGITS[ch]
    return value


def ordinal(n: int) -> str:
    """1 → ``1st``, 2 → ``2nd``, 3 → ``3rd``, 4 → ``4th`` (APScheduler's cron day form)."""
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def weekday_index(ch: str) -> int:
    """``一``…``日``/``天``/``1``…``7`` → 0 (Monday) … 6 (Sunday)."""
    if ch in "日天7":
        return 6
    if ch.isdigit():
        return int(ch) - 1
    return WEEKDAY_ZH.index(ch)


# -- the scanner -----------------------------------------------------------------------------------


class _Scan:
    """Matches patterns against the folded text, remembering what was used."""

    def __init__(self, text: str):
        self.text = text
        self.used = [False] * len(text)
        self.spans: list[tuple[int, int]] = []

    def find(self, pattern: str, flags=0):
        for m in re.finditer(pattern, self.text, flags):
            if not any(self.used[m.start() : m.end()]):
                return m
        return None

    def take(self, pattern: str, flags=0):
        m = self.find(pattern, flags)
        if m:
            self.mark(m.start(), m.end())
        return m

    def mark(self, start: int, end: int) -> None:
        for i in range(start, end):
            self.used[i] = True
        self.spans.append((start, end))

    def rest(self) -> str:
        return "".join(" " if u else c for c, u in zip(self.text, self.used, strict=True))


@dataclass
class _Parts:
    interval: dict | None = None
    weekly_every: int | None = None
    dows: list[int] | None = None
    dom: str | None = None  # cron day field
    month: int | None = None
    daily: bool = False
    offset: timedelta | None = None
    day_offset: int | None = None
    day: date | None = None
    bare_weekday: int | None = None
    week_shift: int | None = None
    weekday: int | None = None
    this_year_only: bool = False
    part: str | None = None
    hour: int | None = None
    minute: int = 0
    clock_text: str = ""


def _clock(scan: _Scan, p: _Parts, allow_compact: bool) -> None:
    """The clock time: ``9:30``, ``9点半``, ``三点一刻``, ``十点零五``, ``9点20``, ``1130``."""
    m = scan.take(r"(?<!\d)([01]?\d|2[0-9]):([0-5]\d)(?!\d)")
    if m:
        p.hour, p.minute = int(m.group(1)), int(m.group(2))
    else:
        m = scan.take(rf"({N})\s*[点點时](?:\s*(半|一刻|1刻|三刻|3刻|整|钟|(?:零|〇|0)?\s*({N})\s*分?))?")
        if m:
            p.hour = cn_int(m.group(1))
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
        if p.hour > 24 or p.minute > 59 or (p.hour == 24 and p.minute):
            raise ParseError("invalid", f"没有 {p.hour}:{p.minute:02d} 这个时间")


def _scan_zh(text: str, now: datetime) -> tuple[_Parts, _Scan]:
    scan = _Scan(text)
    p = _Parts()
    today = now.date()

    # recurrences
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
    if scan.take(r"每?个?工作日"):
        p.dows = [0, 1, 2, 3, 4]
    elif scan.take(r"每个?周末"):
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
    if scan.take(r"每个?月的?\s*(?:最后一天|月底|最后1天)|每个?月底|每个?月末"):
        p.dom = "last"
    m = scan.take(rf"每个?月的?\s*第\s*({N})\s*个\s*{WEEKWORD}\s*({WD})")
    if m:
        nth = cn_int(m.group(1))
        p.dom = f"{ordinal(nth)} {WEEKDAYS[weekday_index(m.group(2))]}"
    m = scan.take(rf"每个?月的?\s*({N})\s*[号日]")
    if m:
        day = cn_int(m.group(1))
        if not 1 <= day <= 31:
            raise ParseError("invalid", f"每月没有 {day} 号")
        p.dom = str(day)
    m = scan.take(rf"每年的?\s*({N})\s*月\s*({N})\s*[日号]?")
    if m:
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

    # offsets from now
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

    # explicit dates
    m = scan.take(r"(\d{4})\s*[年\-/.]\s*(\d{1,2})\s*[月\-/.]\s*(\d{1,2})\s*[日号]?")
    if m:
        p.day = _make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    if p.day is None and p.dom is None:
        m = scan.take(rf"(今年|明年|去年)?\s*({N})\s*月\s*({N})\s*[日号]?")
        if m:
            month, day = cn_int(m.group(2)), cn_int(m.group(3))
            year = {"明年": today.year + 1, "去年": today.year - 1}.get(m.group(1) or "", today.year)
            p.day = _make_date(year, month, day)
            if not m.group(1):
                p.day = _roll_year(p.day, today)
    if p.day is None and p.dom is None:
        m = scan.take(r"(?<![\d.:])(\d{1,2})[./](\d{1,2})(?![\d:])")
        if m and 1 <= int(m.group(1)) <= 12:
            p.day = _roll_year(_make_date(today.year, int(m.group(1)), int(m.group(2))), today)
    if p.day is None and p.dom is None:
        m = scan.take(r"(今年|明年)?\s*(" + "|".join(sorted(HOLIDAYS, key=len, reverse=True)) + r")")
        if m:
            month, day = HOLIDAYS[m.group(2)]
            year = today.year + (1 if m.group(1) == "明年" else 0)
            p.day = date(year, month, day)
            if not m.group(1):
                p.day = _roll_year(p.day, today)
    if p.day is None and p.dom is None:
        m = scan.take(rf"(下下个?月|下个?月|本月|这个?月|上个?月)\s*(?:的)?\s*({N})\s*[号日]")
        if m:
            shift = {"下下": 2, "下": 1, "本": 0, "这": 0, "上": -1}[
                m.group(1)[:2] if m.group(1).startswith("下下") else m.group(1)[0]
            ]
            y, mo = _add_months(today.year, today.month, shift)
            p.day = _make_date(y, mo, cn_int(m.group(2)))
        else:
            m = scan.take(r"(下个?月|本月|这个?月)?\s*(?:月底|月末)")
            if m:
                shift = 1 if (m.group(1) or "").startswith("下") else 0
                y, mo = _add_months(today.year, today.month, shift)
                p.day = date(y, mo, calendar.monthrange(y, mo)[1])
            else:
                m = scan.take(rf"(?<![\d月])({N})\s*号")
                if m:
                    p.day = _next_day_of_month(cn_int(m.group(1)), today)

    # relative days
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

    # weeks
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

    # parts of day
    if p.part is None:
        m = scan.take("|".join(sorted(PARTS, key=len, reverse=True)))
        if m:
            p.part = m.group(0)
    _clock(scan, p, allow_compact=bool(p.day or p.part or p.bare_weekday is not None))
    return p, scan


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ParseError("invalid", f"{month} 月没有 {day} 日") from None


def _roll_year(d: date, today: date) -> date:
    """A month and day without a year: this year's if still ahead, else next year's."""
    return d if d >= today else _make_date(d.year + 1, d.month, d.day)


def _add_months(year: int, month: int, shift: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + shift
    return index // 12, index % 12 + 1


def _next_day_of_month(day: int, today: date) -> date:
    if not 1 <= day <= 31:
        raise ParseError("invalid", f"没有 {day} 号")
    y, mo = today.year, today.month
    for _ in range(13):
        if day <= calendar.monthrange(y, mo)[1]:
            candidate = date(y, mo, day)
            if candidate >= today:
                return candidate
        y, mo = _add_months(y, mo, 1)
    raise ParseError("invalid", f"没有 {day} 号")


# -- resolving hours -------------------------------------------------------------------------------


def _hour_in_part(hour: int, part: str | None) -> tuple[int, int]:
    """Resolve an hour said with a part of day; returns (hour 0–23, extra days)."""
    kind = PARTS[part][0] if part else None
    if hour == 24:
        return 0, 1
    if kind in ("afternoon", "evening", "night"):
        if hour == 12:
            return (0, 1) if kind in ("evening", "night") else (12, 0)
        if kind == "night" and hour <= 4:
            return hour, 1
        return (hour + 12, 0) if hour < 12 else (hour, 0)
    if kind == "noon":
        return (hour + 12, 0) if hour < 11 else (hour, 0)
    if kind == "early":
        return (0, 0) if hour == 12 else (hour, 0)
    return hour, 0


def _guess_hour(hour: int) -> int:
    """A bare hour with a date: 1–6 afternoon, 7–11 morning, 12 noon."""
    if 1 <= hour <= 6:
        return hour + 12
    return hour


# -- public ----------------------------------------------------------------------------------------


def parse(text: str, now: datetime, tz: str | ZoneInfo = "Asia/Shanghai") -> Reading:
    """Read the time in ``text`` as said at ``now`` in zone ``tz``."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    now = now.astimezone(zone)
    folded = fold(text)
    english = not re.search(r"[\u4e00-\u9fff]", folded)
    try:
        if english:
            from handlers.reminders.timeparse.english import scan_en

            parts, scan = scan_en(folded.lower(), now)
        else:
            parts, scan = _scan_zh(folded, now)
            if any(word in folded for word in VAGUE_ZH) and not _has_time(parts):
                raise ParseError("vague", "这个时间不够具体，请说具体的时间，例如「半小时后」或「下午3点」")
        reading = _resolve(parts, now, zone)
    except ParseError as exc:
        reading = Reading(kind="error", reason=exc.reason, detail=exc.detail)
        scan = None
    if scan is not None:
        reading.spans = sorted(scan.spans)
        reading.task, reading.people = split_task(text, scan.used, english)
    else:
        reading.task, reading.people = split_task(text, [False] * len(text), english)
    return reading


def _has_time(p: _Parts) -> bool:
    return (
        any(
            x is not None
            for x in (
                p.interval,
                p.dows,
                p.dom,
                p.offset,
                p.day_offset,
                p.day,
                p.bare_weekday,
                p.hour,
                p.weekly_every,
            )
        )
        or p.daily
    )


def _resolve(p: _Parts, now: datetime, zone: ZoneInfo) -> Reading:
    today = now.date()
    guessed = False

    def clock_hour(with_date: bool) -> tuple[int, int]:
        nonlocal guessed
        if p.part:
            return _hour_in_part(p.hour, p.part)
        if p.hour == 24:
            return 0, 1
        if with_date and 1 <= p.hour <= 6:
            guessed = True
        return (_guess_hour(p.hour), 0) if with_date else (p.hour, 0)

    recurring = p.interval or p.weekly_every or p.dows or p.dom or p.daily
    if recurring:
        hour = minute = None
        if p.hour is not None:
            hour, _ = clock_hour(True)
            minute = p.minute
        if p.interval:
            at = f"{hour:02d}:{minute:02d}" if hour is not None else None
            return Reading(kind="interval", every=p.interval, at=at, guessed_hour=guessed)
        if p.weekly_every:
            at = f"{hour:02d}:{minute:02d}" if hour is not None else None
            first = None
            if p.weekday is not None:
                d = today + timedelta(days=(p.weekday - today.weekday()) % 7)
                first = datetime.combine(d, time(hour or 9, minute or 0), zone)
                if first <= now:
                    first += timedelta(days=7)
            return Reading(
                kind="interval", every={"weeks": p.weekly_every}, at=at, first=first, guessed_hour=guessed
            )
        cron = {
            "minute": str(minute) if hour is not None else None,
            "hour": str(hour) if hour is not None else None,
            "day": p.dom or "*",
            "month": str(p.month) if p.month else "*",
            "day_of_week": _dow_field(p.dows) if p.dows else "*",
        }
        return Reading(kind="cron", cron=cron, guessed_hour=guessed, part=p.part)

    if p.offset is not None:
        return Reading(kind="at", when=now + p.offset)

    day = p.day
    if p.day_offset is not None:
        day = today + timedelta(days=p.day_offset)
    if p.bare_weekday is not None:
        day = today + timedelta(days=(p.bare_weekday - today.weekday()) % 7)

    if p.hour is None:
        if day is None and p.part is None:
            raise ParseError("no_time", "没有说什么时候")
        if day is None:
            day = today
            if datetime.combine(today, time(PARTS[p.part][1] % 24), zone) < now:
                raise ParseError("past", f"今天{p.part}已经过了")
        if day < today:
            raise ParseError("past", f"{day.isoformat()} 已经过去了")
        if p.bare_weekday is not None and day == today and p.part:
            if datetime.combine(today, time(PARTS[p.part][1] % 24), zone) < now:
                day += timedelta(days=7)
        return Reading(kind="at", day=day, part=p.part, part_hour=PARTS[p.part][1] if p.part else None)

    if day is None:
        # a clock time alone: the next time it comes round
        if p.part:
            h, extra = _hour_in_part(p.hour, p.part)
            when = datetime.combine(today + timedelta(days=extra), time(h, p.minute), zone)
            if when <= now:
                when += timedelta(days=1)
            return Reading(kind="at", when=when)
        if p.hour == 24:
            return Reading(
                kind="at", when=datetime.combine(today + timedelta(days=1), time(0, p.minute), zone)
            )
        options = [p.hour] if p.hour >= 12 or p.hour == 0 else [p.hour, p.hour + 12]
        for d in (today, today + timedelta(days=1)):
            for h in options:
                when = datetime.combine(d, time(h, p.minute), zone)
                if when > now:
                    return Reading(kind="at", when=when, guessed_hour=len(options) > 1)
    h, extra = clock_hour(True)
    when = datetime.combine(day + timedelta(days=extra), time(h, p.minute), zone)
    if when <= now:
        if p.bare_weekday is not None:
            return Reading(kind="at", when=when + timedelta(days=7), guessed_hour=guessed)
        raise ParseError("past", f"{when.strftime('%m月%d日 %H:%M')} 已经过去了")
    return Reading(kind="at", when=when, guessed_hour=guessed)


def _dow_field(dows: list[int]) -> str:
    dows = sorted(set(dows))
    if len(dows) >= 3 and dows == list(range(dows[0], dows[-1] + 1)):
        return f"{WEEKDAYS[dows[0]]}-{WEEKDAYS[dows[-1]]}"
    return ",".join(WEEKDAYS[d] for d in dows)


# -- the task and the people -------------------------------------------------------------------------

_REMIND_ZH = re.compile(r"提醒\s*(我们|我|大家|所有人|全体|各位)?")
_AT = re.compile(r"@(\S+?)(?=[\s,，:：]|$)")
_EN_SCAFFOLD = re.compile(
    r"\b(remind|ping|tell)\s+(me|us|everyone|all)\b(\s+to\b)?|^\s*to\b|\bto\s*$", re.IGNORECASE
)


def split_task(text: str, used: list[bool], english: bool) -> tuple[str, list[str]]:
    """The words that are not the time phrase, minus the 'remind me' scaffolding; and who."""
    rest = "".join(" " if u else c for c, u in zip(text, used, strict=False))
    people: list[str] = []
    for name in _AT.findall(rest):
        people.append(name)
    rest = _AT.sub(" ", rest)
    if english:
        m = re.search(r"\b(?:remind|ping|tell)\s+(me|us|everyone|all)\b", rest, re.IGNORECASE)
        if m:
            people.insert(0, "大家" if m.group(1).lower() in ("us", "everyone", "all") else "我")
        rest = _EN_SCAFFOLD.sub(" ", rest)
        while True:
            trimmed = re.sub(
                r"^\s*(?:to|at|on|in|by)\b|\b(?:to|at|on|in|by)\s*$", " ", rest.strip(), flags=re.I
            )
            if trimmed.strip() == rest.strip():
                break
            rest = trimmed
    else:
        m = _REMIND_ZH.search(rest)
        if m:
            who = m.group(1) or ""
            if who in ("大家", "所有人", "全体", "各位", "我们"):
                people.insert(0, "大家")
            elif who == "我":
                people.insert(0, "我")
            rest = rest[: m.start()] + " " + rest[m.end() :]
    task = re.sub(r"\s+", " ", rest).strip(" ,，.。:：;；!！、")
    task = re.sub(r"^(?:在|要|记得|去|的|时|时候)\s*", "", task)
    task = re.sub(r"^(?:hi|hello|hey)[,，.\s]*(?:all|everyone)?[,，.\s]*", "", task, flags=re.IGNORECASE)
    return task.strip(" ,，.。:：;；!！、"), people
