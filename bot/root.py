"""The composition root: the one place that puts the business, the engine and the channels together.

``build_registry()`` asks every capability to register its commands; ``build_bot()`` builds the
engine on it with the configured channels and the dispatcher. The CLI, ``serve`` and the tests build
their bots here; nothing else imports ``handlers``.
"""

from __future__ import annotations

import logging

from bot import config as config_mod
from bot import redact
from bot.channels.base import Channel
from bot.channels.catalog import CATALOG
from bot.config import Config, ConfigError
from bot.dispatcher import Dispatcher
from bot.engine import Bot
from bot.registry import Registry

log = logging.getLogger(__name__)


def build_registry() -> Registry:
    """A registry holding every capability's commands, intents, jobs, demo seeders and tools."""
    import handlers

    registry = Registry()
    handlers.register(registry)
    return registry


def build_bot(config: Config | None = None, *, registry: Registry | None = None, **kwargs) -> Bot:
    """A bot with every configured platform channel added (nothing started yet).

    Where pushes go is :mod:`bot.push_route`'s to say, not the order channels are added in.
    """
    config = config or config_mod.load()
    redact.install(redact.secret_values(config.env, config_mod.SECRET_WORDS))
    bot = Bot(config, registry=registry or build_registry(), **kwargs)
    bot.dispatcher = Dispatcher(bot)
    try:
        for channel in make_channels(config):
            bot.add_channel(channel)
    except ValueError as exc:
        raise ConfigError(f"通道配置有误：{exc}") from None
    return bot


def make_channels(config: Config) -> list[Channel]:
    """Every channel of :data:`bot.channels.catalog.CATALOG` that the configuration turns on."""
    channels: list[Channel] = []
    for spec in CATALOG:
        if spec.cls and (spec.always or spec.name in config.channels):
            channel = spec.load().from_config(config)
            if channel.name != spec.name:
                raise ValueError(f"{spec.cls} is named {channel.name!r}, not {spec.name!r}")
            channels.append(channel)
    for channel in channels:
        log.info("channel %s is on", channel.name)
    return channels
