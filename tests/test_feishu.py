"""The Feishu channel against a local fake of Feishu, through a real HTTP server."""

import json
import logging
import time

import pytest

from bot.channels import leases
from bot.models import Reply
from storage import inbox, push_targets, teams
from tests.fakes.feishu import WEBHOOK_ENV, FakeFeishu
from tests.support import ServedBot, settled, wait_until

pytestmark = pytest.mark.date_free

ENV = {**WEBHOOK_ENV, "XIAOBIAN_ADMINS": "feishu:ou_boss"}


@pytest.fixture
def fake():
    f = FakeFeishu()
    yield f
    f.close()


@pytest.fixture
def served(db_path, fake):
    s = ServedBot(db_path, {**ENV, "FEISHU_API_BASE": fake.api})
    yield s
    s.close()


def card_text(card: dict) -> str:
    return json.dumps(card, ensure_ascii=False)


def test_url_verification_plain_encrypted_and_wrong_token(db_path, fake):
    plain_env = {**ENV, "FEISHU_API_BASE": fake.api}
    plain_env.pop("FEISHU_ENCRYPT_KEY")
    s = ServedBot(db_path, plain_env)
    try:
        challenge = {"challenge": "c-1", "token": "verify-token", "type": "url_verification"}
        assert FakeFeishu.push(s.url, challenge, encrypt_key=None) == (200, {"challenge": "c-1"})
        assert FakeFeishu.push(s.url, {**challenge, "token": "wrong"}, encrypt_key=None)[0] == 403
    finally:
        s.close()


def test_url_verification_encrypted_without_signature(served):
    challenge = {"challenge": "c-2", "token": "verify-token", "type": "url_verification"}
    started = time.perf_counter()
    assert FakeFeishu.push(served.url, challenge, sign=False) == (200, {"challenge": "c-2"})
    assert time.perf_counter() - started < 1.0


def test_group_message_is_answered_once_as_a_reply_with_a_valid_card(served, fake):
    event = fake.message_event("帮助 提醒", message_id="om_user_1")
    for _ in range(4):  # pushed, then re-pushed
        assert FakeFeishu.push(served.url, event)[0] == 200
    wait_until(lambda: fake.messages and settled(served.bot))
    (sent,) = fake.messages
    assert sent["reply_to"] == "om_user_1" and sent["uuid"].startswith("xb")
    assert sent["card"]["header"]["title"]["content"] == "帮助：提醒" and sent["card"]["schema"] == "2.0"
    assert inbox.count(served.bot.db) == 1


def test_repush_after_restart_is_still_answered_once(db_path, fake):
    env = {**ENV, "FEISHU_API_BASE": fake.api}
    event = fake.message_event("我是谁", message_id="om_restart")
    first = ServedBot(db_path, env)
    FakeFeishu.push(first.url, event)
    wait_until(lambda: fake.messages)
    first.close()
    second = ServedBot(db_path, env)
    try:
        assert FakeFeishu.push(second.url, event)[0] == 200  # Feishu re-pushes hours later
        wait_until(lambda: settled(second.bot))
        assert len(fake.messages) == 1
    finally:
        second.close()


def test_mentions_post_messages_p2p_and_bots(served, fake):
    FakeFeishu.push(
        served.url,
        fake.message_event(
            "授权 @_user_2 经理", message_id="om_g1", sender="ou_boss", others=[("ou_li", "李经理")]
        ),
    )
    wait_until(lambda: fake.messages)
    assert "李经理 现在是本群的经理" in card_text(fake.messages[0]["card"])
    post = {
        "zh_cn": {
            "title": "",
            "content": [[{"tag": "at", "user_id": "@_user_1"}, {"tag": "text", "text": " 我是谁"}]],
        }
    }
    rich = fake.message_event("", message_id="om_post", message_type="post", content=post, sender="ou_li")
    FakeFeishu.push(served.url, rich)
    wait_until(lambda: len(fake.messages) == 2)
    assert "角色" in card_text(fake.messages[1]["card"]) and "经理" in card_text(fake.messages[1]["card"])
    FakeFeishu.push(
        served.url,
        fake.message_event(
            "我是谁", message_id="om_p2p", chat_type="p2p", chat_id="oc_dm", mention_bot=False
        ),
    )
    wait_until(lambda: len(fake.messages) == 3)
    FakeFeishu.push(served.url, fake.message_event("我是谁", message_id="om_bot", sender_type="app"))
    FakeFeishu.push(
        served.url,
        fake.message_event("大家好", message_id="om_chat", mention_bot=False, others=[("ou_li", "李经理")]),
    )
    wait_until(lambda: settled(served.bot))
    assert len(fake.messages) == 3  # a bot's message and a message to someone else get no answer
    row = served.bot.db.execute("SELECT status FROM inbox WHERE message_key = 'om_chat'").fetchone()
    assert row[0] == "ignored"


def test_button_press_gets_a_toast_runs_the_command_and_updates_the_card(served, fake):
    FakeFeishu.push(
        served.url,
        fake.message_event(
            "授权 @_user_2 经理", message_id="om_a", sender="ou_boss", others=[("ou_li", "李经理")]
        ),
    )
    FakeFeishu.push(
        served.url,
        fake.message_event("改写 微博 热可可上新了，中杯18元，12月每周三第二杯半价。", message_id="om_b"),
    )
    FakeFeishu.push(served.url, fake.message_event("提审 1", message_id="om_c"))
    wait_until(lambda: len(fake.messages) == 3)
    submit_card = fake.messages[2]["card"]
    buttons = [e for e in submit_card["body"]["elements"] if e["tag"] == "button"]
    assert [b["behaviors"][0]["value"]["command"] for b in buttons] == ["通过 1", "退回 1"]
    started = time.perf_counter()
    status, answer = FakeFeishu.push(
        served.url, fake.card_action("通过 1", open_message_id="om_3", operator="ou_li")
    )
    assert status == 200 and answer["toast"]["content"] == "小编收到：通过 1"
    assert time.perf_counter() - started < 3
    wait_until(lambda: fake.updates)
    update = fake.updates[0]
    assert update["message_id"] == "om_3" and "#1 已通过" in card_text(update["card"])
    assert not [e for e in update["card"]["body"]["elements"] if e["tag"] == "button"]


def test_expired_token_is_refetched_once_and_429_is_waited_out(served, fake):
    FakeFeishu.push(served.url, fake.message_event("我是谁", message_id="om_t1"))
    wait_until(lambda: fake.messages)
    fake.invalidate_tokens()
    fake.rate_limit_next = 1
    served.bot.retry_base = 0.1
    FakeFeishu.push(served.url, fake.message_event("我是谁", message_id="om_t2"))
    wait_until(lambda: len(fake.messages) == 2, timeout=15)
    assert fake.token_requests == 2
    last = "SELECT attempts, status FROM outbox ORDER BY id DESC LIMIT 1"
    wait_until(lambda: served.bot.db.execute(last).fetchone()[1] == "sent")
    assert served.bot.db.execute(last).fetchone() == (1, "sent")  # a 429 wait is not an attempt


def test_refused_requests_store_nothing_and_serving_goes_on(served, fake):
    FakeFeishu.push(served.url, fake.message_event("帮助", message_id="om_seen"))
    wait_until(lambda: fake.messages)
    db = served.bot.db
    before = inbox.count(db)
    event = fake.message_event("我是谁", message_id="om_forged")
    results = [
        FakeFeishu.push(served.url, event, forge=True)[0],  # forged signature
        FakeFeishu.push(served.url, event, timestamp=int(time.time()) - 3600)[0],  # a replay an hour old
        FakeFeishu.push(served.url, fake.message_event("我是谁", message_id="om_x", token="wrong"))[0],
        FakeFeishu.push(served.url, b"{not json")[0],
        FakeFeishu.push(served.url, b'{"encrypt": "AAAA"}')[0],
        FakeFeishu.push(served.url, event, sign=False)[0],  # an unsigned event
        FakeFeishu.push(served.url, b"x" * (2 * 1024 * 1024))[0],
    ]
    assert results == [403, 403, 403, 400, 400, 403, 413]
    for _ in range(50):
        assert FakeFeishu.push(served.url, event, forge=True)[0] == 403
    assert inbox.count(db) == before
    FakeFeishu.push(served.url, fake.message_event("我是谁", message_id="om_after"))
    wait_until(lambda: len(fake.messages) == 2)


def test_push_fan_out_keeps_5_qps_per_chat(served, fake):
    team = teams.ensure_team(served.bot.db, "feishu", "tenant-1", "oc_busy", now=served.bot.now())
    for i in range(12):
        served.bot.push(team, Reply(title=f"推送 {i}"))
    wait_until(lambda: len(fake.messages) == 12, timeout=20)
    assert fake.qps_violations == 0
    titles = [m["card"]["header"]["title"]["content"] for m in fake.messages]
    assert titles == [f"推送 {i}" for i in range(12)]


def test_chart_is_uploaded_and_shown_in_the_card(served, fake):
    FakeFeishu.push(served.url, fake.message_event("记录 抖音 粉丝 1000 昨天", message_id="om_c1"))
    FakeFeishu.push(served.url, fake.message_event("记录 抖音 粉丝 1100", message_id="om_c2"))
    FakeFeishu.push(served.url, fake.message_event("图表 抖音 粉丝 近7天", message_id="om_c3"))
    wait_until(lambda: len(fake.messages) == 3, timeout=20)
    images = [e for e in fake.messages[2]["card"]["body"]["elements"] if e["tag"] == "img"]
    assert images and images[0]["img_key"] == "img_1"


def test_a_chart_whose_file_is_gone_is_said_missing_not_dropped(served, fake, tmp_path):
    """A push whose chart file was cleaned up (or drawn on another machine) still goes, and says so."""
    from bot.models import Attachment

    team = teams.ensure_team(served.bot.db, "feishu", "t1", "oc_chart", now=served.bot.now())
    gone = Attachment(name="粉丝走势", media_type="image/png", path=str(tmp_path / "gone.png"))
    served.bot.push(team, Reply(title="周报", body="本周粉丝 +120", attachments=[gone]))
    wait_until(lambda: fake.messages)
    card = fake.messages[0]["card"]
    assert not [e for e in card["body"]["elements"] if e["tag"] == "img"]
    assert "粉丝走势 没能附上" in card_text(card)


def test_custom_bot_push_is_signed_and_a_code_is_a_failure(db_path, fake, caplog):
    s = ServedBot(db_path, {"XIAOBIAN_ADMINS": "console:boss"})
    try:
        db = s.bot.db
        team = teams.ensure_team(db, "feishu", "tenant-9", "oc_other", now=s.bot.now())
        push_targets.bind(
            db, team.id, "feishu_bot", fake.hook_url(), fake.hook_secret, by="boss", now=s.bot.now()
        )
        s.bot.push(team, Reply(title="日报", body="昨天没有数据"))
        wait_until(lambda: fake.hook)
        assert (
            fake.hook[0]["msg_type"] == "interactive"
            and fake.hook[0]["card"]["header"]["title"]["content"] == "日报"
        )
        push_targets.bind(
            db, team.id, "feishu_bot", fake.hook_url(), "wrong-secret", by="boss", now=s.bot.now()
        )
        caplog.set_level(logging.WARNING)
        s.bot.push(team, Reply(title="第二条"))
        dead = "SELECT kind, last_error FROM outbox WHERE status = 'dead' ORDER BY id"
        wait_until(lambda: len(db.execute(dead).fetchall()) == 2)
        (kind, error), (notice_kind, _) = db.execute(dead).fetchall()
        assert kind == "push" and "19021" in error
        assert notice_kind == "notice"  # the admin's notice tried the same broken route, once, and no more
        assert fake.hook_secret not in caplog.text and "wrong-secret" not in caplog.text
    finally:
        s.close()


def test_second_copy_refuses_the_long_connection(db_path, fake):
    """On SQLite a second copy would take some of the events into a file of its own: it is refused.
    (On PostgreSQL every copy shares one inbox and connects: test_feishu_long_connection.)"""
    from bot import config as config_mod
    from bot.root import build_bot
    from storage.db import dialect

    env = {**ENV, "FEISHU_API_BASE": fake.api, "FEISHU_MODE": "ws"}
    bot = build_bot(config_mod.load({"XIAOBIAN_DB": db_path, **env}))
    if dialect(bot.db) == "postgresql":
        bot.store.close()
        pytest.skip("on PostgreSQL every instance keeps a long connection (no lease)")
    try:
        leases.acquire(bot.db, "feishu_ws:cli_test", "laptop:1234:abc", bot.now())
        with pytest.raises(leases.LeaseHeld, match="laptop"):
            bot.channels["feishu"].start(bot)
    finally:
        bot.store.close()


def test_events_are_acknowledged_without_waiting_for_the_api(db_path, fake):
    """A first event with no cached bot id, the API hanging: the ack still comes at once."""
    import threading

    s = ServedBot(db_path, {**ENV, "FEISHU_API_BASE": fake.api}, start_channels=False)
    try:
        from storage import kv

        kv.delete(s.bot.db, "feishu:bot_open_id")
        release = threading.Event()
        original = s.channel("feishu").api._http

        def slow(*args, **kwargs):
            release.wait(10)
            return original(*args, **kwargs)

        s.channel("feishu").api._http = slow
        started = time.perf_counter()
        status, _ = FakeFeishu.push(s.url, fake.message_event("我是谁", message_id="om_slow_api"))
        assert status == 200 and time.perf_counter() - started < 1.0
        release.set()
        assert inbox.count(s.bot.db) == 1
    finally:
        s.close()


def test_export_sent_as_a_file_is_rehearsed_then_imported(served, fake):
    """A 1:1 file message: the bot fetches the file from Feishu, shows a dry run, imports on 确认导入."""
    export = "日期,粉丝总量,播放量\n2026-11-20,12000,5.3万\n2026-11-21,12100,4.8万\n".encode("gbk")
    fake.files[("om_file", "file_v2_abc")] = export
    event = fake.message_event(
        "",
        message_id="om_file",
        chat_type="p2p",
        chat_id="oc_dm",
        mention_bot=False,
        message_type="file",
        content={"file_key": "file_v2_abc", "file_name": "抖音数据.csv"},
    )
    FakeFeishu.push(served.url, event)
    wait_until(lambda: fake.messages)
    card = card_text(fake.messages[0]["card"])
    assert "预演：抖音数据.csv" in card and "确认导入" in card
    FakeFeishu.push(
        served.url,
        fake.message_event(
            "确认导入", message_id="om_ok", chat_type="p2p", chat_id="oc_dm", mention_bot=False
        ),
    )
    wait_until(lambda: len(fake.messages) == 2)
    assert "已导入：抖音数据.csv" in card_text(fake.messages[1]["card"])
