"""档期 and 排期: the team's weekly publishing rhythm, nudges before empty slots, the week at a glance."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.context import Context, JobContext
from bot.errors import NotFound, UsageError
from bot.models import Person, Reply
from bot.registry import command, demo_seeder, job
from handlers.shared import best_time, platforms
from handlers.shared.draft_workflow import status_label
from handlers.shared.people import named_people, strip_mentions
from handlers.shared.rhythm import (
    DEFAULT_LEAD,
    WEEKDAY_CN,
    days_label,
    dow_list,
    lead_label,
    nudge_rule,
    slot_times,
)
from handlers.shared.scheduling import add_schedule, push_warning
from handlers.shared.time import parse as timeparse
from storage import drafts as draft_store
from storage import schedules, slots

KIND = "slot_nudge"

_LEAD = re.compile(r"提前\s*([\d一二两三四五六七八九十半]+)\s*个?\s*(小时|钟头|分钟|分|天)")


@command(
    "档期",
    aliases=("slots", "slot"),
    group="提醒与排期",
    usage="档期 [<平台> <每周几> <几点> [@负责人] [提前N小时]] | 档期 删除 <编号>",
    examples=(
        "档期 公众号 每周二 20:00",
        "档期 抖音 每周一三五 18:00 @小王 提前3小时",
        "档期",
        "档期 删除 2",
    ),
)
def slots_command(ctx: Context) -> Reply:
    """设定本群每个平台的固定发布节奏（档期）；到档期前还没有已通过的稿件时，提醒负责人。

    不带参数时列出所有档期。负责人默认是设定的人，提前量默认 2 小时。
    """
    args = ctx.args
    if not args:
        return _list_slots(ctx)
    m = re.fullmatch(r"(?:删除|取消|delete|remove)\s*#?(\d+)", args, re.IGNORECASE)
    if m:
        slot = slots.get(ctx.db, int(m.group(1)), team_id=ctx.team_id)
        if slot is None:
            raise NotFound(f"本群没有编号 #{m.group(1)} 的档期。发送「档期」查看。")
        slots.deactivate(ctx.db, slot["id"])
        if slot["schedule_id"]:
            schedules.set_status(ctx.db, slot["schedule_id"], "cancelled")
        return Reply(
            title=f"已删除档期 #{slot['id']}",
            tone="ok",
            body=f"{platforms.profiles()[slot['platform']]['name']} {days_label(slot['days'])} {slot['at']}",
        )
    profile, rest = platforms.split_leading(args)
    if profile is None:
        raise UsageError(f"没认出平台。可选：{platforms.names()}。")
    lead = DEFAULT_LEAD
    lm = _LEAD.search(rest)
    if lm:
        n = 0.5 if lm.group(1) == "半" else timeparse.cn_int(lm.group(1))
        lead = int(n * {"小时": 60, "钟头": 60, "分钟": 1, "分": 1, "天": 1440}[lm.group(2)])
        rest = rest[: lm.start()] + rest[lm.end() :]
    rest = strip_mentions(rest)
    reading = timeparse.parse(
        rest if rest.startswith("每") or "工作日" in rest else f"每{rest}", ctx.now, ctx.tz
    )
    cron = reading.cron
    if reading.kind != "cron" or cron is None or cron["day"] != "*" or cron["hour"] is None:
        raise UsageError("档期要说每周哪几天、几点。", example="档期 抖音 每周一三五 18:00")
    if not 0 < lead <= 3 * 1440:
        raise UsageError("提前量应在 1 分钟到 3 天之间。", example="档期 公众号 每周二 20:00 提前2小时")
    dow = cron["day_of_week"]
    days = list(range(7)) if dow == "*" else dow_list(dow)
    at = f"{int(cron['hour']):02d}:{int(cron['minute']):02d}"
    owners = named_people(ctx)
    owner = owners[0] if owners else ctx.sender
    sid = slots.create(
        ctx.db,
        team_id=ctx.team_id,
        platform=profile["key"],
        days=days,
        at=at,
        owner=owner.user_id,
        owner_name=owner.name,
        lead_minutes=lead,
        created_by=ctx.user_id,
        now=ctx.now,
    )
    rule = nudge_rule(days, at, lead)
    schedule_id = add_schedule(
        ctx.db, ctx.team, KIND, rule, now=ctx.now, payload={"slot_id": sid}, by=ctx.user_id, ref_id=sid
    )
    slots.set_schedule(ctx.db, sid, schedule_id)
    timing = best_time.hint(
        ctx.db, ctx.team_id, profile["key"], ctx.now.date(), chosen_hour=int(cron["hour"])
    )
    return Reply(
        title=f"档期已设：{profile['name']} {days_label(days)} {at}",
        fields=[("负责人", f"@{owner.label}"), ("提前提醒", lead_label(lead)), ("编号", f"#{sid}")],
        body=timing or "",
        tone="ok",
        note=push_warning(ctx) or "到点前还没有已通过的稿件，小编会提醒负责人。发送「排期」看本周安排。",
    )


def _list_slots(ctx: Context) -> Reply:
    rows = slots.list_for_team(ctx.db, ctx.team_id)
    if not rows:
        return Reply(title="本群还没有档期", body="例如：档期 公众号 每周二 20:00")
    lines = [
        f"- #{s['id']} {platforms.profiles()[s['platform']]['name']} {days_label(s['days'])} {s['at']}"
        f"（负责人 @{s['owner_name'] or s['owner']}，提前 {lead_label(s['lead_minutes'])}提醒）"
        for s in rows
    ]
    hints = [
        h
        for key in dict.fromkeys(s["platform"] for s in rows)
        if (h := best_time.hint(ctx.db, ctx.team_id, key, ctx.now.date()))
    ]
    body = "\n".join(lines) + ("\n\n" + "\n".join(hints) if hints else "")
    return Reply(title=f"本群档期（{len(rows)} 个）", body=body, note="删除：档期 删除 编号")


@command(
    "排期",
    aliases=("calendar", "日程"),
    group="提醒与排期",
    usage="排期 [本周|下周]",
    examples=("排期", "排期 本周", "排期 下周"),
)
def week_view(ctx: Context) -> Reply:
    """看一周的发布安排：每个档期、排进去的稿件，以及还缺稿的空档。不写周则看接下来 7 天。"""
    words = {"本周": 0, "这周": 0, "this": 0, "下周": 1, "next": 1, "下下周": 2, "上周": -1}
    if ctx.args and ctx.args not in words:
        raise UsageError(
            f"「{ctx.args}」不是可选的周：本周、下周（不写则看接下来 7 天）。", example="排期 下周"
        )
    today = ctx.now.date()
    if ctx.args:
        start = today - timedelta(days=today.weekday()) + timedelta(weeks=words[ctx.args])
        label = "本周" if words[ctx.args] == 0 else ctx.args
    else:
        start, label = today, "接下来 7 天"
    sunday_end = start + timedelta(days=7)
    monday = start
    rows = slots.list_for_team(ctx.db, ctx.team_id)
    last = sunday_end - timedelta(days=1)
    title = f"{label}排期（{monday.month}月{monday.day}日–{last.month}月{last.day}日）"
    if not rows:
        return Reply(title=title, body="还没有档期。先设一个：档期 公众号 每周二 20:00")
    items = []
    for s in rows:
        for when in slot_times(s, monday, sunday_end, ctx.tz):
            items.append((when, s))
    items.sort(key=lambda x: x[0])
    used: set[int] = set()  # an approved draft covers one slot only
    lines, gaps, covered, current = [], 0, 0, None
    for when, s in items:
        if when.date() != current:
            current = when.date()
            lines.append(f"**周{WEEKDAY_CN[current.weekday()]} {current.month}/{current.day}**")
        name = platforms.profiles()[s["platform"]]["name"]
        window_start = when - timedelta(hours=12)
        drafts = draft_store.scheduled_between(
            ctx.db, ctx.team_id, s["platform"], window_start, when + timedelta(hours=12)
        )
        drafts = [d for d in drafts if d.id not in used]
        if drafts:
            d = drafts[0]
            used.add(d.id)
            covered += 1
            lines.append(f"- {when:%H:%M} {name}：✅ #{d.number}《{d.title}》（{status_label(d)}）")
        elif when < ctx.now:
            lines.append(f"- {when:%H:%M} {name}：已过，没有排稿")
        else:
            gaps += 1
            lines.append(f"- {when:%H:%M} {name}：⚠️ 缺稿（负责人 @{s['owner_name'] or s['owner']}）")
    tone = "warn" if gaps else "ok"
    if gaps:
        note = f"还有 {gaps} 个档期缺稿。"
    elif covered:
        note = "接下来的档期都有稿件。"
    else:
        note = "这一周的档期都已过去。"
    return Reply(title=title, body="\n".join(lines), tone=tone, note=note)


@job(KIND)
def fire_nudge(ctx: JobContext):
    team, db, row, now, due = ctx.team, ctx.db, ctx.row, ctx.now, ctx.due
    slot = slots.get(db, row["payload"]["slot_id"], team_id=team.id)
    if slot is None:
        return None
    slot_time = due + timedelta(minutes=slot["lead_minutes"])
    if slot_time <= now:
        return None  # the slot itself has passed while the bot was down: a nudge now helps nobody
    drafts = draft_store.scheduled_between(
        db, team.id, slot["platform"], slot_time - timedelta(hours=12), slot_time + timedelta(hours=12)
    )
    if drafts:
        return None
    tz = ZoneInfo(team.tz)
    name = platforms.profiles()[slot["platform"]]["name"]
    local = slot_time.astimezone(tz)
    return Reply(
        title=f"{name}档期快到了，还没有已通过的稿件",
        body=f"档期：周{WEEKDAY_CN[local.weekday()]} {local:%H:%M}（还有 {lead_label(int((slot_time - now).total_seconds() // 60) or 1)}）。"
        "\n请尽快提审，或发送「排期」看本周安排。",
        mentions=[Person(slot["owner"], slot["owner_name"])],
        tone="warn",
    )


@demo_seeder
def seed_slots(ctx: JobContext) -> None:
    db, team, now = ctx.db, ctx.team, ctx.now
    for key, days, at, owner, name in (
        ("wechat", [1], "20:00", "xiaowang", "小王"),
        ("douyin", [0, 2, 4], "18:00", "xiaowang", "小王"),
        ("xiaohongshu", [3], "12:00", "lijingli", "李经理"),
    ):
        sid = slots.create(
            db,
            team_id=team.id,
            platform=key,
            days=days,
            at=at,
            owner=owner,
            owner_name=name,
            lead_minutes=DEFAULT_LEAD,
            created_by="laoban",
            now=now,
        )
        rule = nudge_rule(days, at, DEFAULT_LEAD)
        schedule_id = add_schedule(
            db, team, KIND, rule, now=now, payload={"slot_id": sid}, by="laoban", ref_id=sid
        )
        slots.set_schedule(db, sid, schedule_id)
