"""``xiaobian parse-time``: how the bot reads the time in a sentence, through the code that schedules."""

from __future__ import annotations

import json
import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot import timerules
from bot.errors import UsageError
from bot.registry import Tool
from handlers.reminders.rules import describe_rule, rule_from_reading, upcoming
from handlers.shared.time import parse as timeparse
from handlers.shared.time.fmt import fmt_when


def configure(parser) -> None:
    parser.add_argument("text")
    parser.add_argument("--now", help="以这个时间为“现在”（ISO 格式），默认当前时间")
    parser.add_argument("--tz", default=os.environ.get("XIAOBIAN_TZ") or "Asia/Shanghai")
    parser.add_argument(
        "--json", action="store_true", help="输出 JSON（timeparse_cases.json 的 expected 格式）"
    )


def next_times(reading, now: datetime, zone: ZoneInfo) -> list[str]:
    """Up to 5 upcoming occurrences (ISO 8601; dates for a reading without a clock time)."""
    if reading.kind == "at" and reading.when is None:
        return [reading.day.isoformat()]
    try:
        rule, _ = rule_from_reading(reading, now.astimezone(zone), zone)
    except UsageError:
        return []
    return [t.astimezone(zone).isoformat() for t in upcoming(rule, zone.key, now, 5)]


def run(args, open_bot) -> int:
    try:
        zone = ZoneInfo(args.tz)
    except (ZoneInfoNotFoundError, ValueError):
        print(f"时区无效：{args.tz}", file=sys.stderr)
        return 2
    try:
        now = datetime.fromisoformat(args.now) if args.now else datetime.now(zone)
    except ValueError:
        print(
            f"--now 应为 ISO 时间，例如 2026-11-22T14:00:00+08:00，而不是 {args.now!r}",
            file=sys.stderr,
        )
        return 2
    if now.tzinfo is None:
        now = now.replace(tzinfo=zone)
    reading = timeparse.parse(args.text, now, zone)
    if args.json:
        data = reading.to_json()
        if reading.kind != "error":
            data["next"] = next_times(reading, now, zone)
        print(json.dumps(data, ensure_ascii=False))
        return 0
    if reading.kind == "error":
        print(f"没有设成：{reading.reason} {reading.detail}".rstrip())
        return 1
    try:
        rule, notes = rule_from_reading(reading, now.astimezone(zone), zone)
    except UsageError as exc:  # a past default time
        print(f"没有设成：{exc.reason}")
        return 1
    first = timerules.first_fire(rule, args.tz, now)
    print(f"时间：{fmt_when(first, zone, now)}" if first else "时间：无")
    if rule["kind"] != "at":
        print(f"重复：{describe_rule(rule)}")
    print(f"事项：{reading.task or '（未写）'}")
    if reading.people:
        print(f"提醒：{'、'.join(reading.people)}")
    for note in notes:
        print(f"注：{note}")
    return 0


PARSE_TIME = Tool("parse-time", "看小编怎么理解一句话里的时间", configure, run)
