"""The compliance check against the held-out sets (tests/data/compliance_cases*.py), per platform.

Issue 16's bar: at least 97 % of the assertions right on each platform of the first set; the
second set (written after the rules changed) must stay at 95 % overall.
"""

from __future__ import annotations

import collections

import pytest

from handlers.drafting import compliance
from handlers.shared import platforms
from tests.data import compliance_cases, compliance_cases_blind


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
    assert "站外导流" in testbot.ask("检查 小红书 团购加微信 nuandong2026") or "联系方式" in testbot.ask(
        "检查 小红书 团购加微信 nuandong2026"
    )
    assert "没有发现问题" in testbot.ask("检查 公众号 团购加微信 nuandong2026")
    text = testbot.ask("检查 评论区点赞第一名送热可可，最高立减50元")
    assert "没有发现问题" in text
