"""提醒: reminders from plain Chinese or English, durable, fired once by the dispatcher."""

from __future__ import annotations

import json
import re
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot import timerules
from bot.context import Context, JobContext
from bot.errors import Denied, NotFound, UsageError
from bot.models import Button, Person, Reply
from bot.registry import command, demo_seeder, intent, job
from handlers.reminders.rules import (
    EVERYONE,
    REASONS,
    describe_rule,
    people_label,
    rule_from_reading,
    upcoming,
)
from handlers.shared import pending
from handlers.shared.people import named_people
from handlers.shared.scheduling import add_schedule, push_warning
from handlers.shared.time import parse as timeparse
from handlers.shared.time.fmt import fmt_when
from storage import schedules

KIND = "reminder"


def explain_error(reading: timeparse.Reading, ctx: Context) -> UsageError:
    reason = REASONS.get(reading.reason or "", "时间没看懂")
    detail = f"（{reading.detail}）" if reading.detail else ""
    if reading.reason == "past":
        return UsageError(
            f"{reason}{detail}。现在是 {fmt_when(ctx.now, ctx.tz)}，只能提醒将来的事。",
            example="提醒我明天上午9点开会",
        )
    if reading.reason == "no_time":
        return UsageError(f"{reason}提醒。请加上时间，比如日子和几点。", example="提醒我明天上午10点发微博")
    if reading.reason == "vague":
        return UsageError(f"{reason}{detail}。", example="半小时后提醒我看评论")
    if reading.reason in ("unread", "ambiguous"):
        return UsageError(
            f"{reason}{detail}。小编不会把没读懂的时间当成事项存下来，请把这部分换成具体的日子和几点再说一次"
            "（「帮助 提醒」里有能读懂的说法）。",
            example="每月最后一个工作日下午4点提醒大家交月报",
        )
    return UsageError(f"{reason}{detail}。", example="提醒我12月1日上午9点续费")


# -- commands -------------------------------------------------------------------------------------------


def _who(ctx: Context, reading: timeparse.Reading) -> list[dict]:
    people: list[dict] = []
    if "大家" in reading.people:
        people.append({"user_id": EVERYONE.user_id, "name": EVERYONE.name})
    for named in named_people(ctx):
        people.append({"user_id": named.user_id, "name": named.name})
    if not people or "我" in reading.people:
        people.insert(0, {"user_id": ctx.user_id, "name": ctx.sender.name})
    seen, unique = set(), []
    for p in people:
        if p["user_id"] not in seen:
            seen.add(p["user_id"])
            unique.append(p)
    return unique


def ask_back(ctx: Context, reading: timeparse.Reading) -> Reply:
    """Ask which reading was meant: buttons where the platform has them, numbers everywhere.

    The question is remembered for this person in this chat for 10 minutes; replying ``2`` picks
    the second reading.
    """
    pending.ask(ctx, pending.CHOOSE_READING, json.dumps(reading.options, ensure_ascii=False))
    lines = [f"{i}. {option}" for i, option in enumerate(reading.options, 1)]
    return Reply(
        title="你是说哪一个？",
        body=(reading.detail + "\n" if reading.detail else "") + "\n".join(lines),
        buttons=[Button(f"{i}. {option}", option) for i, option in enumerate(reading.options, 1)],
        tone="warn",
        note=f"回复数字（例如「1」）或直接重说一遍；{pending.MINUTES} 分钟内有效。还没保存。",
    )


def create_reminder(ctx: Context, phrase: str) -> Reply:
    reading = timeparse.parse(phrase, ctx.now, ctx.tz)
    if reading.kind == "error" and reading.options:
        return ask_back(ctx, reading)
    if reading.kind == "error":
        raise explain_error(reading, ctx)
    rule, notes = rule_from_reading(reading, ctx.now, ctx.tz)
    first = timerules.first_fire(rule, ctx.team.tz, ctx.now)
    if first is None:
        raise UsageError("这个提醒一次也不会响，请检查时间。", example="提醒我每周三下午3点交选题")
    people = _who(ctx, reading)
    task = reading.task or "时间到了"
    sid = add_schedule(
        ctx.db,
        ctx.team,
        KIND,
        rule,
        now=ctx.now,
        payload={"task": task, "people": people, "phrase": phrase, "by_name": ctx.sender.label},
        by=ctx.user_id,
        first=first,
    )
    fields = [("时间", fmt_when(first, ctx.tz, ctx.now))]
    if rule["kind"] != "at":
        fields.append(("重复", describe_rule(rule)))
        later = upcoming(rule, ctx.team.tz, ctx.now, 4)[1:]
        if later:
            fields.append(
                ("之后", "，".join(fmt_when(t, ctx.tz) for t in later) + ("……" if len(later) == 3 else ""))
            )
    fields += [("提醒谁", people_label(people)), ("事项", task), ("编号", f"#{sid}")]
    note = " ".join(
        notes + [f"取消发送「取消提醒 {sid}」，推迟发送「推迟 {sid} 1小时」。", push_warning(ctx)]
    ).strip()
    return Reply(title="好的，到时提醒", fields=fields, tone="ok", note=note)


@command(
    "提醒",
    aliases=("remind", "提醒我", "提醒大家"),
    group="提醒与排期",
    usage="提醒 [我|大家|@某人] <时间> <事项>",
    examples=(
        "提醒我明天上午10点发微博",
        "每周三下午3点提醒大家交选题",
        "提醒 @张三 周五下班前交稿",
        "每月最后一个周五下午3点提醒大家写月报",
        "remind me every weekday at 9:15am to check comments",
    ),
)
def remind(ctx: Context) -> Reply:
    """用大白话设提醒：一次性的、每天/每周/每月重复的、每隔一段时间的都可以。

    「下个月第一个周一」「每月倒数第二个工作日」「每月最后一个周五」「两周后的周一」「下个月10号到15号每天」、
    法定工作日（含调休）和农历节日都能算。一句里有两个时间、或事项里还留着时间词（「交下周的排期」），会先问你再保存。
    小编会复述它理解的日期、星期、时间、重复和提醒谁；时间已过或说得太模糊会直接告诉你，不会乱猜。
    到点后在本群发出并 @ 相关的人；即使小编重启过也不会漏，也不会重复。
    """
    if not ctx.args:
        raise UsageError("请说什么时候提醒、提醒什么。")
    return create_reminder(ctx, f"{ctx.command_word} {ctx.raw_args}")


@intent(priority=50)
def reminder_phrase(text: str):
    """``每周三下午3点提醒大家交选题`` names no command but is clearly a reminder."""
    if re.search(r"提醒|remind me|remind us", text, re.IGNORECASE):
        return "提醒", text
    return None


@command(
    "提醒列表",
    aliases=("reminders", "提醒清单"),
    group="提醒与排期",
    usage="提醒列表",
    examples=("提醒列表",),
)
def list_reminders(ctx: Context) -> Reply:
    """列出本群还在等待的提醒，带编号、下次时间和重复方式。"""
    rows = schedules.list_for_team(ctx.db, ctx.team_id, KIND)
    if not rows:
        return Reply(title="本群没有等待中的提醒", body="试试「提醒我明天上午10点发微博」。")
    lines = []
    for r in rows:
        due = schedules.next_fire_time(r)
        when = fmt_when(due, ctx.tz, ctx.now) if due is not None else "不再提醒"
        repeat = "" if r["rule"]["kind"] == "at" else f"（{describe_rule(r['rule'])}）"
        lines.append(
            f"- #{r['id']} {when}{repeat} {r['payload']['task']} → {people_label(r['payload']['people'])}"
        )
    return Reply(
        title=f"本群的提醒（{len(rows)} 条）",
        body="\n".join(lines),
        note="取消：取消提醒 编号；推迟：推迟 编号 1小时",
    )


def _owned(ctx: Context, text: str) -> dict:
    m = re.fullmatch(r"#?(\d+)", text.strip())
    if not m:
        raise UsageError(f"「{text}」不是提醒编号，编号可以在「提醒列表」里看到。")
    row = schedules.get(ctx.db, int(m.group(1)), team_id=ctx.team_id)
    if row is None or row["kind"] != KIND:
        raise NotFound(f"本群没有编号 #{m.group(1)} 的提醒。发送「提醒列表」查看。")
    if row["created_by"] != ctx.user_id and not ctx.has_role("manager"):
        raise Denied(
            f"提醒 #{row['id']} 是 {row['payload'].get('by_name') or row['created_by']} 设的，只有本人或经理可以修改。"
        )
    return row


@intent(priority=10)
def numbered_answer(text: str):
    """A message that is just a number answers the bot's last question (``2``)."""
    m = re.fullmatch(r"\s*([1-9])\s*[.。]?\s*", text)
    return ("选", m.group(1)) if m else None


@command(
    "选",
    aliases=("choose",),
    group="提醒与排期",
    usage="选 <数字>（或直接回复数字）",
    examples=("1", "选 2"),
    hidden=True,
)
def choose(ctx: Context) -> Reply:
    """回答小编刚才的提问：回复 1、2……选一种理解。"""
    number = ctx.args.strip()
    stored = pending.expect(
        ctx,
        pending.CHOOSE_READING,
        nothing=f"现在没有等你选择的问题（问题只保留 {pending.MINUTES} 分钟）。请把提醒完整地再说一遍。",
    )
    options = json.loads(stored)
    if not number.isdigit() or not 1 <= int(number) <= len(options):
        raise UsageError(f"请回复 1 到 {len(options)} 之间的数字。", example="1")
    pending.settle(ctx, pending.CHOOSE_READING)
    return create_reminder(ctx, options[int(number) - 1])


@command(
    "取消提醒",
    aliases=("cancel", "删除提醒"),
    group="提醒与排期",
    usage="取消提醒 <编号>",
    examples=("取消提醒 3", "cancel 3"),
)
def cancel(ctx: Context) -> Reply:
    """取消一条提醒（本人或经理可以取消）。"""
    if not ctx.args:
        raise UsageError("请给出提醒编号。")
    row = _owned(ctx, ctx.args)
    if row["status"] != "active":
        return Reply(title=f"提醒 #{row['id']} 已经不在等待中", body="不用再取消了。")
    schedules.set_status(ctx.db, row["id"], "cancelled")
    return Reply(title=f"已取消提醒 #{row['id']}", body=row["payload"]["task"], tone="ok")


@command(
    "推迟",
    aliases=("snooze", "延后"),
    group="提醒与排期",
    usage="推迟 <编号> <多久|到什么时候>",
    examples=("推迟 3 1小时", "推迟 3 30分钟", "推迟 3 明天上午10点"),
)
def snooze(ctx: Context) -> Reply:
    """把一条提醒的下一次推迟一段时间，或改到某个时间；重复提醒之后照常。"""
    words = ctx.args.split(maxsplit=1)
    if len(words) < 2:
        raise UsageError("请给出提醒编号和推迟多久。")
    row = _owned(ctx, words[0])
    phrase = words[1]
    if re.fullmatch(r"[\d一二两三四五六七八九十半]+\s*个?\s*(?:分钟|分|小时|钟头|天)", phrase):
        phrase += "后"
    reading = timeparse.parse(phrase, ctx.now, ctx.tz)
    if reading.kind != "at" or reading.when is None:
        if reading.kind == "error":
            raise explain_error(reading, ctx)
        raise UsageError("推迟要说一段时间或一个具体时间。", example="推迟 3 1小时")
    due = schedules.next_fire_time(row)
    if reading.offset_from_now and due is not None and due > ctx.now:
        # 推迟 30分钟 moves the reminder's own next time, not "30 minutes from now"
        reading.when = due + (reading.when - ctx.now)
    if due is not None and reading.when <= due:
        raise UsageError(
            f"推迟只能往后：提醒 #{row['id']} 本来就在 {fmt_when(due, ctx.tz, ctx.now)}，"
            f"「{words[1]}」是 {fmt_when(reading.when, ctx.tz, ctx.now)}。",
            example=f"推迟 {row['id']} 1小时",
        )
    schedules.set_next(ctx.db, row["id"], reading.when)
    return Reply(
        title=f"提醒 #{row['id']} 已推迟",
        fields=[("下次", fmt_when(reading.when, ctx.tz, ctx.now)), ("事项", row["payload"]["task"])],
        tone="ok",
    )


# -- firing -----------------------------------------------------------------------------------------------


@job(KIND)
def fire_reminder(ctx: JobContext) -> Reply:
    team, row, now, due, late = ctx.team, ctx.row, ctx.now, ctx.due, ctx.late
    payload = row["payload"]
    tz = ZoneInfo(team.tz)
    people = [Person(p["user_id"], p["name"]) for p in payload["people"]]
    note = ""
    if late:
        minutes = int((now - due).total_seconds() // 60)
        span = f"{minutes} 分钟" if minutes < 120 else f"{minutes // 60} 小时"
        note = f"（小编刚才不在线，这条提醒原定 {fmt_when(due, tz)}，晚了 {span}。）"
    follow = ""
    if row["rule"]["kind"] != "at":
        follow = f"\n\n（{describe_rule(row['rule'])}，编号 #{row['id']}）"
    return Reply(title="⏰ 提醒", body=f"{payload['task']}{follow}", mentions=people, note=note)


@demo_seeder
def seed_reminders(ctx: JobContext) -> None:
    db, team, now = ctx.db, ctx.team, ctx.now
    tz = ZoneInfo(team.tz)
    local = now.astimezone(tz)
    samples = [
        (
            {"kind": "cron", "minute": "0", "hour": "15", "day": "*", "month": "*", "day_of_week": "wed"},
            "交下周选题",
            [{"user_id": EVERYONE.user_id, "name": EVERYONE.name}],
        ),
        (
            {"kind": "cron", "minute": "15", "hour": "9", "day": "*", "month": "*", "day_of_week": "mon-fri"},
            "看一眼昨晚的评论和私信",
            [{"user_id": "xiaowang", "name": "小王"}],
        ),
        (
            {
                "kind": "at",
                "at": datetime.combine(local.date() + timedelta(days=1), time(10), tz).isoformat(),
            },
            "发微博：冬季新品预告",
            [{"user_id": "xiaowang", "name": "小王"}],
        ),
    ]
    for rule, task, people in samples:
        add_schedule(
            db,
            team,
            KIND,
            rule,
            now=now,
            payload={"task": task, "people": people, "phrase": "（演示数据）", "by_name": "老板"},
            by="laoban",
        )
