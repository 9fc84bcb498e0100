"""Numbers are whole tokens, checked on generated copy: 「第12次」 is not 「第1」, 「100%」 inside a
measured range is not an absolute claim. The oracle is the text itself: a finding that begins or ends
inside a run of digits cut something a reader sees as one number.
"""

from __future__ import annotations

import random
import re

import pytest

from handlers.drafting import compliance
from handlers.shared import platforms

pytestmark = pytest.mark.date_free

PREFIXES = ("这是我们", "本店", "活动进行到", "", "我们的", "今年", "据统计，", "恭喜获得")
UNITS = ("次", "届", "名", "期", "位", "天", "场", "个", "家", "款", "年", "周", "章", "集", "站")
SUFFIXES = ("。", "，欢迎参加", "的朋友看这里", "！", "，谢谢大家")
PLATFORMS = (None, "wechat", "weibo", "xiaohongshu", "douyin")


def _cuts_a_number(text: str, start: int, end: int) -> bool:
    inside = lambda i: 0 < i < len(text) and text[i - 1].isdigit() and text[i].isdigit()  # noqa: E731
    return inside(start) or inside(end)


def test_no_finding_cuts_a_number_in_generated_copy():
    rng = random.Random(22)
    cut = []
    for _ in range(3000):
        n = rng.choice([rng.randint(10, 99), rng.randint(100, 9999), rng.choice([12, 100, 1000, 11, 19])])
        text = f"{rng.choice(PREFIXES)}第{n}{rng.choice(UNITS)}{rng.choice(SUFFIXES)}"
        if rng.random() < 0.5:
            text += f"满意度{rng.randint(10, 99)}.{rng.randint(0, 9)}%，复购率{rng.randint(1, 99)}%。"
        key = rng.choice(PLATFORMS)
        for f in compliance.check(text, platforms.profiles()[key] if key else None):
            if f.start is not None and _cuts_a_number(text, f.start, f.end):
                cut.append((text, f.text, f.category))
    assert cut == []


def test_ordinals_other_than_one_are_never_a_ranking():
    rng = random.Random(2212)
    flagged = []
    for _ in range(2000):
        n = rng.randint(2, 999)
        text = f"{rng.choice(PREFIXES)}第{n}{rng.choice(UNITS)}{rng.choice(SUFFIXES)}"
        for f in compliance.check(text, None):
            if (
                f.category in ("ranking", "first_authority", "superlative")
                and str(n) in text[f.start or 0 : f.end or 0] + f.text
            ):
                flagged.append((text, f.text))
    assert flagged == []


@pytest.mark.parametrize("text", ["销量第1", "全网第一", "全国销量第一名", "排名第一的品牌", "NO.1", "TOP1"])
def test_a_first_place_claim_is_still_flagged(text):
    assert any(f.category in ("ranking", "first_authority") for f in compliance.check(text, None)), text


def test_a_measured_range_ending_at_100_percent_is_not_absolute():
    rng = random.Random(7)
    for _ in range(300):
        a = rng.randint(0, 60)
        minutes = rng.randint(10, 90)
        verb = rng.choice(("充到", "到", "升到", "提升到"))
        text = f"{rng.choice(('电量', '进度', '', '电池'))}从{a}%{verb}100%只需要{minutes}分钟"
        found = [f for f in compliance.check(text, None) if re.search(r"100%", f.text)]
        assert found == [], (text, [(f.text, f.category) for f in found])
