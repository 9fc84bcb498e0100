"""Where a scheduled message to a team goes: the one place that decides it.

Each channel says, as data, which teams it can reach without being asked (:class:`PushScope`):
a platform (and, where the channel is tied to one, a tenant or a chat), or a kind of webhook a
team binds with 推送 绑定. :func:`resolve` picks the route once, when the row is queued, and the
route (the channel's name and the target) is stored on the outbox row; channels only deliver it.

The order, from the first that applies:

1. a channel connected to the team's platform and tenant (and chat, for the console) — the bot
   is in the chat, so it speaks there itself;
2. the webhook the team bound (WeCom group robot, Feishu custom bot), if its channel is on;
3. none: the row is dead-lettered with the reason (a console team's rows wait for its console).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage import push_targets
from storage.teams import Team


@dataclass(frozen=True)
class PushScope:
    """The teams a channel can push to. ``tenant``/``chat`` None mean any; ``binding`` names the
    ``push_targets.kind`` a webhook channel delivers (then platform, tenant and chat are unused)."""

    platform: str = ""
    tenant: str | None = None
    chat: str | None = None
    binding: str = ""

    def reaches(self, team: Team) -> bool:
        return (
            not self.binding
            and self.platform == team.platform
            and (self.tenant is None or self.tenant == team.tenant)
            and (self.chat is None or self.chat == team.chat_id)
        )


@dataclass(frozen=True)
class Route:
    """A push route: the channel that delivers and the target stored with the outbox row."""

    channel: str
    target: dict


def resolve(channels: Iterable, db, team: Team) -> Route | None:
    """The route for a push to ``team`` through one of ``channels``, or None when none reaches it."""
    scoped = [(channel, channel.push_scope()) for channel in channels]
    address = {"platform": team.platform, "tenant": team.tenant, "chat_id": team.chat_id}
    for channel, scope in scoped:
        if scope is not None and scope.reaches(team):
            return Route(channel.name, address)
    bound = push_targets.get(db, team.id)
    if bound is not None:
        for channel, scope in scoped:
            if scope is not None and scope.binding == bound["kind"]:
                return Route(channel.name, {**address, "binding": bound["kind"]})
    return None
