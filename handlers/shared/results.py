"""复盘 without inventing patterns: posts ranked against their account's own median, and what the
better ones share, tested before it is said.

Each post gets features (hour and weekday of publishing, title shape, title length). For every
feature value with at least :data:`MIN_GROUP` posts on each side, the posts with it are compared
with the rest by a rank test (Mann–Whitney U, normal approximation with ties). A pattern is stated
only when its p-value clears :data:`FAMILY_ALPHA` divided by the number of comparisons made
(Bonferroni: in data without any effect, the chance of stating *any* pattern is at most
:data:`FAMILY_ALPHA`) and the medians differ by at least :data:`MIN_RATIO`. Every statement carries
its sample sizes. Pure: no storage, no clock.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass
from datetime import date

MIN_GROUP = 5  # posts on each side of a comparison
MIN_POSTS = 12  # posts of one account before patterns are looked for
FAMILY_ALPHA = 0.01
MIN_RATIO = 1.25
METRIC_ORDER = ("plays", "reads", "impressions", "likes")
WEEKDAYS = "一二三四五六日"

_QUESTION = re.compile(r"[?？]|吗|呢|为什么|为啥|怎么|如何|什么|哪|几个|是不是|能不能|会不会")
_LIST = re.compile(r"\d+\s*[个种条招款步件大点家]|合集|清单|盘点|攻略|指南|TOP\s*\d", re.IGNORECASE)
_NUMBER = re.compile(r"\d")
_EXCLAIM = re.compile(r"[!！]")


@dataclass(frozen=True)
class Finding:
    feature: str  # hour | weekday | title | length
    label: str  # in Chinese: 「20 点发的」「问句标题」
    ratio: float  # median with / median without
    n_with: int
    n_without: int
    median_with: float
    median_without: float
    p: float


def main_metric(posts: list[dict]) -> str | None:
    """The reach metric most of these posts carry (plays, reads, impressions, likes — in that order)."""
    for key in METRIC_ORDER:
        if posts and sum(1 for p in posts if key in p["metrics"]) >= 0.8 * len(posts):
            return key
    return None


def title_shapes(title: str) -> set[str]:
    shapes = set()
    if _QUESTION.search(title):
        shapes.add("问句标题")
    if _LIST.search(title):
        shapes.add("清单式标题")
    elif _NUMBER.search(title):
        shapes.add("带数字的标题")
    if _EXCLAIM.search(title):
        shapes.add("感叹号标题")
    return shapes


def features(post: dict) -> dict[str, set[str]]:
    """A post's features: feature → the labels it has (possibly none)."""
    out: dict[str, set[str]] = {"title": title_shapes(post["title"])}
    day = date.fromisoformat(post["published_at"][:10])
    out["weekday"] = {f"周{WEEKDAYS[day.weekday()]}发的"}
    if post.get("published_time"):
        out["hour"] = {f"{int(post['published_time'][:2])} 点发的"}
    length = len(re.sub(r"\s", "", post["title"]))
    out["length"] = {"短标题（15 字以内）"} if length <= 15 else set()  # one side of a two-way split
    return out


def findings(posts: list[dict], metric: str) -> tuple[list[Finding], int]:
    """The stated patterns (strongest first) and how many comparisons were made to find them."""
    rows = [p for p in posts if metric in p["metrics"]]
    if len(rows) < MIN_POSTS:
        return [], 0
    feats = [features(p) for p in rows]
    tests: list[Finding] = []
    # Hours compare among the posts that carry a time (an export without times, or results typed
    # in the chat, says nothing about hours); every other feature among all of them.
    timed = [i for i, f in enumerate(feats) if "hour" in f]
    for population, kinds in ((list(range(len(rows))), None), (timed, "hour")):
        if len(population) < MIN_POSTS:
            continue
        values = [float(rows[i]["metrics"][metric]) for i in population]
        ranks, tie_term = _ranks(values)
        groups: dict[tuple[str, str], list[int]] = {}
        for j, i in enumerate(population):
            for feature, labels in feats[i].items():
                if (feature == "hour") == (kinds == "hour"):
                    for label in labels:
                        groups.setdefault((feature, label), []).append(j)
        n = len(population)
        for (feature, label), members in sorted(groups.items()):
            n1, n2 = len(members), n - len(members)
            if n1 < MIN_GROUP or n2 < MIN_GROUP:
                continue
            inside = set(members)
            p = _mann_whitney_p(sum(ranks[j] for j in members), n1, n2, tie_term)
            med_in = statistics.median(values[j] for j in members)
            med_out = statistics.median(values[j] for j in range(n) if j not in inside)
            tests.append(Finding(feature, label, _ratio(med_in, med_out), n1, n2, med_in, med_out, p))
    cut = FAMILY_ALPHA / max(len(tests), 1)
    stated = [t for t in tests if t.p < cut and (t.ratio >= MIN_RATIO or t.ratio <= 1 / MIN_RATIO)]
    return sorted(stated, key=lambda t: t.p), len(tests)


def ranked(
    posts: list[dict], metric: str, baseline: list[dict]
) -> tuple[list[tuple[dict, float]], float | None]:
    """``posts`` with their value over the account's own median (taken over ``baseline``), best first."""
    base = [float(p["metrics"][metric]) for p in baseline if metric in p["metrics"]]
    if not base:
        return [], None
    median = statistics.median(base)
    rows = [(p, _ratio(float(p["metrics"][metric]), median)) for p in posts if metric in p["metrics"]]
    return sorted(rows, key=lambda r: -r[1]), median


def best_hour(posts: list[dict], metric: str) -> tuple[str, str, float, int, int] | None:
    """(best hour, most used other hour, ratio of medians, n best, n other) — only when the best hour
    is itself a stated pattern (see :func:`findings`), never from a handful of posts."""
    stated, _ = findings(posts, metric)
    best = next((f for f in stated if f.feature == "hour" and f.ratio > 1), None)
    if best is None:
        return None
    hour = best.label.split()[0]
    by_hour: dict[str, list[float]] = {}
    for p in posts:
        if metric in p["metrics"] and p.get("published_time"):
            by_hour.setdefault(str(int(p["published_time"][:2])), []).append(float(p["metrics"][metric]))
    others = sorted(((len(v), h) for h, v in by_hour.items() if h != hour), reverse=True)
    if not others or others[0][0] < MIN_GROUP:
        return None
    other = others[0][1]
    ratio = _ratio(statistics.median(by_hour[hour]), statistics.median(by_hour[other]))
    if ratio <= 1:  # better than the rest together, not than the most used hour: no advice
        return None
    return hour, other, ratio, len(by_hour[hour]), len(by_hour[other])


def _ratio(a: float, b: float) -> float:
    if b <= 0:
        return math.inf if a > 0 else 1.0
    return a / b


def _ranks(values: list[float]) -> tuple[list[float], float]:
    """Average ranks (1-based) and the tie term Σ(t³ − t)."""
    order = sorted(range(len(values)), key=values.__getitem__)
    ranks = [0.0] * len(values)
    tie_term = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            ranks[order[k]] = (i + j) / 2 + 1
        t = j - i + 1
        tie_term += t**3 - t
        i = j + 1
    return ranks, tie_term


def _mann_whitney_p(rank_sum: float, n1: int, n2: int, tie_term: float) -> float:
    """Two-sided p of the U test from the first group's rank sum (normal approximation, ties, continuity)."""
    n = n1 + n2
    u = rank_sum - n1 * (n1 + 1) / 2
    mean = n1 * n2 / 2
    var = n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1)))
    if var <= 0:
        return 1.0
    z = (abs(u - mean) - 0.5) / math.sqrt(var)
    return min(1.0, math.erfc(max(z, 0.0) / math.sqrt(2)))


def relative_scores(posts: list[dict]) -> dict[int, float]:
    """Each post's reach over its own account's median (its account's main metric), so that posts of
    different platforms and sizes compare: post id → ratio. Accounts without a reach metric are left out."""
    by_account: dict[int, list[dict]] = {}
    for p in posts:
        by_account.setdefault(p["account_id"], []).append(p)
    out: dict[int, float] = {}
    for rows in by_account.values():
        metric = main_metric(rows)
        if metric is None:
            continue
        ranked_rows, _median = ranked(rows, metric, rows)
        out.update({p["id"]: r for p, r in ranked_rows})
    return out


def standing_out(groups: dict[str, list[float]]) -> set[str]:
    """The groups (say, headline templates) whose values differ from all the others' by the same
    rank test and family-wise correction as :func:`findings`; groups under MIN_GROUP are not tested."""
    labels = [g for g, v in groups.items() for _ in v]
    values = [x for v in groups.values() for x in v]
    if len(values) < MIN_POSTS:
        return set()
    ranks, tie_term = _ranks(values)
    n = len(values)
    tested = {}
    for g, v in groups.items():
        n1 = len(v)
        if n1 < MIN_GROUP or n - n1 < MIN_GROUP:
            continue
        tested[g] = _mann_whitney_p(
            sum(r for r, lab in zip(ranks, labels, strict=True) if lab == g), n1, n - n1, tie_term
        )
    cut = FAMILY_ALPHA / max(len(tested), 1)
    return {g for g, p in tested.items() if p < cut}


def subject(finding: Finding) -> str:
    """The posts a finding speaks of, as a Chinese noun phrase: 「20 点发的作品」「问句标题的作品」."""
    return finding.label + ("作品" if finding.label.endswith("的") else "的作品")
