"""Building a bot from the configuration: the engine, its channels, its dispatcher."""

from __future__ import annotations

import logging

from bot import config as config_mod
from bot.config import Config
from bot.engine import Bot

log = logging.getLogger(__name__)


def build_bot(config: Config | None = None, **kwargs) -> Bot:
    """A bot with every configured platform channel added (nothing started yet)."""
    config = config or config_mod.load()
    bot = Bot(config, **kwargs)
    from bot.dispatcher import Dispatcher

    bot.dispatcher = Dispatcher(bot)
    for name in config.channels:
        log.info("channel %s is configured", name)
    return bot
