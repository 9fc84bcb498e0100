"""The content platforms (公众号, 微博, 抖音 …) and their profiles, read from ``data/platforms.json``."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "platforms.json"


@cache
def profiles() -> dict[str, dict]:
    """Every platform profile by key, in the file's order."""
    data = json.loads(DATA.read_text(encoding="utf-8"))
    return {p["key"]: p for p in data["platforms"]}


@cache
def _aliases() -> dict[str, str]:
    table = {}
    for key, p in profiles().items():
        for word in (key, p["name"], *p["aliases"]):
            table[word.lower()] = key
    return table


def lookup(word: str) -> dict | None:
    """The profile a word names (``小红书``, ``xhs``, ``公众号``…), or None."""
    key = _aliases().get(word.strip().lower())
    return profiles()[key] if key else None


def names() -> str:
    """The platforms' Chinese names, for messages: ``公众号、微博、抖音…``."""
    return "、".join(p["name"] for p in profiles().values())


def split_leading(text: str) -> tuple[dict | None, str]:
    """A platform named at the start of ``text`` and the rest (``抖音 每周一 18:00`` → 抖音, ``每周一 18:00``)."""
    stripped = text.strip()
    best = None
    for word, key in _aliases().items():
        boundary = stripped[len(word) : len(word) + 1]
        if word.isascii() and boundary.isascii() and boundary.isalnum():
            continue
        if stripped.lower().startswith(word) and (best is None or len(word) > len(best[0])):
            best = (word, key)
    if best is None:
        return None, text
    return profiles()[best[1]], stripped[len(best[0]) :].strip()
