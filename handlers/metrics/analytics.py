"""Numbers from stored metrics: daily increments, trailing statistics, period totals, feasibility of targets."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from handlers.shared.vocab import metrics
from storage import metrics as store
from storage.metrics import Target

SPARK = "▁▂▃▄▅▆▇█"
MIN_HISTORY_DAYS = 14


def is_level(metric: str) -> bool:
    return metrics()[metric]["kind"] == "level"


JUMP = 10  # a number more than 10× (or at most a tenth of) the one it is compared with is asked about


def jump(value: int, before: int) -> str | None:
    """The one rule for "this number looks mistyped" (a digit too many or too few), used when a
    number is recorded in chat and when a file is imported: ``"up"`` when ``value`` is more than
    :data:`JUMP` times ``before``, ``"down"`` when it is at most a :data:`JUMP`-th, else None.
    Nothing is compared with a zero or a missing number."""
    if not before or before < 0:
        return None
    if value > before * JUMP:
        return "up"
    if value * JUMP <= before:
        return "down"
    return None


def daily_increments(db, account_id: int, metric: str, start: date, end: date) -> dict[date, int]:
    """What a metric added each day in [start, end].

    For a level (followers) it is the change from the day before; where the level is missing,
    new followers minus unfollows stand in. For a flow (reads) it is the day's value.
    """
    if not is_level(metric):
        return store.series(db, account_id, metric, start, end)
    levels = store.series(db, account_id, metric, start - timedelta(days=1), end)
    out: dict[date, int] = {}
    if metric == "followers":
        new = store.series(db, account_id, "new_followers", start, end)
        lost = store.series(db, account_id, "unfollows", start, end)
        net = store.series(db, account_id, "net_followers", start, end)
    else:
        new = lost = net = {}
    d = start
    while d <= end:
        prev = d - timedelta(days=1)
        if d in levels and prev in levels:
            out[d] = levels[d] - levels[prev]
        elif d in net:
            out[d] = net[d]
        elif d in new:
            out[d] = new[d] - lost.get(d, 0)
        d += timedelta(days=1)
    return out


@dataclass
class Trailing:
    days: int  # days with a value
    median: float
    p75: float
    best: int
    mean30: float | None  # average per day over the last 30 days


def trailing(db, account_id: int, metric: str, today: date, window: int = 180) -> Trailing | None:
    """Statistics of daily increments over the trailing window (the account's own benchmark)."""
    start = today - timedelta(days=window)
    inc = daily_increments(db, account_id, metric, start, today - timedelta(days=1))
    if not inc:
        return None
    values = sorted(inc.values())
    recent = [v for d, v in inc.items() if d >= today - timedelta(days=30)]
    return Trailing(
        days=len(values),
        median=statistics.median(values),
        p75=percentile(values, 75),
        best=values[-1],
        mean30=(sum(recent) / len(recent)) if recent else None,
    )


def percentile(sorted_values: list[int], pct: float) -> float:
    """Linear-interpolated percentile of an already sorted list."""
    if len(sorted_values) == 1:
        return float(sorted_values[0])
    k = (len(sorted_values) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def current_value(db, account_id: int, metric: str, mode: str, start_day: date, today: date) -> int | None:
    """Where a target's metric stands: the latest level, or the total since the target's start."""
    if mode == "total":
        return sum(store.series(db, account_id, metric, start_day, today).values())
    found = store.latest(db, account_id, metric, on_or_before=today)
    return found[1] if found else None


@dataclass
class Feasibility:
    verdict: str  # done | realistic | stretch | hard | unrealistic | no_history | overdue
    current: int | None
    goal: int
    remaining: int
    days_left: int
    required: float | None  # per day
    stats: Trailing | None
    projection: float | None

    @property
    def label(self) -> str:
        return {
            "done": "已达成",
            "realistic": "现实",
            "stretch": "有挑战",
            "hard": "很难",
            "unrealistic": "不现实",
            "no_history": "历史数据不足",
            "overdue": "已过截止日",
        }[self.verdict]


def feasibility(db, target: Target, today: date) -> Feasibility:
    """Judge a target against the account's own history (see ``shared/domain.md``)."""
    metric, mode = target.metric, target.mode
    start = target.start_day
    deadline = target.deadline
    goal = target.target if mode != "growth" else target.base + target.target
    current = current_value(db, target.account_id, metric, mode, start, today)
    days_left = (deadline - today).days
    stats = trailing(db, target.account_id, metric, today)
    have = current if current is not None else 0
    remaining = goal - have
    projection = None
    if stats and stats.mean30 is not None and days_left > 0:
        projection = have + stats.mean30 * days_left
    if remaining <= 0:
        return Feasibility("done", current, goal, remaining, days_left, 0, stats, projection)
    if days_left <= 0:
        return Feasibility("overdue", current, goal, remaining, days_left, None, stats, projection)
    required = remaining / days_left
    if current is None or stats is None or stats.days < MIN_HISTORY_DAYS:
        return Feasibility("no_history", current, goal, remaining, days_left, required, stats, projection)
    if required <= stats.p75:
        verdict = "realistic"
    elif required <= stats.best:
        verdict = "stretch"
    elif required <= 1.5 * stats.best:
        verdict = "hard"
    else:
        verdict = "unrealistic"
    return Feasibility(verdict, current, goal, remaining, days_left, required, stats, projection)


def sparkline(values: Sequence[int | None]) -> str:
    """``▁▃▅▇`` for a list of numbers (gaps as spaces)."""
    real = [v for v in values if v is not None]
    if not real:
        return ""
    lo, hi = min(real), max(real)
    span = hi - lo or 1
    return "".join(" " if v is None else SPARK[int((v - lo) / span * (len(SPARK) - 1))] for v in values)


def period_total(db, account_id: int, metric: str, start: date, end: date) -> int | None:
    """A flow's sum over [start, end], or a level's change over it; None without data."""
    if is_level(metric):
        inc = daily_increments(db, account_id, metric, start, end)
        return sum(inc.values()) if inc else None
    values = store.series(db, account_id, metric, start, end)
    return sum(values.values()) if values else None


def change_text(now: int | None, before: int | None, show) -> str:
    """``+1,200（+12.5%）`` between two numbers, in the metric's display."""
    if now is None or before is None:
        return "—"
    diff = now - before
    sign = "+" if diff >= 0 else "-"
    pct = f"（{sign}{abs(diff) / abs(before) * 100:.1f}%）" if before else ""
    return f"{sign}{show(abs(diff))}{pct}"


YIELD_DAYS = 90  # the window a per-post yield is read over
MIN_YIELD_POSTS = 8  # posts in that window before a yield is stated


@dataclass
class PostYield:
    """What one post brought, on average, over the last :data:`YIELD_DAYS` days: the metric's gain
    in that window over the posts published in it. A rough reading (followers also grow without
    posts), stated with its sample."""

    posts: int
    gain: int
    per_post: float
    per_week: float  # posts a week, at the window's pace
    slots_per_week: int  # publishing slots a week set for the platform


def post_yield(db, target: Target, today: date) -> PostYield | None:
    """The target's account: posts and gain over the last 90 days; None when there are too few posts
    or no gain to read."""
    from storage import posts as posts_store
    from storage import slots as slots_store

    start = today - timedelta(days=YIELD_DAYS - 1)
    count = len(posts_store.published_between(db, target.account_id, start, today))
    gain = period_total(db, target.account_id, target.metric, start, today)
    if count < MIN_YIELD_POSTS or gain is None:
        return None
    slots = sum(
        len(s["days"])
        for s in slots_store.list_for_team(db, target.team_id)
        if s["platform"] == target.platform
    )
    return PostYield(count, gain, gain / count, count / (YIELD_DAYS / 7), slots)
