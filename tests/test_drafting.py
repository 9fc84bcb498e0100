"""The drafting studio: platform-true drafts, adaptation, headlines, and the review workflow."""

import pytest

from handlers.drafting import compliance
from handlers.drafting import compose as drafting
from handlers.drafting.compose import generate, parse_brief
from handlers.shared import platforms

BRIEFS = [
    "冬季新品热可可 卖点=低糖,现磨 人群=上班族",
    "桂花拿铁 品牌=暖冬咖啡 卖点=桂花,燕麦奶,少糖 场景=周末下午 活动=11月25日至11月30日第二杯半价",
    "咖啡师的一天 人群=咖啡爱好者",
    "brand=Warm product=冷萃 points=低酸,清爽",
]


@pytest.mark.parametrize("key", list(platforms.profiles()))
@pytest.mark.parametrize("brief_text", BRIEFS)
def test_drafts_respect_each_platform_profile(key, brief_text):
    profile = platforms.profiles()[key]
    draft = generate(parse_brief(brief_text), profile)
    if profile.get("title"):
        assert draft.title
        for t in draft.title_options:
            n = compliance.measure(t, profile)
            assert n <= profile["title"]["max"] and n >= profile["title"].get("min", 0), t
    else:
        assert draft.title == ""
    assert 0 < compliance.measure(draft.body, profile) <= profile["body"]["max"]
    if profile["tags"]["style"] == "hash_both":
        assert all(t.startswith("#") and t.endswith("#") for t in draft.tags)
    if profile["tags"]["style"] == "hash_lead":
        assert all(t.startswith("#") and not t.endswith("#") for t in draft.tags)
    if profile["tags"].get("max"):
        assert len(draft.tags) <= profile["tags"]["max"]
    if profile["form"] == "video":
        assert draft.extra["hook"] and draft.extra["scenes"] and draft.extra["cta"]
        assert all(s["画面"] and s["口播"] for s in draft.extra["scenes"])
    assert not [f for f in draft.findings if f.severity == "high"]


def test_brief_parsing_any_order_and_punctuation():
    a = parse_brief("冬季新品热可可 卖点=低糖,现磨 人群=上班族")
    b = parse_brief("冬季新品热可可 人群：上班族 卖点＝低糖，现磨")
    assert a.topic == b.topic == "冬季新品热可可"
    assert a.points == b.points == ["低糖", "现磨"] and a.fields == b.fields == {"人群": "上班族"}
    with pytest.raises(ValueError):
        parse_brief("  ")


def test_two_briefs_give_visibly_different_drafts():
    xhs = platforms.lookup("小红书")
    one = generate(parse_brief(BRIEFS[0]), xhs)
    two = generate(parse_brief(BRIEFS[1]), xhs)
    assert one.body != two.body and one.title != two.title
    assert "桂花" in two.body and "桂花" not in one.body


def test_key_sentences_skip_tags_and_stock_lines():
    body = "✨冬天早上来一杯热可可，是我的小仪式。\n#热可可 #冬日\n评论区说说你最想试哪一款～"
    assert drafting.key_sentences(body) == ["冬天早上来一杯热可可，是我的小仪式"]


def test_draft_in_chat_then_adapt_keeps_content(testbot):
    (reply,) = testbot.say("草稿 小红书 冬季新品热可可 卖点=低糖,现磨 人群=上班族")
    assert reply.title == "草稿 #1（小红书）" and "提审 1" in [b.command for b in reply.buttons]
    testbot.ask("修改 1 正文=冬天早上来一杯热可可，是我给自己的小仪式。低糖不腻，现磨的香气很足。")
    replies = testbot.say("改写 1 公众号 微博 抖音")
    assert [r.title for r in replies] == [
        "草稿 #2（公众号，改写自 #1）",
        "草稿 #3（微博，改写自 #1）",
        "草稿 #4（抖音，改写自 #1）",
    ]
    for r in replies:
        text = r.to_text()
        assert "热可可" in text and "小仪式" in text  # the edited sentence is carried over
    assert "## " in replies[0].body  # an article outline
    assert "【开头 3 秒】" in replies[2].body  # a video script
    weibo = testbot.bot.db.execute("SELECT body FROM drafts WHERE number = 3").fetchone()[0]
    assert compliance.measure(weibo, platforms.lookup("微博")) <= 2000 and "#冬季新品热可可#" in weibo
    history = testbot.ask("草稿 2")
    assert "改写自 #1" in history


def test_wrong_forms_get_chinese_answers(testbot):
    assert "第一个词应是平台" in testbot.ask("草稿 热可可")
    assert "请在平台后面写上主题" in testbot.ask("草稿 小红书")
    assert "没有找到" in testbot.ask("草稿 99")
    testbot.ask("草稿 小红书 热可可")
    assert "不认识的平台" in testbot.ask("改写 1 朋友圈")
    assert "已经是小红书的稿件" in testbot.ask("改写 1 小红书")


def test_workflow_with_history_and_refusals(testbot):
    testbot.ask("授权 @li 经理", user="boss")
    testbot.ask("草稿 公众号 热可可的三种喝法 卖点=现磨,低糖", user="xiaowang")
    (sub,) = testbot.say("提审 1", user="xiaowang")
    assert [p.user_id for p in sub.mentions] == ["boss", "li"] or {p.user_id for p in sub.mentions} == {
        "boss",
        "li",
    }
    assert [b.command for b in sub.buttons] == ["通过 1", "退回 1"]
    assert "只有经理或管理员可以使用" in testbot.ask("通过 1", user="xiaowang")  # a member approving
    assert "要写明理由" in testbot.ask("退回 1", user="li")
    assert "已退回" in testbot.ask("退回 1 标题换个实在的", user="li")
    assert "不能通过" in testbot.ask("通过 1", user="li")  # returned, not in review
    testbot.ask("修改 1 标题=热可可的三种喝法", user="xiaowang")
    testbot.ask("提审 1", user="xiaowang")
    assert "已通过" in testbot.ask("通过 1", user="li")
    assert "已发布" in testbot.ask("已发布 1 https://mp.weixin.qq.com/s/abc", user="xiaowang")
    assert "「已发布」，不能通过" in testbot.ask("通过 1", user="li")  # approving a published draft
    assert "不能再改" in testbot.ask("修改 1 正文=新", user="xiaowang")
    history = testbot.ask("草稿 1")
    for word in ("创建", "提审", "退回：标题换个实在的", "通过", "发布"):
        assert word in history
    assert "li 通过" in history


def test_only_author_or_manager_moves_a_draft(testbot):
    testbot.ask("草稿 微博 热可可", user="xiaowang")
    assert "只有作者或经理可以操作" in testbot.ask("提审 1", user="xiaozhang")
    assert "已提审" in testbot.ask("提审 1", user="xiaowang")


def test_editing_an_approved_draft_sends_it_back(testbot):
    testbot.ask("草稿 微博 热可可", user="xiaowang")
    testbot.ask("提审 1", user="xiaowang")
    testbot.ask("通过 1", user="boss")
    text = testbot.ask("修改 1 正文=冬天的热可可，低糖版", user="xiaowang")
    assert "v2" in text and "重新提审" in text
    assert "[草稿]" in testbot.ask("草稿箱")


def test_drafts_list_filters(testbot):
    testbot.ask("草稿 微博 热可可")
    testbot.ask("草稿 微博 拿铁")
    testbot.ask("提审 2")
    assert "#2" in testbot.ask("草稿箱 审核中") and "#1" not in testbot.ask("草稿箱 审核中")
    assert "不是稿件状态" in testbot.ask("草稿箱 没有")


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_schedule_into_next_free_slot_and_publish_reminder(clockbot, clock):
    from datetime import UTC, datetime

    clockbot.ask("档期 公众号 每周二 20:00")
    clockbot.ask("草稿 公众号 热可可", user="xiaowang")
    clockbot.ask("提审 1", user="xiaowang")
    clockbot.ask("通过 1", user="boss")
    text = clockbot.ask("定时 1", user="xiaowang")
    assert "11月24日（周二）20:00" in text
    assert "✅ #1" in clockbot.ask("排期 下周")
    clock.set(datetime(2026, 11, 24, 10, 0, tzinfo=UTC))  # the slot's nudge time: covered, so quiet
    assert clockbot.tick() == 1 and [i for i in clockbot.channel.sent if i.kind != "reply"] == []
    clock.set(datetime(2026, 11, 24, 12, 0, tzinfo=UTC))  # 20:00: time to publish
    clockbot.tick()
    kinds = [i.kind for i in clockbot.channel.sent if i.kind != "reply"]
    assert kinds == ["publish_due"]
    push = [i for i in clockbot.channel.sent if i.kind == "publish_due"][0]
    assert "该发布了：#1" in push.reply.title and push.reply.mentions[0].user_id == "xiaowang"


def test_titles_fit_and_pass_check(testbot):
    text = testbot.ask("标题 热可可 5 小红书 人群=上班族")
    lines = [line for line in text.splitlines() if line[:2] in {f"{i}." for i in range(1, 10)}]
    assert len(lines) == 5
    for line in lines:
        title = line.split(". ", 1)[1].rsplit("（", 1)[0]
        assert compliance.measure(title, platforms.lookup("小红书")) <= 20
        assert not [f for f in compliance.check(title) if f.severity != "low"]
    assert "没有标题" in testbot.ask("标题 热可可 3 微博")


def test_title_library_add_remove_and_rank(testbot):
    text = testbot.ask("标题库 添加 {人群}的冬天，需要一份{产品}")
    assert "team-" in text
    assert "不认识的槽位" in testbot.ask("标题库 添加 {颜色}的{产品}")
    assert "至少要有一个" in testbot.ask("标题库 添加 没有槽位")
    assert "的冬天，需要一份" in testbot.ask("标题库")
    assert "已从本群标题库删除 num-01" in testbot.ask("标题库 删除 num-01")
    assert "num-01（" not in testbot.ask("标题库")
    assert "还没有可以排名的数据" in testbot.ask("标题库 排行")
    testbot.ask("草稿 公众号 热可可 人群=上班族")
    testbot.ask("提审 1")
    testbot.ask("通过 1", user="boss")
    testbot.ask("已发布 1")
    assert "阅读 32,000、点赞 500" in testbot.ask("效果 1 阅读 3.2万 点赞 500")
    ranking = testbot.ask("标题库 排行 阅读")
    assert "1 篇，平均 32,000" in ranking
    assert "不认识的指标" in testbot.ask("效果 1 阅渎 100")
    assert "不是数字" in testbot.ask("效果 1 阅读 很多")
