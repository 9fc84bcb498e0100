"""From the parts a scan read to a reading: hours in a part of the day, the next occurrence, refusals."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.shared.time.parse.lexicon import PARTS, WEEKDAYS
from handlers.shared.time.parse.reading import ParseError, Reading
from handlers.shared.time.parse.scan import Parts


def hour_in_part(hour: int, part: str | None) -> tuple[int, int]:
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


def guess_hour(hour: int) -> int:
    """A bare hour with a date: 1–6 afternoon, 7–11 morning, 12 noon."""
    if 1 <= hour <= 6:
        return hour + 12
    return hour


def has_time(p: Parts) -> bool:
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


def resolve(p: Parts, now: datetime, zone: ZoneInfo) -> Reading:
    """The reading of the parts, with a lead time (提前半小时) taken off when one was said."""
    reading = _resolve(p, now, zone)
    if p.lead is None:
        return reading
    minutes = int(p.lead.total_seconds() // 60)
    if reading.kind == "at" and reading.when is not None:
        reading.when -= p.lead
        if reading.when <= now:
            raise ParseError("past", f"提前{minutes}分钟就是 {reading.when:%H:%M}，已经过了")
        return reading
    cron = reading.cron
    if reading.kind == "cron" and cron is not None and cron["hour"] is not None:
        total = int(cron["hour"]) * 60 + int(cron["minute"]) - minutes
        if total < 0:
            raise ParseError("unread", "提前量跨过了零点，请直接说提醒的时间")
        cron["hour"], cron["minute"] = str(total // 60), str(total % 60)
        return reading
    raise ParseError("unread", "「提前」要配一个具体的时间，例如「今晚8点直播，提前半小时提醒」")


def _resolve(p: Parts, now: datetime, zone: ZoneInfo) -> Reading:
    today = now.date()
    guessed = False

    def clock_hour(hour: int, with_date: bool) -> tuple[int, int]:
        nonlocal guessed
        if p.part:
            return hour_in_part(hour, p.part)
        if hour == 24:
            return 0, 1
        if with_date and 1 <= hour <= 6:
            guessed = True
        return (guess_hour(hour), 0) if with_date else (hour, 0)

    if p.weekday_nth is not None:
        if p.hour is None:
            at_hour, at_minute = (PARTS[p.part][1] if p.part else 9), 0
        else:
            (at_hour, _), at_minute = clock_hour(p.hour, True), p.minute
        if p.day is not None or p.dows or p.dom or p.until or p.starts:
            raise ParseError("unread", "「倒数第几个星期几」和别的日期说法放在一起，没读懂")
        n, weekday = p.weekday_nth
        return Reading(
            kind="nth_weekday",
            nth=n,
            cron={"hour": str(at_hour), "minute": str(at_minute), "weekday": str(weekday)},
        )
    if p.workday_nth is not None:
        if p.hour is None:
            at_hour, at_minute = (PARTS[p.part][1] if p.part else 9), 0
        else:
            (at_hour, _), at_minute = clock_hour(p.hour, True), p.minute
        if p.day is not None or p.dows or p.dom:
            raise ParseError("unread", "「第几个工作日」和别的日期说法放在一起，没读懂")
        return Reading(
            kind="workday", nth=p.workday_nth, cron={"hour": str(at_hour), "minute": str(at_minute)}
        )
    recurring = p.recurring
    if recurring and p.day is not None:
        raise ParseError(
            "unread", f"重复提醒里的日期 {p.day:%m月%d日} 没读懂：是从这天开始，还是到这天为止？"
        )
    if not recurring and (p.until is not None or p.starts is not None):
        raise ParseError("unread", "说了截止日期，但没说多久提醒一次")
    if recurring:
        hour: int | None = None
        minute: int | None = None
        if p.hour is not None:
            hour, _ = clock_hour(p.hour, True)
            minute = p.minute
        if p.interval:
            at = f"{hour:02d}:{minute:02d}" if hour is not None else None
            return Reading(kind="interval", every=p.interval, at=at, guessed_hour=guessed)
        if p.weekly_every:
            at = f"{hour:02d}:{minute:02d}" if hour is not None else None
            first = None
            # 每两周的周一, every 2 weeks on monday
            on_day = p.weekday if p.weekday is not None else p.bare_weekday
            if on_day is not None:
                d = today + timedelta(days=(on_day - today.weekday()) % 7)
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
            "month": p.months or (str(p.month) if p.month else "*"),
            "day_of_week": dow_field(p.dows) if p.dows else "*",
        }
        if p.until is not None and p.until < max(today, p.starts or today):
            raise ParseError("past", f"截止的 {p.until:%m月%d日} 已经过了")
        return Reading(
            kind="cron",
            cron=cron,
            guessed_hour=guessed,
            part=p.part,
            starts=p.starts,
            until=p.until,
            workdays=p.workdays and p.dows == [0, 1, 2, 3, 4],
        )

    if p.offset is not None:
        return Reading(kind="at", when=now + p.offset, offset_from_now=True)

    day = p.day
    if p.day_offset is not None:
        day = today + timedelta(days=p.day_offset)
    if p.bare_weekday is not None:
        if day is not None and day.weekday() != p.bare_weekday:
            # 两周后的周一, 明天周五 (on a Wednesday): two days that disagree; neither is dropped silently
            raise ParseError(
                "unread", f"{day.month}月{day.day}日不是周{'一二三四五六日'[p.bare_weekday]}，是哪一天？"
            )
        day = today + timedelta(days=(p.bare_weekday - today.weekday()) % 7) if day is None else day

    if p.hour is None:
        if day is None:
            if p.part is None:
                raise ParseError("no_time", "没有说什么时候")
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
            h, extra = hour_in_part(p.hour, p.part)
            when = datetime.combine(today + timedelta(days=extra), time(h, p.minute), zone)
            if when <= now:
                when += timedelta(days=1)
            return Reading(kind="at", when=when)
        if p.hour == 24:
            return Reading(
                kind="at", when=datetime.combine(today + timedelta(days=1), time(0, p.minute), zone)
            )
        if p.hour >= 12 or p.hour == 0:  # a 24-hour time: the next time it comes round
            when = datetime.combine(today, time(p.hour, p.minute), zone)
            return Reading(kind="at", when=when if when > now else when + timedelta(days=1))
        # a bare 1–11: the usual reading (1–6 afternoon, 7–11 morning) today, else ask
        usual = guess_hour(p.hour)
        when = datetime.combine(today, time(usual, p.minute), zone)
        if when > now:
            return Reading(kind="at", when=when, guessed_hour=True)
        clock = f"{p.hour}点" + (f"{p.minute}分" if p.minute else "")
        said = p.clock_text
        if usual < 12:
            raise ParseError(
                "ambiguous",
                f"今天上午{clock}已经过了：是今晚{clock}，还是明天上午{clock}？",
                [(said, f"今晚{clock}"), (said, f"明天上午{clock}")],
            )
        raise ParseError(
            "ambiguous",
            f"今天下午{clock}已经过了：是明天下午{clock}，还是明天凌晨{clock}？",
            [(said, f"明天下午{clock}"), (said, f"明天凌晨{clock}")],
        )
    h, extra = clock_hour(p.hour, True)
    when = datetime.combine(day + timedelta(days=extra), time(h, p.minute), zone)
    if when <= now:
        if p.bare_weekday is not None:
            return Reading(kind="at", when=when + timedelta(days=7), guessed_hour=guessed)
        evening = when + timedelta(hours=12)
        bare = "点" in (p.clock_text or "")  # 8点, not 9am or 8:00
        if day == today and bare and not p.part and h < 12 and evening > now:  # 今天8点, said at 16:00
            clock = f"{p.hour}点" + (f"{p.minute}分" if p.minute else "")
            raise ParseError(
                "ambiguous",
                f"今天上午{clock}已经过了：是说今晚{clock}吗？",
                [(p.clock_text, f"晚上{clock}")],
            )
        raise ParseError("past", f"{when.strftime('%m月%d日 %H:%M')} 已经过去了")
    return Reading(kind="at", when=when, guessed_hour=guessed)


def dow_field(dows: list[int]) -> str:
    dows = sorted(set(dows))
    if len(dows) >= 3 and dows == list(range(dows[0], dows[-1] + 1)):
        return f"{WEEKDAYS[dows[0]]}-{WEEKDAYS[dows[-1]]}"
    return ",".join(WEEKDAYS[d] for d in dows)
