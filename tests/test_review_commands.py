"""复盘 in the chat: an export sent to the group attaches its posts to the drafts that made them
(by link, by title and day; a doubtful one is asked about and confirmed with 关联), and 复盘 reads
the results back with sample sizes."""

from __future__ import annotations

import re
from datetime import UTC

import pytest

EXPORT = (
    "作品名称,发布时间,播放量,点赞,作品链接\n"
    "热可可的三种喝法（完整版）,2026-11-22 20:00,53000,3200,https://www.douyin.com/video/7311?share=abc\n"
    "冬季新品预告,2026-11-22 18:30,12000,800,\n"
    "圣诞限定来啦！,2026-11-21 12:00,9000,500,\n"
    "别人家的视频,2026-11-20 12:00,700,20,\n"
)


def _publish(bot, number: int, title: str, link: str = "") -> None:
    bot.ask(f"草稿 抖音 {title}", user="boss")
    assert f"#{number}" in bot.ask(
        f"修改 {number} 标题={title} 正文=门店今天的新做法，一起来看看。", user="boss"
    )
    assert "已提审" in bot.ask(f"提审 {number}", user="boss")
    assert "已通过" in bot.ask(f"通过 {number}", user="boss")
    assert "已发布" in bot.ask(f"已发布 {number} {link}".strip(), user="boss")


@pytest.mark.now("2026-11-22T21:00:00+08:00")
def test_an_export_ties_posts_to_drafts_asks_about_the_doubtful_and_reviews(testbot):
    _publish(testbot, 1, "热可可的三种喝法", "https://www.douyin.com/video/7311")
    _publish(testbot, 2, "冬季新品预告")
    _publish(testbot, 3, "圣诞限定来了")
    testbot.channel.files["f1"] = EXPORT.encode("gbk")
    text = testbot.ask("导入 抖音", user="boss", kind="file", files=[{"key": "f1", "name": "作品数据.csv"}])
    assert "预演" in text and "「圣诞限定来啦！」" in text  # the rehearsal asks too, without ids
    text = testbot.ask("确认导入", user="boss")
    assert "对上了稿件：2 篇（按链接 1，按标题和日期 1）" in text, text
    assert "稿件 #3「圣诞限定来了」（标题相近，发布日期差 1 天）" in text
    assert "别人家的视频" not in text  # no draft near it: not a question
    post_id = int(re.search(r"作品 (\d+)「圣诞限定来啦！」", text).group(1))
    db = testbot.bot.db
    tied = dict(db.execute("SELECT title, matched_by FROM posts WHERE draft_id IS NOT NULL").fetchall())
    assert tied == {"热可可的三种喝法（完整版）": "link", "冬季新品预告": "title"}
    assert "没有稿件 #9" in testbot.ask(f"关联 {post_id} 9", user="boss")
    assert "本群没有编号为 999 的作品" in testbot.ask("关联 999 3", user="boss")
    assert "请写作品编号和稿件编号" in testbot.ask("关联 圣诞", user="boss")
    assert "已经对上了作品" in testbot.ask(f"关联 {post_id} 2", user="boss")
    assert "已关联" in testbot.ask(f"关联 {post_id} 3", user="boss")
    assert db.execute("SELECT count(*) FROM posts WHERE draft_id IS NOT NULL").fetchone()[0] == 3
    review = testbot.ask("复盘 抖音 本月", user="boss")
    assert "4 条作品" in review and "中位数" in review
    assert "《热可可的三种喝法（完整版）》" in review.split("最好的：")[1].split("；")[0]
    assert "数据还不够" in review and "至少 12 条" in review  # no pattern from four posts
    assert "建议\n- 抖音：数据还不够" in review
    assert "没有可复盘" in testbot.ask("复盘 小红书 本月", user="boss")
    assert "不是时间段" in testbot.ask("复盘 抖音 明年", user="boss")


@pytest.mark.now("2026-11-22T21:00:00+08:00")
def test_a_target_is_also_read_in_posts_a_week(testbot):
    """+10 followers a day for 90 days and 18 posts in them: 50 a post, 1.4 posts a week. A target of
    +2,000 by 12-31 (39 days) needs about 8 posts a week; the team set 3 slots."""
    from datetime import date, datetime, timedelta

    from storage import metrics as store
    from storage import posts

    testbot.ask("我是谁")
    db, team = testbot.bot.db, testbot.team()
    now = datetime(2026, 11, 22, 13, tzinfo=UTC)
    account = store.ensure_account(db, team.id, "douyin", store.DEFAULT_ACCOUNT, now=now)
    today = date(2026, 11, 22)
    for back in range(91, -1, -1):
        day = today - timedelta(days=back)
        store.record(
            db, account["id"], day, "followers", 1000 + 10 * (91 - back), source="csv", by="t", now=now
        )
    for k in range(18):
        posts.upsert(
            db,
            account["id"],
            f"第{k}条",
            (today - timedelta(days=5 * k)).isoformat(),
            {"plays": 1000},
            now=now,
        )
    assert "档期已设" in testbot.ask("档期 抖音 每周一三五 18:00")
    text = testbot.ask("目标 抖音 粉丝 +2000 截止 12月31日", user="boss")
    assert "每条作品平均带来 50 粉丝、每周 1.4 条的节奏，到 12 月 31 日约 +390" in text, text
    assert "要达成需要每周约 8 条，现在的档期每周 3 个" in text
    assert "近 90 天 18 条作品，粉丝共 900" in text


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_a_weekly_review_subscription_pushes_last_weeks_review(clockbot, clock):
    from datetime import UTC, datetime

    clockbot.ask("我是谁")
    clockbot.channel.files["f1"] = EXPORT.encode()
    clockbot.ask("导入 抖音", kind="file", files=[{"key": "f1", "name": "作品数据.csv"}])
    clockbot.ask("确认导入")
    assert "已订阅每周复盘" in clockbot.ask("订阅 复盘 周一 10:00")
    assert "每周复盘：每周一 10:00" in clockbot.ask("订阅")
    clock.set(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))  # Monday 10:00 in Shanghai
    assert clockbot.tick() == 1
    (push,) = [i for i in clockbot.channel.sent if i.kind == "weekly_review"]
    text = push.reply.to_text()
    assert text.startswith("上周复盘（11/16–11/22，各平台）") and "4 条作品" in text
    assert "已取消每周复盘" in clockbot.ask("取消订阅 复盘")


@pytest.mark.now("2026-12-04T19:00:00+08:00")
def test_the_demo_season_shows_its_planted_effects_and_none_where_none_was_planted(testbot):
    """The demo's season (抖音 20:00 twice the plays, 小红书 question titles twice the reads, 公众号
    nothing): 复盘 finds the two and says so for the third, with a chart; 档期 and 目标 use them."""
    from datetime import UTC, datetime

    from bot.context import JobContext
    from handlers.metrics.demo_season import seed_season
    from storage.db import write_tx
    from storage.teams import get_team

    testbot.ask("我是谁")
    db = testbot.bot.db
    team = get_team(db, testbot.team().id)
    with write_tx(db):
        seed_season(JobContext.of(testbot.bot, team, datetime(2026, 12, 4, 11, tzinfo=UTC)))
    (reply,) = testbot.say("复盘 近90天", user="boss")
    text = reply.to_text()
    douyin, xhs, wechat = (
        text.split(f"{p} · 主账号")[1].split("\n\n")[0] for p in ("抖音", "小红书", "公众号")
    )
    assert "共同点：20 点发的作品播放中位数是其他作品的" in douyin
    assert "共同点：问句标题的作品阅读中位数是其他作品的" in xhs
    assert "没有站得住的规律" in wechat
    assert reply.attachments and reply.attachments[0].media_type == "image/png"
    assert "20:00 发的作品播放中位数是" in testbot.ask("档期 抖音 每周一三五 12:00", user="boss")
    ranking = testbot.ask("标题库 排行")
    assert "篇，中位数的" in ranking and "问句标题的作品中位数是其他作品的" in ranking


@pytest.mark.now("2026-11-22T21:00:00+08:00")
def test_results_typed_in_the_chat_join_the_posts_record(testbot):
    """效果 for a published draft lands on its post (one record): 复盘 counts it; typed again it
    updates the same post; a platform with two accounts is not guessed."""
    _publish(testbot, 1, "热可可的三种喝法", "https://www.douyin.com/video/7311")
    text = testbot.ask("效果 1 播放 5.3万 点赞 3200", user="boss")
    assert "已记进这篇作品的数据" in text
    db = testbot.bot.db
    (row,) = db.execute("SELECT title, published_at, link, matched_by, metrics FROM posts").fetchall()
    assert row[:4] == ("热可可的三种喝法", "2026-11-22", "https://www.douyin.com/video/7311", "chat")
    testbot.ask("效果 1 播放 6万", user="boss")
    (metrics,) = db.execute("SELECT metrics FROM posts").fetchone()
    assert '"plays": 60000' in metrics and '"likes": 3200' in metrics  # one post, updated
    assert "1 条作品" in testbot.ask("复盘 抖音 本月", user="boss")
    testbot.ask("记录 抖音:门店号 粉丝 1200", user="boss")  # a second 抖音 account
    _publish(testbot, 2, "冬季新品预告")
    assert "不知道这篇是哪个账号发的" in testbot.ask("效果 2 播放 1万", user="boss")
    assert db.execute("SELECT count(*) FROM posts").fetchone()[0] == 1


@pytest.mark.now("2026-11-22T21:00:00+08:00")
def test_a_post_said_to_be_no_drafts_stays_untied_through_later_imports(testbot):
    _publish(testbot, 1, "冬季新品预告")
    export = "作品名称,发布时间,播放量\n冬季新品预告,2026/11/22 18:30,12000\n"
    testbot.channel.files["f1"] = export.encode()
    testbot.ask("导入 抖音", user="boss", kind="file", files=[{"key": "f1", "name": "a.csv"}])
    assert "按标题和日期 1" in testbot.ask("确认导入", user="boss")
    db = testbot.bot.db
    (post_id, time) = db.execute("SELECT id, published_time FROM posts").fetchone()
    assert time == "18:30"  # 「2026/11/22 18:30」: the day and the time both read
    assert "不算任何稿件的数据" in testbot.ask(f"关联 {post_id} 无", user="boss")
    testbot.channel.files["f2"] = export.replace("12000", "15000").encode()
    testbot.ask("导入 抖音", user="boss", kind="file", files=[{"key": "f2", "name": "b.csv"}])
    text = testbot.ask("确认导入", user="boss")
    assert "对上了稿件" not in text and "可能是某份稿件" not in text
    assert db.execute("SELECT draft_id, matched_by FROM posts").fetchone() == (None, "none")
    assert "之前被确认为不是任何稿件发的" in testbot.ask("效果 1 播放 2万", user="boss")
