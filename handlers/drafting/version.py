"""One platform's version of a piece: what a writer (the model, the outliner, the extractor) returns.

A :class:`Version` carries the copy (title, body, tags, extras such as the digest or the video
scenes), where it came from (``model``, ``outline`` or ``extract``), what the check found, and
which facts of the source it kept and which it left out. Nothing here touches storage.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handlers.drafting import compliance
from handlers.drafting.facts import Fact

SOURCE_LABEL = {"model": "模型", "outline": "提纲", "extract": "摘编原文"}
SLOT = re.compile(r"【待补充[:：]?[^】]*】|【提纲·[^】]*】")  # a slot, or the label of an outline


@dataclass
class Version:
    platform: str
    title: str
    title_options: list[str]
    body: str
    tags: list[str]
    extra: dict
    source: str  # model | outline | extract
    title_template: str | None = None
    findings: list[compliance.Finding] = field(default_factory=list)
    kept_facts: list[Fact] = field(default_factory=list)
    dropped_facts: list[Fact] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the reader must know (a model failure, a repair)

    @property
    def summary(self) -> str:
        return self.extra.get("digest") or self.extra.get("summary") or ""

    def full_text(self) -> str:
        """Everything a reader of the post sees: title, body, tags, digest, caption, cover text."""
        parts = [self.title, self.body, " ".join(self.tags)]
        parts += [str(self.extra.get(k, "")) for k in ("digest", "summary", "caption", "cover_text")]
        return "\n".join(p for p in parts if p)

    def to_json(self) -> dict:
        return {
            "platform": self.platform,
            "title": self.title,
            "title_options": self.title_options,
            "body": self.body,
            "tags": self.tags,
            "summary": self.summary,
            "extra": {k: v for k, v in self.extra.items() if k not in ("digest", "summary")},
            "findings": [f.to_json() for f in self.findings],
            "kept_facts": [f.to_json() for f in self.kept_facts],
            "dropped_facts": [f.to_json() for f in self.dropped_facts],
            "notes": self.notes,
            "source": self.source,
        }


def format_tags(words: list[str], profile: dict) -> list[str]:
    """Words as the platform writes topics (``#话题#``, ``#话题``, a plain list, or none)."""
    style = profile["tags"]["style"]
    limit = profile["tags"].get("max") or 8
    seen, tags = set(), []
    for w in words:
        w = re.sub(r"[#\s]", "", w)
        if w and w not in seen and len(w) <= 12:
            seen.add(w)
            tags.append(w)
    tags = tags[:limit]
    if style == "hash_both":
        return [f"#{t}#" for t in tags]
    if style == "hash_lead":
        return [f"#{t}" for t in tags]
    if style == "list":
        return tags
    return []


def review(version: Version, profile: dict) -> list[compliance.Finding]:
    """Compliance and length findings for a version's title and body."""
    text = version.body
    if version.tags and profile["form"] != "post":
        text += "\n" + " ".join(version.tags)
    return compliance.check(text, profile, title=version.title if profile.get("title") else None)


def slots_in(text: str) -> list[str]:
    """The 【待补充…】 slots (and the 【提纲·…】 label) an outline still has."""
    return SLOT.findall(text)
