"""Generated reminder phrases, checked against an oracle that knows nothing of the parser.

A small grammar composes phrases from parts — which month (this / next / the one after / a named
month / every month) × which day in it (first … fourth, last, 倒数第二 × weekday or working day) ×
clock words × recurrence × lead times, in Chinese and English — and keeps, beside each phrase, what
it means as data. The oracle turns that meaning into the first reminder by brute force: it walks
the calendar day by day from the moment the phrase was said and tests a predicate written here
(「the last Friday」 is a Friday whose next Friday falls in another month); official working days
come from the ``chinese_calendar`` data, not from the bot. Nothing here imports the parser's
vocabulary.

Every phrase must come out right, asked back, or refused: never saved at another time, and never
with time words in the task. Each family must also be read right most of the time, so a parser that
asked back about everything would fail.
"""

from __future__ import annotations

import calendar
import collections
import itertools
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from bot import timerules
from bot.errors import UsageError
from handlers.reminders.rules import rule_from_reading
from handlers.shared.time import parse as timeparse

pytestmark = pytest.mark.fixed_dates

TZ = ZoneInfo("Asia/Shanghai")
# Moments the phrases are said: mid-month, the last evening of a month, a Sunday night, a month
# start, a leap-year February, a year end.
NOWS = [
    datetime(2026, 12, 4, 10, 0, tzinfo=TZ),
    datetime(2026, 11, 30, 21, 0, tzinfo=TZ),
    datetime(2026, 3, 1, 8, 0, tzinfo=TZ),
    datetime(2026, 9, 27, 23, 10, tzinfo=TZ),
    datetime(2026, 5, 31, 9, 0, tzinfo=TZ),
    datetime(2024, 2, 26, 14, 0, tzinfo=TZ),
    datetime(2026, 12, 31, 16, 30, tzinfo=TZ),
]
TASKS = ("交月度计划", "发早安图", "开选题会", "写复盘", "确认直播嘉宾")
TASKS_EN = ("send the newsletter", "post the video", "check the comments", "book the studio")

# -- the words, each with its meaning -------------------------------------------------------------

CLOCKS = [  # (words, hour, minute)
    ("上午9点", 9, 0),
    ("上午十点半", 10, 30),
    ("下午3点", 15, 0),
    ("下午三点一刻", 15, 15),
    ("晚上8点", 20, 0),
    ("中午12点", 12, 0),
    ("早上8点半", 8, 30),
    ("下午4点45分", 16, 45),
    ("晚上十一点", 23, 0),
    ("15:30", 15, 30),
    ("上午9:05", 9, 5),
]
CLOCKS_EN = [
    ("at 9am", 9, 0),
    ("at 3pm", 15, 0),
    ("at 10:30am", 10, 30),
    ("at 8:15pm", 20, 15),
    ("at noon", 12, 0),
]
WEEKDAY_NAMES = [
    ("周一", "星期一", "礼拜一"),
    ("周二", "星期二", "礼拜二"),
    ("周三", "星期三", "礼拜三"),
    ("周四", "星期四", "礼拜四"),
    ("周五", "星期五", "礼拜五"),
    ("周六", "星期六", "礼拜六"),
    ("周日", "星期天", "礼拜天"),
]
WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
ORDINALS = [
    ("第一个", 1),
    ("第二个", 2),
    ("第三个", 3),
    ("第四个", 4),
    ("最后一个", -1),
    ("倒数第二个", -2),
    ("第1个", 1),
]
ORDINALS_EN = [("first", 1), ("second", 2), ("third", 3), ("fourth", 4), ("last", -1), ("1st", 1), ("2nd", 2)]
MONTH_REFS = [("这个月", 0), ("本月", 0), ("下个月", 1), ("下下个月", 2)]
CN_NUM = "零一二三四五六七八九十"


@dataclass
class Phrase:
    text: str
    task: str
    family: str
    first: datetime | None  # the oracle's first reminder; None: must be asked back or refused
    repeats: bool | None = (
        None  # None: read from the words (每/every/each); a one-off saved as a rule is wrong
    )

    def __post_init__(self) -> None:
        if self.repeats is None:
            self.repeats = any(w in self.text for w in ("每", "every ", "each "))


# -- the oracle: predicates over days, a walk over the calendar --------------------------------------


def month_after(year: int, month: int, shift: int) -> tuple[int, int]:
    total = year * 12 + month - 1 + shift
    return total // 12, total % 12 + 1


def is_workday(d: date) -> bool:
    return chinese_calendar.is_workday(d)


def known_year(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def nth_weekday_predicate(weekday: int, n: int):
    """The n-th (n < 0: from the end) given weekday of its month, said as a test on one day."""

    def test(d: date) -> bool:
        if d.weekday() != weekday:
            return False
        if n > 0:
            return (d.day - 1) // 7 == n - 1
        # -1: the next same weekday is in another month; -2: the one after that is
        return (d + timedelta(days=7 * -n)).month != d.month and (
            d + timedelta(days=7 * (-n - 1))
        ).month == d.month

    return test


def nth_workday_predicate(n: int):
    def test(d: date) -> bool:
        if not is_workday(d):
            return False
        same_month = [date(d.year, d.month, k) for k in range(1, calendar.monthrange(d.year, d.month)[1] + 1)]
        work = [x for x in same_month if is_workday(x)]
        return work.index(d) == (n - 1 if n > 0 else len(work) + n)

    return test


def walk(
    now: datetime, test, hour: int, minute: int, *, within: tuple[date, date] | None = None
) -> datetime | None:
    """The first day from ``now`` on (inside ``within``, if given) that passes ``test``, at the clock,
    strictly after ``now``."""
    day = now.date() if within is None else max(now.date(), within[0])
    for _ in range(800):
        if within is not None and day > within[1]:
            return None
        when = datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)
        if when > now and test(day):
            return when
        day += timedelta(days=1)
    return None


def month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


# -- the grammar ------------------------------------------------------------------------------------


def _pick(rng, seq, k):
    return rng.sample(list(seq), min(k, len(seq)))


def _month_ordinals(rng: random.Random, now: datetime) -> list[Phrase]:
    out = []
    for (ref, shift), (ordinal, n), weekday in itertools.product(MONTH_REFS, ORDINALS, range(7)):
        name = rng.choice(WEEKDAY_NAMES[weekday])
        for clock, h, m in _pick(rng, CLOCKS, 2):
            task = rng.choice(TASKS)
            y, mo = month_after(now.year, now.month, shift)
            first = walk(now, nth_weekday_predicate(weekday, n), h, m, within=month_span(y, mo))
            joiner = rng.choice(("", "的"))
            out.append(
                Phrase(f"{ref}{joiner}{ordinal}{name}{clock}提醒{task}", task, "这个月/下个月第N个周X", first)
            )
    for (ref, shift), (ordinal, n) in itertools.product(
        MONTH_REFS,
        [("第一个", 1), ("第二个", 2), ("第三个", 3), ("最后一个", -1), ("倒数第二个", -2), ("首个", 1)],
    ):
        y, mo = month_after(now.year, now.month, shift)
        if not known_year(y):
            continue
        for clock, h, m in _pick(rng, CLOCKS, 3):
            task = rng.choice(TASKS)
            first = walk(now, nth_workday_predicate(n), h, m, within=month_span(y, mo))
            out.append(
                Phrase(f"{ref}{ordinal}工作日{clock}提醒{task}", task, "这个月/下个月第N个工作日", first)
            )
    # a named month: 3月的第二个周二 (this year's if the month is still ahead or current, else next year's)
    for month in _pick(rng, range(1, 13), 4):
        y = now.year if month >= now.month else now.year + 1
        for (ordinal, n), weekday in zip(_pick(rng, ORDINALS, 3), _pick(rng, range(7), 3), strict=True):
            clock, h, m = rng.choice(CLOCKS)
            task = rng.choice(TASKS)
            first = walk(now, nth_weekday_predicate(weekday, n), h, m, within=month_span(y, month))
            name = rng.choice(WEEKDAY_NAMES[weekday])
            out.append(
                Phrase(
                    f"{month}月{rng.choice(('', '的'))}{ordinal}{name}{clock}提醒{task}",
                    task,
                    "N月第N个周X",
                    first,
                )
            )
    return out


def _recurring(rng: random.Random, now: datetime) -> list[Phrase]:
    out = []
    for (ordinal, n), weekday in itertools.product(ORDINALS, range(7)):
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        name = rng.choice(WEEKDAY_NAMES[weekday])
        every = rng.choice(("每月", "每个月", "每月的", "每个月的"))
        out.append(
            Phrase(
                f"{every}{ordinal}{name}{clock}提醒{task}",
                task,
                "每月第N个周X",
                walk(now, nth_weekday_predicate(weekday, n), h, m),
            )
        )
    if known_year(now.year) and known_year(now.year + 1):
        for ordinal, n in [
            ("第一个", 1),
            ("第二个", 2),
            ("第三个", 3),
            ("最后一个", -1),
            ("倒数第二个", -2),
            ("倒数第三个", -3),
        ]:
            for clock, h, m in _pick(rng, CLOCKS, 3):
                task = rng.choice(TASKS)
                out.append(
                    Phrase(
                        f"每月{ordinal}工作日{clock}提醒{task}",
                        task,
                        "每月第N个工作日",
                        walk(now, nth_workday_predicate(n), h, m),
                    )
                )
    for weekday in range(7):
        for clock, h, m in _pick(rng, CLOCKS, 3):
            task = rng.choice(TASKS)
            name = rng.choice(WEEKDAY_NAMES[weekday])
            every = "每" + name if not name.startswith("礼拜") else "每个" + name
            out.append(
                Phrase(
                    f"{every}{clock}提醒{task}",
                    task,
                    "每周X",
                    walk(now, lambda d, w=weekday: d.weekday() == w, h, m),
                )
            )
    for a, b in _pick(rng, [(a, b) for a in range(7) for b in range(7) if a < b], 6):
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        text = f"每周{'一二三四五六日'[a]}和周{'一二三四五六日'[b]}{clock}提醒{task}"
        out.append(Phrase(text, task, "每周X和Y", walk(now, lambda d, a=a, b=b: d.weekday() in (a, b), h, m)))
    for clock, h, m in _pick(rng, CLOCKS, 4):
        task = rng.choice(TASKS)
        out.append(Phrase(f"每天{clock}提醒{task}", task, "每天", walk(now, lambda d: True, h, m)))
        if known_year(now.year) and known_year(now.year + 1):
            out.append(
                Phrase(f"每个工作日{clock}提醒{task}", task, "每个工作日", walk(now, is_workday, h, m))
            )
    for day in _pick(rng, range(1, 32), 5):
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        words = rng.choice((f"{day}号", f"{day}日"))
        out.append(
            Phrase(
                f"每月{words}{clock}提醒{task}", task, "每月N号", walk(now, lambda d, k=day: d.day == k, h, m)
            )
        )
    return out


def _days(rng: random.Random, now: datetime) -> list[Phrase]:
    out = []
    for word, days in (("今天", 0), ("明天", 1), ("后天", 2), ("大后天", 3)):
        for clock, h, m in _pick(rng, CLOCKS, 3):
            task = rng.choice(TASKS)
            d = now.date() + timedelta(days=days)
            when = datetime(d.year, d.month, d.day, h, m, tzinfo=TZ)
            out.append(
                Phrase(f"{word}{clock}提醒{task}", task, "今天/明天/后天", when if when > now else None)
            )
    monday = now.date() - timedelta(days=now.weekday())
    for word, weeks in (("这周", 0), ("本周", 0), ("下周", 1), ("下下周", 2)):
        for weekday in _pick(rng, range(7), 4):
            clock, h, m = rng.choice(CLOCKS)
            task = rng.choice(TASKS)
            d = monday + timedelta(days=7 * weeks + weekday)
            when = datetime(d.year, d.month, d.day, h, m, tzinfo=TZ)
            text = f"{word}{'一二三四五六日'[weekday]}{clock}提醒{task}"
            out.append(Phrase(text, task, "这周/下周X", when if when > now else None))
    for weekday in range(7):
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        name = rng.choice(WEEKDAY_NAMES[weekday])
        out.append(
            Phrase(
                f"{name}{clock}提醒{task}",
                task,
                "周X",
                walk(now, lambda d, w=weekday: d.weekday() == w, h, m),
            )
        )
    for n, unit, delta in [
        (5, "分钟", timedelta(minutes=5)),
        (20, "分钟", timedelta(minutes=20)),
        (45, "分钟", timedelta(minutes=45)),
        (90, "分钟", timedelta(minutes=90)),
        (2, "个小时", timedelta(hours=2)),
        (3, "小时", timedelta(hours=3)),
        ("半", "小时", timedelta(minutes=30)),
        ("一个半", "小时", timedelta(minutes=90)),
        ("两个半", "小时", timedelta(minutes=150)),
        ("一", "刻钟", timedelta(minutes=15)),
    ]:
        for after in ("后", "以后", "之后"):
            task = rng.choice(TASKS)
            out.append(Phrase(f"{n}{unit}{after}提醒我{task}", task, "N分钟/小时后", now + delta))
    for month in _pick(rng, range(1, 13), 4):
        day = rng.randint(1, 28)
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        d = date(now.year, month, day)
        when = datetime(d.year, d.month, d.day, h, m, tzinfo=TZ)
        if d < now.date():
            when = when.replace(year=now.year + 1)
        text = f"{month}月{day}{rng.choice(('日', '号'))}{clock}提醒{task}"
        out.append(Phrase(text, task, "M月D日", when if when > now else None))
    for word, shift in (("下个月的今天", "month"), ("下周的今天", "week"), ("明年的今天", "year")):
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        if shift == "week":
            d: date | None = now.date() + timedelta(days=7)
        else:
            y, mo = month_after(now.year, now.month, 1 if shift == "month" else 12)
            d = date(y, mo, now.day) if now.day <= calendar.monthrange(y, mo)[1] else None
        when = datetime(d.year, d.month, d.day, h, m, tzinfo=TZ) if d else None
        out.append(Phrase(f"{word}{clock}提醒{task}", task, "下个月/下周/明年的今天", when))
    for shift, ref in ((1, "下个月"), (0, "本月")):
        day = rng.randint(1, 28)
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        y, mo = month_after(now.year, now.month, shift)
        when = datetime(y, mo, day, h, m, tzinfo=TZ)
        out.append(Phrase(f"{ref}{day}号{clock}提醒{task}", task, "下个月N号", when if when > now else None))
    return out


def _english(rng: random.Random, now: datetime) -> list[Phrase]:
    out = []
    for (ordinal, n), weekday in zip(_pick(rng, ORDINALS_EN, 7), _pick(rng, range(7), 7), strict=True):
        clock, h, m = rng.choice(CLOCKS_EN)
        task = rng.choice(TASKS_EN)
        every = rng.choice(("every", "each"))
        text = f"remind me on the {ordinal} {WEEKDAYS_EN[weekday]} of {every} month {clock} to {task}"
        out.append(
            Phrase(
                text,
                task,
                "en: the Nth weekday of every month",
                walk(now, nth_weekday_predicate(weekday, n), h, m),
            )
        )
        y, mo = month_after(now.year, now.month, 1)
        clock, h, m = rng.choice(CLOCKS_EN)
        text = f"remind me on the {ordinal} {WEEKDAYS_EN[weekday]} of next month {clock} to {task}"
        first = walk(now, nth_weekday_predicate(weekday, n), h, m, within=month_span(y, mo))
        out.append(Phrase(text, task, "en: the Nth weekday of next month", first))
    for weekday in _pick(rng, range(7), 3):
        clock, h, m = rng.choice(CLOCKS_EN)
        task = rng.choice(TASKS_EN)
        out.append(
            Phrase(
                f"remind me every {WEEKDAYS_EN[weekday]} {clock} to {task}",
                task,
                "en: every weekday",
                walk(now, lambda d, w=weekday: d.weekday() == w, h, m),
            )
        )
    for weekday in _pick(rng, range(7), 3):  # every other week: the first is the next such weekday
        clock, h, m = rng.choice(CLOCKS_EN)
        task = rng.choice(TASKS_EN)
        every = rng.choice(("every two weeks", "every 2 weeks"))
        first = walk(now, lambda d, w=weekday: d.weekday() == w, h, m)
        out.append(
            Phrase(
                f"remind me {every} on {WEEKDAYS_EN[weekday]} {clock} to {task}",
                task,
                "en: every two weeks on X",
                first,
            )
        )
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        first = walk(now, lambda d, w=weekday: d.weekday() == w, h, m)
        name = "一二三四五六日"[weekday]
        out.append(Phrase(f"每两周的周{name}{clock}提醒{task}", task, "每两周的周X", first))
    for words, delta in (
        ("in 20 minutes", timedelta(minutes=20)),
        ("in an hour and a half", timedelta(minutes=90)),
        ("in 2 hours", timedelta(hours=2)),
        ("in half an hour", timedelta(minutes=30)),
        ("in 3 hours and 15 minutes", timedelta(hours=3, minutes=15)),
    ):
        task = rng.choice(TASKS_EN)
        out.append(Phrase(f"remind me {words} to {task}", task, "en: in N", now + delta))
    for clock, h, m in _pick(rng, CLOCKS_EN, 2):
        task = rng.choice(TASKS_EN)
        d = now.date() + timedelta(days=1)
        out.append(
            Phrase(
                f"remind me tomorrow {clock} to {task}",
                task,
                "en: tomorrow",
                datetime(d.year, d.month, d.day, h, m, tzinfo=TZ),
            )
        )
    return out


# -- the check ----------------------------------------------------------------------------------------


def outcome(phrase: Phrase, now: datetime) -> tuple[str, str]:
    """("right" | "asked" | "wrong", what happened); asking back about a time already past is right."""
    reading = timeparse.parse(phrase.text, now, TZ)
    if reading.kind == "error":
        return ("right" if phrase.first is None else "asked"), f"{reading.reason}: {reading.detail}"
    try:
        rule, _ = rule_from_reading(reading, now, TZ)
    except UsageError as exc:
        return ("right" if phrase.first is None else "asked"), exc.reason
    fire = timerules.first_fire(rule, "Asia/Shanghai", now)
    got = fire.astimezone(TZ) if fire is not None else None
    said = (
        f"saved {got:%Y-%m-%d %H:%M} task 「{reading.task}」"
        if got
        else f"saved nothing, task 「{reading.task}」"
    )
    if phrase.first is None or got != phrase.first or reading.task != phrase.task:
        return "wrong", said
    if (rule["kind"] != "at") != phrase.repeats:
        return "wrong", said + (" as a repeating rule" if phrase.repeats is False else " once only")
    return "right", said


@pytest.fixture(scope="module")
def results():
    rng = random.Random(20261204)
    tally: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    wrong: list[str] = []
    asked: list[str] = []
    phrases = 0
    for now in NOWS:
        for phrase in _for_now(rng, now):
            kind, said = outcome(phrase, now)
            tally[phrase.family][kind] += 1
            phrases += 1
            if kind == "asked":
                asked.append(f"{now:%m-%d %H:%M} 「{phrase.text}」 {said}")
            if kind == "wrong":
                expected = f"{phrase.first:%Y-%m-%d %H:%M}" if phrase.first else "asked back"
                wrong.append(
                    f"{now:%m-%d %H:%M} 「{phrase.text}」 {said}; meant {expected} 「{phrase.task}」"
                )
    return phrases, tally, wrong, asked


def _for_now(rng: random.Random, now: datetime) -> list[Phrase]:
    return (
        _month_ordinals(rng, now)
        + _recurring(rng, now)
        + _days(rng, now)
        + _english(rng, now)
        + _bounds(rng, now)
        + _festivals(rng, now)
        + _leads(rng, now)
    )


# 春节 by year, from the published calendars (not from the bot's lunar library)
SPRING_FESTIVAL = {
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
}
FIXED_FESTIVALS = [
    ("元旦", 1, 1),
    ("情人节", 2, 14),
    ("妇女节", 3, 8),
    ("劳动节", 5, 1),
    ("儿童节", 6, 1),
    ("国庆节", 10, 1),
    ("平安夜", 12, 24),
    ("圣诞节", 12, 25),
]
FESTIVALS_EN = [
    ("christmas eve", 12, 24),
    ("christmas", 12, 25),
    ("halloween", 10, 31),
    ("new year's day", 1, 1),
]


def _daily_from(now: datetime, first_day: date, h: int, m: int) -> datetime | None:
    """A daily rule's first reminder when it starts on ``first_day``."""
    begin = datetime(first_day.year, first_day.month, first_day.day, tzinfo=TZ)
    return walk(max(now, begin - timedelta(seconds=1)), lambda d: True, h, m)


def _bounds(rng: random.Random, now: datetime) -> list[Phrase]:
    """A repeating rule with its first or last day: 明天起每天…, 从下周一开始每天…, 每天…，直到M月D日."""
    out = []
    monday = now.date() - timedelta(days=now.weekday())
    starts = [("明天", now.date() + timedelta(days=1)), ("后天", now.date() + timedelta(days=2))]
    starts += [
        (f"下周{'一二三四五六日'[w]}", monday + timedelta(days=7 + w)) for w in _pick(rng, range(7), 3)
    ]
    for (word, first_day), form in itertools.product(starts, ("{w}起", "从{w}起", "从{w}开始", "{w}开始")):
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        text = f"{form.format(w=word)}每天{clock}提醒{task}"
        out.append(Phrase(text, task, "从…起每天", _daily_from(now, first_day, h, m)))
    for words, first_day in (
        ("tomorrow", now.date() + timedelta(days=1)),
        *[(f"next {WEEKDAYS_EN[w]}", monday + timedelta(days=7 + w)) for w in _pick(rng, range(7), 2)],
    ):
        for lead in ("starting", "from", "beginning"):
            clock, h, m = rng.choice(CLOCKS_EN)
            task = rng.choice(TASKS_EN)
            text = f"remind me every day {clock} {lead} {words} to {task}"
            out.append(Phrase(text, task, "en: every day starting …", _daily_from(now, first_day, h, m)))
    for days_ahead in _pick(rng, range(2, 40), 4):
        last = now.date() + timedelta(days=days_ahead)
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        end = rng.choice(("，直到{}", "，持续到{}", "，到{}为止"))
        text = f"每天{clock}提醒{task}{end.format(f'{last.month}月{last.day}日')}"
        out.append(Phrase(text, task, "每天…直到M月D日", walk(now, lambda d, e=last: d <= e, h, m)))
    return out


def _festivals(rng: random.Random, now: datetime) -> list[Phrase]:
    """Festivals on a fixed day and on the lunar calendar (春节, 除夕, 元宵), Chinese and English."""
    out = []
    for name, month, day in _pick(rng, FIXED_FESTIVALS, 4):
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        out.append(
            Phrase(
                f"{name}{clock}提醒{task}",
                task,
                "节日",
                walk(now, lambda d, a=month, b=day: (d.month, d.day) == (a, b), h, m),
            )
        )
    for name, month, day in _pick(rng, FIXED_FESTIVALS, 3):
        clock, h, m = rng.choice(CLOCKS)
        task = rng.choice(TASKS)
        out.append(
            Phrase(
                f"每年{name}{clock}提醒{task}",
                task,
                "每年+节日",
                walk(now, lambda d, a=month, b=day: (d.month, d.day) == (a, b), h, m),
            )
        )
    lunar = {"春节": 0, "除夕": -1, "元宵节": 14}
    days = {f + timedelta(days=shift) for f in SPRING_FESTIVAL.values() for shift in lunar.values()}
    if max(days) > now.date() + timedelta(days=400):  # the table reaches far enough for the walk
        for name, shift in lunar.items():
            clock, h, m = rng.choice(CLOCKS)
            task = rng.choice(TASKS)
            marks = {f + timedelta(days=shift) for f in SPRING_FESTIVAL.values()}
            out.append(
                Phrase(
                    f"{name}{clock}提醒{task}", task, "农历节日", walk(now, lambda d, k=marks: d in k, h, m)
                )
            )
    for name, month, day in FESTIVALS_EN:
        clock, h, m = rng.choice(CLOCKS_EN)
        task = rng.choice(TASKS_EN)
        text = f"remind me on {name} {clock} to {task}"
        out.append(
            Phrase(
                text,
                task,
                "en: holidays",
                walk(now, lambda d, a=month, b=day: (d.month, d.day) == (a, b), h, m),
            )
        )
    for day in _pick(rng, range(1, 29), 3):
        clock, h, m = rng.choice(CLOCKS_EN)
        task = rng.choice(TASKS_EN)
        suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd"}.get(day, "th")
        text = f"remind me on the {day}{suffix} {clock} to {task}"
        out.append(Phrase(text, task, "en: on the Nth", walk(now, lambda d, k=day: d.day == k, h, m)))
    return out


def _leads(rng: random.Random, now: datetime) -> list[Phrase]:
    """An event's time with a lead: 明天晚上8点直播，提前半小时提醒."""
    out = []
    for lead_words, lead in (("半小时", 30), ("15分钟", 15), ("一小时", 60), ("10分钟", 10)):
        clock, h, m = rng.choice(CLOCKS)
        d = now.date() + timedelta(days=1)
        event = datetime(d.year, d.month, d.day, h, m, tzinfo=TZ)
        out.append(
            Phrase(
                f"明天{clock}直播，提前{lead_words}提醒", "直播", "提前N分钟", event - timedelta(minutes=lead)
            )
        )
    return out


def test_thousands_of_generated_phrases_none_silently_wrong(results):
    phrases, tally, wrong, _ = results
    print(f"\n{phrases} generated phrases")
    for family, counts in sorted(tally.items()):
        print(f"  {family:36s} {dict(counts)}")
    assert phrases >= 2000
    assert wrong == [], f"{len(wrong)} silently wrong:\n" + "\n".join(wrong[:40])


def test_each_family_is_mostly_read_not_asked(results):
    _, tally, _, asked = results
    print("\n".join(asked[:30]))
    for family, counts in tally.items():
        total = sum(counts.values())
        assert counts["right"] / total >= 0.95, (family, dict(counts))
