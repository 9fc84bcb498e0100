"""The metric vocabulary (``data/metrics.json``) and how values are written and shown."""

from __future__ import annotations

import difflib
import json
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "metrics.json"


# The order metrics are shown in lookups and reports.
MAIN_METRICS = (
    "followers",
    "reads",
    "plays",
    "likes",
    "comments",
    "shares",
    "favorites",
    "wows",
    "new_followers",
    "unfollows",
    "net_followers",
    "delivered",
    "impressions",
    "sales",
    "orders",
    "completion_rate",
)
ENGAGEMENT = ("likes", "comments", "shares", "favorites", "wows")


@cache
def metrics() -> dict[str, dict]:
    """Every metric by key."""
    return {m["key"]: m for m in json.loads(DATA.read_text(encoding="utf-8"))["metrics"]}


@cache
def _aliases() -> dict[str, str]:
    table = {}
    for key, m in metrics().items():
        for word in (key, m["name"], *m["aliases"]):
            table[word.lower()] = key
    return table


def metric_key(word: str) -> str | None:
    """The metric a word names (``播放量`` → ``plays``), or None."""
    return _aliases().get(word.strip().lower())


def suggest_metric(word: str) -> list[str]:
    """Metric names close to an unknown word."""
    names = list(_aliases())
    close = difflib.get_close_matches(word.lower(), names, n=3, cutoff=0.4)
    return list(dict.fromkeys(metrics()[_aliases()[c]]["name"] for c in close))


def require_metric(word: str, example: str) -> str:
    """The metric a word names, or a UsageError that suggests close names."""
    from bot.errors import UsageError

    key = metric_key(word)
    if key is None:
        hint = suggest_metric(word)
        raise UsageError(
            f"不认识的指标「{word}」" + (f"，是不是「{'」「'.join(hint)}」？" if hint else "。"),
            example=example,
        )
    return key


def aliases_sorted() -> list[str]:
    """Every metric word, longest first (for scanning text)."""
    return sorted(_aliases(), key=len, reverse=True)


def to_stored(key: str, value: Decimal) -> int:
    """A parsed value in the metric's stored unit: counts as integers, money in fen, rates in basis points."""
    unit = metrics()[key]["unit"]
    scale = {"count": 1, "fen": 100, "bp": 100}[unit]
    return int((value * scale).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def show(key: str, stored: int | float | None) -> str:
    """A stored value for people: ``12,034``、``1.2万``、``¥3,200.50``、``3.25%``."""
    if stored is None:
        return "—"
    unit = metrics()[key]["unit"]
    if unit == "fen":
        return f"¥{Decimal(int(stored)) / 100:,.2f}"
    if unit == "bp":
        return f"{Decimal(int(stored)) / 100:.2f}%"
    return big(stored)


def big(n: int | float) -> str:
    """``12034`` → ``12,034``; ``125000`` → ``12.5万``; ``310000000`` → ``3.1亿``."""
    n = int(round(n))
    if abs(n) >= 100_000_000:
        return f"{n / 100_000_000:.2f}".rstrip("0").rstrip(".") + "亿"
    if abs(n) >= 100_000:
        return f"{n / 10_000:.1f}".rstrip("0").rstrip(".") + "万"
    return f"{n:,}"
