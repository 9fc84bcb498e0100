"""The fakes checked against the platforms' own clients.

lark-oapi's ``lark.ws.Client`` and WeCom's ``wecom-aibot-python-sdk`` run (in their own virtual
environment, ``.sdk-venv``, which ``.ci/run`` builds; or ``XIAOBIAN_SDK_PYTHON``) against our fakes,
and the frames they send are compared with the frames our own clients send for the same input.
Skipped when the SDKs are not installed.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from tests.fakes.feishu import FakeFeishu
from tests.support import wait_until

pytestmark = pytest.mark.date_free

ROOT = Path(__file__).resolve().parent.parent
SDK_PYTHON = os.environ.get("XIAOBIAN_SDK_PYTHON") or str(ROOT / ".sdk-venv" / "bin" / "python")


def _sdk_has(module: str) -> bool:
    if not Path(SDK_PYTHON).exists():
        return False
    return subprocess.run([SDK_PYTHON, "-c", f"import {module}"], capture_output=True).returncode == 0


REQUIRED = bool(os.environ.get("XIAOBIAN_REQUIRE_SDK"))  # set by .ci/run, which installs them


def _needs(module: str, package: str) -> None:
    """Skip without the SDK; in CI (which installs it) its absence is a failure, not a skip."""
    if _sdk_has(module):
        return
    if REQUIRED:
        pytest.fail(f"{package} missing from {SDK_PYTHON}: .ci/run should have installed it")
    pytest.skip(f"{package} is not installed in .sdk-venv (see tests/sdk/requirements.txt)")


class SdkProcess:
    """A script of tests/sdk/ run by the SDK's interpreter; its JSON stdout lines are collected."""

    def __init__(self, script: str, *args: str):
        self.lines: list[dict] = []
        self.proc = subprocess.Popen(
            [SDK_PYTHON, str(ROOT / "tests" / "sdk" / script), *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            try:
                self.lines.append(json.loads(line))
            except ValueError:
                pass

    def stop(self) -> str:
        self.proc.kill()
        _, err = self.proc.communicate(timeout=10)
        return err


def _normal(frame):
    """A frame with what differs per push (ids, handling time) blanked, for comparison."""
    return (
        frame.seq_id,
        frame.log_id,
        frame.service,
        frame.method,
        [(k, "·" if k in ("biz_rt", "message_id", "trace_id") else v) for k, v in frame.headers],
        json.loads(frame.payload) if frame.payload else None,
    )


def test_lark_client_and_ours_send_the_same_frames_to_the_fake():
    _needs("lark_oapi", "lark-oapi")
    from bot.channels.feishu.longconn import LongConnection

    fake = FakeFeishu()
    ws = fake.start_long_conn(
        config={"ReconnectCount": -1, "ReconnectInterval": 1, "ReconnectNonce": 0, "PingInterval": 60},
        ack_timeout=600,
    )
    event = fake.message_event("我是谁", message_id="om_sdk")
    card = fake.card_action("通过 1", open_message_id="om_card")
    seen = {}
    try:
        sdk = SdkProcess("lark_ws_client.py", fake.api, fake.app_id, fake.app_secret)
        try:
            wait_until(lambda: ws.pings, timeout=30)  # importing lark-oapi takes seconds
            whole = ws.push(event)
            parts = ws.push(event, fragments=3)
            pressed = ws.push(card, kind="card")
            wait_until(lambda: ws.acks(whole) and ws.acks(parts))
            events = lambda: [line["event"]["message"]["message_id"] for line in sdk.lines if "event" in line]  # noqa: E731
            wait_until(lambda: len(events()) >= 2)
            assert events() == ["om_sdk", "om_sdk"]  # the 3-fragment copy reached the app once, whole
            assert not ws.acks(pressed)  # lark-oapi 1.7.5 drops card frames without an ack (the gap)
            seen["lark"] = (ws.pings[0], ws.acks(whole)[0], ws.acks(parts)[0], ws.endpoint_requests[0])
        finally:
            sdk.stop()
        ws.drop()
        ws.pings.clear()
        ws.endpoint_requests.clear()
        received = []

        def record(kind, payload):
            received.append((kind, payload))
            return {"toast": {"type": "info", "content": "ok"}} if kind == "card" else None

        ours = LongConnection(fake.api, fake.app_id, fake.app_secret, record)
        ours.start()
        try:
            wait_until(lambda: ws.pings)
            whole2 = ws.push(event)
            parts2 = ws.push(event, fragments=3)
            pressed2 = ws.push(card, kind="card")
            wait_until(lambda: ws.acks(whole2) and ws.acks(parts2) and ws.acks(pressed2))
            seen["ours"] = (ws.pings[0], ws.acks(whole2)[0], ws.acks(parts2)[0], ws.endpoint_requests[0])
            assert [k for k, _ in received] == ["event", "event", "card"]
            assert received[0][1] == event and received[2][1] == card
        finally:
            ours.stop()
    finally:
        fake.close()
    lark_ping, lark_whole, lark_parts, lark_endpoint = seen["lark"]
    our_ping, our_whole, our_parts, our_endpoint = seen["ours"]
    assert our_ping.encode() == lark_ping.encode()  # byte for byte
    assert our_endpoint == lark_endpoint == {"AppID": "cli_test", "AppSecret": "feishu-secret"}
    for theirs, mine in ((lark_whole, our_whole), (lark_parts, our_parts)):
        a, b = _normal(theirs), _normal(mine)
        assert a[2:] == b[2:]  # same service, method, headers (with biz_rt), payload {"code": 200}
        assert a[5] == {"code": 200}
    assert lark_parts.header("sum") == "3" and dict(lark_parts.headers)["biz_rt"]


def _shape(value):
    """The keys (recursively) and value types of a frame, without the values."""
    if isinstance(value, dict):
        return {k: _shape(v) for k, v in value.items() if k != "_at"}
    if isinstance(value, list):
        return [_shape(v) for v in value[:1]]
    return type(value).__name__


def test_wecom_sdk_and_ours_send_frames_of_the_same_shape(db_path):
    _needs("aibot", "wecom-aibot-python-sdk")
    from tests.fakes.wecom import FakeWeCom
    from tests.support import ServedBot

    fake = FakeWeCom()
    ws = fake.start_ws()
    sdk_frames: dict[str, dict] = {}
    try:
        sdk = SdkProcess("wecom_ws_client.py", ws.url, fake.bot_id, fake.bot_secret, "chat-1")
        try:
            seen = lambda what: [line for line in sdk.lines if line.get("seen") == what]  # noqa: E731
            wait_until(lambda: seen("authenticated"), timeout=30)
            ws.push_message(fake.bot_message("@小编 我是谁", msgid="sdk-1"))
            ws.push_event("enter_chat", user="wangwu")
            ws.push_event(
                "template_card_event",
                user="lisi",
                chatid="chat-1",
                card_type="button_interaction",
                event_key="通过 1",
                task_id="xb9",
            )
            for cmd in (
                "aibot_respond_msg",
                "aibot_respond_welcome_msg",
                "aibot_respond_update_msg",
                "aibot_send_msg",
                "ping",
            ):
                wait_until(lambda cmd=cmd: ws.sent(cmd), timeout=10)
                sdk_frames[cmd] = ws.sent(cmd)[0]
            sdk_frames["aibot_subscribe"] = ws.subscribe_frames[0]
            assert (
                seen("text")[0]["content"] == "@小编 我是谁"
                and seen("template_card_event")[0]["task_id"] == "xb9"
            )
        finally:
            sdk.stop()
        ws.frames.clear()
        env = {
            "WECOM_BOT_ID": fake.bot_id,
            "WECOM_BOT_SECRET": fake.bot_secret,
            "WECOM_BOT_WS_URL": ws.url,
            "XIAOBIAN_ADMINS": "wecom:boss",
        }
        served = ServedBot(db_path, env)
        try:
            channel = served.channel("wecom_ws")
            channel.heartbeat = 0.3
            wait_until(lambda: channel.connected.is_set())
            ws.push_message(fake.bot_message("@小编 我是谁", msgid="ours-1"))
            wait_until(lambda: ws.sent("aibot_respond_msg"))
            ws.push_event("enter_chat", user="wangwu")
            wait_until(lambda: ws.sent("aibot_respond_welcome_msg"))
            from bot.models import Reply
            from storage import teams

            served.bot.push(teams.get_team_by_chat(served.bot.db, "wecom", "", "chat-1"), Reply(title="你好"))
            wait_until(lambda: ws.sent("aibot_send_msg") and ws.sent("ping"))
            ours = {
                cmd: ws.sent(cmd)[0]
                for cmd in ("aibot_respond_msg", "aibot_respond_welcome_msg", "aibot_send_msg", "ping")
            }
            ours["aibot_subscribe"] = ws.subscribe_frames[-1]
        finally:
            served.close()
    finally:
        fake.close()
    for cmd, frame in ours.items():
        assert _shape(frame) == _shape(sdk_frames[cmd]), cmd
        prefix = sdk_frames[cmd]["headers"]["req_id"].split("_")[0]
        if cmd in ("aibot_subscribe", "ping", "aibot_send_msg"):  # ids the client makes: same form
            assert frame["headers"]["req_id"].split("_")[0] == prefix
    assert sdk_frames["aibot_respond_update_msg"]["body"]["response_type"] == "update_template_card"
