"""Which account a person means: ``抖音``, ``抖音:主号``, an account's own name, or 全部."""

from __future__ import annotations

import re

from bot.context import Context
from bot.errors import UsageError
from handlers.shared import platforms
from storage import metrics as store


def split_account(ctx: Context, text: str) -> tuple[dict, str, str]:
    """``抖音 …`` / ``抖音:品牌号 …`` / ``品牌号 …`` at the start → (platform profile, account name, rest)."""
    text = text.strip()
    profile, rest = platforms.split_leading(text)
    if profile is not None:
        m = re.match(r"[:/：]\s*(\S+)\s*(.*)$", rest, re.S)
        if m:
            return profile, m.group(1), m.group(2)
        m = re.search(r"账号\s*[=:：]\s*(\S+)", rest)
        if m:
            return profile, m.group(1), (rest[: m.start()] + rest[m.end() :]).strip()
        return profile, store.DEFAULT_ACCOUNT, rest
    first, _, rest = text.partition(" ")
    found = store.find_account(ctx.db, ctx.team_id, first)
    if len(found) == 1:
        return platforms.profiles()[found[0]["platform"]], first, rest
    raise UsageError(f"第一个词应是平台或账号名。可选平台：{platforms.names()}。")


def accounts_for(ctx: Context, word: str) -> list[dict]:
    if word in ("全部", "all", "所有", ""):
        return store.accounts(ctx.db, ctx.team_id)
    profile, rest = platforms.split_leading(word)
    if profile is not None:
        name = rest.lstrip(":：/").strip()
        found = store.accounts(ctx.db, ctx.team_id, profile["key"])
        return [a for a in found if not name or a["name"] == name]
    return store.find_account(ctx.db, ctx.team_id, word)
