"""After approval: 定时 (a publishing slot), 已发布, 效果 (a post's numbers, which 复盘 and the headline
library learn from), and the reminder job that fires at the planned time."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from bot.context import Context, JobContext
from bot.errors import UsageError
from bot.models import Button, Person, Reply
from bot.registry import command, job
from handlers.drafting.access import fmt_time, load, transition
from handlers.drafting.render import profile_of
from handlers.shared import best_time, platforms
from handlers.shared.draft_workflow import PUBLISH_KIND, status_label
from handlers.shared.numbers import NumberError, parse_number
from handlers.shared.scheduling import add_schedule
from handlers.shared.time import parse as timeparse
from handlers.shared.vocab import require_metric, show, to_stored
from storage import drafts as store
from storage import posts as posts_store
from storage import schedules, slots
from storage import titles as title_store
from storage.drafts import Draft


def _next_free_slot(ctx: Context, platform: str) -> datetime | None:
    from handlers.shared.rhythm import slot_times

    today = ctx.now.date()
    times = []
    for s in slots.list_for_team(ctx.db, ctx.team_id):
        if s["platform"] == platform:
            times += slot_times(s, today, today + timedelta(days=15), ctx.tz)
    for when in sorted(t for t in times if t > ctx.now):
        taken = store.scheduled_between(
            ctx.db, ctx.team_id, platform, when - timedelta(minutes=1), when + timedelta(minutes=1)
        )
        if not [d for d in taken if d.status == "scheduled"]:
            return when
    return None


@command(
    "定时",
    aliases=("schedule", "排稿"),
    group="内容",
    usage="定时 <稿件号> [时间]",
    examples=("定时 12 周二 20:00", "定时 12"),
)
def schedule_draft(ctx: Context) -> Reply:
    """把已通过的稿件排到某个发布时间；不写时间就排进该平台下一个空档期。到点提醒作者发布。"""
    head, _, when_text = ctx.args.partition(" ")
    if not head:
        raise UsageError("请给出稿件号。")
    draft = load(ctx, head)
    when: datetime | None
    if when_text.strip():
        reading = timeparse.parse(when_text, ctx.now, ctx.tz)
        if reading.kind == "at" and reading.when is None and reading.day is not None:
            reading.when = datetime.combine(reading.day, time(reading.part_hour or 9), ctx.tz)
        if reading.kind != "at" or reading.when is None or reading.when <= ctx.now:
            raise UsageError("发布时间要是将来的某个具体时间。", example=f"定时 {draft.number} 周二 20:00")
        when = reading.when
    else:
        when = _next_free_slot(ctx, draft.platform)
        if when is None:
            raise UsageError(
                f"{profile_of(draft.platform)['name']}近两周没有空档期，请写上时间。",
                example=f"定时 {draft.number} 周二 20:00",
            )
    draft = transition(
        ctx, draft, "schedule", scheduled_at=when, note=when.astimezone(ctx.tz).strftime("%m-%d %H:%M")
    )
    for old in schedules.list_for_team(ctx.db, ctx.team_id, PUBLISH_KIND):
        if old["ref_id"] == draft.id:
            schedules.set_status(ctx.db, old["id"], "cancelled")
    rule = {"kind": "at", "at": when.isoformat()}
    add_schedule(
        ctx.db,
        ctx.team,
        PUBLISH_KIND,
        rule,
        now=ctx.now,
        payload={"draft_id": draft.id},
        by=ctx.user_id,
        ref_id=draft.id,
    )
    return Reply(
        title=f"#{draft.number} 已排期",
        tone="ok",
        fields=[
            ("发布时间", fmt_time(draft.scheduled_at, ctx)),
            ("平台", profile_of(draft.platform)["name"]),
        ],
        body=best_time.hint(
            ctx.db, ctx.team_id, draft.platform, ctx.now.date(), chosen_hour=when.astimezone(ctx.tz).hour
        )
        or "",
        note=f"到点会提醒 @{draft.author_name or draft.author} 发布。",
    )


@command(
    "已发布",
    aliases=("published", "发布了"),
    group="内容",
    usage="已发布 <稿件号> [链接]",
    examples=("已发布 12 https://mp.weixin.qq.com/s/abc", "已发布 12"),
)
def published(ctx: Context) -> Reply:
    """标记稿件已发布（可附链接）。之后用「效果」记下它的数据，标题模板会因此得到成绩。"""
    head, _, url = ctx.args.partition(" ")
    if not head:
        raise UsageError("请给出稿件号。")
    url = url.strip()
    if url and not re.match(r"https?://\S+$", url):
        raise UsageError(
            f"「{url}」不像链接，链接应以 http:// 或 https:// 开头。",
            example="已发布 12 https://mp.weixin.qq.com/s/abc",
        )
    draft = transition(ctx, load(ctx, head), "publish", url=url or "", note=url)
    return Reply(
        title=f"#{draft.number} 已发布",
        tone="ok",
        body=f"{profile_of(draft.platform)['name']}：{draft.title or draft.body[:30]}"
        + (f"\n{url}" if url else ""),
        note=f"过两天记得记录效果：效果 {draft.number} 阅读 1.2万 点赞 300",
    )


@command(
    "效果",
    aliases=("post-stats", "成绩"),
    group="内容",
    usage="效果 <稿件号> <指标> <数值> …",
    examples=("效果 12 阅读 3.2万 点赞 500", "效果 12 播放 12w 点赞 3k"),
)
def post_stats(ctx: Context) -> Reply:
    """记录一篇已发布稿件的数据；标题库会据此给标题模板排名。"""
    words = ctx.args.split()
    if len(words) < 3 or len(words) % 2 == 0:
        raise UsageError("请写稿件号，再写成对的「指标 数值」。")
    draft = load(ctx, words[0])
    if draft.status not in ("published", "archived"):
        raise UsageError(
            f"#{draft.number} 还没发布（现在是「{status_label(draft)}」），发布后才有效果数据。",
            example=f"已发布 {draft.number}",
        )
    recorded = []
    values: dict[str, int] = {}
    for name, value in zip(words[1::2], words[2::2], strict=True):
        key = require_metric(name, "效果 12 阅读 3.2万 点赞 500")
        try:
            number, _ = parse_number(value)
        except NumberError:
            raise UsageError(
                f"「{value}」不是数字。可以写 12034、1.2万、5w、3k。", example="效果 12 阅读 3.2万"
            ) from None
        if number < 0:
            raise UsageError(f"{name} 不能是负数。")
        stored = to_stored(key, number)
        title_store.record_post_metric(ctx.db, draft.id, key, stored, by=ctx.user_id, now=ctx.now)
        values[key] = stored
        recorded.append(f"{name} {show(key, stored)}")
    tpl = f"，计入标题模板 {draft.title_template}" if draft.title_template else ""
    note = _results_into_post(ctx, draft, values)
    return Reply(title=f"#{draft.number} 的效果已记录", body="、".join(recorded) + tpl, tone="ok", note=note)


def _results_into_post(ctx: Context, draft: Draft, values: dict[str, int]) -> str:
    """Numbers typed for a draft join its post's record (the one 复盘 reads): the post tied to the
    draft, or a new one on the platform's account. With several accounts on the platform nothing
    is guessed: the note says so."""
    from zoneinfo import ZoneInfo

    from storage import metrics as metric_store
    from storage.timeutil import from_db

    post_id = posts_store.attached_draft_ids(ctx.db, ctx.team_id).get(draft.id)
    if post_id is not None:
        posts_store.merge_metrics(ctx.db, post_id, values, now=ctx.now)
        return ""
    accounts = metric_store.accounts(ctx.db, ctx.team_id, draft.platform)
    if len(accounts) > 1:
        return (
            f"本群在{profile_of(draft.platform)['name']}有 {len(accounts)} 个账号，不知道这篇是哪个账号发的，"
            "复盘里先不算它；导入那个账号的作品数据，小编会对上。"
        )
    account = (
        accounts[0]
        if accounts
        else metric_store.ensure_account(
            ctx.db, ctx.team_id, draft.platform, metric_store.DEFAULT_ACCOUNT, now=ctx.now
        )
    )
    zone = ZoneInfo(ctx.team.tz)
    published = from_db(draft.published_at or draft.updated_at).astimezone(zone)
    scheduled = from_db(draft.scheduled_at).astimezone(zone) if draft.scheduled_at else None
    day = published.date().isoformat()
    title = draft.title or draft.body[:30]
    existing = posts_store.find_id(ctx.db, account["id"], title, day)
    if existing is not None and posts_store.matched_by(ctx.db, existing) == "none":
        return (
            f"作品 {existing}「{title}」之前被确认为不是任何稿件发的，这次的数字只记在稿件上，复盘里不算。"
            f"如果其实就是这篇，先「关联 {existing} {draft.number}」。"
        )
    if existing is not None:  # imported already (same account, title and day) but not tied: this draft's
        posts_store.merge_metrics(ctx.db, existing, values, now=ctx.now)
        posts_store.attach(ctx.db, existing, draft.id, "chat")
        return "已记进这篇作品的数据，复盘和标题库排行会用上。"
    posts_store.upsert(ctx.db, account["id"], title, day, values, now=ctx.now)
    post_id = posts_store.set_details(
        ctx.db,
        account["id"],
        title,
        day,
        # the moment 已发布 was typed is not the moment it went out; a schedule on that day is
        time=f"{scheduled:%H:%M}" if scheduled and scheduled.date() == published.date() else None,
        link=draft.published_url or None,
    )
    posts_store.attach(ctx.db, post_id, draft.id, "chat")
    return "已记进这篇作品的数据，复盘和标题库排行会用上。"


@job(PUBLISH_KIND)
def fire_publish_due(ctx: JobContext):
    db, row, late = ctx.db, ctx.row, ctx.late
    draft = store.get_by_id(db, row["payload"]["draft_id"])
    if draft is None or draft.status != "scheduled":
        return None
    name = platforms.profiles()[draft.platform]["name"]
    return Reply(
        title=f"该发布了：#{draft.number}（{name}）",
        body=f"{draft.title or draft.body[:30]}\n发布后回复「已发布 {draft.number} 链接」。",
        mentions=[Person(draft.author, draft.author_name)],
        buttons=[Button("已发布", f"已发布 {draft.number}", "primary")],
        note="（小编刚才不在线，提醒晚了）" if late else "",
    )
