"""Without a model: an honest outline (提纲) in the platform's form.

It is labelled 提纲. What the brief gives (topic, selling points, price, event, time, address,
link …) stands in place, word for word; everything a writer still has to write is a slot
``【待补充：…】`` that says what goes there. No sentence claims what the brief did not say, and
titles are made only of the brief's own words (see ``titles.suggest(strict=True)``). A draft that
still has slots cannot be submitted for review.
"""

from __future__ import annotations

from handlers.drafting import titles
from handlers.drafting.brief import Brief
from handlers.drafting.extract import settle_facts
from handlers.drafting.facts import find
from handlers.drafting.version import Version, format_tags, review

FORM_NAME = {"note": "笔记", "post": "", "article": "文章", "answer": "回答", "video": "视频脚本"}
INFO_KEYS = ("品牌", "产品", "价格", "活动", "时间", "地址", "场景", "人群", "链接")


def _slot(what: str) -> str:
    return f"【待补充：{what}】"


def _info_lines(brief: Brief) -> list[str]:
    return [f"· {k}：{brief.fields[k]}" for k in INFO_KEYS if brief.fields.get(k)]


def _point_lines(brief: Brief) -> list[str]:
    if not brief.points:
        return [f"1. {_slot('第一个要点')}", f"2. {_slot('第二个要点')}"]
    return [f"{i}. {p}：{_slot('具体说明，写事实或数据')}" for i, p in enumerate(brief.points, 1)]


def _opening(brief: Brief) -> str:
    who = brief.fields.get("人群")
    return _slot(
        f"开头一句，写{who}为什么会关心「{brief.topic}」" if who else f"开头一句，点出「{brief.topic}」"
    )


def outline(
    brief: Brief, profile: dict, *, team_templates: list[dict] | None = None, facts: list | None = None
) -> Version:
    """The platform's outline for ``brief`` (see the module docstring)."""
    form = profile["form"]
    label = f"【提纲·{profile['name']}{FORM_NAME.get(form, '')}】标着「待补充」的地方换成你的内容，删掉这一行，再提审。"
    extra: dict = {}
    if form == "video":
        seconds = profile.get("script", {}).get("hook_seconds", 3)
        hook = _slot(f"{seconds} 秒钩子，围绕「{brief.points[0] if brief.points else brief.topic}」")
        scenes = [{"画面": _slot("画面"), "口播": f"{p}——{_slot('具体说明')}"} for p in brief.points] or [
            {"画面": _slot("画面"), "口播": _slot(f"介绍「{brief.topic}」")}
        ]
        info = "｜".join(f"{k} {brief.fields[k]}" for k in INFO_KEYS if brief.fields.get(k))
        if info:
            scenes.append({"画面": f"字幕：{info}", "口播": _slot("把字幕里的信息说一遍")})
        cta = _slot("结尾引导，如关注或评论")
        extra = {"hook": hook, "hook_seconds": seconds, "scenes": scenes, "cta": cta}
        lines = [label, f"【开头 {seconds} 秒】{hook}"]
        lines += [f"【镜头 {i}】画面：{s['画面']}；口播：{s['口播']}" for i, s in enumerate(scenes, 1)]
        lines.append(f"【结尾】{cta}")
    elif form == "post":
        given = "；".join(f"{k}：{brief.fields[k]}" for k in INFO_KEYS if brief.fields.get(k))
        points = "、".join(brief.points)
        lines = [label, f"{brief.topic}{'：' + points if points else ''}。{_opening(brief)}"]
        if given:
            lines.append(given + "。")
        lines.append(_slot("一句互动或行动引导"))
    else:
        lines = [label, "", f"开头：{_opening(brief)}", "要点：", *_point_lines(brief)]
        info_lines = _info_lines(brief)
        if info_lines:
            lines += ["信息：", *info_lines]
        lines.append(f"结尾：{_slot('互动问题或行动引导')}")
        if profile.get("digest"):
            points = "、".join(brief.points)
            extra["digest"] = f"{brief.topic}{'：' + points if points else ''}"[: profile["digest"]["max"]]
    body = "\n".join(lines)
    words = [brief.topic, brief.product, brief.fields.get("品牌", ""), *brief.points]
    tags = format_tags(words, profile)
    options = titles.suggest(brief, profile, count=3, team_templates=team_templates, strict=True)
    title_list = [o["title"] for o in options]
    if profile.get("title") and brief.topic not in title_list and titles.fits(brief.topic, profile):
        title_list.insert(min(len(title_list), 2), brief.topic)
    version = Version(
        platform=profile["key"],
        title=(title_list[0] if title_list else brief.topic[: profile["title"]["max"]])
        if profile.get("title")
        else "",
        title_options=title_list[:3] if profile.get("title") else [],
        body=body,
        tags=tags,
        extra=extra,
        source="outline",
        title_template=next((o["key"] for o in options if o["title"] == (title_list or [""])[0]), None),
    )
    version.findings = review(version, profile)
    settle_facts(version, facts if facts is not None else find(brief.as_text(), names=brief.names()))
    return version
