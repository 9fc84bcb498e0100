"""Building a bot from the configuration: the engine, its channels, its dispatcher."""

from __future__ import annotations

import logging

from bot import config as config_mod
from bot.config import Config, ConfigError
from bot.dispatcher import Dispatcher
from bot.engine import Bot

log = logging.getLogger(__name__)


def build_bot(config: Config | None = None, **kwargs) -> Bot:
    """A bot with every configured platform channel added (nothing started yet).

    Order matters for pushes: a long connection is preferred over a bound webhook.
    """
    config = config or config_mod.load()
    bot = Bot(config, **kwargs)
    bot.dispatcher = Dispatcher(bot)
    try:
        for channel in make_channels(config):
            bot.add_channel(channel)
    except ValueError as exc:
        raise ConfigError(f"通道配置有误：{exc}") from None
    return bot


def make_channels(config: Config) -> list:
    from bot.channels.wecom_robot import WeComRobotChannel

    channels = []
    if "wecom_ws" in config.channels:
        from bot.channels.wecom_ws import WeComWsChannel

        channels.append(WeComWsChannel(config))
    if "wecom_bot" in config.channels:
        from bot.channels.wecom_bot import WeComBotChannel

        channels.append(WeComBotChannel(config))
    if "wecom_app" in config.channels:
        from bot.channels.wecom_app import WeComAppChannel

        channels.append(WeComAppChannel(config))
    if "feishu" in config.channels:
        from bot.channels.feishu import FeishuChannel

        channels.append(FeishuChannel(config))
    channels.append(WeComRobotChannel())
    from bot.channels.feishu_bot import FeishuBotChannel

    channels.append(FeishuBotChannel())
    for channel in channels:
        log.info("channel %s is on", channel.name)
    return channels
