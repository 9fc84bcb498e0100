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
