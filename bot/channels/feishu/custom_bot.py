"""Feishu custom bot (自定义机器人): pushes to a team that bound one with 推送 绑定 (URL and signing secret).

Failures come back as HTTP 200 with a non-zero ``code``: that is a failure, not a success.
"""

from __future__ import annotations

import logging
import re
import time
from urllib.parse import urlparse

from bot.channels.base import Channel, DeliveryDeferred, DeliveryError, OutboxItem
from bot.channels.feishu.crypto import custom_bot_sign
from bot.channels.feishu.render import cards
from bot.channels.http import post_json
from bot.channels.pace import Pace, url_key
from bot.models import PushUrl
from bot.push_route import PushScope
from storage import push_targets

log = logging.getLogger(__name__)
RATE_CODES = (11232, 9499)


def post(url: str, payload: dict) -> None:
    """POST to a custom bot; a non-zero ``code`` in an HTTP 200 is a failure."""
    data = post_json(url, payload)
    code = data.get("code", data.get("StatusCode", 0))
    if code in RATE_CODES:
        raise DeliveryError(f"{code} rate limited", retry_after=30, rate_limited=True)
    if code:
        raise DeliveryError(f"{code} {data.get('msg', data.get('StatusMessage', ''))}", retryable=False)


class FeishuBotChannel(Channel):
    name = "feishu_bot"
    platform = "feishu"

    @classmethod
    def from_config(cls, config) -> Channel:
        return cls()  # bound per team in chat (推送 绑定); no variable of its own

    def __init__(self, clock=time.time):
        self.clock = clock
        # 5 a second and 100 a minute per bot: at most 4 in any second and 95 in any minute.
        self.pace = Pace("feishu:bot", gap=0.65, burst=3)

    def read_push_url(self, url: str) -> PushUrl | None:
        """``https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN`` (any host, for fakes)."""
        parsed = urlparse(url)
        m = re.search(r"/open-apis/bot/v2/hook/([\w-]+)$", parsed.path)
        if parsed.scheme not in ("http", "https") or not m:
            return None
        hint = "建议在飞书里开启“签名校验”并把密钥一起绑定。"
        return PushUrl(self.name, m.group(1), "飞书自定义机器人", takes_secret=True, hint=hint)

    def push_scope(self) -> PushScope:
        return PushScope(binding="feishu_bot")

    def deliver(self, item: OutboxItem) -> None:
        db = self.bot.db
        target = push_targets.get(db, item.team_id) if item.team_id is not None else None
        if target is None or target["kind"] != "feishu_bot":
            raise DeliveryError("the team has no Feishu custom bot bound (推送 绑定)", retryable=False)

        def send(card: dict) -> None:
            wait = self.pace.take(db, url_key(target["url"]), max_wait=0.0)
            if wait > 0:
                raise DeliveryDeferred("custom bot rate limit", retry_after=wait)
            payload = {"msg_type": "interactive", "card": card}
            if target["secret"]:
                ts = int(self.clock())
                payload.update({"timestamp": str(ts), "sign": custom_bot_sign(ts, target["secret"])})
            try:
                post(target["url"], payload)
            except DeliveryError as exc:
                log.warning("feishu custom bot push for team %s failed: %s", item.team_id, exc)
                raise

        self.send_in_parts(item, cards(item.reply), send)
