"""The compliance check against the held-out sets (tests/data/compliance_cases*.py), per platform.

Issue 16's bar: at least 97 % of the assertions right on each platform of the first set; the
second set (written after the rules changed) must stay at 95 % overall. Issue 22's held-out set
(written before its change; 43.5 % right and 35 misses before, all right after) must stay free of
misses; the set written after that change (90 % untuned, its two misses fixed in session 9) and
session 9's set (written before its change) must have no miss and no false alarm.
"""

from __future__ import annotations

import collections
import re

import pytest

from handlers.drafting import compliance
from handlers.shared import platforms
from tests.data import (
    compliance_after_2026_12,
    compliance_cases,
    compliance_cases_blind,
    compliance_heldout_2026_12,
    compliance_heldout_2026_12c,
    compliance_heldout_2026_12d,
    compliance_heldout_2026_12e,
    compliance_heldout_2026_12f,
    compliance_heldout_2026_12g,
)

pytestmark = pytest.mark.fixed_dates


def score(cases) -> tuple[dict[str, list[int]], list[str]]:
    per: dict[str, list[int]] = collections.defaultdict(lambda: [0, 0])
    wrong = []
    for cid, platform, text, flags, cleans in cases:
        found = compliance.check(text, platforms.profiles()[platform] if platform else None)

        def touching(fragment: str, text=text, found=found):
            start = text.index(fragment)
            end = start + len(fragment)
            return [f for f in found if f.start is not None and f.start < end and f.end > start]

        tally = per[platform or "law"]
        for fragment, category in flags:
            ok = any(f.category == category for f in touching(fragment))
            tally[0] += ok
            tally[1] += 1
            if not ok:
                wrong.append(f"missed {cid}: {fragment} ({category})")
        for fragment in cleans:
            ok = not touching(fragment)
            tally[0] += ok
            tally[1] += 1
            if not ok:
                wrong.append(f"false alarm {cid}: {fragment}")
    return per, wrong


def test_first_set_per_platform():
    per, wrong = score(compliance_cases.CASES)
    assert len(compliance_cases.CASES) >= 80
    assert set(per) >= {"law", "wechat", "xiaohongshu", "douyin", "weibo"}
    for platform, (right, total) in per.items():
        assert right / total >= 0.97, (platform, right, total, wrong)


def test_second_set_overall():
    per, wrong = score(compliance_cases_blind.CASES)
    right = sum(r for r, _ in per.values())
    total = sum(t for _, t in per.values())
    assert right / total >= 0.95, wrong


def test_issue_22_heldout_set_has_no_silent_miss():
    per, wrong = score(compliance_heldout_2026_12.CASES)
    assert len(compliance_heldout_2026_12.CASES) >= 60
    assert wrong == []


@pytest.mark.parametrize(
    "cases, size",
    [
        (compliance_heldout_2026_12c.CASES, 60),
        (compliance_heldout_2026_12d.CASES, 40),
        (compliance_heldout_2026_12e.CASES, 30),
        (compliance_heldout_2026_12f.CASES, 30),
    ],
    ids=["fifth set", "sixth set", "seventh set", "eighth set"],
)
def test_session_9_sets_have_no_silent_miss_and_no_false_alarm(cases, size):
    """Each written before the fix that followed it; untuned, the fifth missed 10 of 46 flags, the
    sixth (written after the fifth's fix) 7 of 26, the seventh 11 of 26, the eighth 10 of 23 (see the
    data files): the rules are wider each time, and fresh copy still finds what they do not know."""
    per, wrong = score(cases)
    assert len(cases) >= size
    assert wrong == []


def test_the_ninth_set_misses_only_its_three_known_gaps():
    """Written after the doubt layer; untuned the rules missed 15 of 22 flags and the doubt layer named 3
    of those (see the data file)."""
    per, wrong = score(compliance_heldout_2026_12g.CASES)
    assert len(compliance_heldout_2026_12g.CASES) >= 30
    assert sorted(wrong) == sorted(compliance_heldout_2026_12g.KNOWN_MISSES)


def test_set_written_after_the_change():
    per, wrong = score(compliance_after_2026_12.CASES)
    assert wrong == []


def test_an_official_designation_passes_and_says_why(testbot):
    reply = testbot.ask("检查 王师傅是国家级非物质文化遗产代表性传承人")
    assert "没有发现问题" in reply and "已放行" in reply and "证书" in reply
    reply = testbot.ask("检查 国家级配方，调理身体")
    assert "国家级" in reply and "已放行" not in reply


@pytest.mark.parametrize(
    "text, platform, word",
    [
        ("戳我头像，主页有惊喜", "小红书", "头像"),
        ("蓝色软件上搜店名", "小红书", "蓝色软件"),
        ("无效全额退款", "公众号", "无效全额退款"),
        ("比吃药还管用", "公众号", "比吃药还管用"),
        ("品质全国领先", "公众号", "全国领先"),
        ("转发本条到朋友圈，集满30个赞", "公众号", "集满30个赞"),
    ],
)
def test_issue_examples_are_flagged_in_chat(testbot, text, platform, word):
    reply = testbot.ask(f"检查 {platform} {text}")
    assert "可能的问题" in reply and re.search(f"「[^」]*{word}", reply), reply


@pytest.mark.parametrize(
    "platform, severity",
    [("wechat", None), ("weibo", "low"), ("xiaohongshu", "high"), ("douyin", "high"), (None, "low")],
)
def test_contact_details_depend_on_the_platform(platform, severity):
    profile = platforms.profiles()[platform] if platform else None
    found = [f for f in compliance.check("有事加微信 nuandong2026", profile) if f.category == "diversion"]
    assert [f.severity for f in found][:1] == ([severity] if severity else [])


def test_findings_cite_the_platform_and_speak_chinese():
    (title,) = [
        f
        for f in compliance.check("震惊！\n正文", platforms.profiles()["xiaohongshu"])
        if f.category == "title_party"
    ]
    assert "小红书" in title.reason and "微信" not in title.reason
    texts = compliance.check(
        "全网最好！加微信138-0013-8000，三天瘦10斤" + "好" * 1200, platforms.profiles()["xiaohongshu"]
    )
    for f in texts:
        for words in (f.reason, f.suggestion):
            assert not any("a" <= ch.lower() <= "z" for ch in words.replace("TOP", "")), words


def test_offsets_point_into_the_text_as_given():
    text = "全網最😊好，ＮＯ．１，加 微 138-0013-8000"
    for f in compliance.check(text, platforms.profiles()["douyin"]):
        if f.start is not None:
            assert text[f.start : f.end] == f.text


def test_measure_counts_like_the_platform():
    profile = {"count": {"cjk": 1, "ascii": 0.5, "emoji": 2}}
    assert compliance.measure("热可可ab😊\u200b\u0301", profile) == 3 + 1 + 2


def test_chat_check_knows_the_platform(testbot):
    text = testbot.ask("检查 小红书 团购加微信 nuandong2026")
    assert "站外导流" in text and "「加微」是联系方式，在小红书不允许" in text
    assert "没有发现问题" in testbot.ask("检查 公众号 团购加微信 nuandong2026")
    text = testbot.ask("检查 评论区点赞第一名送热可可，最高立减50元")
    assert "没有发现问题" in text


# What the rules missed on the session-9 sets before each fix (38 lines): the doubt layer names the
# sentence when the rules do not know the claim. Built with these lines in view, so it tells less
# than a fresh set would; the clean cases measure what it costs.
MISSED_BEFORE = [
    *("想要同款的来戳主页置顶", "资料包放在简介的邮箱里了", "加个绿泡泡聊聊细节", "抖音搜不到的去快手找我"),
    *("转发朋友圈并集齐20个赞，截图找客服领奖", "有效率高达98%", "最后3天，错过等一年", "央视推荐品牌"),
    *("医生推荐的护眼茶", "速看！再不看就删了", "需要的宝子看我置顶笔记", "邀请5位好友助力即可免费领取"),
    *("喝了一个月，血糖稳定多了", "一贴见效，告别腰痛", "吃了就能长高", "比医美还有效的护肤方法"),
    *(
        "月入过万不是梦，保证回本",
        "要买的姐妹戳我主页看第一条",
        "想要资料的评论区留邮箱",
        "拉3个新人进群就能领红包",
    ),
    *("小黄鱼上收的二手", "连喝七天，三高全没了", "专治失眠多梦", "调理肠胃，一周见效", "比进口药效果还好"),
    *("绝无仅有的口感",),
    *(
        "重磅！必看！",
        "后悔没早点知道的护肤步骤",
        "不方便说的都在我主页置顶视频里",
        "好友帮忙助力3次即可解锁",
    ),
    *("坚持敷一周，痘印全消了", "改善睡眠质量，一觉到天亮", "增强免疫力，少生病", "喝了以后胃胀气明显缓解"),
    *("孕妇儿童都可以放心吃，没有任何添加", "效果不好全额退款", "顶尖咖啡师团队", "99%的人都用错了的磨豆机"),
]


def test_a_claim_the_rules_do_not_know_is_named_for_a_person_not_passed():
    named = [line for line in MISSED_BEFORE if compliance.doubts(line, [])]
    assert len(MISSED_BEFORE) == 38 and len(named) >= 36, sorted(set(MISSED_BEFORE) - set(named))
    clean = [
        text
        for module in (
            compliance_cases,
            compliance_cases_blind,
            compliance_heldout_2026_12,
            compliance_after_2026_12,
        )
        for _, platform, text, flags, _ in module.CASES
        if not flags
    ]
    noisy = [text for text in clean if compliance.doubts(text, compliance.check(text, None))]
    assert len(noisy) <= len(clean) // 10, noisy  # at most one clean line in ten is named


def test_the_check_says_when_it_is_unsure(testbot):
    reply = testbot.ask("检查 这款茶喝了让人精力充沛，效果看得见")
    assert "没有发现已知的问题" in reply and "请人工再看一眼" in reply and "效果看得见" in reply
    assert "没有发现问题" in testbot.ask("检查 冬天的早上，来一杯热可可是上班族的小仪式。")


def test_a_draft_with_an_unknown_claim_asks_for_a_look(testbot):
    reply = testbot.ask(
        "改写 公众号 这款茶我们卖了三年。喝了让人精力充沛，效果看得见。每盒48元，12月20日前下单包邮。"
    )
    assert "拿不准" in reply and "「喝了让人精力充沛，效果看得见」" in reply
    assert "没有发现广告法或平台规则问题" not in reply
