"""Sources nobody would call typical — one line, headings only, English, a numbered list, 5,000
characters, links and contacts only, emoji — adapted to every platform offline. Nothing crashes; no
hard limit is passed; no external link or contact reaches 小红书 or 抖音, summary included; every
run of digits of the source is in the version or in what it lists as left out; a version out of its
usual shape says so in its form problems instead of passing quietly.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from handlers.drafting import compliance, form, writer
from handlers.drafting.facts import squash
from handlers.shared import platforms

pytestmark = pytest.mark.date_free

LONG = (
    Path(__file__).parent / "data" / "heldout_articles_2026_12b" / "24_bookstore_anniversary.md"
).read_text("utf-8")
SOURCES = {
    "one line": "周六下午3点，静安店拉花课，48元一位，限8人。",
    "headings only": "# 标题\n## 小标题\n### 再一个",
    "english": "# Launch day\n\nWe are launching CoffeeBox v2.0 on Dec 12 at 10am. Price: $29/month. "
    "Sign up at https://coffeebox.example.com. Contact: hi@coffeebox.example.com.",
    "numbered list": "# 冬天喝咖啡的5个技巧\n\n1. 水温90-92℃最合适。\n2. 粉水比1:15。\n3. 研磨度像细砂糖。\n"
    "4. 闷蒸30秒。\n5. 总时长2分30秒以内。",
    "5,000 characters": (LONG + "\n\n") * 3,
    "links and contacts": "活动报名：https://a.example.com/x ，咨询微信 nuandong2026，电话 13812345678，"
    "邮箱 a@b.cn。地址：上海市静安区南京西路1266号。",
    "emoji": "🎉🎉🎉 新店开业啦！！！🎉 全场8折 🎁 前100名送杯子 ☕️ 地址：杭州市西湖区文三路478号",
}
PLATFORMS = ["微博", "小红书", "抖音", "公众号", "视频号", "B站"]
LINK_OR_CONTACT = re.compile(r"https?:|//|www\.|@|138|nuandon|微信|电话", re.IGNORECASE)


@pytest.mark.parametrize("name", sorted(SOURCES))
@pytest.mark.parametrize("platform", PLATFORMS)
def test_an_odd_source_is_adapted_honestly(name, platform):
    text = SOURCES[name]
    profile = platforms.lookup(platform)
    version = writer.offline(writer.from_text(text), profile)
    assert compliance.measure(version.body, profile) <= profile["body"]["max"]
    if profile["key"] in ("xiaohongshu", "douyin"):
        assert not LINK_OR_CONTACT.search(version.full_text()), version.full_text()
    have = squash(version.full_text())
    listed = " ".join(squash(f.text) for f in version.dropped_facts)
    heading_digits = set(re.findall(r"\d+", text.split("\n", 1)[0])) if text.startswith("#") else set()
    numbers = re.sub(r"(?m)^\s*\d{1,2}[.、)）]\s*", "", text)  # a list's own numbering is not a fact
    lost = [d for d in re.findall(r"\d+", squash(numbers)) if d not in have and d not in listed]
    assert [d for d in lost if d not in heading_digits] == [], lost
    checked = form.check(version, profile)
    body_size = compliance.measure(version.body, profile)
    low = (form.shape(profile).get("length") or [0])[0]
    if body_size < low:
        assert checked["problems"], (body_size, low)
    if profile["form"] == "video" and not version.extra["hook"]:
        assert any("钩子" in p for p in checked["problems"]), checked
