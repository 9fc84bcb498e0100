"""Helpers shared by handlers: people named in a command, role words, small formatting."""

from __future__ import annotations

import re

from bot import timerules
from bot.context import Context
from bot.models import Person
from storage import schedules, teams

_AT = re.compile(r"@(\S+?)(?=[\s,，:：]|$)")

ROLE_WORDS = {
    "成员": "member",
    "member": "member",
    "普通成员": "member",
    "经理": "manager",
    "主管": "manager",
    "manager": "manager",
    "管理员": "admin",
    "admin": "admin",
}


def named_people(ctx: Context) -> list[Person]:
    """People a command names with @: the platform's mentions, else ``@name`` words in the text.

    A ``@name`` is matched against the team's people by id or display name; one the bot has
    not seen yet is taken as a user id.
    """
    if ctx.message.mentions:
        return list(ctx.message.mentions)
    found = []
    for word in _AT.findall(ctx.args):
        known = teams.find_people(ctx.db, ctx.team_id, word)
        if known:
            found.append(Person(known[0]["user_id"], known[0]["name"]))
        else:
            found.append(Person(word, word))
    return found


def strip_mentions(text: str) -> str:
    """The text without its ``@name`` words."""
    return " ".join(_AT.sub(" ", text).split())


def person_label(row: dict) -> str:
    return row["name"] or row["user_id"]


NO_PUSH_NOTE = "注意：本群还没有推送方式，到点的消息可能发不出来。请管理员「推送 绑定 <群机器人地址>」。"


def push_warning(ctx: Context) -> str:
    """A note for commands that schedule messages into a team the bot cannot push to."""
    can_push = ctx.services.get("can_push")
    return "" if can_push is None or can_push(ctx.team) else NO_PUSH_NOTE


def add_schedule(
    db,
    team: dict,
    kind: str,
    rule: dict,
    *,
    now,
    payload: dict,
    by: str,
    ref_id: int | None = None,
    first=None,
) -> int:
    """A dispatcher row for ``team`` in its zone; the first fire time comes from the rule unless given."""
    if first is None:
        first = timerules.first_fire(rule, team["tz"], now)
    return schedules.create(
        db,
        team_id=team["id"],
        kind=kind,
        rule=rule,
        tz=team["tz"],
        next_fire_at=first,
        now=now,
        payload=payload,
        created_by=by,
        ref_id=ref_id,
    )
