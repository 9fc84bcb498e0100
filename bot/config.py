"""Configuration from the environment (and a ``.env`` file, which never overrides the environment)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.channels.catalog import CATALOG


class ConfigError(Exception):
    """The configuration cannot start the bot; the message says what to fix."""


SECRET_WORDS = ("SECRET", "TOKEN", "AES_KEY", "ENCRYPT_KEY", "API_KEY")


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse ``KEY=value`` lines; ``#`` comments, ``export`` and quotes allowed."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


@dataclass
class Config:
    db_path: str = "xiaobian.db"
    tz: str = "Asia/Shanghai"
    admins: frozenset[tuple[str, str]] = frozenset()
    workers: int = 4
    env: dict[str, str] = field(default_factory=dict, repr=False)
    channels: tuple[str, ...] = ()
    reply_retry_window: float = 3600.0  # seconds a chat answer keeps being retried
    push_retry_window: float = 86400.0  # seconds a scheduled push keeps being retried

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.tz)

    def get(self, key: str, default: str = "") -> str:
        """A raw variable (for a channel's own settings)."""
        return self.env.get(key, default)

    def is_admin(self, platform: str, user_id: str) -> bool:
        return (platform, user_id) in self.admins

    def __repr__(self) -> str:  # never show secrets
        from storage.backend import redacted

        return f"Config(db_path={redacted(self.db_path)!r}, tz={self.tz!r}, channels={self.channels!r})"


def parse_admins(text: str) -> frozenset[tuple[str, str]]:
    """``wecom:zhangsan,console:boss`` → {("wecom", "zhangsan"), ("console", "boss")}."""
    admins = set()
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        platform, sep, user = item.partition(":")
        if not sep or not platform.strip() or not user.strip():
            raise ConfigError(
                f"XIAOBIAN_ADMINS 格式不对：{item!r}。应为逗号分隔的「平台:用户ID」，例如 wecom:zhangsan,console:boss"
            )
        admins.add((platform.strip(), user.strip()))
    return frozenset(admins)


def load(environ: dict[str, str] | None = None, dotenv: Path | None = None) -> Config:
    """Read the configuration; raise :class:`ConfigError` naming what is missing or wrong."""
    env = dict(read_dotenv(dotenv if dotenv is not None else Path(".env")))
    env.update(os.environ if environ is None else environ)
    tz = env.get("XIAOBIAN_TZ", "").strip() or "Asia/Shanghai"
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigError(f"XIAOBIAN_TZ 不是有效的时区：{tz!r}（例如 Asia/Shanghai）") from exc
    workers_text = env.get("XIAOBIAN_WORKERS", "").strip() or "4"
    if not workers_text.isdigit() or not 1 <= int(workers_text) <= 64:
        raise ConfigError(f"XIAOBIAN_WORKERS 应为 1 到 64 的整数，而不是 {workers_text!r}")
    windows = {}
    for name, default in (("XIAOBIAN_REPLY_RETRY_WINDOW", 3600), ("XIAOBIAN_PUSH_RETRY_WINDOW", 86400)):
        text = env.get(name, "").strip() or str(default)
        if not text.isdigit() or not 60 <= int(text) <= 7 * 86400:
            raise ConfigError(f"{name} 应为 60 到 604800 之间的秒数，而不是 {text!r}")
        windows[name] = float(text)
    on = []
    for spec in CATALOG:  # each channel's variables are listed once, in bot/channels/catalog.py
        channel, required = spec.name, spec.required
        if spec.always:
            continue
        present = [k for k in required if env.get(k, "").strip()]
        if not present:
            continue
        missing = [k for k in required if not env.get(k, "").strip()]
        if missing:
            raise ConfigError(f"{channel} 配置不完整：已设置 {', '.join(present)}，缺少 {', '.join(missing)}")
        on.append(channel)
    if "feishu" in on:
        mode = env.get("FEISHU_MODE", "ws").strip() or "ws"
        if mode not in ("ws", "webhook"):
            raise ConfigError(f"FEISHU_MODE 应为 ws 或 webhook，而不是 {mode!r}")
        if mode == "webhook" and not env.get("FEISHU_VERIFICATION_TOKEN", "").strip():
            raise ConfigError("FEISHU_MODE=webhook 需要 FEISHU_VERIFICATION_TOKEN")
    return Config(
        db_path=env.get("XIAOBIAN_DB", "").strip() or "xiaobian.db",
        tz=tz,
        admins=parse_admins(env.get("XIAOBIAN_ADMINS", "")),
        workers=int(workers_text),
        env=env,
        channels=tuple(on),
        reply_retry_window=windows["XIAOBIAN_REPLY_RETRY_WINDOW"],
        push_retry_window=windows["XIAOBIAN_PUSH_RETRY_WINDOW"],
    )
