"""Writing drafts without a network: a brief, a platform profile, templates with slots.

A brief is a topic and ``key=value`` fields (品牌, 产品, 卖点, 人群, 场景, 活动, 链接, 价格) in any
order, with Chinese or ASCII punctuation. The template and the emoji set are chosen by a
stable hash of the brief, and lines whose slots the brief cannot fill are left out, so two
different briefs give visibly different drafts.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from bot.textnorm import fold_punct
from handlers.drafting import compliance, titles
from handlers.drafting.slots import fill, seed

DATA = Path(__file__).parent / "data" / "draft_templates.json"

FIELD_KEYS = {
    "品牌": "品牌",
    "brand": "品牌",
    "产品": "产品",
    "product": "产品",
    "商品": "产品",
    "卖点": "卖点",
    "points": "卖点",
    "亮点": "卖点",
    "特点": "卖点",
    "人群": "人群",
    "audience": "人群",
    "受众": "人群",
    "用户": "人群",
    "场景": "场景",
    "scene": "场景",
    "活动": "活动",
    "event": "活动",
    "优惠": "活动",
    "链接": "链接",
    "link": "链接",
    "url": "链接",
    "价格": "价格",
    "price": "价格",
    "痛点": "痛点",
    "pain": "痛点",
}
_KEY_RE = re.compile(
    r"(" + "|".join(sorted(FIELD_KEYS, key=len, reverse=True)) + r")\s*[=:]\s*", re.IGNORECASE
)


@dataclass
class Brief:
    topic: str
    fields: dict[str, str] = field(default_factory=dict)
    points: list[str] = field(default_factory=list)
    material: list[str] = field(default_factory=list)  # sentences carried over from an edited draft

    def to_dict(self) -> dict:
        return {"topic": self.topic, "fields": self.fields, "points": self.points, "material": self.material}

    @classmethod
    def from_dict(cls, data: dict) -> Brief:
        return cls(
            data.get("topic", ""),
            dict(data.get("fields", {})),
            list(data.get("points", [])),
            list(data.get("material", [])),
        )

    @property
    def product(self) -> str:
        return self.fields.get("产品") or self.topic

    def slots(self) -> dict[str, str]:
        """Slot values for templates; empty where the brief says nothing."""
        values = {
            "主题": self.topic,
            "产品": self.product,
            "品牌": self.fields.get("品牌", ""),
            "人群": self.fields.get("人群", ""),
            "场景": self.fields.get("场景", ""),
            "活动": self.fields.get("活动", ""),
            "链接": self.fields.get("链接", ""),
            "价格": self.fields.get("价格", ""),
            "痛点": self.fields.get("痛点", ""),
            "卖点列表": "、".join(self.points),
            "卖点": self.points[0] if self.points else "",
        }
        for i in range(3):
            values[f"卖点{i + 1}"] = self.points[i] if i < len(self.points) else ""
            values[f"要点{i + 1}"] = self.material[i] if i < len(self.material) else ""
        return values


def parse_brief(text: str) -> Brief:
    """``冬季新品热可可 卖点=低糖,现磨 人群=上班族`` → a Brief. Raises ValueError when there is no topic."""
    folded = fold_punct(text)
    matches = list(_KEY_RE.finditer(folded))
    topic = folded[: matches[0].start()] if matches else folded
    fields: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(folded)
        value = folded[m.end() : end].strip(" ;；")
        if value:
            fields[FIELD_KEYS[m.group(1).lower()]] = value
    topic = " ".join(topic.split()).strip(" ,;")
    if not topic:
        topic = fields.get("产品", "")
    if not topic:
        raise ValueError("no topic")
    points = [p.strip() for p in re.split(r"[,，、/;；]", fields.pop("卖点", "")) if p.strip()]
    return Brief(topic, fields, points)


@cache
def templates() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def fill_item(item, values: dict[str, str]) -> list[str]:
    """One template item: a line, alternatives (first that fills), or a conditional block."""
    if isinstance(item, dict):
        if not values.get(item["if"]):
            return []
        return [line for sub in item["lines"] for line in fill_item(sub, values)]
    if isinstance(item, list):
        for alt in item:
            filled = fill(alt, values)
            if filled:
                return [filled]
        return []
    if item == "":
        return [""]
    filled = fill(item, values)
    return [filled] if filled else []


def fill_lines(items: list, values: dict[str, str]) -> str:
    out: list[str] = []
    for item in items:
        for line in fill_item(item, values):
            if line == "" and (not out or out[-1] == ""):
                continue
            out.append(line)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out)


def first_fill(item, values: dict[str, str]) -> str:
    lines = fill_item(item, values)
    return lines[0] if lines else ""


def format_tags(words: list[str], profile: dict) -> list[str]:
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


@dataclass
class Draft:
    platform: str
    title: str
    title_options: list[str]
    title_template: str | None
    body: str
    tags: list[str]
    extra: dict
    template: str
    source: str = "template"
    findings: list[compliance.Finding] = field(default_factory=list)


def _truncate(text: str, profile: dict, limit_key: str = "body") -> str:
    limits = profile.get(limit_key) or {}
    limit = limits.get("max")
    if not limit or compliance.measure(text, profile) <= limit:
        return text
    while text and compliance.measure(text + "…", profile) > limit:
        text = text[:-1]
    return text + "…"


def generate(brief: Brief, profile: dict, *, team_templates: list[dict] | None = None) -> Draft:
    """A draft in the platform's own form: titles, body (or script), tags."""
    form = profile["form"]
    values = brief.slots()
    h = seed(
        brief.topic,
        json.dumps(brief.fields, sort_keys=True, ensure_ascii=False),
        ",".join(brief.points),
        profile["key"],
    )
    emojis = templates()["emoji_sets"][h % len(templates()["emoji_sets"])]
    values.update({f"emoji{i + 1}": e for i, e in enumerate(emojis)})
    if not values["人群"]:
        values["人群"] = "大家"
    values["在看"] = "在看" if profile["key"] == "wechat" else ""  # a 公众号 idiom
    choices = templates()[form]
    tpl = choices[h % len(choices)]
    extra: dict = {}
    if form == "video":
        hook = first_fill(tpl["hook"], values) or f"{values['产品']}，一起看看"
        scenes = []
        for sc in tpl["scenes"]:
            spoken = first_fill(sc["口播"], values)
            if spoken:
                scenes.append({"画面": first_fill(sc["画面"], values), "口播": spoken})
        cta = first_fill(tpl["cta"], values) or "关注我们，评论区聊聊"
        extra = {
            "hook": hook,
            "hook_seconds": profile.get("script", {}).get("hook_seconds", 3),
            "scenes": scenes,
            "cta": cta,
        }
        lines = [f"【开头 {extra['hook_seconds']} 秒】{hook}"]
        lines += [f"【镜头 {i}】画面：{s['画面']}；口播：{s['口播']}" for i, s in enumerate(scenes, 1)]
        lines.append(f"【结尾】{cta}")
        body = "\n".join(lines)
    else:
        body = fill_lines(tpl["lines"], values)
    body = _truncate(body, profile)
    tag_words = [
        brief.topic,
        brief.product,
        brief.fields.get("品牌", ""),
        brief.fields.get("人群", ""),
        *brief.points,
    ]
    tags = format_tags(tag_words, profile)
    if form == "video":
        extra["caption"] = _truncate(f"{extra['hook']} {' '.join(tags)}".strip(), profile)
    if form == "post" and tags:
        body = _truncate(f"{''.join(tags[:2])}{body}", profile)
    if form == "article" and profile.get("digest"):
        first = next((line for line in body.split("\n") if line and not line.startswith("#")), brief.topic)
        digest = re.sub(r"^(【导语】|开头：)", "", first)
        extra["digest"] = digest[: profile["digest"]["max"]]
    options = titles.suggest(brief, profile, count=3, team_templates=team_templates, seed_value=h)
    title = options[0]["title"] if options else _truncate(brief.topic, profile, "title")
    draft = Draft(
        platform=profile["key"],
        title=title if profile.get("title") else "",
        title_options=[o["title"] for o in options] if profile.get("title") else [],
        title_template=options[0]["key"] if options and profile.get("title") else None,
        body=body,
        tags=tags,
        extra=extra,
        template=tpl["key"],
    )
    draft.findings = review(draft, profile)
    return draft


def review(draft: Draft, profile: dict) -> list[compliance.Finding]:
    """Compliance and length findings for a draft's title and body."""
    text = draft.body + ("\n" + " ".join(draft.tags) if draft.tags and profile["form"] != "post" else "")
    return compliance.check(text, profile, title=draft.title if profile.get("title") else None)


def key_sentences(body: str, limit: int = 3) -> list[str]:
    """The substance of an edited draft: its sentences without tags, emoji, stage marks or stock lines."""
    out = []
    for raw in re.split(r"[\n。！？!?]", body):
        line = re.sub(r"#[^#\s]+#?|【[^】]*】|[画口]面：|口播：|^\s*[-\d.、]+", "", raw)
        line = "".join(ch for ch in line if not compliance.is_noise(ch) or ch == " ").strip(" ：:;；,，")
        if len(line) >= 6 and not re.search(r"评论区|关注|点赞|在看|阅读原文|欢迎留言", line):
            out.append(line)
    seen, unique = set(), []
    for s in out:
        if s not in seen:
            seen.add(s)
            unique.append(s)
    return unique[:limit]
