"""The headline template library: templates with slots, filled from a brief, fitted to a platform and checked."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from handlers.drafting import compliance
from handlers.drafting.slots import fill

DATA = Path(__file__).parent / "data" / "title_templates.json"
GENERIC = {
    "key": "generic",
    "name": "通用",
    "title": {"max": 30},
    "count": {"cjk": 1, "ascii": 1, "emoji": 1},
}
SLOTS = ("品牌", "产品", "数字", "人群", "场景", "痛点", "话题", "时间", "结果", "卖点")


@cache
def library() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def all_templates(team_templates: list[dict] | None = None, disabled: set[str] | None = None) -> list[dict]:
    disabled = disabled or set()
    items = [t for t in library()["templates"] if t["key"] not in disabled]
    return items + [t for t in (team_templates or []) if t["key"] not in disabled]


def fits(title: str, profile: dict) -> bool:
    limits = profile.get("title") or {}
    n = compliance.measure(title, profile)
    return n <= limits.get("max", 30) and n >= limits.get("min", 0)


def clean(title: str) -> bool:
    """No medium or high compliance finding in the title."""
    found = compliance.check_terms(title) + compliance.check_title(title)
    return not any(f.severity in ("high", "medium") for f in found)


def suggest(
    brief,
    profile: dict,
    *,
    count: int = 5,
    team_templates: list[dict] | None = None,
    disabled: set[str] | None = None,
    seed_value: int = 0,
    strict: bool = False,
) -> list[dict]:
    """Up to ``count`` titles ``{"key", "family", "title"}`` that fit ``profile`` and pass the check.

    Families are spread out (one from each before a second from any), and the starting point
    turns with ``seed_value`` so different briefs lead with different templates. ``strict`` (for
    drafts): only the brief's own words fill slots, no neutral defaults, no template that claims
    what the brief did not say.
    """
    values = {k: v for k, v in brief.slots().items() if v}
    values.setdefault("话题", brief.topic)
    if not strict:
        for slot, options in library()["defaults"].items():
            values.setdefault(slot, options[seed_value % len(options)])
    candidates = all_templates(team_templates, disabled)
    if strict:
        candidates = [
            t
            for t in candidates
            if not t.get("claim")
            and (not t.get("needs_word") or any(w in brief.topic for w in t["needs_word"]))
        ]
    if not candidates:
        return []
    start = seed_value % len(candidates)
    ordered = candidates[start:] + candidates[:start]
    out: list[dict] = []
    families: list[str] = []
    for pass_ in range(2):
        for t in ordered:
            if len(out) >= count:
                return out
            if any(o["key"] == t["key"] for o in out):
                continue
            if pass_ == 0 and t["family"] in families:
                continue
            title = fill(t["pattern"], values)
            if title and fits(title, profile) and clean(title):
                out.append({"key": t["key"], "family": t["family"], "title": title})
                families.append(t["family"])
    return out
