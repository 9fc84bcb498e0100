"""Rendering a neutral Reply for WeCom: markdown with WeCom's colours, byte-safe splitting, template cards."""

from __future__ import annotations

import re

from bot.models import Reply

TONE_COLOUR = {"ok": "info", "warn": "warning", "error": "warning", "info": "comment"}
TONE_MARK = {"ok": "✅ ", "warn": "⚠️ ", "error": "❌ ", "info": ""}
APP_LIMIT = 2048
ROBOT_LIMIT = 4096


def markdown(reply: Reply, *, with_buttons: bool = True, with_attachments: bool = True) -> str:
    """WeCom markdown: a coloured bold title, the body, fields, and the commands buttons stand for."""
    lines: list[str] = []
    if reply.mentions:
        lines.append(
            " ".join("@所有人" if p.user_id == "@all" else f"<@{p.user_id}>" for p in reply.mentions)
        )
    if reply.title:
        colour = TONE_COLOUR[reply.tone]
        lines.append(f'**<font color="{colour}">{TONE_MARK[reply.tone]}{reply.title}</font>**')
    if reply.body:
        lines.append(reply.body)
    for label, value in reply.fields:
        lines.append(f'<font color="comment">{label}</font>：{value}')
    if with_attachments:  # where the images are not sent as images, say they exist
        for att in reply.attachments:
            lines.append(f"[图片] {att.name}")
    if with_buttons and reply.buttons:
        lines.append("> 回复 " + " 或 ".join(f"「{b.command}」" for b in reply.buttons))
    if reply.note:
        lines.append(f'<font color="comment">{reply.note}</font>')
    return "\n".join(lines)


def plain(reply: Reply) -> str:
    """Text for clients that do not render markdown (WeChat-side users)."""
    return re.sub(r"</?font[^>]*>", "", reply.to_text())


def split_bytes(text: str, limit: int) -> list[str]:
    """Split on line ends where possible, never inside a character, each part ≤ ``limit`` UTF-8 bytes."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode("utf-8")) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        current = ""
        while len(line.encode("utf-8")) > limit:
            cut = limit
            encoded = line.encode("utf-8")[:cut]
            piece = encoded.decode("utf-8", errors="ignore")
            parts.append(piece)
            line = line[len(piece) :]
        current = line
    if current or not parts:
        parts.append(current)
    return parts


def template_card(reply: Reply, task_id: str) -> dict:
    """A button_interaction template card; each button's key is the command it runs."""
    return {
        "card_type": "button_interaction",
        "main_title": {"title": reply.title[:26] or "小编", "desc": reply.note[:30] if reply.note else ""},
        "sub_title_text": re.sub(r"\*\*", "", reply.body)[:160],
        "horizontal_content_list": [{"keyname": k[:5], "value": v[:26]} for k, v in reply.fields[:6]],
        "task_id": task_id,
        "button_list": [
            {
                "text": b.label[:10],
                "style": {"primary": 1, "danger": 2}.get(b.style, 4),
                "key": b.command[:1024],
            }
            for b in reply.buttons[:6]
        ],
    }


def outcome_card(reply: Reply, task_id: str) -> dict:
    """The card a pressed button_interaction card becomes: the outcome, and one grey button saying it is done.

    ``replace_text`` makes WeCom show the button greyed out and not pressable.
    """
    return {
        "card_type": "button_interaction",
        "main_title": {"title": (TONE_MARK[reply.tone] + reply.title)[:26] or "小编"},
        "sub_title_text": re.sub(r"\*\*", "", reply.body)[:160],
        "horizontal_content_list": [{"keyname": k[:5], "value": v[:26]} for k, v in reply.fields[:6]],
        "task_id": task_id,
        "button_list": [{"text": "已处理", "style": 4, "key": "xiaobian:done"}],
        "replace_text": "已处理",
    }
