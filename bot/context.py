"""What a handler receives: the message, its team and speaker, the arguments, the time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlite_utils

from bot.config import Config
from bot.models import Message, Person, PushUrl
from bot.registry import ROLE_RANK, CommandSpec, Registry
from storage.teams import Team


@dataclass(frozen=True)
class Services:
    """What the engine lends a handler beyond the message: nothing platform-specific.

    ``registry``: the commands (for 帮助); ``can_push(team)``: whether a scheduled message to the
    team has a route; ``read_push_url(url)``: which push channel a webhook URL belongs to, or None;
    ``fetch_file(message, file)``: the bytes of a file sent in the chat (raises ``FileUnavailable``).
    """

    registry: Registry
    can_push: Callable[[Team], bool] = lambda team: True
    read_push_url: Callable[[str], PushUrl | None] = lambda url: None
    fetch_file: Callable[[Message, dict], bytes] | None = None  # the bytes of a file a person sent


@dataclass
class Context:
    message: Message
    team: Team
    person: dict
    role: str
    db: sqlite_utils.Database
    config: Config
    now: datetime  # aware, in the team's zone
    command: CommandSpec | None = None
    args: str = ""  # folded (half-width) arguments
    raw_args: str = ""  # the arguments as typed
    command_word: str = ""  # the name or alias the command was called by, as typed
    inbox_id: int | None = None
    prepared: object = None  # what the command's prepare step returned
    services: Services = field(default_factory=lambda: Services(Registry()))
    redacted_text: str | None = None  # set by redact(): what the stored copy of the message says instead

    def redact(self, replacement: str) -> None:
        """The message carries a credential: once handled, keep only ``replacement`` in the inbox."""
        self.redacted_text = replacement

    @property
    def team_id(self) -> int:
        return self.team.id

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.team.tz)

    @property
    def user_id(self) -> str:
        return self.message.sender.user_id

    @property
    def sender(self) -> Person:
        return self.message.sender

    @property
    def tokens(self) -> list[str]:
        return self.args.split()

    def has_role(self, role: str) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]


@dataclass
class JobContext:
    """What a scheduled job, its ``prepare`` step and a demo seeder are given — never the engine.

    ``now`` is aware and local to the team (as in :class:`Context`); ``due`` is the fire time the
    row was due at (aware); ``late`` says the bot was down past it; ``prepared`` is what the job's
    ``prepare`` returned (slow work done before the fire's transaction); ``clock`` is the engine's
    clock, for clients that keep tokens with expiry times.
    """

    team: Team
    db: sqlite_utils.Database
    config: Config
    now: datetime
    due: datetime  # when the row was due (a seeder's: now)
    row: dict = field(default_factory=dict)
    late: bool = False
    prepared: Any = None
    clock: Callable[[], datetime] | None = None

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.team.tz)

    @property
    def payload(self) -> dict:
        return self.row.get("payload") or {}

    @classmethod
    def of(cls, bot, team: Team, now: datetime, **fields) -> JobContext:
        """The context for ``team`` at ``now`` from the engine (the engine's side of the seam)."""
        local = now.astimezone(ZoneInfo(team.tz))
        fields.setdefault("due", local)
        return cls(team=team, db=bot.db, config=bot.config, now=local, clock=bot.now, **fields)
