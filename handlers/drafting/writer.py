"""Who writes a version: the model when one is configured, else an outline (from a brief) or the
source's own sentences (from a text). One function for the chat commands and the CLI tools.

A :class:`Task` is what a version is written from: a brief (``草稿``) or a source text (``改写``:
a saved draft or a pasted article). Its facts are found once and checked in every version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from handlers.drafting import article, extract, llm
from handlers.drafting.brief import Brief
from handlers.drafting.facts import Fact, find
from handlers.drafting.outline import outline
from handlers.drafting.version import SOURCE_LABEL, Version


@dataclass
class Task:
    """What a version is written from: ``origin`` is a brief (``草稿``) or a source text (``改写``)."""

    origin: Brief | article.Source
    facts: list[Fact] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return "brief" if isinstance(self.origin, Brief) else "source"

    @property
    def brief(self) -> Brief | None:
        return self.origin if isinstance(self.origin, Brief) else None

    @property
    def source(self) -> article.Source | None:
        return self.origin if isinstance(self.origin, article.Source) else None

    @property
    def material(self) -> str:
        return self.origin.as_text() if isinstance(self.origin, Brief) else self.origin.text

    @property
    def topic(self) -> str:
        if isinstance(self.origin, Brief):
            return self.origin.topic
        lead = self.origin.lead
        return self.origin.title or (lead.spoken[:30] if lead else "")


FIELD_KIND = {
    "价格": "money",
    "活动": "deal",
    "时间": "date",
    "地址": "address",
    "链接": "link",
    "品牌": "name",
    "产品": "name",
}


def from_brief(brief: Brief) -> Task:
    """A brief's facts: its price, event, time, address, link, brand and product as written, and the
    numbers, dates and names inside its other words."""
    whole = [Fact(FIELD_KIND[k], v) for k, v in brief.fields.items() if k in FIELD_KIND]
    inside = [
        f for f in find(brief.as_text(), names=brief.names()) if not any(f.text in w.text for w in whole)
    ]
    return Task(brief, facts=whole + inside)


def from_text(text: str, *, names: tuple[str, ...] = ()) -> Task:
    src = article.read(text, names=names)
    return Task(src, facts=src.facts)


def offline(task: Task, profile: dict, *, team_templates: list[dict] | None = None) -> Version:
    if isinstance(task.origin, Brief):
        return outline(task.origin, profile, team_templates=team_templates, facts=task.facts)
    return extract.adapt(task.origin, profile)


def write(
    task: Task,
    profile: dict,
    config,
    *,
    voice: list[str] | tuple[str, ...] = (),
    team_templates: list[dict] | None = None,
    use_model: bool = True,
) -> Version:
    """The version of ``task`` for ``profile``: by the model if configured and it answers, else offline."""
    if use_model and llm.configured(config):
        try:
            return llm.write(
                llm.settings(config),
                profile,
                material=task.material,
                kind=task.kind,
                facts=task.facts,
                voice=list(voice),
            )
        except llm.ModelError as exc:
            version = offline(task, profile, team_templates=team_templates)
            version.notes.insert(0, f"写稿模型没用上（{exc}），下面是{SOURCE_LABEL[version.source]}。")
            return version
    return offline(task, profile, team_templates=team_templates)


_TAG = re.compile(r"#[^#\s]{1,20}#|#[^#\s]{1,20}(?=\s|$)")


def text_of(title: str, body: str, extra: dict) -> str:
    """A saved version as a source text: its title and words, without topics, stage marks or slots."""
    if extra.get("scenes"):
        lines = [extra.get("hook", "")] + [s.get("口播", "") for s in extra["scenes"]]
    else:
        lines = body.split("\n")
    cleaned = []
    for line in lines:
        line = _TAG.sub("", line)
        line = re.sub(r"^【[^】]*】", "", line.strip()) if line.strip().startswith("【") else line
        if line.strip():
            cleaned.append(line.strip())
    head = f"# {title}\n" if title else ""
    return head + "\n".join(cleaned)
