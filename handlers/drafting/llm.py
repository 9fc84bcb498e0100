"""The model as the main writer: an OpenAI-compatible chat endpoint, chosen by one variable.

``XIAOBIAN_LLM=deepseek`` (or qwen, kimi, zhipu, doubao, ollama, vllm; see
``data/model_presets.json``) with ``XIAOBIAN_LLM_API_KEY``; ``XIAOBIAN_LLM_BASE_URL`` and
``XIAOBIAN_LLM_MODEL`` override the preset or, alone, name any other compatible endpoint.

One draft is at most three calls, each with a timeout, all in the command's prepare step (outside
any database transaction): the draft; one retry when the answer is not the JSON asked for; one
repair round when the check finds a 极限词, a length over the platform's limit, a fact left out
or a placeholder. What is still wrong after the repair is returned as findings and dropped facts,
never hidden. Plain ``urllib``: one POST per call, no SDK.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass

from handlers.drafting import compliance
from handlers.drafting import form as shape_rules
from handlers.drafting.data_files import load_json
from handlers.drafting.extract import settle_facts
from handlers.drafting.facts import Fact
from handlers.drafting.version import Version, format_tags, review

_PLACEHOLDER = re.compile(r"【待补充[^】]*】|XX+|xx+|（此处[^）]*）|\[[^\]]{0,12}\]|此处填写|请补充")


class ModelError(Exception):
    """The model could not give a usable answer (the message is short Chinese for the reply)."""


@dataclass(frozen=True)
class Settings:
    name: str
    base_url: str
    model: str
    api_key: str
    timeout: float
    json_mode: bool


def presets() -> dict:
    return load_json("model_presets.json")


def configured(config) -> bool:
    return bool(config.get("XIAOBIAN_LLM", "").strip() or config.get("XIAOBIAN_LLM_BASE_URL", "").strip())


def settings(config) -> Settings:
    """The endpoint to call, from the preset and the overrides; ModelError naming what is missing."""
    choice = config.get("XIAOBIAN_LLM", "").strip().lower()
    data = presets()
    choice = data["aliases"].get(choice, choice)
    preset: dict = {}
    if choice and choice != "custom":
        if choice not in data["presets"]:
            raise ModelError(
                f"XIAOBIAN_LLM={choice} 不是已知的模型预设（可选：{'、'.join(data['presets'])}）"
            )
        preset = data["presets"][choice]
    base = config.get("XIAOBIAN_LLM_BASE_URL", "").strip() or preset.get("base_url", "")
    model = config.get("XIAOBIAN_LLM_MODEL", "").strip() or preset.get("model", "")
    key = config.get("XIAOBIAN_LLM_API_KEY", "").strip()
    if not base:
        raise ModelError("没有设置 XIAOBIAN_LLM_BASE_URL")
    if not model:
        raise ModelError(f"没有设置 XIAOBIAN_LLM_MODEL（{preset.get('model_hint', '模型名')}）")
    if preset.get("key_required") and not key:
        raise ModelError(f"{preset['name']} 需要 XIAOBIAN_LLM_API_KEY")
    try:
        timeout = float(config.get("XIAOBIAN_LLM_TIMEOUT", "") or 30)
    except ValueError:
        timeout = 30.0
    return Settings(
        name=preset.get("name", "自定义模型"),
        base_url=base.rstrip("/"),
        model=model,
        api_key=key,
        timeout=timeout,
        json_mode=bool(preset.get("json_mode", False))
        or config.get("XIAOBIAN_LLM_JSON_MODE", "").strip() in ("1", "true", "yes"),
    )


def chat(s: Settings, messages: list[dict]) -> str:
    """One chat completion; the answer's text, or ModelError."""
    payload: dict = {"model": s.model, "messages": messages, "temperature": 0.7}
    if s.json_mode:
        payload["response_format"] = {"type": "json_object"}
    request = urllib.request.Request(
        f"{s.base_url}/chat/completions",
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    if s.api_key:
        request.add_header("Authorization", f"Bearer {s.api_key}")
    try:
        with urllib.request.urlopen(request, timeout=s.timeout) as resp:
            data = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise ModelError(f"模型服务返回 HTTP {exc.code}") from None
    except (TimeoutError, urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or "timed out" in str(reason):
            raise ModelError(f"模型 {s.timeout:g} 秒内没有回答") from None
        raise ModelError("连不上模型服务") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ModelError("模型服务的回答不是 JSON") from None
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ModelError("模型服务的回答格式不对") from None
    if not isinstance(content, str):
        raise ModelError("模型服务的回答格式不对")
    return content


# -- prompts -----------------------------------------------------------------------------------------

FIELDS = {
    "article": "title（标题）、titles（另外 2 个备选标题）、summary（摘要）、body（正文，可用 ## 小标题）、cover_text（封面文字，10 字内）",
    "answer": "title、titles、summary、body",
    "note": "title、titles、body（正文，分段，可用少量 emoji）、tags（话题词数组，不带 #）、cover_text（封面大字，10 字内）",
    "post": "body（正文）、tags（话题词数组，不带 #）、summary",
    "video": "title、titles、hook（开头钩子，一句口播）、scenes（数组，每项 {画面, 字幕（数组）, 口播}）、cta（结尾引导）、tags、summary",
}


def system_prompt() -> str:
    return (
        "你是企业新媒体团队的资深小编，为指定平台写可以直接发布的稿件。"
        "只输出一个 JSON 对象，不要任何解释，不要 Markdown 代码块。"
        "只写材料里有的事实，不编造功效、数据、用户评价或亲身体验；材料里的数字、价格、日期、时间、地址、"
        "名称和链接必须一字不差地保留。不用《广告法》禁止的绝对化用语（最、第一、顶级、国家级、100% 等），"
        "不写站外联系方式，不留待填的占位符。"
    )


def _limits(profile: dict) -> list[str]:
    out = []
    if profile.get("title"):
        lo = profile["title"].get("min")
        out.append(f"标题 {str(lo) + '–' if lo else '不超过 '}{profile['title']['max']} 字")
    if profile.get("body"):
        out.append(f"正文不超过 {profile['body']['max']} 字")
    if profile.get("digest"):
        out.append(f"摘要不超过 {profile['digest']['max']} 字")
    tags = profile["tags"]
    if tags["style"] != "none":
        out.append(f"话题写法 {tags.get('example', '')}，不超过 {tags.get('max') or 8} 个")
    if profile.get("script") and profile["form"] != "video":
        out.append(f"前 {profile['script']['hook_seconds']} 秒要有钩子")
    return out + shape_rules.prompt_lines(profile)


def task_prompt(profile: dict, *, material: str, kind: str, facts: list[Fact], voice: list[str]) -> str:
    """The user message: platform, limits, what to write from, facts to keep, the team's voice."""
    lines = [
        f"平台：{profile['name']}（形式：{profile['form']}）。要求：{'；'.join(_limits(profile))}。",
        f"输出字段：{FIELDS[profile['form']]}。",
    ]
    if kind == "brief":
        lines.append("根据下面的简报写一篇稿件：")
    else:
        lines.append(f"把下面的原文改写成{profile['name']}的形式（改写而不是照搬，保留原文的全部事实）：")
    lines += ["<<<", material.strip(), ">>>"]
    if facts:
        lines.append("必须原样保留的信息：" + "；".join(f.text for f in facts[:40]))
    if voice:
        lines.append("本团队在这个平台的稿件，效果好的在前（学它的语气和结构，不要照抄内容）：")
        lines += [f"--- 例 {i}\n{v}" for i, v in enumerate(voice, 1)]
    return "\n".join(lines)


# -- answers -----------------------------------------------------------------------------------------


def parse_answer(content: str) -> dict:
    """The model's JSON object (a fenced block or surrounding words allowed), checked for shape."""
    text = content.strip()
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.S)
    if fenced:
        text = fenced.group(1)
    elif not text.startswith("{") and "{" in text:
        text = text[text.index("{") : text.rindex("}") + 1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ModelError(f"回答不是合法 JSON（{exc.msg}）") from None
    if not isinstance(data, dict):
        raise ModelError("回答不是 JSON 对象")
    scenes = data.get("scenes") or (data.get("script") or {}).get("scenes") or []
    body = data.get("body")
    if not (isinstance(body, str) and body.strip()) and not scenes:
        raise ModelError("回答里没有正文（body）")
    titles = data.get("titles") or []
    if not isinstance(titles, list):
        titles = [titles]
    tags = data.get("tags") or []
    if isinstance(tags, str):
        tags = re.split(r"[,，、\s#]+", tags)
    return {
        "title": str(data.get("title") or "").strip(),
        "titles": [str(t).strip() for t in titles if str(t).strip()][:5],
        "body": str(body or "").strip(),
        "tags": [str(t) for t in tags if str(t).strip()][:20],
        "summary": str(data.get("summary") or "").strip(),
        "cover_text": str(data.get("cover_text") or "").strip(),
        "hook": str(data.get("hook") or (data.get("script") or {}).get("hook") or "").strip(),
        "scenes": [
            {
                "画面": str(s.get("画面", "")).strip(),
                "字幕": _subtitles(s.get("字幕")),
                "口播": str(s.get("口播", "")).strip(),
            }
            for s in scenes
            if isinstance(s, dict)
        ],
        "cta": str(data.get("cta") or (data.get("script") or {}).get("cta") or "").strip(),
    }


def _subtitles(value) -> list[str]:
    """A scene's on-screen items as the model gave them: a list, or one string split at ｜/、/，."""
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    if isinstance(value, str) and value.strip():
        return [p.strip() for p in re.split(r"[｜|、，,/]", value) if p.strip()]
    return []


def to_version(answer: dict, profile: dict, facts: list[Fact]) -> Version:
    form = profile["form"]
    titles = [t for t in [answer["title"], *answer["titles"]] if t]
    titles = list(dict.fromkeys(titles))
    extra: dict = {}
    body = answer["body"]
    if form == "video" and answer["scenes"]:
        seconds = profile.get("script", {}).get("hook_seconds", 3)
        hook = answer["hook"] or (titles[0] if titles else "")
        scenes = [{**sc, "秒": shape_rules.seconds(sc["口播"])} for sc in answer["scenes"]]
        extra = {"hook": hook, "hook_seconds": seconds, "scenes": scenes, "cta": answer["cta"]}
        body = shape_rules.script_text(hook, seconds, scenes, answer["cta"])
    if answer["summary"]:
        extra["digest" if profile.get("digest") else "summary"] = answer["summary"]
    if answer["cover_text"]:
        extra["cover_text"] = answer["cover_text"]
    tags = format_tags(answer["tags"], profile)
    if form == "post" and tags and not any(t in body for t in tags):
        body = "".join(tags[:2]) + body
    version = Version(
        platform=profile["key"],
        title=titles[0] if titles and profile.get("title") else "",
        title_options=titles[:3] if profile.get("title") else [],
        body=body,
        tags=tags,
        extra=extra,
        source="model",
    )
    version.findings = review(version, profile)
    if profile.get("digest") and extra.get("digest"):
        n = compliance.measure(extra["digest"], profile)
        if n > profile["digest"]["max"]:
            version.findings.append(
                compliance.Finding(
                    None,
                    None,
                    extra["digest"][:12] + "…",
                    "length",
                    "medium",
                    f"摘要 {n} 字，超过{profile['name']}的上限 {profile['digest']['max']} 字。",
                    "删短摘要",
                    "digest",
                )
            )
    settle_facts(version, facts)
    return version


def problems(version: Version, profile: dict) -> list[str]:
    """What a repair round must fix, in words for the model: the check's findings, the platform's
    shape (length range, duration, subtitles, links), facts left out, placeholders."""
    out = [f"形式：{p}" for p in shape_rules.check(version, profile)["problems"]]
    for f in version.findings:
        if f.severity in ("high", "medium"):
            where = f"（{f.text}）" if f.text and f.category != "length" else ""
            out.append(f"{f.reason}{where}建议：{f.suggestion}")
    if version.dropped_facts:
        out.append("漏掉了这些信息，请原样写进去：" + "；".join(f.text for f in version.dropped_facts))
    holes = _PLACEHOLDER.findall(version.full_text())
    if holes:
        out.append("有待填的占位符，请换成材料里的内容或删去：" + "、".join(holes[:5]))
    return out


def write(
    s: Settings, profile: dict, *, material: str, kind: str, facts: list[Fact], voice: list[str]
) -> Version:
    """A version written by the model, retried once on malformed JSON and repaired once."""
    messages = [
        {"role": "system", "content": system_prompt()},
        {
            "role": "user",
            "content": task_prompt(profile, material=material, kind=kind, facts=facts, voice=voice),
        },
    ]
    content = chat(s, messages)
    notes: list[str] = []
    try:
        answer = parse_answer(content)
    except ModelError as exc:
        messages += [
            {"role": "assistant", "content": content[:4000]},
            {"role": "user", "content": f"{exc}。请只输出一个 JSON 对象，字段同上。"},
        ]
        content = chat(s, messages)
        answer = parse_answer(content)  # a second malformed answer gives up (the caller falls back)
        notes.append("模型第一次的回答格式不对，已让它重写。")
    version = to_version(answer, profile, facts)
    todo = problems(version, profile)
    if todo:
        messages += [
            {"role": "assistant", "content": json.dumps(answer, ensure_ascii=False)},
            {
                "role": "user",
                "content": "检查发现这些问题，请修改后输出完整的 JSON：\n"
                + "\n".join(f"- {p}" for p in todo),
            },
        ]
        try:
            repaired = to_version(parse_answer(chat(s, messages)), profile, facts)
        except ModelError as exc:
            notes.append(f"让模型修改时失败（{exc}），下面是它的初稿。")
        else:
            left = problems(repaired, profile)
            if len(left) <= len(todo):
                version = repaired
                notes.append(
                    "检查发现的问题已让模型改过一轮" + ("，还剩下面这些。" if left else "，都已改好。")
                )
            else:
                notes.append("模型改过的版本问题更多，保留初稿。")
    version.notes = notes
    still = _PLACEHOLDER.findall(version.full_text())
    if still:
        version.notes.append("稿子里还有待填的占位符：" + "、".join(still[:5]))
    return version
