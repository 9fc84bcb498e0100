"""The console: a terminal or a pipe speaks for one person of one team."""

from __future__ import annotations

import re
import sys
import threading
import uuid
from datetime import datetime

from bot.channels.base import Channel, OutboxItem
from bot.models import Message, Person
from bot.push_route import PushScope

PLATFORM = "console"
_MENTION = re.compile(r"@(\S+?)(?=[\s,，:：]|$)")
# How people address the bot itself on the console; such an @ is removed, like on a platform.
BOT_NAMES = ("小编", "xiaobian")
_SELF = re.compile(r"^\s*[@＠](?:" + "|".join(BOT_NAMES) + r")(?=[\s,，:：]|$)[\s,，:：]*", re.IGNORECASE)


def channel_name(team: str) -> str:
    return f"{PLATFORM}:{team}"


class ConsoleChannel(Channel):
    """Prints replies for one console team; other console teams' messages wait for their own console."""

    platform = PLATFORM

    def __init__(self, team: str, out=None):
        self.team = team
        self.name = channel_name(team)
        self.out = out if out is not None else sys.stdout
        self._lock = threading.Lock()

    def make_message(self, text: str, *, user: str, user_name: str = "", now: datetime) -> Message:
        """A line typed on the console, as a message of the console team."""
        text = _SELF.sub("", text)
        mentions = [Person(m) for m in _MENTION.findall(text)]
        return Message(
            platform=PLATFORM,
            tenant="local",
            chat_id=self.team,
            chat_name=self.team,
            chat_type="group",
            sender=Person(user, user_name or user),
            text=text,
            message_id=uuid.uuid4().hex,
            time=now,
            channel=self.name,
            mentions=mentions,
        )

    def deliver(self, item: OutboxItem) -> None:
        text = item.reply.to_text()
        if item.kind != "reply":
            text = f"[推送] {text}"
        with self._lock:
            self.out.write(text.rstrip() + "\n\n")
            self.out.flush()

    def push_scope(self) -> PushScope:
        return PushScope(platform=PLATFORM, chat=self.team)
