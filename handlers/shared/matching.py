"""Which draft made an exported post: by its link, else by platform + title + day; never a guess.

A post is tied to a draft only when the evidence is unique both ways: the same link, or the same
title (ignoring spaces, punctuation and case) published the same day, with no other post of the
import claiming that draft. A title that is only close, a day that differs, or two candidates make a
*question* for the chat, not a match.
"""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlsplit

NEAR_DAYS = 3  # a candidate published this many days from the post's day is worth asking about
CLOSE_TITLE = 0.8  # difflib ratio above which two different titles may be one post retitled


@dataclass
class Candidate:
    draft_id: int
    number: int
    title: str
    day: date | None
    why: str  # in Chinese, for the question


@dataclass
class Matches:
    sure: list[tuple[int, int, str]] = field(default_factory=list)  # (post id, draft id, "link"/"title")
    doubtful: list[tuple[int, list[Candidate]]] = field(default_factory=list)


def norm_link(url: str | None) -> str:
    """A link as a key: scheme and host lower-cased, no fragment, no trailing slash; query kept only
    where it names the article (mp.weixin.qq.com's __biz/mid/idx/sn), dropped elsewhere (share tags)."""
    if not url or not url.strip():
        return ""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = ""
    if host.endswith("mp.weixin.qq.com"):
        keep = sorted((k, v) for k, v in parse_qsl(parts.query) if k in ("__biz", "mid", "idx", "sn"))
        query = "&".join(f"{k}={v}" for k, v in keep)
    return f"{host}{parts.path.rstrip('/')}" + (f"?{query}" if query else "")


def norm_title(title: str) -> str:
    """Letters and digits only, case-folded and NFKC-folded: 「【干货】5个技巧！」 → 「干货5个技巧」."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in ("L", "N"))


def match(
    posts: list[dict], drafts: list[dict], *, taken: set[int] | frozenset[int] = frozenset()
) -> Matches:
    """Tie ``posts`` (id, title, day, link) to ``drafts`` (id, number, title, link, days: the local
    days it was scheduled or published). ``taken``: drafts already tied to another post."""
    out = Matches()
    by_link = {norm_link(d["link"]): d for d in drafts if norm_link(d.get("link"))}
    claims: dict[int, list[tuple[int, str]]] = {}
    questions: dict[int, list[Candidate]] = {}
    for post in posts:
        linked = by_link.get(norm_link(post.get("link")))
        if linked is not None and linked["id"] not in taken:
            claims.setdefault(linked["id"], []).append((post["id"], "link"))
            continue
        title = norm_title(post["title"])
        exact: list[Candidate] = []
        near: list[Candidate] = []
        for d in drafts:
            if d["id"] in taken:
                continue
            gap = min((abs((post["day"] - day).days) for day in d["days"]), default=None)
            if gap is None or gap > NEAR_DAYS:
                continue
            other = norm_title(d["title"])
            if title and other == title:
                (exact if gap == 0 else near).append(
                    _candidate(d, post["day"], "标题相同" + (f"，发布日期差 {gap} 天" if gap else ""))
                )
            elif title and other and _close(title, other):
                near.append(
                    _candidate(d, post["day"], "标题相近" + (f"，发布日期差 {gap} 天" if gap else "，同一天"))
                )
        if len(exact) == 1 and not near:
            claims.setdefault(exact[0].draft_id, []).append((post["id"], "title"))
        elif exact or near:
            questions[post["id"]] = exact + near
    for draft_id, posts_claiming in claims.items():
        if len(posts_claiming) == 1:
            post_id, how = posts_claiming[0]
            out.sure.append((post_id, draft_id, how))
            continue
        d = next(x for x in drafts if x["id"] == draft_id)
        for post_id, _how in posts_claiming:  # two posts, one draft: ask about each
            questions.setdefault(post_id, []).append(_candidate(d, None, "另一篇作品也对得上这份稿件"))
    out.doubtful = sorted(questions.items())
    return out


def _close(a: str, b: str) -> bool:
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 6 and shorter in longer:
        return True
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= CLOSE_TITLE


def _candidate(d: dict, day: date | None, why: str) -> Candidate:
    return Candidate(d["id"], d["number"], d["title"], min(d["days"]) if d["days"] else None, why)
