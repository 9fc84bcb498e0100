"""A brief: a topic and ``key=value`` fields (品牌, 产品, 卖点, 人群, 场景, 活动, 价格, 时间, 地址, 链接, 痛点).

Fields come in any order, with Chinese or ASCII punctuation. A key the brief does not know
(``口味=浓郁``) is an error that names the known ones, never text that leaks into the copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.textnorm import fold_punct

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
    "售价": "价格",
    "痛点": "痛点",
    "pain": "痛点",
    "时间": "时间",
    "日期": "时间",
    "time": "时间",
    "date": "时间",
    "地址": "地址",
    "地点": "地址",
    "门店": "地址",
    "address": "地址",
}
SHOWN_KEYS = ("品牌", "产品", "卖点", "人群", "场景", "活动", "价格", "时间", "地址", "链接", "痛点")
_KEY_RE = re.compile(
    r"(?<![A-Za-z\u4e00-\u9fff])(" + "|".join(sorted(FIELD_KEYS, key=len, reverse=True)) + r")\s*[=:]\s*",
    re.IGNORECASE,
)
_ANY_KEY = re.compile(r"(?:^|\s)([^\s=:/]{1,8})\s*=")
_URL = re.compile(r"https?://\S+")


class BriefError(ValueError):
    """What is wrong with a brief, in words a user can act on."""


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

    def names(self) -> tuple[str, ...]:
        """Names the copy must spell as given: the brand and the product."""
        return tuple(v for v in (self.fields.get("品牌"), self.fields.get("产品")) if v)

    def as_text(self) -> str:
        """The brief as plain lines, for finding its facts and for a model's prompt."""
        lines = [f"主题：{self.topic}"]
        if self.points:
            lines.append("卖点：" + "、".join(self.points))
        lines += [f"{k}：{self.fields[k]}" for k in SHOWN_KEYS if self.fields.get(k)]
        lines += self.material
        return "\n".join(lines)

    def slots(self) -> dict[str, str]:
        """Values for headline templates; empty where the brief says nothing."""
        values = {
            "主题": self.topic,
            "产品": self.product,
            "品牌": self.fields.get("品牌", ""),
            "人群": self.fields.get("人群", ""),
            "场景": self.fields.get("场景", ""),
            "痛点": self.fields.get("痛点", ""),
            "卖点": self.points[0] if self.points else "",
        }
        if len(self.points) >= 2:
            values["数字"] = str(len(self.points))  # a count the body lists, point by point
        return values


def known_keys() -> str:
    return "、".join(SHOWN_KEYS)


def parse_brief(text: str) -> Brief:
    """``冬季新品热可可 卖点=低糖,现磨 人群=上班族`` → a Brief.

    Raises BriefError when there is no topic, a key is unknown, or a field is empty.
    """
    folded = fold_punct(text)
    without_urls = _URL.sub(lambda m: " " * len(m.group(0)), folded)
    unknown = [k for k in _ANY_KEY.findall(without_urls) if k.lower() not in FIELD_KEYS]
    if unknown:
        raise BriefError(
            f"不认识的字段：{'、'.join(dict.fromkeys(unknown))}。可以写的字段有：{known_keys()}。"
            "其他信息请写进卖点，如 卖点=浓郁,现磨。"
        )
    matches = [m for m in _KEY_RE.finditer(folded) if not _inside_url(folded, m.start())]
    topic = folded[: matches[0].start()] if matches else folded
    fields: dict[str, str] = {}
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(folded)
        value = text[m.end() : end].strip(" ;；,，")  # as typed: 「」 and full-width forms stay
        key = FIELD_KEYS[m.group(1).lower()]
        if not value:
            raise BriefError(f"「{m.group(1)}」后面没有写内容。")
        fields[key] = value
    topic = " ".join(text[: len(topic)].split()).strip(" ,;，；")
    if not topic:
        topic = fields.get("产品", "")
    if not topic:
        raise BriefError("没看出主题，请在平台后写主题，再写 键=值。")
    points = [p.strip() for p in re.split(r"[,，、/;；]", fields.pop("卖点", "")) if p.strip()]
    return Brief(topic, fields, points)


def _inside_url(text: str, at: int) -> bool:
    return any(m.start() < at < m.end() for m in _URL.finditer(text))
