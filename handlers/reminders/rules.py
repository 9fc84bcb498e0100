"""Reminder rules in words and times: a reading of a phrase becomes a schedule rule; a rule reads back as Chinese."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot import timerules
from bot.errors import UsageError
from bot.models import Person
from handlers.shared.time import parse as timeparse
from handlers.shared.time.fmt import WEEKDAY_CN

T = TypeVar("T")

EVERYONE = Person("@all", "所有人")
DOW_CN = {"mon": "一", "tue": "二", "wed": "三", "thu": "四", "fri": "五", "sat": "六", "sun": "日"}
DEFAULT_HOUR = 9

REASONS = {
    "unread": "有一部分时间我没读懂，怕设错就先没保存",
    "past": "这个时间已经过去了",
    "vague": "这个时间不够具体",
    "invalid": "这个日期或时间不存在",
    "ambiguous": "这个时间有两种理解",
    "no_time": "没看出是什么时候",
}


# -- formatting ------------------------------------------------------------------------------------


def _hm(hour, minute) -> str:
    return f"{int(hour):02d}:{int(minute):02d}"


def _calendar_notes(rule: dict, now: datetime, tz: ZoneInfo) -> list[str]:
    """A warning when the coming occurrences fall in a year whose holiday arrangement is not out yet."""
    from bot import workdays

    years = sorted({t.astimezone(tz).year for t in upcoming(rule, tz.key, now, 3)})
    unknown = [y for y in years if not workdays.known(datetime(y, 6, 1).date())]
    if not unknown:
        return []
    return [
        f"{unknown[0]} 年的法定节假日和调休安排还没公布，先按周一到周五算；公布后更新小编即可按新安排提醒。"
    ]


def describe_rule(rule: dict) -> str:
    """A rule in words: ``每周三 15:00``, ``工作日 09:00``, ``每隔2天 10:00``, ``一次``, with its bounds."""
    text = _describe(rule)
    starts, until = rule.get("starts"), rule.get("until")
    if starts and until:
        text += f"，{_md(starts)}至{_md(until)}"
    elif until:
        text += f"，到{_md(until)}为止"
    elif starts:
        text += f"，从{_md(starts)}起"
    return text


def _md(iso_day: str) -> str:
    d = datetime.fromisoformat(iso_day)
    return f"{d.month}月{d.day}日"


def _which(nth: int) -> str:
    return "最后一个" if nth == -1 else f"倒数第{-nth}个" if nth < 0 else f"第{nth}个"


def _describe(rule: dict) -> str:
    if rule["kind"] == "workday":
        clock = _hm(rule["hour"], rule["minute"])
        nth = rule["nth"]
        if nth == "every":
            return f"工作日（按法定安排，含调休）{clock}"
        return f"每月{_which(nth)}工作日 {clock}"
    if rule["kind"] == "nth_weekday":
        clock = _hm(rule["hour"], rule["minute"])
        return f"每月{_which(rule['nth'])}周{WEEKDAY_CN[rule['weekday']]} {clock}"
    if rule["kind"] == "at":
        return "一次"
    if rule["kind"] == "interval":
        unit, n = next(iter(rule["every"].items()))
        words = {"minutes": "分钟", "hours": "小时", "days": "天", "weeks": "周"}[unit]
        start = datetime.fromisoformat(rule["start"])
        text = f"每隔{n}{words}" if unit != "weeks" else f"每{n}周"
        if unit == "weeks":
            text += f" 周{WEEKDAY_CN[start.weekday()]}"
        if unit in ("days", "weeks"):
            text += f" {start:%H:%M}"
        return text
    clock = _hm(rule["hour"], rule["minute"])
    dow, day, month = rule["day_of_week"], rule["day"], rule["month"]
    if month in ("3,6,9,12", "1,4,7,10"):
        return f"每季度{'最后一天' if day == 'last' else '第一天'} {clock}"
    if month != "*":
        return f"每年{month}月{day}日 {clock}"
    if day == "last":
        return f"每月最后一天 {clock}"
    if day != "*":
        m = re.fullmatch(r"(\d)(?:st|nd|rd|th) (\w+)", day)
        if m:
            return f"每月第{m.group(1)}个周{DOW_CN[m.group(2)]} {clock}"
        m = re.fullmatch(r"last (\w+)", day)
        if m:
            return f"每月最后一个周{DOW_CN[m.group(1)]} {clock}"
        return f"每月{day.replace(',', '、')}号 {clock}"
    if dow == "*":
        return f"每天 {clock}"
    if dow == "mon-fri":
        return f"工作日 {clock}"
    if dow == "sat,sun":
        return f"周末 {clock}"
    if "-" in dow:
        a, b = dow.split("-")
        return f"每周{DOW_CN[a]}到周{DOW_CN[b]} {clock}"
    return "每周" + "、".join(DOW_CN[d] for d in dow.split(",")) + f" {clock}"


def people_label(people: list[dict]) -> str:
    return "、".join(
        "所有人" if p["user_id"] == EVERYONE.user_id else f"@{p['name'] or p['user_id']}" for p in people
    )


# -- turning a reading into a schedule rule -------------------------------------------------------------


def _part(value: T | None, name: str) -> T:
    """A part of a reading that its kind always has (a reading of another shape is a parser bug)."""
    if value is None:
        raise ValueError(f"a reading of this kind has no {name}")
    return value


def rule_from_reading(reading: timeparse.Reading, now: datetime, tz: ZoneInfo) -> tuple[dict, list[str]]:
    """The schedule rule for a reading, and notes on any default the bot applied."""
    notes: list[str] = []
    if reading.guessed_hour:
        notes.append("按白天的时间理解；如果指凌晨或晚上，请加上「凌晨」「晚上」。")
    if reading.kind == "at" and reading.when is not None:
        return {"kind": "at", "at": reading.when.isoformat()}, notes
    if reading.kind == "at":
        day = _part(reading.day, "day")
        hour = reading.part_hour if reading.part_hour is not None else DEFAULT_HOUR
        when = datetime.combine(day, time(hour % 24), tz)
        if when <= now:
            raise UsageError(
                f"{day.month}月{day.day}日没有说几点，默认的 {hour:02d}:00 已经过了。请说具体时间。",
                example="提醒我今天下午5点交稿",
            )
        notes.append(f"没有说几点，按 {hour:02d}:00 提醒。")
        return {"kind": "at", "at": when.isoformat()}, notes
    if reading.kind == "nth_weekday":
        cron = _part(reading.cron, "cron")
        rule = {"kind": "nth_weekday", "nth": reading.nth, "weekday": int(cron["weekday"])}
        return {**rule, "hour": cron["hour"], "minute": cron["minute"]}, notes
    if reading.kind == "workday":
        rule = {"kind": "workday", "nth": reading.nth, **_part(reading.cron, "cron")}
        return rule, notes + _calendar_notes(rule, now, tz)
    if reading.kind == "cron":
        cron = dict(_part(reading.cron, "cron"))
        for key, bound in (("starts", reading.starts), ("until", reading.until)):
            if bound is not None:
                cron[key] = bound.isoformat()
        if cron["hour"] is None:
            hour = timeparse.PARTS[reading.part][1] if reading.part else DEFAULT_HOUR
            cron["hour"], cron["minute"] = str(hour), "0"
            notes.append(f"没有说几点，按 {hour:02d}:00 提醒。")
        if reading.workdays:  # 工作日: official working days, 调休 included
            keep = {k: cron[k] for k in ("hour", "minute", "starts", "until") if cron.get(k)}
            rule = {"kind": "workday", "nth": "every", **keep}
            return rule, notes + _calendar_notes(rule, now, tz)
        return {"kind": "cron", **cron}, notes
    every = _part(reading.every, "every")
    unit, n = next(iter(every.items()))
    if reading.first is not None:
        start = reading.first
    elif unit in ("days", "weeks"):
        hh, mm = (int(x) for x in (reading.at or f"{now:%H:%M}").split(":"))
        start = datetime.combine(now.date(), time(hh, mm), tz)
        if reading.at is None:
            start += timedelta(**every)
        while start <= now:
            start += timedelta(days=1)
    else:
        start = now + timedelta(**every)
    return {"kind": "interval", "every": every, "start": start.isoformat()}, notes


def upcoming(rule: dict, tz: str, now: datetime, n: int = 5) -> list[datetime]:
    """The next ``n`` times a rule fires (fewer when it ends), from the same code that schedules."""
    out: list[datetime] = []
    when = timerules.first_fire(rule, tz, now)
    while when is not None and len(out) < n:
        out.append(when)
        when = timerules.next_after(rule, tz, when)
    return out
