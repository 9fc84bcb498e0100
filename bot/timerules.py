"""Next fire times of schedule rules, computed with APScheduler's triggers (3.11.x).

A rule is a dict:
- ``{"kind": "at", "at": ISO}``: once;
- ``{"kind": "cron", "minute", "hour", "day", "month", "day_of_week"}``: APScheduler cron fields
  (``day`` may be ``last`` or ``1st mon``), optionally bounded by ``starts`` and ``until`` (dates,
  both inclusive, in the rule's zone);
- ``{"kind": "interval", "every": {"weeks"|"days"|"hours"|"minutes": n}, "start": ISO}``: from ``start`` on;
- ``{"kind": "workday", "nth": "every" | n | -1, "hour", "minute"}``: China's official working days
  (调休 included, ``bot.workdays``): every one, or the n-th / last of each month — rules cron
  cannot say. Optional ``starts``/``until`` as for cron;
- ``{"kind": "nth_weekday", "nth": n, "weekday": 0–6, "hour", "minute"}``: the n-th given weekday
  of each month, n < 0 counted from the end (倒数第二个周五: −2), which cron has no field for.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


def trigger(rule: dict, tz: str):
    """The APScheduler trigger of a rule (None for a one-off)."""
    zone = ZoneInfo(tz)
    if rule["kind"] == "cron":
        fields = {
            k: rule[k] for k in ("minute", "hour", "day", "month", "day_of_week") if rule.get(k) is not None
        }
        start = EPOCH.astimezone(zone)
        if rule.get("starts"):
            start = datetime.combine(date.fromisoformat(rule["starts"]), time(0), zone)
        end = None
        if rule.get("until"):
            end = datetime.combine(date.fromisoformat(rule["until"]), time(23, 59, 59), zone)
        return CronTrigger(**fields, second=0, timezone=zone, start_date=start, end_date=end)
    if rule["kind"] == "interval":
        return IntervalTrigger(
            **rule["every"], start_date=datetime.fromisoformat(rule["start"]), timezone=zone
        )
    return None


def _workday_next(rule: dict, tz: str, after: datetime) -> datetime | None:
    from bot import workdays

    zone = ZoneInfo(tz)
    local = after.astimezone(zone)
    at = time(int(rule["hour"]), int(rule["minute"]))
    starts = date.fromisoformat(rule["starts"]) if rule.get("starts") else None
    until = date.fromisoformat(rule["until"]) if rule.get("until") else None
    day = max(local.date(), starts) if starts else local.date()
    if rule["nth"] == "every":
        candidates = (day + timedelta(days=i) for i in range(800))
        candidates = (d for d in candidates if workdays.is_workday(d))
    else:
        months = ((day.year + (day.month - 1 + i) // 12, (day.month - 1 + i) % 12 + 1) for i in range(40))
        candidates = (d for y, m in months if (d := workdays.nth_workday(y, m, int(rule["nth"]))) is not None)
    for d in candidates:
        if until and d > until:
            return None
        when = datetime.combine(d, at, zone)
        if when > after and (starts is None or d >= starts):
            return when.astimezone(UTC)
    return None


def _nth_weekday_next(rule: dict, tz: str, after: datetime) -> datetime | None:
    """The n-th (n < 0: counted from the end) given weekday of each month, at the rule's clock."""
    zone = ZoneInfo(tz)
    local = after.astimezone(zone)
    at = time(int(rule["hour"]), int(rule["minute"]))
    nth, weekday = int(rule["nth"]), int(rule["weekday"])
    for i in range(40):
        year, month = local.year + (local.month - 1 + i) // 12, (local.month - 1 + i) % 12 + 1
        first = date(year, month, 1)
        days = [first + timedelta(days=k) for k in range(31) if (first + timedelta(days=k)).month == month]
        matching = [d for d in days if d.weekday() == weekday]
        if abs(nth) > len(matching):
            continue
        when = datetime.combine(matching[nth - 1] if nth > 0 else matching[nth], at, zone)
        if when > after:
            return when.astimezone(UTC)
    return None


def next_after(rule: dict, tz: str, after: datetime) -> datetime | None:
    """The first fire time strictly after ``after`` (UTC), or None when the rule is used up.

    Computing from "now" rather than from the last fire makes missed repeats collapse into
    the one late fire the dispatcher is sending.
    """
    if rule["kind"] == "at":
        at = datetime.fromisoformat(rule["at"])
        return at.astimezone(UTC) if at > after else None
    if rule["kind"] == "workday":
        return _workday_next(rule, tz, after)
    if rule["kind"] == "nth_weekday":
        return _nth_weekday_next(rule, tz, after)
    trig = trigger(rule, tz)
    nxt = trig.get_next_fire_time(None, after + timedelta(microseconds=1))
    return nxt.astimezone(UTC) if nxt else None


def first_fire(rule: dict, tz: str, now: datetime) -> datetime | None:
    """The first fire time strictly after ``now``, the moment the rule was said (「每天上午10点」
    said at 10:00:00 first fires tomorrow, not at the instant it was said)."""
    if rule["kind"] == "at":
        at = datetime.fromisoformat(rule["at"])
        return at.astimezone(UTC)
    if rule["kind"] == "interval":
        start = datetime.fromisoformat(rule["start"])
        if start > now:
            return start.astimezone(UTC)
    return next_after(rule, tz, now)
