"""Every channel, in one list: its name, the variables that turn it on, and where its class lives.

``bot.config`` reads this list to say which channels the environment turns on (and what is missing);
``bot.root`` builds each one that is on with its class's ``from_config``. A new channel is one entry
here and one class; nothing else names it. Classes are imported only when their channel is on.

The order is the order channels are added to the bot; where a scheduled message goes is decided by
:mod:`bot.push_route`, not by this order.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass


@dataclass(frozen=True)
class ChannelSpec:
    """One channel. It is on when any of ``required`` is set (then all must be); ``always`` channels
    (the push webhooks a team binds in chat) need no variable. ``cls`` is ``"module:Class"``, or ""
    for a platform API that sends and receives no messages (the 公众号 statistics)."""

    name: str
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    cls: str = ""
    always: bool = False

    def load(self):
        """The channel's class (imported now)."""
        module, _, name = self.cls.partition(":")
        return getattr(importlib.import_module(module), name)


CATALOG: tuple[ChannelSpec, ...] = (
    ChannelSpec(
        "wecom_ws",
        ("WECOM_BOT_ID", "WECOM_BOT_SECRET"),
        ("WECOM_BOT_WS_URL",),
        "bot.channels.wecom.aibot_ws:WeComWsChannel",
    ),
    ChannelSpec(
        "wecom_bot", ("WECOM_BOT_TOKEN", "WECOM_BOT_AES_KEY"), (), "bot.channels.wecom.aibot:WeComBotChannel"
    ),
    ChannelSpec(
        "wecom_app",
        ("WECOM_CORP_ID", "WECOM_AGENT_ID", "WECOM_APP_SECRET", "WECOM_APP_TOKEN", "WECOM_APP_AES_KEY"),
        ("WECOM_API_BASE",),
        "bot.channels.wecom.app:WeComAppChannel",
    ),
    ChannelSpec(
        "feishu",
        ("FEISHU_APP_ID", "FEISHU_APP_SECRET"),
        ("FEISHU_MODE", "FEISHU_VERIFICATION_TOKEN", "FEISHU_ENCRYPT_KEY", "FEISHU_API_BASE"),
        "bot.channels.feishu.channel:FeishuChannel",
    ),
    ChannelSpec("wecom_robot", cls="bot.channels.wecom.robot:WeComRobotChannel", always=True),
    ChannelSpec("feishu_bot", cls="bot.channels.feishu.custom_bot:FeishuBotChannel", always=True),
    ChannelSpec("wechat_mp", ("WECHAT_MP_APP_ID", "WECHAT_MP_APP_SECRET"), ("WECHAT_MP_API_BASE",)),
)
