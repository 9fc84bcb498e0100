"""档期 and 排期: the weekly rhythm, nudges before empty slots, the week view."""

from datetime import UTC, datetime

import pytest

from storage import drafts

# The expectations name dates and weekdays of the week of 2026-11-22.
pytestmark = pytest.mark.now("2026-11-22T14:00:00+08:00")


def nudges(tb):
    return [i for i in tb.channel.sent if i.kind == "slot_nudge"]


def test_set_and_list_slots(clockbot):
    text = clockbot.ask("档期 公众号 每周二 20:00")
    assert "公众号 每周二 20:00" in text and "提前提醒：2 小时" in text
    text = clockbot.ask("档期 抖音 每周一三五 18:00 @xiaowang 提前3小时")
    assert "每周一三五 18:00" in text and "@xiaowang" in text and "3 小时" in text
    listing = clockbot.ask("档期")
    assert "#1 公众号" in listing and "#2 抖音" in listing


def test_bad_slot_forms_are_explained(clockbot):
    assert "没认出平台" in clockbot.ask("档期 朋友圈 每周二 20:00")
    assert "每周哪几天、几点" in clockbot.ask("档期 公众号 明天")
    assert "没有找到" in clockbot.ask("档期 删除 9")


def test_weekly_slot_without_approved_draft_nudges_owner_at_lead_time(clockbot, clock):
    clockbot.ask("档期 公众号 每周二 20:00 @xiaowang", user="boss")
    clock.set(datetime(2026, 11, 24, 9, 59, tzinfo=UTC))  # Tuesday 17:59
    assert clockbot.tick() == 0
    clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))  # 18:00 = 20:00 − 2 h
    assert clockbot.tick() == 1
    (item,) = nudges(clockbot)
    assert "公众号档期快到了" in item.reply.title and [p.user_id for p in item.reply.mentions] == ["xiaowang"]
    assert "还有 2 小时" in item.reply.body


def test_slot_with_approved_draft_does_not_nudge(clockbot, clock):
    clockbot.ask("档期 公众号 每周二 20:00")
    db = clockbot.bot.db
    team = clockbot.team()
    d = drafts.create(
        db,
        team_id=team.id,
        platform="wechat",
        title="冬季新品",
        body="…",
        tags=[],
        extra={},
        brief={},
        template="t",
        title_template=None,
        source="template",
        author="xiaowang",
        author_name="小王",
        now=clock(),
    )
    drafts.move(db, d, "approved", action="approve", by="boss", by_name="老板", now=clock())
    clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    clockbot.tick()
    assert nudges(clockbot) == []
    text = clockbot.ask("排期")
    assert "✅ #1《冬季新品》（已通过）" in text


def test_week_view_marks_gaps(clockbot):
    clockbot.ask("档期 抖音 每周一三五 18:00")
    text = clockbot.ask("排期 下周")
    assert text.count("缺稿") == 3 + 1  # three slots, and the closing count
    assert "周一 11/23" in text and "周五 11/27" in text
    assert "不是可选的周" in clockbot.ask("排期 明年")
    upcoming = clockbot.ask("排期")  # Sunday: the next 7 days, not the week that is almost over
    assert "接下来 7 天排期（11月22日–11月28日）" in upcoming and upcoming.count("缺稿（") == 3


def test_deleting_slot_stops_nudges(clockbot, clock):
    clockbot.ask("档期 公众号 每周二 20:00")
    assert "已删除档期 #1" in clockbot.ask("档期 删除 1")
    clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))
    assert clockbot.tick() == 0
