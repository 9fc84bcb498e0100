"""The 发布时间 cell of a per-post export: its day and its time of day, on generated moments written
the ways exports write them. The oracle is ``strftime`` of the moment itself."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from handlers.metrics.importer import parse_date, published_day_text, time_of_day

pytestmark = pytest.mark.fixed_dates  # every moment is data in the test; no clock is read


def _twelve(moment: datetime, words: tuple[str, str]) -> str:
    hour = moment.hour % 12 or 12
    return f"{words[0] if moment.hour < 12 else words[1]}{hour}:{moment:%M}"


STYLES = {
    "iso": lambda m: m.strftime("%Y-%m-%d %H:%M:%S"),
    "iso-t": lambda m: m.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
    "slash": lambda m: f"{m.year}/{m.month}/{m.day} {m.hour}:{m:%M}",
    "chinese": lambda m: f"{m.year}年{m.month}月{m.day}日 {m:%H:%M}",
    "chinese-tight": lambda m: f"{m.year}年{m.month}月{m.day}日{m:%H:%M}",
    "full-width colon": lambda m: f"{m:%Y-%m-%d} {m.hour}：{m:%M}",
    "上午/下午": lambda m: f"{m:%Y-%m-%d} " + _twelve(m, ("上午", "下午")),
    "AM/PM": lambda m: f"{m:%Y/%m/%d} {m.hour % 12 or 12}:{m:%M} {'AM' if m.hour < 12 else 'PM'}",
}


@pytest.mark.parametrize("style", sorted(STYLES))
def test_generated_moments_are_read_back_exactly(style):
    rng = random.Random(style)
    today = date(2026, 12, 4)
    for _ in range(300):
        moment = datetime(
            rng.choice([2025, 2026]),
            rng.randint(1, 12),
            rng.randint(1, 28),
            rng.randint(0, 23),
            rng.randint(0, 59),
        )
        cell = STYLES[style](moment)
        assert parse_date(published_day_text(cell), today) == moment.date(), cell
        assert time_of_day(cell) == f"{moment:%H:%M}", cell


def test_a_day_without_a_time_has_none_and_a_contradiction_is_not_read():
    assert time_of_day("2026-11-18") is None and time_of_day("2026年11月18日") is None
    assert time_of_day("2026-11-18 上午 8:00 PM") is None  # says morning and evening: not guessed
    assert published_day_text("2026/1/5 20:00") == "2026-1-5"
