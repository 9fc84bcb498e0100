"""The words of a phrase that are not its time: the task, and the people to remind."""

from __future__ import annotations

import re

_REMIND_ZH = re.compile(r"提醒\s*(我们|我|大家|所有人|全体|各位)?")
_AT = re.compile(r"@(\S+?)(?=[\s,，:：]|$)")
_EN_SCAFFOLD = re.compile(
    r"\b(remind|ping|tell)\s+(me|us|everyone|all)\b(\s+to\b)?|^\s*to\b|\bto\s*$", re.IGNORECASE
)


def split_task(text: str, used: list[bool], english: bool) -> tuple[str, list[str]]:
    """The words that are not the time phrase, minus the 'remind me' scaffolding; and who."""
    rest = "".join(" " if u else c for c, u in zip(text, used, strict=False))
    people: list[str] = []
    for name in _AT.findall(rest):
        people.append(name)
    rest = _AT.sub(" ", rest)
    if english:
        m = re.search(r"\b(?:remind|ping|tell)\s+(me|us|everyone|all)\b", rest, re.IGNORECASE)
        if m:
            people.insert(0, "大家" if m.group(1).lower() in ("us", "everyone", "all") else "我")
        rest = _EN_SCAFFOLD.sub(" ", rest)
        while True:
            trimmed = re.sub(
                r"^\s*(?:to|at|on|in|by)\b|\b(?:to|at|on|in|by)\s*$", " ", rest.strip(), flags=re.I
            )
            if trimmed.strip() == rest.strip():
                break
            rest = trimmed
    else:
        m = _REMIND_ZH.search(rest)
        if m:
            who = m.group(1) or ""
            if who in ("大家", "所有人", "全体", "各位", "我们"):
                people.insert(0, "大家")
            elif who == "我":
                people.insert(0, "我")
            rest = rest[: m.start()] + " " + rest[m.end() :]
    task = re.sub(r"\s+", " ", rest).strip(" ,，.。:：;；!！、")
    task = re.sub(r"^(?:在|要|记得|去|的|时|时候)\s*", "", task)
    task = re.sub(r"^(?:hi|hello|hey)[,，.\s]*(?:all|everyone)?[,，.\s]*", "", task, flags=re.IGNORECASE)
    return task.strip(" ,，.。:：;；!！、"), people
