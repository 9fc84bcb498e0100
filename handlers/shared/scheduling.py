"""Helpers for commands that schedule messages: a dispatcher row in the team's zone, the no-route warning, re-timing."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot import timerules
from bot.context import Context
from storage import schedules
from storage.teams import Team

NO_PUSH_NOTE = "注意：本群还没有推送方式，到点的消息可能发不出来。请管理员「推送 绑定 <群机器人地址>」。"


def push_warning(ctx: Context) -> str:
    """A note for commands that schedule messages into a team the bot cannot push to."""
    return "" if ctx.services.can_push(ctx.team) else NO_PUSH_NOTE


def add_schedule(
    db,
    team: Team,
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
        first = timerules.first_fire(rule, team.tz, now)
    return schedules.create(
        db,
        team_id=team.id,
        kind=kind,
        rule=rule,
        tz=team.tz,
        next_fire_at=first,
        now=now,
        payload=payload,
        created_by=by,
        ref_id=ref_id,
    )


def retime_schedules(db, team_id: int, tz: str, now: datetime) -> int:
    """After a team's zone changes: repeating schedules keep their wall-clock times in the new zone."""
    count = 0
    for kind in schedules.kinds_for_team(db, team_id):
        for row in schedules.list_for_team(db, team_id, kind):
            rule = row["rule"]
            if rule["kind"] == "interval":
                start = datetime.fromisoformat(rule["start"])
                rule = {**rule, "start": start.replace(tzinfo=ZoneInfo(tz)).isoformat()}
            nxt = (
                timerules.first_fire(rule, tz, now) if rule["kind"] != "at" else schedules.next_fire_time(row)
            )
            if nxt is not None:
                schedules.set_next(db, row["id"], nxt, rule=rule, tz=tz)
                count += 1
    return count
