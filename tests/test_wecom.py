"""The WeCom channels against a local fake of WeCom, through a real HTTP server."""

import json
import logging
import time
import urllib.request
from urllib.parse import urlencode

import pytest

from bot.channels.wecom.crypto import WeComCrypto, signature
from storage import inbox, outbox
from tests.fakes.wecom import AES_KEY, CORP, TOKEN, FakeWeCom
from tests.support import ServedBot, settled, wait_until

pytestmark = pytest.mark.date_free

BOT_ENV = {"WECOM_BOT_TOKEN": TOKEN, "WECOM_BOT_AES_KEY": AES_KEY, "XIAOBIAN_ADMINS": "wecom:boss"}


@pytest.fixture
def fake():
    f = FakeWeCom()
    yield f
    f.close()


@pytest.fixture
def served(db_path, fake):
    s = ServedBot(db_path, {**BOT_ENV, "WECOM_API_BASE": fake.api})
    yield s
    s.close()


def db_counts(db):
    return tuple(
        db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("inbox", "outbox", "teams", "people")
    )


def test_url_verification_answers_plaintext_exactly(served):
    crypto = WeComCrypto(TOKEN, AES_KEY, "")
    echostr = crypto.seal("1616140317555161061")
    params = {
        "msg_signature": signature(TOKEN, "1409659589", "263014780", echostr),
        "timestamp": "1409659589",
        "nonce": "263014780",
        "echostr": echostr,
    }
    with urllib.request.urlopen(f"{served.url}/wecom/bot?{urlencode(params)}") as resp:
        assert resp.read() == b"1616140317555161061"
    params["msg_signature"] = "0" * 40
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(f"{served.url}/wecom/bot?{urlencode(params)}")
    assert err.value.code == 403


def test_group_message_answered_once_however_often_redelivered(served, fake):
    body = fake.bot_message("@小编 帮助 提醒", msgid="m-1")
    answers = [fake.bot_callback(served.url, body) for _ in range(5)]  # the first and 4 re-deliveries
    assert all(status == 200 for status, _ in answers)
    assert all(a[1]["stream"]["id"] == "xb-m-1" for a in answers)  # one stream, however often asked
    final = fake.finished(served.url, answers[0][1])["stream"]
    assert "帮助：提醒" in final["content"]
    # each delivery shows that one answer, or (on a busy machine) that it is still being written
    assert all(a[1]["stream"]["content"] == final["content"] or not a[1]["stream"]["finish"] for a in answers)
    db = served.bot.db
    assert inbox.count(db) == 1 and db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    row = db.execute("SELECT chat_id, chat_type FROM teams").fetchone()
    assert row == ("chat-1", "group")
    wait_until(lambda: outbox.depth(db) == 0)  # the row is marked delivered by the stream, sent nowhere else
    assert fake.responses == []


def test_slow_answer_arrives_through_stream_refreshes(db_path, fake):
    served = ServedBot(db_path, {**BOT_ENV, "WECOM_API_BASE": fake.api}, workers=0)
    try:
        served.channel("wecom_bot").fast_wait = 0
        status, answer = fake.bot_callback(served.url, fake.bot_message("@小编 我是谁", msgid="slow-1"))
        assert status == 200 and answer["stream"]["finish"] is False
        served.bot.start(workers=1, dispatcher=False)
        answers = fake.poll_stream(served.url, "xb-slow-1")
        assert answers[-1]["stream"]["finish"] is True and "你是 zhangsan" in answers[-1]["stream"]["content"]
    finally:
        served.close()


def test_response_url_fallback_when_wecom_stops_polling(served, fake):
    channel = served.channel("wecom_bot")
    channel.fast_wait = 0
    import bot.channels.wecom.aibot as wb

    old = wb.STREAM_WINDOW
    wb.STREAM_WINDOW = 0.3
    try:
        served.bot.stop()
        fake.bot_callback(served.url, fake.bot_message("@小编 我是谁", msgid="lost-1"))
        served.bot.start(workers=1, dispatcher=False)
        wait_until(lambda: fake.responses, timeout=15)
        (posted,) = fake.responses
        assert posted["id"] == "lost-1" and "你是 zhangsan" in posted["markdown"]["content"]
        wait_until(lambda: settled(served.bot))
        assert len(fake.responses) == 1
    finally:
        wb.STREAM_WINDOW = old


def test_forged_and_malformed_requests_change_nothing(served, fake):
    fake.bot_callback(served.url, fake.bot_message("@小编 帮助", msgid="seen-1"))
    db = served.bot.db
    before = db_counts(db)
    base = f"{served.url}/wecom/bot"
    good_body = fake.bot_message("@小编 帮助", msgid="forged")
    crypto = WeComCrypto(TOKEN, AES_KEY, "")
    statuses = []
    for i in range(200):
        kind = i % 5
        encrypt = crypto.seal(json.dumps(good_body))
        params = {"msg_signature": signature(TOKEN, "1", "n", encrypt), "timestamp": "1", "nonce": "n"}
        data = json.dumps({"encrypt": encrypt}).encode()
        if kind == 0:
            params["msg_signature"] = "f" * 40  # forged signature
        elif kind == 1:
            wrong = WeComCrypto(TOKEN, AES_KEY, CORP).seal(
                json.dumps(good_body)
            )  # sealed for another receiver
            params["msg_signature"] = signature(TOKEN, "1", "n", wrong)
            data = json.dumps({"encrypt": wrong}).encode()
        elif kind == 2:
            data = b"{not json"
        elif kind == 3:
            data = json.dumps({"encrypt": 12345}).encode()
        else:
            junk = "QUJD" * 7
            params["msg_signature"] = signature(TOKEN, "1", "n", junk)
            data = json.dumps({"encrypt": junk}).encode()
        status, _ = fake._post(f"{base}?{urlencode(params)}", data, "application/json")
        statuses.append(status)
    redeliveries = [
        fake.bot_callback(served.url, fake.bot_message("@小编 帮助", msgid="seen-1")) for _ in range(200)
    ]
    assert set(statuses) <= {400, 403} and statuses.count(403) >= 80
    assert all(status == 200 for status, _ in redeliveries)
    assert db_counts(db) == before
    status, answer = fake.bot_callback(served.url, fake.bot_message("@小编 我是谁", msgid="after"))
    assert (
        status == 200 and "你是 zhangsan" in fake.finished(served.url, answer)["stream"]["content"]
    )  # still serving


def test_oversized_body_is_refused(served):
    status, _ = FakeWeCom._post(
        f"{served.url}/wecom/bot?msg_signature=x&timestamp=1&nonce=n",
        b"x" * (2 * 1024 * 1024),
        "application/json",
    )
    assert status == 413


def test_robot_push_target_binds_masks_and_pushes(served, fake, caplog):
    caplog.set_level(logging.DEBUG)
    url = fake.robot_url()
    _, answer = fake.bot_callback(
        served.url, fake.bot_message(f"@小编 推送 绑定 {url}", msgid="bind-1", user="boss")
    )
    content = fake.finished(served.url, answer)["stream"]["content"]
    assert (
        "已绑定企业微信群机器人" in content
        and "robot-key-123456789" not in content
        and "robo…6789" in content
    )
    payload = served.bot.db.execute("SELECT payload FROM inbox WHERE message_key = 'bind-1'").fetchone()[0]
    assert "robot-key" not in payload
    _, answer = fake.bot_callback(served.url, fake.bot_message("@小编 半小时后提醒大家看评论", msgid="rem-1"))
    assert "好的，到时提醒" in fake.finished(served.url, answer)["stream"]["content"]
    served.clock.advance(minutes=31)
    served.bot.dispatcher.tick()
    wait_until(lambda: fake.robot, timeout=10)
    assert "看评论" in fake.robot[0]["markdown"]["content"]
    assert "robot-key-123456789" not in caplog.text


def test_robot_rate_limit_is_backed_off_not_lost(served, fake):
    from bot.models import Reply
    from storage import push_targets, teams

    db = served.bot.db
    team = teams.ensure_team(db, "wecom", "", "chat-9", now=served.bot.now())
    push_targets.bind(db, team.id, "wecom_robot", fake.robot_url(), "", by="boss", now=served.bot.now())
    fake.robot_times = [time.monotonic()] * 20  # the minute's quota is used up
    served.bot.push(team, Reply(body="限流测试"))
    wait_until(lambda: db.execute("SELECT last_error FROM outbox").fetchone()[0])
    row = db.execute("SELECT status, last_error FROM outbox").fetchone()
    assert row[0] == "pending" and "45009" in row[1]


APP_ENV = {
    "WECOM_CORP_ID": CORP,
    "WECOM_AGENT_ID": "1000002",
    "WECOM_APP_SECRET": "app-secret",
    "WECOM_APP_TOKEN": TOKEN,
    "WECOM_APP_AES_KEY": AES_KEY,
}


@pytest.fixture
def app_served(db_path, fake):
    s = ServedBot(db_path, {**APP_ENV, "WECOM_API_BASE": fake.api})
    yield s
    s.close()


def app_text(text, msgid, user="lisi"):
    return {
        "ToUserName": CORP,
        "FromUserName": user,
        "CreateTime": str(int(time.time())),
        "MsgType": "text",
        "Content": text,
        "MsgId": msgid,
        "AgentID": "1000002",
    }


def test_app_message_replied_through_message_send_with_token_refresh(app_served, fake):
    assert fake.app_callback(app_served.url, app_text("我是谁", "a-1")) == 200
    wait_until(lambda: fake.sent)
    assert fake.sent[0]["touser"] == "lisi" and fake.sent[0]["agentid"] == 1000002
    assert "你是 lisi" in fake.sent[0]["markdown"]["content"]
    fake.revoke_tokens()  # WeCom revoked the token early
    fake.app_callback(app_served.url, app_text("帮助 提醒", "a-2"))
    wait_until(lambda: len(fake.sent) == 2)
    assert fake.token_requests == 2


def test_app_redelivery_and_wrong_corp(app_served, fake):
    for _ in range(4):
        fake.app_callback(app_served.url, app_text("我是谁", "dup"))
    wait_until(lambda: fake.sent and settled(app_served.bot))
    assert len(fake.sent) == 1
    assert fake.app_callback(app_served.url, app_text("我是谁", "x"), corp="wrongcorp") == 403


def test_app_rate_limit_then_success_and_60020_dead_letter(app_served, fake, caplog):
    from bot.channels.base import DeliveryError

    channel = app_served.channel("wecom_app")
    original = channel._error

    def quick(exc):  # the same classification, with the 60 s rate-limit pause shortened for the test
        err = original(exc)
        if err.retry_after:
            err.retry_after = 0.1
        return err

    channel._error = quick
    db = app_served.bot.db
    fake.fail_next = [45009]
    fake.app_callback(app_served.url, app_text("我是谁", "r-1"))
    wait_until(lambda: db.execute("SELECT attempts FROM outbox WHERE status = 'sent'").fetchone(), timeout=10)
    assert (
        db.execute("SELECT attempts FROM outbox WHERE status = 'sent'").fetchone()[0] == 1
    )  # 45009 is a wait, not an attempt
    assert len(fake.sent) == 1
    fake.fail_next = [60020]
    caplog.set_level(logging.ERROR)
    fake.app_callback(app_served.url, app_text("帮助", "r-2"))
    wait_until(lambda: db.execute("SELECT count(*) FROM outbox WHERE status = 'dead'").fetchone()[0] == 1)
    assert "企业可信IP" in caplog.text
    error = original(type("E", (), {"errcode": 60020, "errmsg": ""})())
    assert isinstance(error, DeliveryError) and not error.retryable


def test_app_replies_to_one_member_are_paced_not_dropped(app_served, fake):
    """WeCom drops (errcode 0) what goes beyond its per-member rate. Scaled down here — the fake
    takes 3 in half a second, the channel paces 2 at once then one every 0.3 s — six quick questions get
    six answers, in order, none dropped."""
    from bot.channels.pace import Pace

    fake.member_limit = (3, 0.5)
    pace = Pace("wecom:member", gap=0.3, burst=2)
    assert pace.most_in(0.5) <= 3
    app_served.channel("wecom_app").member_pace = pace
    for i in range(6):
        fake.app_callback(app_served.url, app_text(f"帮助 {'提醒' if i % 2 else '数据'}", f"m-{i}"))
    wait_until(lambda: len(fake.sent) + len(fake.dropped) >= 6 and settled(app_served.bot), timeout=15)
    assert fake.dropped == [] and len(fake.sent) == 6
    ids = app_served.bot.db.execute("SELECT id FROM outbox ORDER BY sent_at, id").fetchall()
    assert [r[0] for r in ids] == sorted(r[0] for r in ids)  # answered in the order asked


def test_app_buttons_become_a_card_and_a_press_runs_the_command(app_served, fake):
    fake.app_callback(
        app_served.url, app_text("改写 微博 热可可上新了，中杯18元，12月每周三第二杯半价。", "d-1")
    )
    wait_until(lambda: fake.sent)
    card = fake.sent[0]
    assert card["msgtype"] == "template_card" and card["template_card"]["button_list"][0]["key"] == "提审 1"
    press = {
        "ToUserName": CORP,
        "FromUserName": "lisi",
        "CreateTime": str(int(time.time())),
        "MsgType": "event",
        "Event": "template_card_event",
        "EventKey": "提审 1",
        "TaskId": card["template_card"]["task_id"],
        "AgentID": "1000002",
    }
    fake.app_callback(app_served.url, press)
    wait_until(lambda: len(fake.sent) == 2)
    assert "已提审" in json.dumps(fake.sent[1], ensure_ascii=False)


def test_long_reply_is_split_on_byte_limits(app_served, fake):
    fake.app_callback(app_served.url, app_text("帮助", "long-1"))
    wait_until(lambda: len(fake.sent) >= 2 and settled(app_served.bot))
    contents = [m["markdown"]["content"] for m in fake.sent]
    assert all(len(c.encode()) <= 2048 for c in contents)
    joined = "\n".join(contents)
    assert joined.index("内容") < joined.index("提醒与排期") < joined.index("团队")


WS_ENV = {"WECOM_BOT_ID": "bot-1", "WECOM_BOT_SECRET": "bot-secret"}


def test_reminder_in_a_group_without_push_route_says_so(served, fake):
    _, answer = fake.bot_callback(
        served.url, fake.bot_message("@小编 明天上午10点提醒我发微博", msgid="np-1")
    )
    assert "本群还没有推送方式" in fake.finished(served.url, answer)["stream"]["content"]
    fake.bot_callback(
        served.url, fake.bot_message(f"@小编 推送 绑定 {fake.robot_url()}", msgid="np-2", user="boss")
    )
    _, answer = fake.bot_callback(
        served.url, fake.bot_message("@小编 明天上午11点提醒我发微博", msgid="np-3")
    )
    content = fake.finished(served.url, answer)["stream"]["content"]
    assert "好的，到时提醒" in content and "推送方式" not in content


def test_robot_push_sends_charts_as_images(served, fake, tmp_path):
    """A weekly card with a chart: the markdown, then the PNG as the robot's image message."""
    import base64
    import hashlib

    from bot.models import Attachment, Reply
    from storage import push_targets, teams

    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    db = served.bot.db
    team = teams.ensure_team(db, "wecom", "", "chat-7", now=served.bot.now())
    push_targets.bind(db, team.id, "wecom_robot", fake.robot_url(), "", by="boss", now=served.bot.now())
    served.bot.push(
        team,
        Reply(
            title="周报", body="抖音 粉丝 +120", attachments=[Attachment("chart.png", "image/png", str(png))]
        ),
    )
    wait_until(lambda: len(fake.robot) == 2)
    text, image = fake.robot
    assert text["msgtype"] == "markdown" and "[图片]" not in text["markdown"]["content"]
    raw = png.read_bytes()
    assert image == {
        "msgtype": "image",
        "image": {"base64": base64.b64encode(raw).decode(), "md5": hashlib.md5(raw).hexdigest()},
    }


def test_app_file_message_is_rehearsed_then_imported(app_served, fake):
    """A file sent to the self-built app: fetched with media/get (a revoked token refreshed once), dry run, import."""
    fake.media["media-1"] = "日期,粉丝总量\n2026-11-20,12000\n2026-11-21,12100\n".encode("gbk")
    fake.app_callback(app_served.url, app_text("我是谁", "f-0"))  # the app has a token now
    wait_until(lambda: fake.sent)
    fake.revoke_tokens()
    inner = {
        "ToUserName": "wx5823bf96d3bd56c7",
        "FromUserName": "lisi",
        "CreateTime": "1409659813",
        "MsgType": "file",
        "MediaId": "media-1",
        "Title": "公众号数据.csv",
        "MsgId": "f-1",
        "AgentID": "1000002",
    }
    assert fake.app_callback(app_served.url, inner) == 200
    wait_until(lambda: len(fake.sent) == 2)
    text = fake.sent[1].get("markdown", {}).get("content") or json.dumps(fake.sent[1], ensure_ascii=False)
    assert "预演：公众号数据.csv" in text
    fake.app_callback(app_served.url, app_text("确认导入", "f-2"))
    wait_until(lambda: len(fake.sent) == 3)
    assert "已导入" in json.dumps(fake.sent[2], ensure_ascii=False)


def test_ai_bot_file_message_is_decrypted_rehearsed_and_imported(served, fake):
    """A file sent to the AI bot: downloaded from its url, AES-decrypted with the callback key, rehearsed."""
    import base64

    from bot.channels.wecom.crypto import encrypt_media

    key = base64.b64decode(BOT_ENV["WECOM_BOT_AES_KEY"] + "=")
    export = "日期,粉丝总量\n2026-11-20,12000\n2026-11-21,12100\n".encode("gbk")
    fake.aibot_media["m1"] = encrypt_media(export, key)
    body = fake.bot_message("", msgid="file-1", chattype="single")
    body.pop("text", None)
    body.update(
        {"msgtype": "file", "file": {"url": f"{fake.api}/aibot-media/m1", "filename": "抖音数据.csv"}}
    )
    _, answer = fake.bot_callback(served.url, body)
    answers = [fake.finished(served.url, answer)]
    assert "预演：抖音数据.csv" in answers[-1]["stream"]["content"]
    _, answer = fake.bot_callback(served.url, fake.bot_message("确认导入", msgid="file-2", chattype="single"))
    answers = [fake.finished(served.url, answer)]
    assert "已导入：抖音数据.csv" in answers[-1]["stream"]["content"]


def test_ai_bot_chart_arrives_as_an_image_in_the_finished_stream(served, fake):
    import base64
    import hashlib

    for i, (day, n) in enumerate((("前天", "1000"), ("昨天", "1100"))):
        fake.bot_callback(served.url, fake.bot_message(f"@小编 记录 抖音 粉丝 {n} {day}", msgid=f"rec-{i}"))
    _, answer = fake.bot_callback(served.url, fake.bot_message("@小编 图表 抖音 粉丝 近7天", msgid="chart-1"))
    answers = [fake.finished(served.url, answer)]
    stream = answers[-1]["stream"]
    (item,) = stream["msg_item"]
    raw = base64.b64decode(item["image"]["base64"])
    assert raw[:8] == b"\x89PNG\r\n\x1a\n" and hashlib.md5(raw).hexdigest() == item["image"]["md5"]
    assert "[图片]" not in stream["content"]


def test_app_chart_is_uploaded_and_sent_as_an_image(app_served, fake):
    for i, (day, n) in enumerate((("前天", "1000"), ("昨天", "1100"))):
        fake.app_callback(app_served.url, app_text(f"记录 抖音 粉丝 {n} {day}", f"c-{i}"))
    wait_until(lambda: len(fake.sent) == 2)
    fake.app_callback(app_served.url, app_text("图表 抖音 粉丝 近7天", "c-2"))
    wait_until(lambda: len(fake.sent) == 4)
    text, image = fake.sent[2], fake.sent[3]
    assert text["msgtype"] == "markdown" and "[图片]" not in text["markdown"]["content"]
    assert image["msgtype"] == "image" and image["image"]["media_id"] in fake.uploads
