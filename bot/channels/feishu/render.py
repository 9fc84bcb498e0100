"""Rendering a neutral Reply as a Feishu card (JSON 2.0), split to stay under the size limit."""

from __future__ import annotations

import json
import re

from bot.models import Reply

TEMPLATE = {"ok": "green", "warn": "orange", "error": "red", "info": "blue"}
CARD_LIMIT = 28_000  # bytes; Feishu refuses cards over 30 KB
BUTTON_TYPE = {"primary": "primary_filled", "danger": "danger_filled", "default": "default"}


def _md(text: str) -> str:
    """Our markdown subset → Feishu card markdown (quotes become plain grey lines)."""
    return re.sub(r"^> ?(.*)$", r"<font color='grey'>\1</font>", text, flags=re.M)


def _mentions(reply: Reply) -> str:
    return " ".join(
        "<at id=all></at>" if p.user_id == "@all" else f"<at id={p.user_id}></at>" for p in reply.mentions
    )


def card(
    reply: Reply,
    *,
    body: str | None = None,
    title_suffix: str = "",
    images: list[str] | None = None,
    with_buttons: bool = True,
) -> dict:
    elements: list[dict] = []
    mention = _mentions(reply)
    text = body if body is not None else reply.body
    if mention or text:
        elements.append({"tag": "markdown", "content": "\n".join(x for x in (mention, _md(text)) if x)})
    if reply.fields and body is None:
        elements.append({"tag": "markdown", "content": "\n".join(f"**{k}**：{v}" for k, v in reply.fields)})
    for key in images or []:
        elements.append({"tag": "img", "img_key": key, "alt": {"tag": "plain_text", "content": "图表"}})
    if with_buttons and reply.buttons and body is None:
        for b in reply.buttons:
            elements.append(
                {
                    "tag": "button",
                    "text": {"tag": "plain_text", "content": b.label},
                    "type": BUTTON_TYPE.get(b.style, "default"),
                    "behaviors": [{"type": "callback", "value": {"command": b.command}}],
                }
            )
    if reply.note and body is None:
        elements.append({"tag": "markdown", "content": f"<font color='grey'>{reply.note}</font>"})
    if not elements:
        elements.append({"tag": "markdown", "content": " "})
    return {
        "schema": "2.0",
        "config": {"update_multi": True},
        "header": {
            "title": {"tag": "plain_text", "content": (reply.title or "小编") + title_suffix},
            "template": TEMPLATE[reply.tone],
        },
        "body": {"elements": elements},
    }


def size(c: dict) -> int:
    return len(json.dumps(c, ensure_ascii=False).encode("utf-8"))


def cards(reply: Reply, images: list[str] | None = None) -> list[dict]:
    """One card, or several when the body is too long (fields, buttons and note on the last)."""
    whole = card(reply, images=images)
    if size(whole) <= CARD_LIMIT:
        return [whole]
    chunks: list[str] = []
    current = ""
    for line in reply.body.split("\n"):
        while len(line.encode("utf-8")) > CARD_LIMIT // 2:
            cut = line.encode("utf-8")[: CARD_LIMIT // 2].decode("utf-8", "ignore")
            chunks.append(cut)
            line = line[len(cut) :]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode("utf-8")) > CARD_LIMIT - 2000:
            chunks.append(current)
            current = line
        else:
            current = candidate
    chunks.append(current)
    out = []
    for i, chunk in enumerate(chunks):
        last = i == len(chunks) - 1
        part = Reply(
            title=reply.title,
            body=chunk,
            tone=reply.tone,
            mentions=reply.mentions if i == 0 else [],
            fields=reply.fields if last else [],
            buttons=reply.buttons if last else [],
            note=reply.note if last else "",
        )
        out.append(card(part, title_suffix=f"（{i + 1}/{len(chunks)}）", images=images if last else None))
    return out


def outcome_card(reply: Reply) -> dict:
    """The card that replaces a pressed card: the command's answer, without further buttons."""
    return card(reply, with_buttons=False)
