"""The WeChat 公众号 statistics adapter: a daily pull through wechatpy's ``datacube``, back-filling missed days.

Configured by ``WECHAT_MP_APP_ID``/``WECHAT_MP_APP_SECRET`` (``WECHAT_MP_API_BASE`` for a local
fake); an admin binds it to a team with 绑定公众号 (``wechat_commands``). Data is ready after 08:00 the next day, so
the pull runs after 10:00. Each endpoint's span limit is respected (user summary and cumulate:
7 days a call; user read: 3 days). The token lives in SQLite; an expired token is refreshed
once, never in a loop.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.wechatpy_support import KVSession, call_once_refreshing, rebased
from storage import metrics as store

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
    last = store.last_day_from(db, account_id, "api")
    start = last + timedelta(days=1) if last else today - timedelta(days=BACKFILL_DAYS)
    start = max(start, today - timedelta(days=BACKFILL_DAYS))
    return (start, end) if start <= end else None
