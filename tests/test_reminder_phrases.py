"""Issue 11's held-out phrases (tests/data/reminder_phrases.py) and the rules they brought.

Scored as right / refused / silently wrong through the code that schedules: the reading becomes a
rule and the rule's first occurrences are compared. The bar: at least 95 % right, none silently
wrong.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.errors import UsageError
from handlers.reminders.rules import rule_from_reading, upcoming
from handlers.shared.time import parse as timeparse
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
def test_second_to_last_friday_of_each_month(clockbot, clock):
    text = clockbot.ask("每月倒数第二个周五下午3点提醒大家开会")
    assert "每月倒数第2个周五 15:00" in text and "12月18日" in text and "1月22日" in text
    fired = []
    for day in (datetime(2026, 12, 18), datetime(2026, 12, 25), datetime(2027, 1, 22), datetime(2027, 1, 29)):
        clock.set(day.replace(hour=7, tzinfo=UTC))  # 15:00 in Shanghai
        fired.append(clockbot.tick())
    assert fired == [1, 0, 1, 0]


@pytest.mark.now("2026-12-04T10:00:00+08:00")
def test_a_day_counted_in_next_month(clockbot):
    text = clockbot.ask("下个月第一个周一上午9点提醒交月度计划")
    assert "好的，到时提醒" in text and "1月4日（周一）09:00" in text and "交月度计划" in text
    text = clockbot.ask("remind me on the last friday of every month at 3pm to send the newsletter")
    assert "12月25日（周五）15:00" in text and "每月最后一个周五 15:00" in text


@pytest.mark.now("2026-12-01T14:28:00+08:00")
def test_what_it_cannot_read_it_does_not_save(clockbot):
    for phrase in (
        "每两个月的第一天提醒大家换海报",
        "下周三或者周四下午提醒大家开会",
        "10点提醒我发稿",
    ):
        text = clockbot.ask(phrase)
        assert "好的，到时提醒" not in text, phrase
    assert "没有等待中的提醒" in clockbot.ask("提醒列表")
    assert "是今晚10点，还是明天上午10点" in clockbot.ask("10点提醒我发稿")


@pytest.mark.now("2026-09-28T10:00:00+08:00")
def test_workdays_follow_the_official_calendar_with_make_up_days(clockbot, clock):
    """National Day 2026: 10-01…10-07 off, Saturday 10-10 a make-up working day (调休)."""
    text = clockbot.ask("工作日早上9点提醒我打卡")
    assert "按法定安排，含调休" in text
    fired = []
    for month, day in [(9, 29), (9, 30), *((10, d) for d in range(1, 12))]:
        clock.set(datetime(2026, month, day, 1, 0, tzinfo=UTC))  # 09:00 in Shanghai
        if clockbot.tick():
            fired.append(f"{month}-{day}")
    assert fired == ["9-29", "9-30", "10-8", "10-9", "10-10"]  # 10-10 is the 调休 Saturday


@pytest.mark.now("2026-09-28T10:00:00+08:00")
def test_last_workday_and_the_first_after_a_holiday(clockbot):
    text = clockbot.ask("每月最后一个工作日下午4点提醒大家发月报")
    assert "9月30日（周三）16:00" in text and "每月最后一个工作日 16:00" in text
    text = clockbot.ask("节后第一个工作日上午9点提醒大家发复工海报")
    assert "10月8日（周四）09:00" in text


@pytest.mark.now("2026-12-01T14:28:00+08:00")
def test_a_year_without_holiday_data_falls_back_with_a_warning(clockbot):
    text = clockbot.ask("每月第一个工作日上午10点提醒大家发月报")
    assert "2027 年的法定节假日和调休安排还没公布" in text
    assert "1月1日（周五）10:00" in text  # Monday–Friday fallback: New Year's Day is not known as a holiday


@pytest.mark.now("2026-12-01T14:28:00+08:00")
def test_lunar_festivals_and_offsets_from_them(clockbot):
    assert "8月8日" in clockbot.ask("七夕当天上午10点提醒大家发文案")  # 2027-08-08
    assert "9月14日" in clockbot.ask("中秋前一天下午3点提醒大家发海报")  # 2027-09-15 − 1


@pytest.mark.now("2026-12-01T14:28:00+08:00")
def test_ambiguous_phrase_is_asked_back_and_answered_with_a_number(clockbot, clock):
    (question,) = clockbot.say("10点提醒我发稿")
    text = question.to_text()
    assert "你是说哪一个" in text and "1. 今晚10点提醒我发稿" in text and "2. 明天上午10点提醒我发稿" in text
    assert [b.command for b in question.buttons] == ["今晚10点提醒我发稿", "明天上午10点提醒我发稿"]
    assert "没有等你选择的问题" in clockbot.ask("2", user="someone-else")  # the question is per person
    text = clockbot.ask("2")
    assert "好的，到时提醒" in text and "明天 12月2日（周三）10:00" in text and "发稿" in text
    assert "没有等你选择的问题" in clockbot.ask("1")  # answered once
    clockbot.say("下周三或者周四下午3点提醒大家开会")
    clock.advance(minutes=11)
    assert "没有等你选择的问题" in clockbot.ask("1")  # ten minutes to answer
    clockbot.say("下周三或者周四下午3点提醒大家开会")
    assert "12月10日（周四）15:00" in clockbot.ask("2")


@pytest.mark.now("2026-12-01T14:28:00+08:00")
def test_schedule_a_draft_on_a_month_slash_day(clockbot):
    """`定时 1 12/3 20:00` is December 3rd, not today (numbers only: the numeric passes read it)."""
    clockbot.ask("改写 小红书 冬季新品热可可上市，低糖，中杯18元。", user="boss")
    clockbot.ask("提审 1", user="boss")
    clockbot.ask("通过 1", user="boss")
    assert "12月3日（周四）20:00" in clockbot.ask("定时 1 12/3 20:00", user="boss")


@pytest.mark.now("2026-09-28T10:00:00+08:00")
def test_month_end_rules_fire_on_the_right_days(clockbot, clock):
    clockbot.ask("每月最后一个工作日下午4点提醒大家发月报")
    clockbot.ask("每月1号和15号上午10点提醒大家发会员福利")
    fired = []
    day = datetime(2026, 9, 28, tzinfo=UTC)
    while day < datetime(2026, 11, 3, tzinfo=UTC):
        for hour_utc in (2, 8):  # 10:00 and 16:00 in Shanghai
            clock.set(day.replace(hour=hour_utc))
            if clockbot.tick():
                fired.append(f"{day.month}-{day.day} {hour_utc + 8}")
        day += timedelta(days=1)
    # last workdays: 09-30 (Wed), 10-30 (Fri); the 1st and the 15th at 10:00
    assert fired == ["9-30 16", "10-1 10", "10-15 10", "10-30 16", "11-1 10"]
