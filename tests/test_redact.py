"""No secret in the logs at DEBUG: the bot's own loggers and third-party ones (urllib3 under wechatpy)."""

import logging

import pytest

from bot import redact
from tests.fakes.wecom import FakeWeCom
from tests.support import ServedBot, wait_until
from tests.test_wecom import APP_ENV, app_text

pytestmark = pytest.mark.date_free


def test_a_whole_conversation_at_debug_leaks_no_secret(db_path, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's connection pool included
    fake = FakeWeCom()
    served = ServedBot(db_path, {**APP_ENV, "WECOM_API_BASE": fake.api})
    try:
        fake.app_callback(served.url, app_text("我是谁", "r-1"))
        wait_until(lambda: fake.sent)
        fake.revoke_tokens()
        fake.app_callback(served.url, app_text("我是谁", "r-2"))
        wait_until(lambda: len(fake.sent) == 2 and fake.token_requests == 2)
    finally:
        served.close()
        fake.close()
    text = caplog.text
    assert "gettoken" in text and "corpsecret=***" in text  # urllib3 did log the URL, masked
    for secret in (APP_ENV["WECOM_APP_SECRET"], APP_ENV["WECOM_APP_AES_KEY"], APP_ENV["WECOM_APP_TOKEN"]):
        assert secret not in text
    assert "tok-1" not in text and "tok-2" not in text  # the access tokens WeCom issued


def test_shapes_of_secrets_are_masked_in_any_logger_and_in_tracebacks(caplog):
    redact.install(["s3cr3t-value-xyz"])
    caplog.set_level(logging.DEBUG)
    other = logging.getLogger("somelib.http")
    other.debug('"GET /cgi-bin/gettoken?corpid=ww1&corpsecret=%s HTTP/1.1" 200', "abcdef123456")
    other.debug("send %s", {"app_secret": "feishu-app-secret", "msg": "hi"})
    other.info("POST /open-apis/bot/v2/hook/0f1e2d3c-aaaa-bbbb %s", "ok")
    other.warning("headers: Authorization: Bearer t-g1044ab2xyz")
    other.debug("the value s3cr3t-value-xyz on its own")
    try:
        raise RuntimeError("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=robot-key-123 failed")
    except RuntimeError:
        other.exception("push failed")
    text = caplog.text
    for leaked in (
        "abcdef123456",
        "feishu-app-secret",
        "0f1e2d3c-aaaa-bbbb",
        "t-g1044ab2xyz",
        "s3cr3t-value-xyz",
        "robot-key-123",
    ):
        assert leaked not in text, leaked
    assert "corpid=ww1" in text and "'msg': 'hi'" in text  # what is not secret stays readable
