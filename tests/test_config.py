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
