"""绑定公众号 and the daily pull job that stores what the 公众号 statistics API returns."""

from __future__ import annotations

import logging

from bot import timerules
from bot.context import Context, JobContext
from bot.errors import UsageError
from bot.models import Reply
from bot.registry import command, job
from handlers.metrics.wechat_mp import BACKFILL_DAYS, fetch, make_client, pull_window
from handlers.shared.scheduling import add_schedule
from storage import metrics as store
from storage import schedules

log = logging.getLogger(__name__)
KIND = "wechat_pull"


def _prepare_pull(ctx: JobContext):
    """The network part of the daily pull, before the fire's transaction."""
    if ctx.now.hour < 10:
        return {"skip": "data is ready after 10:00"}
    today = ctx.now.date()
    account = store.ensure_account(ctx.db, ctx.team.id, "wechat", ctx.payload["account"], now=ctx.now)
    window = pull_window(ctx.db, account["id"], today)
    if window is None:
        return {"days": {}}
    client = make_client(ctx.config, ctx.db, ctx.clock)
    return {
        "days": fetch(client, *window),
        "account_id": account["id"],
        "window": [d.isoformat() for d in window],
    }


@job(KIND, prepare=_prepare_pull)
def store_pull(ctx: JobContext):
    team, db, now, prepared = ctx.team, ctx.db, ctx.now, ctx.prepared
    if not prepared or "skip" in prepared:
        return None
    if "error" in prepared:
        return Reply(
            title="公众号数据拉取失败",
            body=f"{prepared['error']}\n明天 10:30 会再试，并补齐缺的日子。",
            tone="warn",
        )
    count = 0
    for day, values in prepared["days"].items():
        for key, value in values.items():
            if (
                store.record(
                    db, prepared["account_id"], day, key, value, source="api", by="wechat-api", now=now
                )
                != "same"
            ):
                count += 1
    log.info("wechat pull for team %s: %s values", team.id, count)
    return None


@command(
    "绑定公众号",
    aliases=("bind-wechat",),
    group="数据",
    role="admin",
    usage="绑定公众号 [账号名]",
    examples=("绑定公众号", "绑定公众号 品牌号"),
)
def bind(ctx: Context) -> Reply:
    """让小编每天 10:30 后用微信接口自动拉取公众号的粉丝和阅读数据，并补齐漏掉的日子（需要部署时配置公众号 AppID 和密钥）。"""
    if "wechat_mp" not in ctx.config.channels and not ctx.config.get("WECHAT_MP_APP_ID"):
        raise UsageError(
            "部署时还没有配置公众号接口（WECHAT_MP_APP_ID、WECHAT_MP_APP_SECRET），请联系管理员。",
            example="绑定公众号",
        )
    name = ctx.args or store.DEFAULT_ACCOUNT
    for old in schedules.list_for_team(ctx.db, ctx.team_id, KIND):
        schedules.set_status(ctx.db, old["id"], "cancelled")
    store.ensure_account(ctx.db, ctx.team_id, "wechat", name, now=ctx.now)
    rule = {"kind": "cron", "minute": "30", "hour": "10", "day": "*", "month": "*", "day_of_week": "*"}
    first = ctx.now if ctx.now.hour >= 10 else timerules.first_fire(rule, ctx.team.tz, ctx.now)
    add_schedule(
        ctx.db, ctx.team, KIND, rule, now=ctx.now, payload={"account": name}, by=ctx.user_id, first=first
    )
    return Reply(
        title=f"已绑定公众号（{name}）",
        tone="ok",
        body=f"每天 10:30 自动拉取昨天的数据；第一次会补齐近 {BACKFILL_DAYS} 天。",
    )
