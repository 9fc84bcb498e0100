"""复盘 in the chat: an export sent to the group attaches its posts to the drafts that made them
(by link, by title and day; a doubtful one is asked about and confirmed with 关联), and 复盘 reads
the results back with sample sizes."""

from __future__ import annotations

import re

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
    assert "对不上" in testbot.ask(f"关联 {post_id} 9", user="boss") or "没有稿件" in testbot.ask(
        f"关联 {post_id} 9", user="boss"
    )
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
