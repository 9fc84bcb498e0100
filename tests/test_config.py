"""Configuration: defaults, .env, and clear refusals of half-configured channels and bad values."""

import pytest

from bot.config import ConfigError, load

pytestmark = pytest.mark.date_free


def test_defaults_need_nothing(tmp_path):
    cfg = load({}, dotenv=tmp_path / "none")
    assert cfg.db_path == "xiaobian.db" and cfg.tz == "Asia/Shanghai"
    assert cfg.channels == () and cfg.admins == frozenset()


def test_dotenv_is_read_and_environment_wins(tmp_path):
    env = tmp_path / ".env"
    env.write_text('# comment\nexport XIAOBIAN_DB="/tmp/x.db"\nXIAOBIAN_TZ=Asia/Tokyo\n', encoding="utf-8")
    cfg = load({"XIAOBIAN_TZ": "UTC"}, dotenv=env)
    assert cfg.db_path == "/tmp/x.db" and cfg.tz == "UTC"


def test_half_configured_channel_names_what_is_missing(tmp_path):
    with pytest.raises(ConfigError) as err:
        load({"WECOM_CORP_ID": "wx1", "WECOM_APP_SECRET": "s3cr3t-value"}, dotenv=tmp_path / "none")
    text = str(err.value)
    assert "wecom_app" in text and "WECOM_AGENT_ID" in text and "WECOM_APP_TOKEN" in text
    assert "s3cr3t-value" not in text


def test_bad_time_zone_and_admins_are_refused(tmp_path):
    with pytest.raises(ConfigError, match="XIAOBIAN_TZ"):
        load({"XIAOBIAN_TZ": "Mars/Base"}, dotenv=tmp_path / "none")
    with pytest.raises(ConfigError, match="XIAOBIAN_ADMINS"):
        load({"XIAOBIAN_ADMINS": "wecom:zhang,lisi"}, dotenv=tmp_path / "none")
    with pytest.raises(ConfigError, match="FEISHU_MODE"):
        load(
            {"FEISHU_APP_ID": "a", "FEISHU_APP_SECRET": "b", "FEISHU_MODE": "pigeon"},
            dotenv=tmp_path / "none",
        )


def test_admins_and_channels_parsed(tmp_path):
    cfg = load(
        {"XIAOBIAN_ADMINS": " wecom:zhang , console:boss ", "FEISHU_APP_ID": "a", "FEISHU_APP_SECRET": "b"},
        dotenv=tmp_path / "none",
    )
    assert cfg.is_admin("console", "boss") and cfg.is_admin("wecom", "zhang")
    assert not cfg.is_admin("feishu", "zhang")
    assert cfg.channels == ("feishu",)


def test_repr_hides_secrets(tmp_path):
    cfg = load({"FEISHU_APP_ID": "a", "FEISHU_APP_SECRET": "topsecret"}, dotenv=tmp_path / "none")
    assert "topsecret" not in repr(cfg)


def test_every_channel_class_is_in_the_catalog_under_its_own_name():
    """One list names every channel: each entry's class carries the entry's name, and every
    platform channel class under bot/channels is an entry (the console is the CLI's own)."""
    import importlib
    import pkgutil

    import bot.channels
    from bot.channels.base import Channel
    from bot.channels.catalog import CATALOG

    listed = {spec.load(): spec.name for spec in CATALOG if spec.cls}
    assert all(cls.name == name and issubclass(cls, Channel) for cls, name in listed.items())
    found = set()
    for info in pkgutil.walk_packages(bot.channels.__path__, "bot.channels."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Channel) and value.__module__ == info.name:
                found.add(value)
    found -= {Channel, importlib.import_module("bot.channels.console").ConsoleChannel}
    assert found == set(listed)
