"""Feishu's long connection, end to end: our client against a fake Feishu that speaks the real protocol
(endpoint, protobuf frames over WebSocket, fragments, pings, re-pushes, drops)."""

import base64
import json

import pytest

from tests.fakes.feishu import FakeFeishu
from tests.support import ServedBot, wait_until

pytestmark = pytest.mark.date_free

ENV = {
    "FEISHU_APP_ID": "cli_test",
    "FEISHU_APP_SECRET": "feishu-secret",
    "FEISHU_MODE": "ws",
    "XIAOBIAN_ADMINS": "feishu:ou_boss",
}
FAST = {"ReconnectCount": -1, "ReconnectInterval": 0.2, "ReconnectNonce": 0.1, "PingInterval": 60}


@pytest.fixture
def fake():
    f = FakeFeishu()
    yield f
    f.close()


def serve(db_path, fake, *, config=None, ack_timeout=1.0, wait=True):
    ws = fake.start_long_conn(config=dict(config or FAST), ack_timeout=ack_timeout)
    served = ServedBot(db_path, {**ENV, "FEISHU_API_BASE": fake.api})
    conn = served.channel("feishu").long_conn
    if wait:
        wait_until(lambda: conn.connected.is_set())
    return served, ws, conn


def test_group_message_gets_one_reply_and_the_frame_is_acked_at_once(db_path, fake):
    served, ws, conn = serve(db_path, fake)
    try:
        assert ws.endpoint_requests == [{"AppID": "cli_test", "AppSecret": "feishu-secret"}]
        wait_until(lambda: ws.pings)  # a ping at once, with the service id from the URL
        assert ws.pings[0].service == 7 and ws.pings[0].headers == [("type", "ping")]
        message_id = ws.push(fake.message_event("我是谁", message_id="om_ws1"))
        wait_until(lambda: ws.acks(message_id))
        ack = ws.acks(message_id)[0]
        assert json.loads(ack.payload) == {"code": 200}
        assert ack.header("biz_rt") is not None and ack.header("message_id") == message_id
        assert ack.service == 7 and ack.method == 1
        wait_until(lambda: fake.messages)
        reply = fake.messages[0]
        assert reply["reply_to"] == "om_ws1" and "ou_zhang" in json.dumps(reply["card"])
        ws.push(fake.message_event("帮助", message_id="om_ws2"))
        wait_until(lambda: len(fake.messages) == 2)
        assert [m["reply_to"] for m in fake.messages] == ["om_ws1", "om_ws2"]
        health = served.bot.health()
        assert health["ok"] and health["channels"]["feishu"]["connected"]
    finally:
        served.close()


def test_three_fragments_are_joined_and_handled_once(db_path, fake):
    served, ws, conn = serve(db_path, fake)
    try:
        message_id = ws.push(fake.message_event("帮助", message_id="om_frag"), fragments=3)
        wait_until(lambda: ws.acks(message_id))
        wait_until(lambda: fake.messages)
        assert len(ws.acks(message_id)) == 1 and ws.pushed[message_id].deliveries == 1
        assert len(fake.messages) == 1
    finally:
        served.close()


def test_drop_mid_event_then_reconnect_answers_exactly_once(db_path, fake):
    served, ws, conn = serve(db_path, fake, ack_timeout=0.5)
    try:
        message_id = ws.push(fake.message_event("我是谁", message_id="om_mid"), fragments=3, only=0)
        ws.drop()  # one fragment of three arrived, then the connection died
        wait_until(lambda: conn.connections == 2 and conn.connected.is_set())
        wait_until(lambda: ws.acks(message_id))  # Feishu pushed the whole event again on the new connection
        wait_until(lambda: fake.messages)
        assert ws.pushed[message_id].deliveries >= 2
        # acked, and then pushed again anyway (an ack lost in the drop): still one answer
        again = ws.push(fake.message_event("我是谁", message_id="om_mid"))
        wait_until(lambda: ws.acks(again))
        assert len(fake.messages) == 1
        assert len(ws.endpoint_requests) == 2  # a fresh endpoint (and device id) for the new connection
    finally:
        served.close()


def test_card_press_over_the_long_connection_approves_and_updates_the_card(db_path, fake):
    served, ws, conn = serve(db_path, fake)
    try:
        ws.push(
            fake.message_event(
                "授权 @_user_2 经理", message_id="om_a", sender="ou_boss", others=[("ou_li", "李经理")]
            )
        )
        wait_until(lambda: len(fake.messages) == 1)
        ws.push(
            fake.message_event("改写 微博 热可可上新了，中杯18元，12月每周三第二杯半价。", message_id="om_b")
        )
        wait_until(lambda: len(fake.messages) == 2)
        ws.push(fake.message_event("提审 1", message_id="om_c"))
        wait_until(lambda: len(fake.messages) == 3)
        card_message = fake.messages[2]
        buttons = [e for e in card_message["card"]["body"]["elements"] if e["tag"] == "button"]
        assert [b["behaviors"][0]["value"]["command"] for b in buttons] == ["通过 1", "退回 1"]
        press = ws.push(fake.card_action("通过 1", open_message_id="om_3", operator="ou_li"), kind="card")
        wait_until(lambda: ws.acks(press))
        answer = ws.ack_body(press)
        assert answer["code"] == 200
        toast = json.loads(base64.b64decode(answer["data"]))
        assert toast == {"toast": {"type": "info", "content": "小编收到：通过 1"}}
        wait_until(lambda: fake.updates)
        assert fake.updates[0]["message_id"] == "om_3" and "#1 已通过" in json.dumps(
            fake.updates[0]["card"], ensure_ascii=False
        )
        assert len(fake.messages) == 3  # the outcome went into the pressed card, not a new message
    finally:
        served.close()


def test_pong_config_is_applied_and_silence_is_unhealthy_then_replaced(db_path, fake):
    served, ws, conn = serve(db_path, fake, config={**FAST, "PingInterval": 0.3})
    try:
        ws.pong_config = {
            "PingInterval": 0.25,
            "ReconnectInterval": 0.3,
            "ReconnectNonce": 0,
            "ReconnectCount": -1,
        }
        wait_until(lambda: conn.config["PingInterval"] == 0.25)
        assert conn.status()["healthy"]
        ws.silent = True  # pings go unanswered
        sick = wait_until(
            lambda: (h := served.bot.health()) and not h["channels"]["feishu"]["healthy"] and h, timeout=5
        )
        assert sick["ok"] is False
        wait_until(lambda: conn.connections >= 2, timeout=5)  # the dead connection is replaced
        ws.silent = False
        wait_until(lambda: served.bot.health()["ok"], timeout=5)
    finally:
        served.close()


def test_endpoint_busy_slow_and_wrong_secret_are_retried_and_reported(db_path, fake):
    ws = fake.start_long_conn(config=dict(FAST))
    ws.endpoint_errors = [1, 1000040343]
    served = ServedBot(db_path, {**ENV, "FEISHU_API_BASE": fake.api})
    try:
        conn = served.channel("feishu").long_conn
        wait_until(lambda: conn.connected.is_set())
        assert len(ws.endpoint_requests) == 3
        conn.stop()  # a clean stop: the thread ends and the server sees the connection close
        assert not conn._thread.is_alive() and conn.status()["state"] == "stopped"
        wait_until(lambda: not ws.connections)
        assert not conn.status()["healthy"]
    finally:
        served.close()


def test_endpoint_that_hangs_times_out_and_a_wrong_secret_is_named(db_path, fake):
    from bot.channels.feishu.longconn import LongConnection

    ws = fake.start_long_conn(config=dict(FAST))
    ws.endpoint_delay = 1.0
    conn = LongConnection(fake.api, "cli_test", "feishu-secret", lambda kind, payload: None, http_timeout=0.3)
    conn.start()
    try:
        wait_until(lambda: conn.error and "unreachable" in conn.error)
        ws.endpoint_delay = 0
        wait_until(lambda: conn.connected.is_set())
    finally:
        conn.stop()
    wrong = LongConnection(fake.api, "cli_test", "not-the-secret", lambda kind, payload: None)
    wrong.config["ReconnectNonce"] = 0
    wrong.start()
    try:
        wait_until(lambda: wrong.error and "10003" in wrong.error)
        assert not wrong.status()["healthy"] and "not-the-secret" not in json.dumps(wrong.status())
    finally:
        wrong.stop()


def test_refused_upgrade_says_the_app_has_too_many_connections(db_path, fake):
    from bot.channels.feishu.longconn import LongConnection

    ws = fake.start_long_conn(config=dict(FAST))
    ws.refuse_next = [
        {
            "handshake-status": "514",
            "handshake-msg": "exceed conn limit",
            "handshake-autherrcode": "1000040350",
        }
    ] * 50
    conn = LongConnection(fake.api, "cli_test", "feishu-secret", lambda kind, payload: None)
    conn.start()
    try:
        wait_until(lambda: conn.error and "too many long connections" in conn.error)
        assert not conn.connected.is_set()
        ws.refuse_next = []
        wait_until(lambda: conn.connected.is_set())
    finally:
        conn.stop()


def test_on_postgresql_every_instance_keeps_a_connection_and_each_event_is_answered_once(db_path, fake):
    """Two instances on one PostgreSQL: both connect; Feishu hands each event to one of them at
    random (and pushes again what is not acked); every event is answered exactly once."""
    if not db_path.startswith("postgresql"):
        pytest.skip(
            "PostgreSQL only (XIAOBIAN_TEST_BACKEND=postgresql): on SQLite one instance holds the connection"
        )
    first, ws, conn_a = serve(db_path, fake)
    second = ServedBot(db_path, {**ENV, "FEISHU_API_BASE": fake.api})
    try:
        conn_b = second.channel("feishu").long_conn
        wait_until(lambda: conn_b.connected.is_set() and len(ws.connections) == 2)
        ws.spread = True
        ids = [ws.push(fake.message_event(f"我是谁 {i}", message_id=f"om_pg{i}")) for i in range(24)]
        wait_until(lambda: all(ws.acks(m) for m in ids), timeout=20)
        wait_until(lambda: len(fake.messages) >= 24, timeout=30)
        replied = sorted(m["reply_to"] for m in fake.messages)
        assert replied == sorted(f"om_pg{i}" for i in range(24))  # each once
        used = {ws.delivered_on[m][0] for m in ids}
        assert len(used) == 2  # both connections carried events
    finally:
        second.close()
        first.close()
