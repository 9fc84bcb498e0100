"""The shape of a version for its platform, and a checker that judges a version against it.

``shape(profile)`` is the form's typical length, structure and rules from
``data/platform_shapes.json`` with the platform's own overrides. ``check(version, profile)`` is a
pure function used by the offline adapter, by the model's repair round and by ``xiaobian adapt
--json`` (its ``form`` field), so a person, a test and the model see the same judgement:
length and range, the estimated duration of a video, and the problems in words.
"""

from __future__ import annotations

import math
import re
from functools import cache

from handlers.drafting import compliance
from handlers.drafting.data_files import load_json
from handlers.drafting.version import Version

LINK = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
CONTACT_KINDS = ("phone", "email")


@cache
def _data() -> dict:
    return load_json("platform_shapes.json")


def rate() -> float:
    """Characters spoken per second in a voice-over (stated in every script)."""
    return float(_data()["speaking_rate"]["chars_per_second"])


def shape(profile: dict) -> dict:
    """The form's shape for ``profile`` (platform overrides merged over the form's defaults)."""
    data = _data()
    base = dict(data["forms"].get(profile["form"], {}))
    base.update(data["platforms"].get(profile["key"], {}))
    return base


def seconds(spoken: str) -> int:
    """How long ``spoken`` takes at the stated rate (punctuation and marks not counted)."""
    words = re.sub(r"[\s，。！？、；：,.!?;:“”「」《》（）()…—\-]", "", spoken)
    return math.ceil(len(words) / rate()) if words else 0


def duration(version: Version) -> int | None:
    """A video's estimated length in seconds: hook, every shot and the closing line."""
    scenes = version.extra.get("scenes")
    if not scenes:
        return None
    total = max(seconds(version.extra.get("hook", "")), 1)
    total += sum(seconds(s.get("口播", "")) for s in scenes)
    return total + seconds(version.extra.get("cta", ""))


def check(version: Version, profile: dict) -> dict:
    """``{"length", "range", "duration", "problems", "hints"}``: the version judged against its shape.

    Problems are what a 小编 would have to fix before posting; hints are what could be better.
    """
    sh = shape(profile)
    form = profile["form"]
    problems: list[str] = []
    body = version.body
    length = compliance.measure(body, profile)
    low, high = sh.get("length", [0, (profile.get("body") or {}).get("max") or 0])
    hard = (profile.get("body") or {}).get("max")
    if hard and length > hard:
        problems.append(f"正文 {length} 字，超过{profile['name']}的上限 {hard} 字")
    elif high and form in ("post", "note") and length > high:
        problems.append(f"正文 {length} 字，{profile['name']}通常在 {low}–{high} 字")
    elif low and form in ("post", "note") and length < low:
        problems.append(f"正文只有 {length} 字，{profile['name']}通常在 {low}–{high} 字")
    if sh.get("links") == "drop":
        shown = " ".join([version.body, version.title, str(version.extra.get("caption", ""))])
        if LINK.search(shown):
            problems.append(f"{profile['name']}不允许站外链接，版本里还有链接")
    hints: list[str] = []
    topics = sh.get("topics")
    if topics:
        lo, hi = (topics, topics) if isinstance(topics, int) else topics
        if len(version.tags) > hi:
            problems.append(f"话题 {len(version.tags)} 个，{profile['name']}最多宜 {hi} 个")
        elif len(version.tags) < lo:  # fewer real key terms beat made-up ones: a hint, not a fault
            hints.append(f"话题只有 {len(version.tags)} 个（宜 {lo} 个以上），可以补几个本次内容的关键词")
    if (
        form == "note"
        and version.title
        and compliance.measure(version.title, profile) > sh.get("title_max", 20)
    ):
        problems.append(f"标题超过 {sh.get('title_max', 20)} 字")
    if form == "note":
        long = [
            p
            for p in body.split("\n")
            if compliance.measure(p, profile) > sh["paragraph_max"] and not p.startswith("#")
        ]
        if long:
            problems.append(f"有 {len(long)} 段超过 {sh['paragraph_max']} 字，手机上读起来累")
    total = duration(version) if form == "video" else None
    if form == "video":
        scenes = version.extra.get("scenes") or []
        lo, hi = sh["shots"]
        if not lo <= len(scenes) <= hi:
            problems.append(f"{len(scenes)} 个镜头，宜 {lo}–{hi} 个")
        hook = version.extra.get("hook", "")
        if not hook.strip():
            problems.append("没有开头钩子：原文里找不到一句能在开头说的话，请补一句")
        elif seconds(hook) > sh["hook_seconds"]:
            problems.append(f"开头钩子要说 {seconds(hook)} 秒，超过 {sh['hook_seconds']} 秒")
        for i, scene in enumerate(scenes, 1):
            items = scene.get("字幕") or []
            if len(items) > sh["screen_items"]:
                problems.append(f"镜头 {i} 有 {len(items)} 条字幕，最多 {sh['screen_items']} 条")
            wide = [t for t in items if len(t) > sh["screen_chars"]]
            if wide:
                problems.append(f"镜头 {i} 的字幕「{wide[0]}」超过 {sh['screen_chars']} 字")
        if total is not None:
            lo, hi = sh["duration"]
            if not lo <= total <= hi:
                problems.append(f"按每秒 {rate():g} 字估算约 {total} 秒，宜 {lo}–{hi} 秒")
        if not version.extra.get("cta"):
            problems.append("没有结尾引导")
    return {"length": length, "range": [low, high], "duration": total, "problems": problems, "hints": hints}


def script_text(hook: str, hook_seconds: int, scenes: list[dict], cta: str) -> str:
    """A video script as the draft shows it, for both the offline adapter and the model's answer."""
    lines = [f"【开头 {hook_seconds} 秒】{hook}"]
    for i, sc in enumerate(scenes, 1):
        shown = "｜".join(sc.get("字幕") or []) or "无"
        lines.append(
            f"【镜头 {i} · 约 {sc.get('秒') or seconds(sc.get('口播', ''))} 秒】画面：{sc.get('画面', '')}；字幕：{shown}；口播：{sc.get('口播', '')}"
        )
    if cta:
        lines.append(f"【结尾】{cta}")
    total = max(seconds(hook), 1) + sum(seconds(sc.get("口播", "")) for sc in scenes) + seconds(cta)
    lines.append(f"预计时长：约 {total} 秒（口播按每秒 {rate():g} 字估算）")
    return "\n".join(lines)


def prompt_lines(profile: dict) -> list[str]:
    """The shape in words for the model's prompt."""
    sh = shape(profile)
    form = profile["form"]
    out: list[str] = []
    if form == "post":
        lo, hi = sh["length"]
        out.append(
            f"写成 {sh['sentences'][0]}–{sh['sentences'][1]} 句的导读，{lo}–{hi} 字，带上价格、日期、地点等关键信息，"
            f"{sh['topics']} 个话题，原文有链接时在末尾附「{sh['link_label']}链接」"
        )
    elif form == "note":
        lo, hi = sh["length"]
        out.append(
            f"标题不超过 {sh['title_max']} 字并带钩子；短段落（每段不超过 {sh['paragraph_max']} 字）；卖点或参数逐行列出，"
            f"每行以「{sh['list_marker'].strip()}」开头；{sh['topics'][0]}–{sh['topics'][1]} 个话题，用原文里的关键词；"
            f"正文 {lo}–{hi} 字；不要站外链接和联系方式"
        )
    elif form == "video":
        lo, hi = sh["shots"]
        d_lo, d_hi = sh["duration"]
        links = "简介里不放链接" if sh.get("links") == "drop" else "链接只放在简介（caption）里"
        out.append(
            f"分镜脚本：开头钩子口播不超过 {sh['hook_seconds']} 秒（按每秒 {rate():g} 字）；{lo}–{hi} 个镜头，每个镜头一个意思，"
            f"每个镜头的字幕最多 {sh['screen_items']} 条、每条不超过 {sh['screen_chars']} 字；总时长 {d_lo}–{d_hi} 秒；"
            f"最后一句引导关注或评论；{links}"
        )
    elif form == "article" and sh.get("digest_max"):
        out.append(f"摘要不超过 {sh['digest_max']} 字；保留原文的小标题")
    return out
