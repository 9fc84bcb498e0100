"""Tying exported posts to drafts, on generated imports whose truth is known by construction: a
tie is never wrong, a post whose title and day agree is tied, and a doubtful one is asked about."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from handlers.shared.matching import match, norm_link

pytestmark = pytest.mark.fixed_dates  # every moment is data in the test; no clock is read

WORDS = "热可可 拿铁 姜饼 圣诞 周末 门店 新品 上新 手冲 豆子 冬天 第一杯 半价 打卡 爵士 夜晚 早八 美式 清单 攻略".split()
PUNCT = ["", "！", "？", "…", "~", " "]


def _title(rng) -> str:
    return "".join(rng.sample(WORDS, rng.randint(3, 5)))


def _scenario(seed: int):
    rng = random.Random(seed)
    start = date(2026, 9, 1)
    drafts, posts, truth, kinds = [], [], {}, {}
    for i in range(40):
        day = start + timedelta(days=rng.randrange(60))
        title = _title(rng)
        link = f"https://www.douyin.com/video/{seed}{i}" if rng.random() < 0.3 else None
        drafts.append({"id": i + 1, "number": i + 1, "title": title, "link": link, "days": [day]})
        kind = rng.choice(["same", "dressed", "link", "shifted", "retitled", "missing"])
        if kind == "missing":
            continue
        post_title, post_day, post_link = title, day, None
        if kind == "dressed":  # the export adds punctuation or spacing: the same title
            post_title = f"{rng.choice(PUNCT)}{title}{rng.choice(PUNCT)}"
        elif kind == "link" and link:
            post_title, post_link = _title(rng), f"{link}?share_token=x{i}"
        elif kind == "link":
            kind = "same"
        elif kind == "shifted":
            post_day = day + timedelta(days=rng.choice([-2, -1, 1, 2]))
        elif kind == "retitled":
            post_title = title + rng.choice(["（完整版）", "｜附攻略", "第二弹"])
        pid = 100 + i
        posts.append({"id": pid, "title": post_title, "day": post_day, "link": post_link})
        truth[pid], kinds[pid] = i + 1, kind
    for j in range(15):  # posts no draft made
        posts.append(
            {
                "id": 500 + j,
                "title": _title(rng),
                "day": start + timedelta(days=rng.randrange(60)),
                "link": None,
            }
        )
    return drafts, posts, truth, kinds


@pytest.mark.parametrize("seed", range(30))
def test_generated_imports_are_never_tied_wrongly_and_the_clear_ones_are_tied(seed):
    drafts, posts, truth, kinds = _scenario(seed)
    found = match(posts, drafts)
    tied = {post: draft for post, draft, _how in found.sure}
    asked = {post for post, _options in found.doubtful}
    assert all(truth.get(post) == draft for post, draft in tied.items()), "a wrong tie"
    titles = {}
    for d in drafts:  # two drafts with one title on one day cannot be told apart: asked, not tied
        titles.setdefault((d["title"], d["days"][0]), []).append(d["id"])
    for post, kind in kinds.items():
        twin = len(titles[(drafts[truth[post] - 1]["title"], drafts[truth[post] - 1]["days"][0])]) > 1
        if kind in ("same", "dressed", "link") and not twin:
            assert post in tied, (kind, post)
        elif kind in ("shifted", "retitled"):
            assert post not in tied and post in asked, (kind, post)
    assert not any(p >= 500 and p in tied for p in tied)


def test_two_posts_on_one_draft_are_both_asked_about():
    d = [{"id": 1, "number": 1, "title": "热可可上新", "link": None, "days": [date(2026, 11, 1)]}]
    p = [
        {"id": 10, "title": "热可可上新", "day": date(2026, 11, 1), "link": None},
        {"id": 11, "title": "热可可上新！", "day": date(2026, 11, 1), "link": None},
    ]
    found = match(p, d)
    assert found.sure == [] and [q for q, _ in found.doubtful] == [10, 11]


def test_a_draft_already_tied_is_not_offered_again():
    d = [{"id": 1, "number": 1, "title": "热可可上新", "link": None, "days": [date(2026, 11, 1)]}]
    p = [{"id": 10, "title": "热可可上新", "day": date(2026, 11, 1), "link": None}]
    assert match(p, d, taken={1}).sure == [] and match(p, d, taken={1}).doubtful == []


def test_links_compare_without_share_tags_but_keep_what_names_a_wechat_article():
    assert norm_link("https://www.douyin.com/video/73/?share=1#x") == norm_link("http://douyin.com/video/73")
    a = "https://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=1&sn=abc&chksm=zz&scene=21"
    b = "https://mp.weixin.qq.com/s?__biz=MzA&mid=1&idx=2&sn=def"
    assert norm_link(a) != norm_link(b) and norm_link(a) == norm_link(a.replace("scene=21", "scene=0"))
