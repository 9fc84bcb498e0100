"""An optional OpenAI-compatible chat model for drafting; the templates are the fallback on any failure.

Plain ``urllib``: one POST to ``{XIAOBIAN_LLM_BASE_URL}/chat/completions``. The call runs in the
command's prepare step, outside any database transaction.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request

log = logging.getLogger(__name__)

SYSTEM = (
    "你是企业新媒体团队的小编，按平台规则写稿。只输出一个 JSON 对象，不要解释。"
    "字段：titles（3 个标题的数组）、body（正文或视频的分镜文字）、tags（话题词数组，不带#）、"
    "script（视频平台才有：{hook, scenes:[{画面, 口播}], cta}）。"
    "不得使用《广告法》禁止的绝对化用语（最、第一、国家级、顶级等），不写站外联系方式。"
)


class ModelError(Exception):
    pass


def configured(config) -> bool:
    return bool(config.get("XIAOBIAN_LLM_BASE_URL") and config.get("XIAOBIAN_LLM_MODEL"))


def _prompt(brief, profile: dict) -> str:
    limits = []
    if profile.get("title"):
        limits.append(f"标题不超过 {profile['title']['max']} 字")
    if profile.get("body"):
        limits.append(f"正文不超过 {profile['body']['max']} 字")
    if profile["tags"]["style"] != "none":
        limits.append(f"话题不超过 {profile['tags'].get('max') or 8} 个")
    fields = "；".join(f"{k}：{v}" for k, v in brief.fields.items())
    return (
        f"平台：{profile['name']}（形式：{profile['form']}）。{'，'.join(limits)}。\n"
        f"主题：{brief.topic}\n卖点：{'、'.join(brief.points) or '（未给）'}\n{fields}\n"
        + (f"参考内容（来自已改过的稿件）：{'；'.join(brief.material)}\n" if brief.material else "")
        + "请写一篇适合这个平台的稿件，改写而不是照搬。"
    )


def complete(config, brief, profile: dict, *, timeout: float | None = None) -> dict:
    """Ask the model for a draft; returns ``{"titles", "body", "tags", "script"}`` or raises ModelError."""
    base = config.get("XIAOBIAN_LLM_BASE_URL").rstrip("/")
    timeout = timeout or float(config.get("XIAOBIAN_LLM_TIMEOUT", "20") or 20)
    payload = {
        "model": config.get("XIAOBIAN_LLM_MODEL"),
        "messages": [
            {"role": "system", "content": SYSTEM},
            {"role": "user", "content": _prompt(brief, profile)},
        ],
        "temperature": 0.7,
    }
    request = urllib.request.Request(
        f"{base}/chat/completions",
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    key = config.get("XIAOBIAN_LLM_API_KEY")
    if key:
        request.add_header("Authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            data = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise ModelError(f"HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ModelError(f"network: {type(exc).__name__}") from None
    except json.JSONDecodeError:
        raise ModelError("response is not JSON") from None
    try:
        content = data["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ModelError("unexpected response shape") from None
    return parse_content(content)


def parse_content(content: str) -> dict:
    """The model's JSON answer, checked for shape (fenced code blocks allowed)."""
    text = content.strip()
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.S)
    if fenced:
        text = fenced.group(1)
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ModelError("model answer is not JSON") from None
    titles = data.get("titles") or []
    body = data.get("body")
    tags = data.get("tags") or []
    if (
        not isinstance(body, str)
        or not body.strip()
        or not isinstance(titles, list)
        or not isinstance(tags, list)
    ):
        raise ModelError("model answer misses body/titles/tags")
    script = data.get("script") if isinstance(data.get("script"), dict) else None
    return {
        "titles": [str(t) for t in titles if str(t).strip()][:5],
        "body": body.strip(),
        "tags": [str(t) for t in tags][:20],
        "script": script,
    }
