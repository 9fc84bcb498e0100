"""Reminders through chat, fired by the dispatcher on a controllable clock."""

from datetime import UTC, datetime

import pytest

from bot.dispatcher import Dispatcher
from storage import schedules
from tests.support import FakeClock, TestBot

# The expectations name dates and weekdays of the week of 2026-11-22.
pytestmark = pytest.mark.now("2026-11-22T14:00:00+08:00")

SH_14 = datetime(2026, 11, 22, 6, 0, tzinfo=UTC)  # Sunday 14:00 in Shanghai


def pushes(tb):
    return [i for i in tb.channel.sent if i.kind != "reply"]


def test_reminder_echoes_what_it_understood(clockbot):
    text = clockbot.ask("提醒我明天上午10点发微博")
    assert "明天 11月23日（周一）10:00" in text and "事项：发微博" in text and "编号：#1" in text


def test_reminder_fires_once_at_its_time(clockbot, clock):
    clockbot.ask("提醒我明天上午10点发微博", user="xiaowang", name="小王")
    clock.set(datetime(2026, 11, 23, 1, 59, tzinfo=UTC))
    assert clockbot.tick() == 0
    clock.set(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
    assert clockbot.tick() == 1
    (item,) = pushes(clockbot)
    assert item.reply.body == "发微博" and [p.user_id for p in item.reply.mentions] == ["xiaowang"]
    assert item.reply.note == ""  # on time, no lateness note
    clock.advance(days=3)
    assert clockbot.tick() == 0 and len(pushes(clockbot)) == 1
    assert "没有等待中的提醒" in clockbot.ask("提醒列表")


def test_two_dispatchers_racing_send_once(db_path, clock):
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        tb.ask("每天早上9点提醒大家看数据")
        clock.set(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
        other = Dispatcher(tb.bot)
        row = schedules.due(tb.bot.db, now=clock())[0]
        # both read the same due row; both try to fire it
        assert tb.bot.dispatcher.fire(row, clock()) is True
        assert other.fire(row, clock()) is False
        tb.bot.drain()
        assert len(pushes(tb)) == 1
    finally:
        tb.close()


def test_two_dispatcher_threads_racing_send_once(db_path, clock):
    import threading

    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        for i in range(20):
            tb.ask(f"提醒我明天上午10点做第{i}件事")
        clock.set(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))
        a, b = Dispatcher(tb.bot), Dispatcher(tb.bot)
        results = []
        threads = [threading.Thread(target=lambda d=d: results.append(d.tick())) for d in (a, b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        tb.bot.drain()
        assert sum(results) == 20
        assert len(pushes(tb)) == 20
    finally:
        tb.close()


def test_reminder_due_during_downtime_arrives_once_after_restart_marked_late(db_path, clock):
    tb = TestBot(db_path, clock=clock, threads=0)
    tb.ask("提醒我明天上午10点发微博")
    tb.close()  # the bot goes down before 10:00
    clock.set(datetime(2026, 11, 23, 3, 30, tzinfo=UTC))  # 11:30, back up
    up = TestBot(db_path, clock=clock, threads=0)
    try:
        assert up.tick() == 1
        (item,) = pushes(up)
        assert "晚了 90 分钟" in item.reply.note and "10:00" in item.reply.note
        assert up.tick() == 0
    finally:
        up.close()


def test_daily_reminder_missed_three_days_arrives_once(db_path, clock):
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        tb.ask("每天早上9点提醒我看评论")
        clock.set(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))  # Thursday 10:00: Mon, Tue, Wed, Thu 9:00 missed
        assert tb.tick() == 1
        assert tb.tick() == 0
        assert len(pushes(tb)) == 1 and "晚了" in pushes(tb)[0].reply.note
        row = schedules.list_for_team(tb.bot.db, tb.team().id, "reminder")[0]
        assert row["next_fire_at"].startswith("2026-11-27T01:00")  # Friday 9:00, repeats go on
    finally:
        tb.close()


def test_reminder_for_someone_else_and_everyone(clockbot, clock):
    text = clockbot.ask("提醒 @zhangsan 周五下班前交稿")
    assert "@zhangsan" in text and "11月27日（周五）17:00" in text and "没有说几点" in text
    text = clockbot.ask("每周三下午3点提醒大家交选题")
    assert "所有人" in text and "重复：每周三 15:00" in text


def test_refusals_and_questions(clockbot):
    text = clockbot.ask("今天上午9点提醒我开会")
    assert "已经过去了" in text and "例如：提醒我明天上午9点开会" in text
    text = clockbot.ask("明天两点提醒我开会")
    assert "14:00" in text and "凌晨" in text  # read as 14:00, and says how to mean 2 a.m.
    assert "不够具体" in clockbot.ask("待会儿提醒我回电话")
    assert "没看出是什么时候" in clockbot.ask("提醒我交稿")
    assert "2月" in clockbot.ask("2月30号提醒我")


def test_list_snooze_cancel(clockbot, clock):
    clockbot.ask("提醒我明天上午10点发微博", user="xiaowang")
    clockbot.ask("每周三下午3点提醒大家交选题", user="xiaowang")
    listing = clockbot.ask("提醒列表")
    assert "#1" in listing and "#2" in listing and "每周三 15:00" in listing
    # 推迟 moves the reminder's own time (tomorrow 10:00), never to "an hour from now" (today 15:00)
    assert "明天 11月23日（周一）11:00" in clockbot.ask("推迟 1 1小时", user="xiaowang")
    assert "推迟只能往后" in clockbot.ask("推迟 1 今晚8点", user="xiaowang")
    clock.set(datetime(2026, 11, 23, 2, 59, tzinfo=UTC))
    assert clockbot.tick() == 0
    clock.set(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    assert clockbot.tick() == 1
    assert "已取消提醒 #2" in clockbot.ask("取消提醒 2", user="xiaowang")
    assert "没有找到" in clockbot.ask("取消提醒 99", user="xiaowang")
    assert "不是提醒编号" in clockbot.ask("取消提醒 abc", user="xiaowang")


def test_only_creator_or_manager_can_cancel(clockbot):
    clockbot.ask("提醒我明天上午10点发微博", user="xiaowang")
    assert "只有本人或经理" in clockbot.ask("取消提醒 1", user="xiaoli")
    assert "已取消" in clockbot.ask("取消提醒 1", user="boss")


def test_reminders_are_per_team(clockbot):
    clockbot.ask("提醒我明天上午10点发微博", team="team-a")
    assert "没有等待中的提醒" in clockbot.ask("提醒列表", team="team-b")
    assert "没有找到" in clockbot.ask("取消提醒 1", team="team-b", user="boss")


def test_recurring_interval_reminder(clockbot, clock):
    assert "每隔30分钟" in clockbot.ask("每隔30分钟提醒我站起来")
    clock.advance(minutes=30)
    assert clockbot.tick() == 1
    clock.advance(minutes=30)
    assert clockbot.tick() == 1


def test_time_zone_change_keeps_wall_clock(clockbot, clock):
    clockbot.ask("每天早上9点提醒我看数据")
    assert "重新计算" in clockbot.ask("设置 时区 东京", user="boss")
    row = schedules.list_for_team(clockbot.bot.db, clockbot.team().id, "reminder")[0]
    assert row["tz"] == "Asia/Tokyo" and row["next_fire_at"].startswith("2026-11-23T00:00")  # 9:00 in Tokyo


def test_english_reminder(clockbot):
    text = clockbot.ask("remind me every weekday at 9:15am to check comments")
    assert "工作日 09:15" in text and "check comments" in text


def test_reminder_survives_restart_without_firing_twice(db_path):
    clock = FakeClock(SH_14)
    tb = TestBot(db_path, clock=clock, threads=0)
    tb.ask("半小时后提醒我看评论")
    clock.advance(minutes=30)
    assert tb.tick() == 1
    tb.close()
    again = TestBot(db_path, clock=clock, threads=0)
    try:
        assert again.tick() == 0
    finally:
        again.close()
