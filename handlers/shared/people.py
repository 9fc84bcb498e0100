"""People in commands: who a command names with @, role words, how a person is shown."""

from __future__ import annotations

import re

from bot.context import Context
from bot.models import Person
from storage import teams

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
