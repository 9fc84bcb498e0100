"""The normalised incoming message and the platform-neutral reply."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

TONES = ("info", "ok", "warn", "error")


@dataclass(frozen=True)
class Person:
    """Someone on a chat platform: their platform user id and a display name."""

    user_id: str
    name: str = ""

    @property
    def label(self) -> str:
        return self.name or self.user_id


@dataclass
class Message:
    """One thing a person said to the bot, the same shape from every platform.

    ``text`` has the bot's own @mention removed; ``mentions`` are the other people mentioned.
    ``addressed`` says whether the bot was spoken to (always true in a 1:1 chat).
    ``channel`` names the channel that answers it; ``reply_context`` is that channel's own
    data for answering (a response URL, the message to reply to).
    """

    platform: str
    chat_id: str
    sender: Person
    text: str
    message_id: str
    time: datetime
    channel: str
    tenant: str = ""
    chat_type: str = "group"
    chat_name: str = ""
    mentions: list[Person] = field(default_factory=list)
    addressed: bool = True
    kind: str = "text"
    reply_context: dict = field(default_factory=dict)
    files: list[dict] = field(default_factory=list)  # kind=file: {"key", "name"} as the channel knows them

    @property
    def chat_key(self) -> str:
        return chat_key(self.platform, self.tenant, self.chat_id)

    def to_dict(self) -> dict:
        """A JSON-ready copy (built by hand: ``asdict`` deep-copies, and this runs on every ack)."""
        return {
            "platform": self.platform,
            "chat_id": self.chat_id,
            "sender": {"user_id": self.sender.user_id, "name": self.sender.name},
            "text": self.text,
            "message_id": self.message_id,
            "time": self.time.isoformat(),
            "channel": self.channel,
            "tenant": self.tenant,
            "chat_type": self.chat_type,
            "chat_name": self.chat_name,
            "mentions": [{"user_id": p.user_id, "name": p.name} for p in self.mentions],
            "addressed": self.addressed,
            "kind": self.kind,
            "reply_context": json.loads(json.dumps(self.reply_context)),
            "files": [dict(f) for f in self.files],
        }

    @classmethod
    def from_dict(cls, data: dict) -> Message:
        data = dict(data)
        data["time"] = datetime.fromisoformat(data["time"])
        data["sender"] = Person(**data["sender"])
        data["mentions"] = [Person(**m) for m in data.get("mentions", [])]
        return cls(**data)


def chat_key(platform: str, tenant: str, chat_id: str) -> str:
    """The key that orders messages of one chat."""
    return f"{platform}:{tenant}:{chat_id}"


@dataclass(frozen=True)
class PushUrl:
    """A push webhook URL as the channel that serves it reads it (``推送 绑定``).

    ``kind`` names the push channel (``wecom_robot``, ``feishu_bot``); ``key`` is the credential
    inside the URL (shown only masked); ``label`` says what it is in Chinese; ``takes_secret``
    whether a signing secret may come with it, and ``hint`` what to advise when one could but did not.
    """

    kind: str
    key: str
    label: str
    takes_secret: bool = False
    hint: str = ""


@dataclass
class Button:
    """A button that, pressed, runs ``command`` as if the presser had typed it."""

    label: str
    command: str
    style: str = "default"  # default | primary | danger


@dataclass
class Attachment:
    """A file sent with a reply (a chart): its name, media type and bytes, base64-free on disk."""

    name: str
    media_type: str
    path: str


@dataclass
class Reply:
    """What a handler answers; each channel renders it in its own form.

    ``body`` uses a small markdown subset: ``**bold**``, lines starting with ``- `` or
    ``1. ``, ``> `` quotes, and blank lines between paragraphs. ``fields`` are short
    label/value pairs; ``buttons`` carry commands; ``mentions`` are user ids to @.
    """

    body: str = ""
    title: str = ""
    tone: str = "info"
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    mentions: list[Person] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    note: str = ""

    def __post_init__(self):
        if self.tone not in TONES:
            raise ValueError(f"unknown tone {self.tone!r}")

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Reply:
        data = dict(data)
        data["fields"] = [tuple(f) for f in data.get("fields", [])]
        data["buttons"] = [Button(**b) for b in data.get("buttons", [])]
        data["mentions"] = [Person(**p) for p in data.get("mentions", [])]
        data["attachments"] = [Attachment(**a) for a in data.get("attachments", [])]
        return cls(**data)

    def images(self, *, limit: int | None = None) -> list[Attachment]:
        """The attached images a channel can send: files that are there (a chart drawn on another
        machine, or cleaned up since, is not) and, with ``limit``, no larger than that many bytes."""
        out = []
        for a in self.attachments:
            if not (a.media_type.startswith("image/") and a.path):
                continue
            path = Path(a.path)
            if path.is_file() and (limit is None or path.stat().st_size <= limit):
                out.append(a)
        return out

    def to_text(self, *, with_buttons: bool = True) -> str:
        """Plain text: for the console and for platforms without rich messages."""
        lines: list[str] = []
        if self.mentions:
            lines.append(" ".join(f"@{p.label}" for p in self.mentions))
        if self.title:
            mark = {"ok": "✅ ", "warn": "⚠️ ", "error": "❌ "}.get(self.tone, "")
            lines.append(f"{mark}{self.title}")
        if self.body:
            lines.append(strip_markdown(self.body))
        for label, value in self.fields:
            lines.append(f"{label}：{value}")
        for att in self.attachments:
            lines.append(f"[附件] {att.name}：{att.path}")
        if with_buttons and self.buttons:
            lines.append("可回复：" + " ｜ ".join(f"「{b.command}」({b.label})" for b in self.buttons))
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)


_BOLD = re.compile(r"\*\*(.+?)\*\*")


def strip_markdown(text: str) -> str:
    """Remove the markdown subset's markup, keeping the words and list marks."""
    return _BOLD.sub(r"\1", text)


def as_replies(result) -> list[Reply]:
    """Normalise what a handler returned (a Reply, a string, a list, None) into replies."""
    if result is None:
        return []
    if isinstance(result, Reply):
        return [result]
    if isinstance(result, str):
        return [Reply(body=result)]
    replies: list[Reply] = []
    for item in result:
        replies.extend(as_replies(item))
    return replies
