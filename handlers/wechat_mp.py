"""The WeChat 公众号 statistics adapter: a daily pull through wechatpy's ``datacube``, back-filling missed days.

Configured by ``WECHAT_MP_APP_ID``/``WECHAT_MP_APP_SECRET`` (``WECHAT_MP_API_BASE`` for a local
fake); an admin binds it to a team with 绑定公众号. Data is ready after 08:00 the next day, so
the pull runs after 10:00. Each endpoint's span limit is respected (user summary and cumulate:
7 days a call; user read: 3 days). The token lives in SQLite; an expired token is refreshed
once, never in a loop.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot import timerules
from bot.context import Context
from bot.errors import UsageError
from bot.models import Reply
from bot.registry import command, job
from bot.wechatpy_support import KVSession, call_once_refreshing, rebased
from handlers.common import add_schedule
from storage import metrics as store
from storage import schedules

log = logging.getLogger(__name__)
KIND = "wechat_pull"
OFFICIAL = "https://api.weixin.qq.com"
SPANS = {"getusersummary": 7, "getusercumulate": 7, "getuserread": 3}
BACKFILL_DAYS = 30


def make_client(config, db, clock):
    """A wechatpy client for the 公众号 API, on ``WECHAT_MP_API_BASE``, never retrying by itself."""
    from wechatpy import WeChatClient

    client_class = rebased(
        WeChatClient,
        OFFICIAL,
        config.get("WECHAT_MP_API_BASE") or OFFICIAL,
        "/cgi-bin/token",
        lambda c: {"grant_type": "client_credential", "appid": c.appid, "secret": c.secret},
    )
    return client_class(
        config.get("WECHAT_MP_APP_ID"),
        config.get("WECHAT_MP_APP_SECRET"),
        session=KVSession(lambda: db, clock, "wechat_mp"),
        timeout=15,
        auto_retry=False,
    )


def _call(client, endpoint: str, start: date, end: date) -> list[dict]:
    """One datacube call, refreshing an expired token once."""
    payload = {"begin_date": start.isoformat(), "end_date": end.isoformat()}
    return call_once_refreshing(client, "post", endpoint, data=payload, api_base_url=f"{OFFICIAL}/datacube/")[
        "list"
    ]


def _chunks(start: date, end: date, span: int):
    while start <= end:
        stop = min(end, start + timedelta(days=span - 1))
        yield start, stop
        start = stop + timedelta(days=1)


def fetch(client, start: date, end: date) -> dict[date, dict[str, int]]:
    """Daily numbers for [start, end]: followers, new_followers, unfollows, reads, shares, favorites."""
    days: dict[date, dict[str, int]] = {}

    def put(day: str, key: str, value: int, add: bool = False):
        slot = days.setdefault(date.fromisoformat(day), {})
        slot[key] = slot.get(key, 0) + value if add else value

    for a, b in _chunks(start, end, SPANS["getusersummary"]):
        for item in _call(client, "getusersummary", a, b):
            put(item["ref_date"], "new_followers", int(item.get("new_user", 0)), add=True)
            put(item["ref_date"], "unfollows", int(item.get("cancel_user", 0)), add=True)
    for a, b in _chunks(start, end, SPANS["getusercumulate"]):
        for item in _call(client, "getusercumulate", a, b):
            put(item["ref_date"], "followers", int(item["cumulate_user"]))
    for a, b in _chunks(start, end, SPANS["getuserread"]):
        for item in _call(client, "getuserread", a, b):
            put(item["ref_date"], "reads", int(item.get("int_page_read_count", 0)), add=True)
            put(item["ref_date"], "shares", int(item.get("share_count", 0)), add=True)
            put(item["ref_date"], "favorites", int(item.get("add_to_fav_count", 0)), add=True)
    return days


def pull_window(db, account_id: int, today: date) -> tuple[date, date] | None:
    """The days to pull: after the last day we have from the API (at most 30 back) through yesterday."""
    end = today - timedelta(days=1)
    last = db.execute(
        "SELECT max(day) FROM metric_entries WHERE account_id = ? AND source = 'api'", [account_id]
    ).fetchone()[0]
    start = date.fromisoformat(last) + timedelta(days=1) if last else today - timedelta(days=BACKFILL_DAYS)
    start = max(start, today - timedelta(days=BACKFILL_DAYS))
    return (start, end) if start <= end else None


def _prepare_pull(bot, team: dict, row: dict, now: datetime):
    today = now.astimezone(ZoneInfo(team["tz"])).date()
    local = now.astimezone(ZoneInfo(team["tz"]))
    if local.hour < 10:
        return {"skip": "data is ready after 10:00"}
    account = store.ensure_account(bot.db, team["id"], "wechat", row["payload"]["account"], now=now)
    window = pull_window(bot.db, account["id"], today)
    if window is None:
        return {"days": {}}
    client = make_client(bot.config, bot.db, bot.now)
    return {
        "days": fetch(client, *window),
        "account_id": account["id"],
        "window": [d.isoformat() for d in window],
    }


@job(KIND, prepare=_prepare_pull)
def store_pull(bot, db, team: dict, row: dict, *, due, now, late, prepared=None):
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
    log.info("wechat pull for team %s: %s values", team["id"], count)
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
    first = ctx.now if ctx.now.hour >= 10 else timerules.first_fire(rule, ctx.team["tz"], ctx.now)
    add_schedule(
        ctx.db, ctx.team, KIND, rule, now=ctx.now, payload={"account": name}, by=ctx.user_id, first=first
    )
    return Reply(
        title=f"已绑定公众号（{name}）",
        tone="ok",
        body=f"每天 10:30 自动拉取昨天的数据；第一次会补齐近 {BACKFILL_DAYS} 天。",
    )
