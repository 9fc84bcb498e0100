"""A question the bot asked one person and waits for: 确认 a doubtful number, 确认导入 a rehearsed
file, a number choosing one reading of a reminder.

One home for where it is kept (per team and person, so two people asked at once keep their own),
how long it waits (:data:`MINUTES`), and what is said when nothing waits any more.
"""

from __future__ import annotations

from datetime import timedelta

from bot.context import Context
from bot.errors import UsageError
from storage import kv

MINUTES = 10
# The kinds of question, each with the key prefix it has always been kept under.
CONFIRM_RECORD = "metrics_confirm"
CONFIRM_IMPORT = "metrics_import"
CHOOSE_READING = "reminder_question"


def _key(ctx: Context, kind: str) -> str:
    return f"{kind}:{ctx.team_id}:{ctx.user_id}"


def ask(ctx: Context, kind: str, value: str) -> None:
    """Remember ``value`` as the answer this person may give within :data:`MINUTES` (replacing an older one)."""
    kv.put(ctx.db, _key(ctx, kind), value, expires_at=ctx.now + timedelta(minutes=MINUTES))


def peek(ctx: Context, kind: str) -> str | None:
    """What waits for this person, or None (kept waiting)."""
    return kv.get(ctx.db, _key(ctx, kind), now=ctx.now)


def expect(ctx: Context, kind: str, *, nothing: str, example: str | None = None) -> str:
    """What waits for this person; when nothing does (never asked, or more than :data:`MINUTES`
    ago), a :class:`UsageError` saying ``nothing``."""
    value = peek(ctx, kind)
    if value is None:
        raise UsageError(nothing, example=example)
    return value


def settle(ctx: Context, kind: str) -> None:
    """The question is answered (or made moot): forget it."""
    kv.delete(ctx.db, _key(ctx, kind))
