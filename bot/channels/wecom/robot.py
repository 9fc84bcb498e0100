"""WeCom group robot (消息推送): scheduled pushes to a team that bound one with 推送 绑定.

The webhook key is the only credential: it is read from storage at send time and never logged.
Long messages go as several markdown messages (4096 bytes each); a retried row skips the parts
already sent.
"""

from __future__ import annotations

import base64
import hashlib
import logging
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from bot.channels.base import Channel, DeliveryDeferred, DeliveryError, OutboxItem
from bot.channels.pace import Pace, url_key
from bot.channels.wecom.render import ROBOT_LIMIT, markdown, split_bytes
from bot.channels.wecom.webhook import post_checked
from bot.models import Attachment, PushUrl
from bot.push_route import PushScope
from storage import push_targets

log = logging.getLogger(__name__)
IMAGE_LIMIT = 2 * 1024 * 1024  # the group robot's limit for one image


class WeComRobotChannel(Channel):
    name = "wecom_robot"
    platform = "wecom"

    @classmethod
    def from_config(cls, config) -> Channel:
        return cls()  # bound per team in chat (推送 绑定); no variable of its own

    def __init__(self, http_post=None):
        self._post = http_post or post_checked
        # 20 messages a minute per robot (45009 beyond): at most 19 in any minute, 4 at once.
        self.pace = Pace("wecom:robot", gap=4.0, burst=4)

    def read_push_url(self, url: str) -> PushUrl | None:
        """``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY`` (any host, for fakes)."""
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.path.endswith("/cgi-bin/webhook/send"):
            return None
        key = parse_qs(parsed.query).get("key", [""])[0]
        return PushUrl(self.name, key, "企业微信群机器人") if key else None

    def push_scope(self) -> PushScope:
        return PushScope(binding="wecom_robot")

    def deliver(self, item: OutboxItem) -> None:
        db = self.bot.db
        target = push_targets.get(db, item.team_id) if item.team_id is not None else None
        if target is None or target["kind"] != "wecom_robot":
            raise DeliveryError("the team has no WeCom group robot bound (推送 绑定)", retryable=False)

        def send(part) -> None:
            wait = self.pace.take(db, url_key(target["url"]), max_wait=0.0)
            if wait > 0:
                raise DeliveryDeferred("robot rate limit", retry_after=wait)
            if isinstance(part, Attachment):  # a chart: the robot's image message (base64 + md5, ≤ 2 MB)
                raw = Path(part.path).read_bytes()
                payload = {
                    "msgtype": "image",
                    "image": {"base64": base64.b64encode(raw).decode(), "md5": hashlib.md5(raw).hexdigest()},
                }
            else:
                payload = {"msgtype": "markdown", "markdown": {"content": part}}
            try:
                self._post(target["url"], payload)
            except DeliveryError as exc:  # the URL is not logged
                log.warning("wecom robot push for team %s failed: %s", item.team_id, exc)
                raise

        images = item.reply.images(limit=IMAGE_LIMIT)
        text = markdown(item.reply, with_attachments=not images)
        self.send_in_parts(item, [*split_bytes(text, ROBOT_LIMIT), *images], send)

    def status(self) -> dict:
        return {"on": True}
