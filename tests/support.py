"""The test bot: push a message as a person of a team, read the bot's replies.

Messages go through the real path: ``Bot.receive`` (inbox) → worker threads (router,
handler, storage) → outbox → a capturing channel.
"""

from __future__ import annotations

import itertools
import os
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.channels.base import Channel, DeliveryError, OutboxItem
from bot.config import Config
from bot.engine import Bot
from bot.models import Message, Person, Reply
from bot.registry import Registry
from bot.root import build_registry

DEFAULT_NOW = "2026-11-22T14:00:00+08:00"  # a Sunday afternoon in Shanghai, the shared time cases' base


def default_start() -> datetime:
    """Where test clocks start: ``XIAOBIAN_TEST_NOW`` (ISO 8601 with offset) or :data:`DEFAULT_NOW`.

    ``tests/hard_dates.py`` runs the suite again with this set to dates that break careless code
    (a month's first day, 12-31 23:59, 02-29, a Monday 00:00). Tests whose expectations name a
    date pin their clock with ``@pytest.mark.now(...)`` and are not moved.
    """
    text = os.environ.get("XIAOBIAN_TEST_NOW") or DEFAULT_NOW
    when = datetime.fromisoformat(text)
    if when.tzinfo is None:
        raise ValueError(f"XIAOBIAN_TEST_NOW needs an offset: {text!r}")
    return when.astimezone(UTC)


class FakeClock:
    """The project's clock seam in tests: a clock the test moves by hand.

    ``running=True`` makes it advance with real time from its start (for tests whose fakes
    and retries wait in real seconds) while still starting at a chosen instant.
    """

    def __init__(self, start: datetime | None = None, *, running: bool = False):
        self.now = start or default_start()
        self.running = running
        self._t0 = time.monotonic()
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            if self.running:
                return self.now + timedelta(seconds=time.monotonic() - self._t0)
            return self.now

    def advance(self, **kwargs) -> datetime:
        with self._lock:
            self.now = self.now + timedelta(**kwargs)
            return self.now

    def set(self, when: datetime) -> None:
        with self._lock:
            self.now = when


class CaptureChannel(Channel):
    """A channel for the ``test`` platform that keeps what it delivers.

    ``fail`` may be set to a function of the item that raises :class:`DeliveryError`.
    """

    def __init__(self, name: str = "test", platform: str = "test"):
        self.name = name
        self.platform = platform
        self.sent: list[OutboxItem] = []
        self.attempts: list[int] = []
        self.fail: Callable[[OutboxItem], None] | None = None
        self.files: dict[str, bytes] = {}  # what fetch_file hands out, by file key
        self._lock = threading.Lock()

    def deliver(self, item: OutboxItem) -> None:
        with self._lock:
            self.attempts.append(item.id)
        if self.fail is not None:
            self.fail(item)
        with self._lock:
            self.sent.append(item)

    def push_scope(self):
        from bot.push_route import PushScope

        return PushScope(platform=self.platform)

    def fetch_file(self, message, file: dict) -> bytes:
        from bot.channels.base import FileUnavailable

        if file["key"] not in self.files:
            raise FileUnavailable("文件已过期，请重新发送。")
        return self.files[file["key"]]

    def for_outbox(self, ids: set[int]) -> list[Reply]:
        with self._lock:
            return [i.reply for i in self.sent if i.id in ids]

    def pushes(self, chat_id: str | None = None) -> list[OutboxItem]:
        with self._lock:
            return [
                i
                for i in self.sent
                if i.kind != "reply" and (chat_id is None or i.target["chat_id"] == chat_id)
            ]


def always_fail(message: str = "boom", retryable: bool = True):
    def fail(item):
        raise DeliveryError(message, retryable=retryable)

    return fail


class TestBot:
    """A bot on a temporary database with a capturing channel and, optionally, a fake clock."""

    __test__ = False
    _ids = itertools.count(1)

    def __init__(
        self,
        db_path: str,
        *,
        admins: tuple[tuple[str, str], ...] = (("test", "boss"),),
        clock: FakeClock | None = None,
        registry: Registry | None = None,
        threads: int = 2,
        env: dict[str, str] | None = None,
        **bot_kwargs,
    ):
        self.config = Config(db_path=db_path, admins=frozenset(admins), env=dict(env or {}))
        self.clock = clock if clock is not None else FakeClock()
        self.bot = Bot(self.config, registry=registry or build_registry(), clock=self.clock, **bot_kwargs)
        from bot.dispatcher import Dispatcher

        self.bot.dispatcher = Dispatcher(self.bot)
        self.channel = self.bot.add_channel(CaptureChannel())
        # the push webhooks a team can bind (推送 绑定), as build_bot adds them
        from bot.channels.feishu.custom_bot import FeishuBotChannel
        from bot.channels.wecom.robot import WeComRobotChannel

        self.bot.add_channel(WeComRobotChannel())
        self.bot.add_channel(FeishuBotChannel())
        self.threads = threads
        if threads:
            self.bot.start(workers=threads, dispatcher=False)

    def message(
        self,
        text: str,
        *,
        user: str = "xiaowang",
        name: str | None = None,
        team: str = "team-a",
        chat_type: str = "group",
        addressed: bool = True,
        message_id: str | None = None,
        mentions: list[Person] | None = None,
        kind: str = "text",
        files: list[dict] | None = None,
    ) -> Message:
        return Message(
            platform="test",
            tenant="t1",
            chat_id=team,
            chat_type=chat_type,
            sender=Person(user, name if name is not None else user),
            text=text,
            message_id=message_id or f"m-{next(self._ids)}-{uuid.uuid4().hex[:8]}",
            time=self.bot.now(),
            channel=self.channel.name,
            mentions=mentions or [],
            addressed=addressed,
            kind=kind,
            files=files or [],
        )

    def send(self, message: Message, timeout: float = 10.0) -> list[Reply]:
        """Deliver a prepared message and wait for its replies."""
        inbox_id, _ = self.bot.receive(message)
        if not self.threads:
            self.bot.drain()
        rows = self.bot.wait_for(inbox_id, timeout=timeout)
        return self.channel.for_outbox({r["id"] for r in rows if r["status"] == "sent"})

    def say(self, text: str, **kwargs) -> list[Reply]:
        """Say ``text`` as a person (default ``xiaowang``) in a team (default ``team-a``)."""
        return self.send(self.message(text, **kwargs))

    def ask(self, text: str, **kwargs) -> str:
        """Say ``text`` and return the one reply as plain text."""
        replies = self.say(text, **kwargs)
        assert len(replies) == 1, f"expected one reply, got {len(replies)}: {[r.to_text() for r in replies]}"
        return replies[0].to_text()

    def tick(self) -> int:
        """Run the dispatcher once and deliver what it queued."""
        fired = self.bot.dispatcher.tick()
        self.bot.drain()
        return fired

    def team(self, chat_id: str = "team-a") -> dict:
        from storage import teams

        return teams.get_team_by_chat(self.bot.db, "test", "t1", chat_id)

    def close(self) -> None:
        self.bot.close()


class ServedBot:
    """The bot as ``xiaobian serve`` runs it: channels from the environment, workers, a real HTTP server."""

    __test__ = False

    def __init__(
        self, db_path: str, env: dict[str, str], *, workers: int = 2, start_channels: bool = True, **kwargs
    ):
        from pathlib import Path

        from bot import config as config_mod
        from bot.app import HttpServer, create_app
        from bot.root import build_bot

        environ = {"XIAOBIAN_DB": db_path, **env}
        self.config = config_mod.load(environ, dotenv=Path(db_path).parent / "no.env")
        kwargs.setdefault("clock", FakeClock(running=True))
        self.clock = kwargs["clock"]
        self.bot = build_bot(self.config, **kwargs)
        self.server = HttpServer(create_app(self.bot), "127.0.0.1", 0, threads=4).start()
        self.bot.start(workers=workers if start_channels else 0, dispatcher=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}"

    def channel(self, name: str):
        return self.bot.channels[name]

    def close(self) -> None:
        self.server.stop()
        self.bot.close()


def settled(bot) -> bool:
    """Nothing left to handle or to send: every message recorded is handled and every reply went
    out (or died). What a test waits for before saying "and nothing more arrived"."""
    from storage import inbox, outbox

    return inbox.depth(bot.db) == 0 and outbox.depth(bot.db) == 0


def wait_until(predicate, timeout: float = 10.0, interval: float = 0.02):
    """Poll ``predicate`` until it is truthy; return its value or fail."""

    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)
