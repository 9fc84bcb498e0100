"""Issue 11's held-out phrases (tests/data/reminder_phrases.py) and the rules they brought.

Scored as right / refused / silently wrong through the code that schedules: the reading becomes a
rule and the rule's first occurrences are compared. The bar: at least 95 % right, none silently
wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UsageError
from handlers.reminders import timeparse
from handlers.reminders.rules import rule_from_reading, upcoming
from tests.data.reminder_phrases import BASE, CASES

TZ = "Asia/Shanghai"


def verdict(text: str, expected, now: datetime) -> tuple[str, list[str]]:
    zone = ZoneInfo(TZ)
    reading = timeparse.parse(text, now, zone)
    if reading.kind == "error":
        return ("right" if expected == "refuse" else "refused"), []
    try:
        rule, _ = rule_from_reading(reading, now, zone)
    except UsageError:
        return ("right" if expected == "refuse" else "refused"), []
    if expected == "refuse":
        return "wrong", []
    want = [e for e in expected if e != "end"]
    times = upcoming(rule, TZ, now, len(want) + 1)
    got = [
        t.astimezone(zone).strftime("%Y-%m-%d" if len(w) == 10 else "%Y-%m-%dT%H:%M")
        for t, w in zip(times, want, strict=False)
    ]
    ok = got == want and not ("end" in expected and len(times) > len(want))
    return ("right" if ok else "wrong"), got


def test_held_out_phrases_are_right_or_refused_never_silently_wrong():
    now = datetime.fromisoformat(BASE)
    tally = {"right": 0, "refused": 0, "wrong": 0}
    wrong = []
    for text, expected in CASES:
        result, got = verdict(text, expected, now)
        tally[result] += 1
        if result == "wrong":
            wrong.append(f"{text}: {got} != {expected}")
    assert len(CASES) >= 60
    assert tally["wrong"] == 0, wrong
    assert tally["right"] / len(CASES) >= 0.95, tally


@pytest.mark.now("2026-12-01T14:28:00+08:00")
def test_bounded_daily_reminder_fires_until_its_last_day_then_stops(clockbot, clock):
    text = clockbot.ask("12月5日前每天晚上9点提醒大家打卡")
    assert "到12月4日为止" in text and "之后" in text
    fired = []
    for day in range(1, 8):
        clock.set(datetime(2026, 12, day, 13, 0, tzinfo=UTC))  # 21:00 in Shanghai
        fired.append(clockbot.tick())
    assert fired == [1, 1, 1, 1, 0, 0, 0]


@pytest.mark.now("2026-12-01T14:28:00+08:00")
def test_quarter_end_rule_crosses_the_year(clockbot, clock):
    text = clockbot.ask("每季度最后一天下午5点提醒大家交季报")
    assert "每季度最后一天 17:00" in text and "3月31日" in text
    clock.set(datetime(2026, 12, 31, 9, 0, tzinfo=UTC))
    assert clockbot.tick() == 1
    clock.set(datetime(2027, 2, 28, 9, 0, tzinfo=UTC))
    assert clockbot.tick() == 0
    clock.set(datetime(2027, 3, 31, 9, 0, tzinfo=UTC))
    assert clockbot.tick() == 1


@pytest.mark.now("2026-12-01T14:28:00+08:00")
def test_what_it_cannot_read_it_does_not_save(clockbot):
    for phrase in (
        "每月最后一个工作日下午4点提醒大家发月报",
        "下周三或者周四下午提醒大家开会",
        "10点提醒我发稿",
    ):
        text = clockbot.ask(phrase)
        assert "好的，到时提醒" not in text, phrase
    assert "没有等待中的提醒" in clockbot.ask("提醒列表")
    assert "是今晚10点，还是明天上午10点" in clockbot.ask("10点提醒我发稿")
