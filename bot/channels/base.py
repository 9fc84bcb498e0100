"""What every channel provides to the engine."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.models import PushUrl, Reply
from bot.push_route import PushScope
from storage import kv


class DeliveryError(Exception):
    """A send failed. ``retryable`` says whether trying again may help; ``retry_after`` (seconds)
    overrides the backoff when the platform said how long to wait; ``rate_limited`` marks a
    platform's "too many, wait" (429, 45009, 99991400): the wait does not count as an attempt."""

    def __init__(
        self,
        message: str,
        *,
        retryable: bool = True,
        retry_after: float | None = None,
        rate_limited: bool = False,
    ):
        super().__init__(message)
        self.retryable = retryable
        self.retry_after = retry_after
        self.rate_limited = rate_limited


class FileUnavailable(Exception):
    """A file someone sent cannot be fetched (expired, too large, the platform refused); says why in Chinese."""


class DeliveryDeferred(Exception):
    """Not a failure: the row is not ready to go yet (a stream the platform has still to pull).

    The row is tried again after ``retry_after`` seconds without counting an attempt.
    """

    def __init__(self, reason: str, *, retry_after: float = 2.0):
        super().__init__(reason)
        self.retry_after = retry_after


@dataclass
class OutboxItem:
    """One row of the outbox, decoded, as a channel sees it."""

    id: int
    channel: str
    target: dict
    reply: Reply
    kind: str
    attempts: int
    team_id: int | None = None
    inbox_id: int | None = None
    created_at: str = ""


class Channel:
    """A platform connection. Subclasses set ``name`` and ``platform`` and implement :meth:`deliver`.

    ``start``/``stop`` run background connections (long connections); ``blueprint`` returns
    the Flask routes a webhook channel serves.
    """

    name: str = ""
    platform: str = ""

    @classmethod
    def from_config(cls, config) -> Channel:
        """The channel as the configuration sets it up (its variables are listed in
        :mod:`bot.channels.catalog`)."""
        return cls(config)  # type: ignore[call-arg]

    def deliver(self, item: OutboxItem) -> None:
        raise NotImplementedError

    def push_scope(self) -> PushScope | None:
        """Which teams this channel can push to unasked (read only by :mod:`bot.push_route`); None: none."""
        return None

    def fetch_file(self, message, file: dict) -> bytes:
        """The bytes of a file sent in ``message`` (``file`` is one of ``message.files``)."""
        raise FileUnavailable("这个平台暂时收不了文件，请用 xiaobian import-metrics 导入。")

    def read_push_url(self, url: str) -> PushUrl | None:
        """A push channel says whether ``url`` is one of its webhooks; others answer None."""
        return None

    def send_in_parts(self, item: OutboxItem, parts: Sequence, send: Callable) -> None:
        """Send the parts of one outbox row in order with ``send(part)``.

        A row retried after a failure part-way resumes after the last part that went out, so
        the chat never sees a part twice; the progress is kept in SQLite, not in memory.
        """
        db = self.bot.db
        done_key = f"{self.name}:{item.id}:sent"
        done = int(kv.get(db, done_key, now=self.bot.now()) or 0)
        for i, part in enumerate(parts):
            if i < done:
                continue
            send(part)
            kv.put(db, done_key, str(i + 1))
        kv.delete(db, done_key)

    def bind(self, bot) -> None:
        """Called when the channel is added to a bot (for channels that need storage)."""
        self.bot = bot

    def start(self, bot) -> None:
        """Begin background work (a long connection); the default has none."""

    def stop(self) -> None:
        """End background work."""

    def prepare_web(self) -> None:
        """In a process that only serves webhooks: warm what the request path reads (no network wait)."""

    def has_connection(self) -> bool:
        """Whether this channel keeps a connection of its own (run by the worker process under
        ``serve``, whose status the web process then reports)."""
        return False

    def blueprint(self):
        """A Flask blueprint with this channel's webhook routes, or None."""
        return None

    def status(self) -> dict:
        """A small dict for ``/healthz``."""
        return {"on": True}
