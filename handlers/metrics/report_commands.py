"""订阅: the daily and weekly reports pushed to the group by the dispatcher."""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from bot import timerules
from bot.context import Context, JobContext
from bot.errors import UsageError
from bot.models import Attachment, Reply
from bot.registry import command, demo_seeder, job
from handlers.metrics import analytics, charts
from handlers.shared import platforms
from handlers.shared.scheduling import add_schedule, push_warning
from handlers.shared.time import parse as timeparse
from handlers.shared.time.days import Period
from handlers.shared.vocab import MAIN_METRICS, metrics, show
from storage import metrics as store
from storage import schedules
from storage.teams import Team

KINDS = {
    "日报": "daily_report",
    "daily": "daily_report",
    "周报": "weekly_report",
    "weekly": "weekly_report",
    "复盘": "weekly_review",
    "review": "weekly_review",
}
NAMES = {"daily_report": "日报", "weekly_report": "周报", "weekly_review": "每周复盘"}
DOW = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _rule(kind: str, hh: int, mm: int, dow: int = 0) -> dict:
    return {
        "kind": "cron",
        "minute": str(mm),
        "hour": str(hh),
        "day": "*",
        "month": "*",
        "day_of_week": "*" if kind == "daily_report" else DOW[dow],
    }


@command(
    "订阅",
    aliases=("subscribe",),
    group="数据",
    usage="订阅 [日报 HH:MM | 周报 周X HH:MM | 复盘 周X HH:MM]",
    examples=("订阅 日报 09:30", "订阅 周报 周一 09:30", "订阅 复盘 周一 10:00", "订阅"),
)
def subscribe(ctx: Context) -> Reply:
    """让小编每天（或每周）在群里发数据和 KPI 进度，或每周发上周的复盘。不带参数时列出本群的订阅。"""
    rows = [r for k in NAMES for r in schedules.list_for_team(ctx.db, ctx.team_id, k)]
    if not ctx.args:
        if not rows:
            return Reply(title="本群还没有订阅", body="例如：订阅 日报 09:30，或 订阅 周报 周一 09:30")
        lines = [
            f"- {NAMES[r['kind']]}：每{'天' if r['kind'] == 'daily_report' else '周' + '一二三四五六日'[DOW.index(r['rule']['day_of_week'])]} "
            f"{int(r['rule']['hour']):02d}:{int(r['rule']['minute']):02d}"
            for r in rows
        ]
        return Reply(title="本群的订阅", body="\n".join(lines), note="取消：取消订阅 日报")
    words = ctx.args.split(maxsplit=1)
    kind = KINDS.get(words[0].lower())
    if kind is None:
        raise UsageError(
            f"「{words[0]}」不是可订阅的内容，可选：日报、周报、复盘。", example="订阅 日报 09:30"
        )
    when = words[1] if len(words) > 1 else ("09:30" if kind == "daily_report" else "周一 09:30")
    phrase = ("每天" if kind == "daily_report" else "每") + when
    reading = timeparse.parse(phrase, ctx.now, ctx.tz)
    cron = reading.cron
    if reading.kind != "cron" or cron is None or cron["hour"] is None:
        raise UsageError(
            f"时间「{when}」没看懂。",
            example="订阅 日报 09:30" if kind == "daily_report" else f"订阅 {words[0]} 周一 09:30",
        )
    hh, mm = int(cron["hour"]), int(cron["minute"])
    dow = 0
    if kind != "daily_report":
        dows = cron["day_of_week"]
        if dows not in DOW:
            raise UsageError(
                f"{NAMES[kind]}要说每周哪一天，只能选一天。", example=f"订阅 {words[0]} 周一 09:30"
            )
        dow = DOW.index(dows)
    for r in schedules.list_for_team(ctx.db, ctx.team_id, kind):
        schedules.set_status(ctx.db, r["id"], "cancelled")
    rule = _rule(kind, hh, mm, dow)
    first = timerules.first_fire(rule, ctx.team.tz, ctx.now)
    if first is None:  # a daily or weekly rule always comes round again
        raise UsageError(f"「{when}」以后不会再到了。", example="订阅 日报 09:30")
    add_schedule(ctx.db, ctx.team, kind, rule, now=ctx.now, payload={}, by=ctx.user_id, first=first)
    from handlers.shared.time.fmt import fmt_when

    return Reply(
        title=f"已订阅{NAMES[kind]}",
        tone="ok",
        fields=[("首次推送", fmt_when(first, ctx.tz, ctx.now))],
        note=push_warning(ctx) or "推送到本群；没有数据的日子会直说，不会编数字。",
    )


@command(
    "取消订阅",
    aliases=("unsubscribe",),
    group="数据",
    usage="取消订阅 日报|周报|复盘",
    examples=("取消订阅 日报", "取消订阅 周报", "取消订阅 复盘"),
)
def unsubscribe(ctx: Context) -> Reply:
    """停止日报、周报或每周复盘的推送。"""
    kind = KINDS.get(ctx.args.lower())
    if kind is None:
        raise UsageError("请说取消日报、周报还是复盘。", example="取消订阅 日报")
    rows = schedules.list_for_team(ctx.db, ctx.team_id, kind)
    if not rows:
        return Reply(title=f"本群没有订阅{NAMES[kind]}")
    for r in rows:
        schedules.set_status(ctx.db, r["id"], "cancelled")
    return Reply(title=f"已取消{NAMES[kind]}", tone="ok")


def _account_lines(db, account: dict, start: date, end: date) -> list[str]:
    prev_start, prev_end = Period(start, end, "").previous()[:2]  # the span of equal length before
    lines = []
    have = store.metrics_of(db, account["id"])
    for key in [m for m in MAIN_METRICS if m in have and m != "completion_rate"]:
        value = analytics.period_total(db, account["id"], key, start, end)
        if value is None:
            continue
        before = analytics.period_total(db, account["id"], key, prev_start, prev_end)
        fmt = lambda v, k=key: show(k, v)  # noqa: E731
        if analytics.is_level(key):
            level = store.latest(db, account["id"], key, on_or_before=end)
            shown = show(key, level[1]) if level is not None else "—"
            head = f"{metrics()[key]['name']} {shown}（净增 {'+' if value >= 0 else '-'}{fmt(abs(value))}）"
        else:
            head = f"{metrics()[key]['name']} {show(key, value)}"
        lines.append(f"- {head}，对比前期 {analytics.change_text(value, before, fmt)}")
    return lines


def build_report(db, team: Team, today: date, days: int) -> Reply:
    """The report for the ``days`` days before ``today``: numbers per account, then KPI status."""
    end = today - timedelta(days=1)
    start = end - timedelta(days=days - 1)
    label = f"{end.month}月{end.day}日" if days == 1 else f"{start.month}/{start.day}–{end.month}/{end.day}"
    sections, missing = [], []
    for account in store.accounts(db, team.id):
        name = f"{platforms.profiles()[account['platform']]['name']}·{account['name']}"
        if store.days_with_data(db, account["id"], start, end) == 0:
            missing.append(name)
            continue
        sections.append("\n".join([f"**{name}**", *_account_lines(db, account, start, end)]))
    kpis = []
    for t in store.targets(db, team.id):
        f = analytics.feasibility(db, t, today)
        kpis.append(
            f"- #{t.id} {platforms.profiles()[t.platform]['name']}·{t.account_name} "
            f"{metrics()[t.metric]['name']}：{f.label}"
            + (f"，需要日均 {show(t.metric, round(f.required))}" if f.required else "")
        )
    body = "\n\n".join(sections)
    if missing:
        body += (
            "\n\n" if body else ""
        ) + f"{label}没有数据：{'、'.join(missing)}。请用「记录」补录，或检查导入。"
    if not sections and not missing:
        body = "还没有任何账号的数据。先记一笔：记录 抖音 粉丝 1.2万"
    if kpis:
        body += "\n\n**KPI**\n" + "\n".join(kpis)
    title = f"{'日报' if days == 1 else '周报'}：{label}"
    return Reply(
        title=title,
        body=body,
        tone="warn" if missing and not sections else "info",
        note="详情：数据 全部；KPI 详情：汇总",
    )


@job("daily_report")
def fire_daily(ctx: JobContext) -> Reply:
    team, db, now = ctx.team, ctx.db, ctx.now
    return build_report(db, team, now.astimezone(ZoneInfo(team.tz)).date(), 1)


def _draw_week_chart(ctx: JobContext):
    """The weekly card's chart, drawn before the fire's transaction (matplotlib takes a while)."""
    return week_chart(ctx.config, ctx.db, ctx.team, ctx.now.date())


@job("weekly_report", prepare=_draw_week_chart)
def fire_weekly(ctx: JobContext) -> Reply:
    reply = build_report(ctx.db, ctx.team, ctx.now.date(), 7)
    if isinstance(ctx.prepared, Attachment):
        reply.attachments.append(ctx.prepared)
    return reply


def week_chart(config, db, team: Team, today: date):
    """A small chart for the weekly card: the team's biggest account's 粉丝 over the last four weeks."""
    start = today - timedelta(days=27)
    best = None
    for account in store.accounts(db, team.id):
        data = store.series(db, account["id"], "followers", start, today)
        if len(data) >= 2 and (best is None or max(data.values()) > max(best[1].values())):
            best = (account, data)
    if best is None:
        return None
    account, data = best
    name = platforms.profiles()[account["platform"]]["name"]
    attachment, _ = charts.line_chart(f"{name}·{account['name']} 粉丝（近 4 周）", data, "followers", config)
    return attachment


@demo_seeder
def seed_subscriptions(ctx: JobContext) -> None:
    db, team, now = ctx.db, ctx.team, ctx.now
    for kind, rule in (
        ("daily_report", _rule("daily_report", 9, 30)),
        ("weekly_report", _rule("weekly_report", 9, 0)),
    ):
        add_schedule(db, team, kind, rule, now=now, payload={}, by="laoban")
