"""WeCom's AI bot over its long connection, end to end, against a fake that answers as WeCom does."""

import json
import time

import pytest

from bot.channels import leases
from bot.models import Reply
from storage import teams
from tests.fakes.wecom import FakeWeCom
from tests.support import ServedBot, settled, wait_until

pytestmark = pytest.mark.date_free

ENV = {"WECOM_BOT_ID": "bot-1", "WECOM_BOT_SECRET": "bot-secret", "XIAOBIAN_ADMINS": "wecom:boss"}


@pytest.fixture
def fake():
    f = FakeWeCom()
    yield f
    f.close()


@pytest.fixture
def ws(fake):
    return fake.start_ws()


@pytest.fixture
def served(db_path, ws):
    s = ServedBot(db_path, {**ENV, "WECOM_BOT_WS_URL": ws.url})
    channel = s.channel("wecom_ws")
    channel.backoff_base = 0.05
    wait_until(lambda: channel.connected.is_set())
    yield s
    s.close()


def bodies(ws, cmd):
    return [f["body"] for f in ws.sent(cmd)]


def test_group_message_gets_one_finished_stream_and_pushes_carry_no_chat_type(served, fake, ws):
    assert ws.subscribe_frames[0]["headers"]["req_id"].startswith("aibot_subscribe_")
    req = ws.push_message(fake.bot_message("@小编 我是谁", msgid="w-1"))
    wait_until(lambda: ws.sent("aibot_respond_msg"))
    frame = ws.sent("aibot_respond_msg")[0]
    assert frame["headers"]["req_id"] == req and frame["body"]["msgtype"] == "stream"
    stream = frame["body"]["stream"]
    assert stream["finish"] is True and "你是 zhangsan" in stream["content"] and stream["id"]
    ws.push_message(fake.bot_message("@小编 我是谁", msgid="w-1"))  # delivered again: answered once
    ws.push_message(fake.bot_message("@小编 帮助", msgid="w-2"))
    wait_until(lambda: len(ws.sent("aibot_respond_msg")) == 2)
    assert "我是谁" not in ws.sent("aibot_respond_msg")[1]["body"]["stream"]["content"][:10]
    team = teams.get_team_by_chat(served.bot.db, "wecom", "", "chat-1")
    served.bot.push(team, Reply(title="日报", body="昨天没有数据"))
    wait_until(lambda: ws.sent("aibot_send_msg"))
    sent = bodies(ws, "aibot_send_msg")[0]
    assert set(sent) == {"chatid", "msgtype", "markdown"}  # as the SDKs send it: no chat_type
    assert (
        sent["chatid"] == "chat-1" and sent["msgtype"] == "markdown" and "日报" in sent["markdown"]["content"]
    )


def test_a_slow_answer_opens_the_stream_then_finishes_it(served, fake, ws):
    channel = served.channel("wecom_ws")
    channel.stream_after = 0.1
    handle = served.bot._handle
    served.bot._handle = lambda row: (time.sleep(0.8), handle(row))
    req = ws.push_message(fake.bot_message("@小编 帮助", msgid="slow-1"))
    wait_until(lambda: len(ws.sent("aibot_respond_msg")) == 2)
    first, last = (f["body"]["stream"] for f in ws.sent("aibot_respond_msg"))
    assert first["finish"] is False and "正在处理" in first["content"]
    assert last["finish"] is True and last["id"] == first["id"] and "帮助" in last["content"]
    assert all(f["headers"]["req_id"] == req for f in ws.sent("aibot_respond_msg"))


def test_review_card_press_approves_the_draft_and_updates_the_card(served, fake, ws):
    ws.push_message(fake.bot_message("@小编 授权 @lisi 经理", msgid="r-1", user="boss"))
    wait_until(lambda: len(ws.sent("aibot_respond_msg")) == 1)
    ws.push_message(
        fake.bot_message("@小编 改写 微博 热可可上新了，中杯18元，12月每周三第二杯半价。", msgid="r-2")
    )
    wait_until(lambda: len(ws.sent("aibot_respond_msg")) == 2)
    ws.push_message(fake.bot_message("@小编 提审 1", msgid="r-3"))
    wait_until(lambda: len(ws.sent("aibot_respond_msg")) == 3)
    body = ws.sent("aibot_respond_msg")[2]["body"]
    assert body["msgtype"] == "stream_with_template_card" and body["stream"]["finish"] is True
    card = body["template_card"]
    assert card["card_type"] == "button_interaction"
    assert [b["key"] for b in card["button_list"]] == ["通过 1", "退回 1"]
    assert "回复「通过 1」" not in body["stream"]["content"]  # the buttons are buttons, not text
    press = ws.push_event(
        "template_card_event",
        user="lisi",
        chatid="chat-1",
        card_type="button_interaction",
        event_key="通过 1",
        task_id=card["task_id"],
    )
    wait_until(lambda: ws.sent("aibot_respond_update_msg"))
    update = ws.sent("aibot_respond_update_msg")[0]
    assert update["headers"]["req_id"] == press
    assert update["_at"] - ws.pushed_at[press] < 5
    assert update["body"]["response_type"] == "update_template_card"
    assert update["body"]["template_card"]["task_id"] == card["task_id"]
    assert "#1 已通过" in json.dumps(update["body"]["template_card"], ensure_ascii=False)
    assert served.bot.db.execute("SELECT status FROM drafts WHERE id = 1").fetchone()[0] == "approved"


def test_entering_the_chat_gets_a_welcome_within_five_seconds(served, fake, ws):
    rid = ws.push_event("enter_chat", user="wangwu")
    wait_until(lambda: ws.sent("aibot_respond_welcome_msg"))
    welcome = ws.sent("aibot_respond_welcome_msg")[0]
    assert welcome["headers"]["req_id"] == rid and welcome["_at"] - ws.pushed_at[rid] < 5
    assert welcome["body"]["msgtype"] == "text" and "小编" in welcome["body"]["text"]["content"]
    assert not ws.sent("aibot_send_msg")


def test_chart_goes_up_in_chunks_and_out_as_an_image(served, fake, ws, tmp_path):
    from bot.models import Attachment

    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3000)  # ~768 KB: two chunks
    ws.push_message(fake.bot_message("@小编 我是谁", msgid="c-1"))
    wait_until(lambda: ws.sent("aibot_respond_msg"))
    team = teams.get_team_by_chat(served.bot.db, "wecom", "", "chat-1")
    served.bot.push(
        team,
        Reply(
            title="周报", body="阅读趋势见图", attachments=[Attachment("chart.png", "image/png", str(png))]
        ),
    )
    wait_until(lambda: [b for b in bodies(ws, "aibot_send_msg") if b["msgtype"] == "image"])
    init = bodies(ws, "aibot_upload_media_init")[0]
    assert init["type"] == "image" and init["total_chunks"] == 2 and init["total_size"] == png.stat().st_size
    assert [c["chunk_index"] for c in bodies(ws, "aibot_upload_media_chunk")] == [0, 1]
    image = [b for b in bodies(ws, "aibot_send_msg") if b["msgtype"] == "image"][0]
    assert ws.media[image["image"]["media_id"]] == png.read_bytes()
    text = [b for b in bodies(ws, "aibot_send_msg") if b["msgtype"] == "markdown"][0]
    assert "[图片]" not in text["markdown"]["content"]


def test_drop_mid_event_reconnects_and_answers_once(served, fake, ws):
    channel = served.channel("wecom_ws")
    handle = served.bot._handle
    served.bot._handle = lambda row: (time.sleep(0.3), handle(row))
    ws.push_message(fake.bot_message("@小编 我是谁", msgid="d-1"))
    ws.drop()  # the answer is not sent yet when the connection dies
    wait_until(lambda: ws.subscribes == 2 and channel.connected.is_set())
    ws.push_message(fake.bot_message("@小编 我是谁", msgid="d-1"))  # WeCom delivers it again
    wait_until(lambda: (ws.sent("aibot_respond_msg") or ws.sent("aibot_send_msg")) and settled(served.bot))
    answers = ws.sent("aibot_respond_msg") + ws.sent("aibot_send_msg")
    assert len(answers) == 1


def test_missed_heartbeats_replace_the_connection(db_path, fake, ws):
    served = ServedBot(db_path, {**ENV, "WECOM_BOT_WS_URL": ws.url})
    try:
        channel = served.channel("wecom_ws")
        channel.heartbeat, channel.backoff_base = 0.1, 0.05
        wait_until(lambda: channel.connected.is_set())
        ws.silent = True
        wait_until(lambda: ws.subscribes >= 2, timeout=5)
        pings = ws.sent("ping")
        assert pings and all(p["headers"]["req_id"].startswith("ping_") for p in pings)
    finally:
        served.close()


def test_another_copy_taking_the_connection_stops_this_one_and_healthz_says_so(served, fake, ws):
    from websockets.sync.client import connect

    channel = served.channel("wecom_ws")
    with connect(ws.url) as other:  # a copy on another machine subscribes with the same bot
        other.send(
            json.dumps(
                {
                    "cmd": "aibot_subscribe",
                    "headers": {"req_id": "aibot_subscribe_1"},
                    "body": {"bot_id": "bot-1", "secret": "bot-secret"},
                }
            )
        )
        assert json.loads(other.recv(timeout=5))["errcode"] == 0
        wait_until(lambda: channel.kicked)
        time.sleep(0.3)
        assert ws.subscribes == 2  # this copy did not reconnect and kick the other back
        health = served.bot.health()
        assert health["ok"] is False
        assert "另一个小编实例" in health["channels"]["wecom_ws"]["error"]


def test_second_copy_on_the_same_database_is_refused(db_path, served, ws):
    from bot import config as config_mod
    from bot.root import build_bot

    cfg = config_mod.load({"XIAOBIAN_DB": db_path, **ENV, "WECOM_BOT_WS_URL": ws.url})
    other = build_bot(cfg, clock=served.clock)
    with pytest.raises(leases.LeaseHeld, match="只运行一个实例"):
        other.channels["wecom_ws"].start(other)
    other.store.close()
