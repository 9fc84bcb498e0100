"""复盘's patterns on generated seasons with planted effects: it finds what was planted, and in data
without effects it states nothing (at most the stated family-wise rate, checked over many seasons).

The generator is the oracle: it knows which effect it planted and shares no code with the review.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from handlers.shared import results

pytestmark = pytest.mark.fixed_dates  # every moment is data in the test; no clock is read

QUESTIONS = ["冬天喝什么最暖？", "为什么大家都在排这家店", "手冲咖啡怎么选豆子？", "第二杯半价值不值？"]
LISTS = ["5个冬日饮品推荐", "3种喝法合集", "门店新品清单", "7款杯子盘点"]
PLAIN = ["热可可上新了", "我们的圣诞周末", "今天的拉花", "店长的一天", "新店开业啦"]
HOURS = [8, 12, 18, 20, 22]


def season(seed: int, n: int = 150, *, hour_effect: float = 1.0, question_effect: float = 1.0) -> list[dict]:
    rng = random.Random(seed)
    start = date(2026, 6, 1)
    posts = []
    for i in range(n):
        kind = rng.choice(["q", "l", "p"])
        title = rng.choice({"q": QUESTIONS, "l": LISTS, "p": PLAIN}[kind])
        hour = rng.choice(HOURS)
        plays = 3000 * rng.lognormvariate(0, 0.6)
        if hour == 20:
            plays *= hour_effect
        if kind == "q":
            plays *= question_effect
        posts.append(
            {
                "id": i + 1,
                "title": title,
                "published_at": (start + timedelta(days=rng.randrange(180))).isoformat(),
                "published_time": f"{hour:02d}:{rng.randrange(60):02d}",
                "metrics": {"plays": round(plays), "likes": round(plays / 30)},
            }
        )
    return posts


def test_a_planted_hour_effect_is_found_and_named_with_its_sample_sizes():
    found, tests = results.findings(season(1, hour_effect=2.0), "plays")
    hour = [f for f in found if f.feature == "hour"]
    assert hour and hour[0].label == "20 点发的" and hour[0].ratio > 1.3
    assert hour[0].n_with + hour[0].n_without == 150 and tests > 5
    best = results.best_hour(season(1, hour_effect=2.0), "plays")
    assert (
        best is not None and best[0] == "20" and best[2] > 1.2 and min(best[3], best[4]) >= results.MIN_GROUP
    )


def test_a_planted_title_effect_is_found():
    found, _ = results.findings(season(2, question_effect=1.8), "plays")
    assert any(f.label == "问句标题" and f.ratio > 1.3 for f in found)
    assert not any(f.feature == "hour" for f in found)  # nothing planted there


@pytest.mark.parametrize("planted", [{"hour_effect": 2.0}, {"question_effect": 1.8}])
def test_planted_effects_are_found_in_most_seasons(planted):
    hits = sum(1 for seed in range(40) if results.findings(season(100 + seed, **planted), "plays")[0])
    assert hits >= 36  # power at 150 posts: at least 90 %


def test_seasons_without_effects_state_no_pattern():
    """300 seasons with nothing planted: any stated pattern is a false one. The review promises a
    family-wise rate of at most 1 %; allow 3 % for the sampling of 300 seasons."""
    false = [seed for seed in range(300) if results.findings(season(1000 + seed), "plays")[0]]
    assert len(false) <= 9, false
    assert not results.findings(season(7), "plays")[0]
    assert results.best_hour(season(7), "plays") is None


def test_too_few_posts_say_nothing():
    found, tests = results.findings(season(3, n=results.MIN_POSTS - 1, hour_effect=5.0), "plays")
    assert found == [] and tests == 0


def test_ranking_is_against_the_accounts_own_median():
    posts = season(4, n=30)
    rows, median = results.ranked(posts[:10], "plays", posts)
    assert median == sorted(p["metrics"]["plays"] for p in posts)[14:16][0] or median is not None
    assert [r[1] for r in rows] == sorted((r[1] for r in rows), reverse=True)
    assert rows[0][1] == pytest.approx(max(p["metrics"]["plays"] for p in posts[:10]) / median)


def test_hours_compare_among_the_posts_that_carry_a_time():
    """Half the posts without a time (typed in the chat, or an export without times): the planted
    hour effect is still found, among the timed half only, and the other features use all."""
    posts = season(1, n=300, hour_effect=2.0)
    for p in posts[::2]:
        p["published_time"] = None
    found, _ = results.findings(posts, "plays")
    hour = [f for f in found if f.feature == "hour"]
    assert hour and hour[0].label == "20 点发的" and hour[0].n_with + hour[0].n_without == 150
