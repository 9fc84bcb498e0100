"""Generated sentences with random numbers and units, many no pattern of ours names: no token that holds
a digit may vanish from an adaptation unlisted. The oracle here is a plain digit-run search; it
shares nothing with the fact finder.
"""

from __future__ import annotations

import random
import re

from handlers.drafting import writer
from handlers.drafting.facts import find, squash
from handlers.shared import platforms

UNITS = (
    "英寸",
    "尼特",
    "Hz",
    "mAh",
    "K·14薪",
    "帧",
    "毫安时",
    "瓦",
    "万像素",
    "ppi",
    "nits",
    "W",
    "GB",
    "TB",
    "款",
    "种",
    "层",
    "级",
    "档",
    "秒",
    "公里",
    "吨",
    "℃",
    "倍",
    "年以上",
    "人份",
    "道工序",
    "克",
    "",
)
LEADS = ("新机", "这次", "我们", "第二代", "官方说", "实测", "店里", "团队")
TAILS = ("，现场很热闹。", "，欢迎来体验。", "。", "，详情见下文。", "，大家可以关注一下。")


def _number(rng: random.Random) -> str:
    shape = rng.randrange(6)
    if shape == 0:
        return str(rng.randrange(1, 10))
    if shape == 1:
        return str(rng.randrange(10, 100000))
    if shape == 2:
        return f"{rng.randrange(1, 100)}.{rng.randrange(0, 100)}"
    if shape == 3:
        return f"{rng.randrange(1, 50)}-{rng.randrange(50, 200)}"
    if shape == 4:
        return f"v{rng.randrange(1, 9)}.{rng.randrange(0, 9)}.{rng.randrange(0, 20)}"
    return f"X{rng.randrange(10, 999)}"


def _sentence(rng: random.Random) -> str:
    return f"{rng.choice(LEADS)}{_number(rng)}{rng.choice(UNITS)}{rng.choice(TAILS)}"


def _digit_runs(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\d+", text)]


def test_every_digit_in_generated_text_belongs_to_a_fact():
    rng = random.Random(22)
    for _ in range(300):
        text = "".join(_sentence(rng) for _ in range(rng.randrange(1, 6)))
        # a fact is listed once; each place its text occurs is covered by it
        covered = [(m.start(), m.end()) for f in find(text) for m in re.finditer(re.escape(f.text), text)]
        for start, end in _digit_runs(text):
            assert any(a <= start and end <= b for a, b in covered), (text, text[start:end])


def test_no_digit_vanishes_from_an_adaptation_unlisted():
    rng = random.Random(2212)
    targets = [platforms.lookup(p) for p in ("微博", "小红书", "抖音", "公众号")]
    for _ in range(40):
        article = "标题：新品发布\n\n" + "\n\n".join(
            "".join(_sentence(rng) for _ in range(rng.randrange(2, 5))) for _ in range(rng.randrange(2, 6))
        )
        task = writer.from_text(article)
        for profile in targets:
            assert profile is not None
            version = writer.offline(task, profile)
            have = squash(version.full_text())
            listed = squash("|".join(f.text for f in version.dropped_facts))
            for start, end in _digit_runs(article):
                digits = article[start:end]
                assert re.search(rf"(?<!\d){digits}(?!\d)", have) or re.search(
                    rf"(?<!\d){digits}(?!\d)", listed
                ), (profile["key"], digits, version.body[:200])
