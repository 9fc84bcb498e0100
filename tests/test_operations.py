"""Operating the bot: replies survive outages and rate limits by time, not by count; what dies is
visible (/healthz, `xiaobian outbox`), can be resent, and an admin hears about a lost push."""

import sqlite3
from datetime import UTC, datetime, timedelta

from bot.channels.base import DeliveryError
from bot.models import Reply
from storage import outbox, teams
from tests.support import FakeClock, TestBot


def outage_until(clock, end, message="HTTP 502 from platform"):
    def fail(item):
        if clock() < end:
            raise DeliveryError(message)

    return fail


def test_a_ten_minute_outage_loses_no_reply(db_path):
    clock = FakeClock()
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        start = clock()
        tb.channel.fail = outage_until(clock, start + timedelta(minutes=10))
        inbox_id, _ = tb.bot.receive(tb.message("我是谁"))
        for _ in range(60):  # 20 minutes in 20-second steps (the backoff is capped at 5 minutes ± 20%)
            tb.bot.drain()
            clock.advance(seconds=20)
        tb.bot.drain()
        row = outbox.for_inbox(tb.bot.db, inbox_id)[0]
        assert row["status"] == "sent" and row["attempts"] > 5
        assert len(tb.channel.sent) == 1
    finally:
        tb.close()


def test_a_reply_dies_when_its_hour_is_up_and_healthz_counts_it(db_path):
    clock = FakeClock()
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        tb.channel.fail = outage_until(clock, clock() + timedelta(days=365))
        inbox_id, _ = tb.bot.receive(tb.message("我是谁"))
        for _ in range(59):
            tb.bot.drain()
            clock.advance(minutes=1)
        tb.bot.drain()
        assert outbox.for_inbox(tb.bot.db, inbox_id)[0]["status"] == "pending"  # 59 minutes: still trying
        clock.advance(minutes=2)
        tb.bot.drain()
        row = outbox.for_inbox(tb.bot.db, inbox_id)[0]
        assert row["status"] == "dead" and "502" in row["last_error"]
        health = tb.bot.health()
        assert health["dead_replies_24h"] == 1 and health["ok"]  # counted; the bot itself is fine
        assert not [p for p in tb.channel.sent if p.kind == "notice"]  # a chat answer: no notice
    finally:
        tb.close()


def test_a_429_storm_is_waited_out_without_using_attempts(db_path):
    clock = FakeClock()
    tb = TestBot(db_path, clock=clock, threads=0, max_attempts=3)
    try:
        storm = [30]

        def limited(item):
            if storm[0]:
                storm[0] -= 1
                raise DeliveryError("rate limited (99991400)", retry_after=1, rate_limited=True)

        tb.channel.fail = limited
        inbox_id, _ = tb.bot.receive(tb.message("我是谁"))
        for _ in range(40):
            tb.bot.drain()
            clock.advance(seconds=1)
        row = outbox.for_inbox(tb.bot.db, inbox_id)[0]
        assert row["status"] == "sent" and row["attempts"] == 1  # 30 waits, one real attempt
    finally:
        tb.close()


def test_a_lost_scheduled_push_is_told_to_the_admin_once_and_can_be_resent(db_path, cli):
    clock = FakeClock()
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        tb.ask("我是谁", user="boss")  # the team exists; boss is its admin (XIAOBIAN_ADMINS)
        team = teams.get_team_by_chat(tb.bot.db, "test", "t1", "team-a")
        tb.channel.fail = lambda item: (
            (_ for _ in ()).throw(DeliveryError("HTTP 503")) if item.kind == "push" else None
        )
        push_id = tb.bot.push(team, Reply(title="每日数据"))
        for _ in range(30):  # 30 hours
            tb.bot.drain()
            clock.advance(hours=1)
        tb.bot.drain()
        assert outbox.get(tb.bot.db, push_id)["status"] == "dead"
        notices = [p for p in tb.channel.sent if p.kind == "notice"]
        assert len(notices) == 1
        notice = notices[0].reply
        assert "没有送达" in notice.title and "每日数据" in notice.body and f"retry {push_id}" in notice.body
        assert [m.user_id for m in notice.mentions] == ["boss"]
    finally:
        tb.close()
    listed = cli("outbox", "--dead", "--db", db_path)
    assert listed.returncode == 0 and f"#{push_id} 失败 推送" in listed.stdout and "HTTP 503" in listed.stdout
    assert "失败 1" in listed.stdout
    wrong = cli("outbox", "retry", "abc", "--db", db_path)
    assert wrong.returncode == 2 and "xiaobian outbox retry 编号" in wrong.stderr
    resent = cli("outbox", "retry", str(push_id), "--db", db_path)
    assert resent.returncode == 0 and f"#{push_id}" in resent.stdout
    tb2 = TestBot(db_path, threads=0, clock=lambda: datetime.now(UTC))  # the CLI queued it at the real now
    try:
        tb2.bot.drain()
        assert outbox.get(tb2.bot.db, push_id)["status"] == "sent"
    finally:
        tb2.close()
    assert "没有投递失败" in cli("outbox", "retry", "all", "--db", db_path).stdout


def test_healthz_is_unhealthy_when_the_database_cannot_be_written(db_path, monkeypatch):
    tb = TestBot(db_path, threads=0)
    try:
        assert tb.bot.health()["ok"]

        def full(*args, **kwargs):
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr("bot.engine.kv.put", full)
        health = tb.bot.health()
        assert health["ok"] is False and "disk is full" in health["database"]
    finally:
        tb.close()


def test_metrics_count_events_refusals_replies_and_queues(db_path):
    import urllib.request

    from tests.fakes.feishu import FakeFeishu
    from tests.support import ServedBot, wait_until
    from tests.test_feishu import ENV

    fake = FakeFeishu()
    served = ServedBot(db_path, {**ENV, "FEISHU_API_BASE": fake.api})
    try:
        event = fake.message_event("我是谁", message_id="om_m1")
        assert FakeFeishu.push(served.url, event)[0] == 200
        assert FakeFeishu.push(served.url, event)[0] == 200  # re-delivered
        assert FakeFeishu.push(served.url, fake.message_event("x", message_id="om_m2"), forge=True)[0] == 403
        wait_until(lambda: fake.messages)

        def scrape() -> str:
            with urllib.request.urlopen(f"{served.url}/metrics", timeout=5) as resp:
                assert resp.headers["Content-Type"].startswith("text/plain")
                return resp.read().decode()

        text = wait_until(
            lambda: (t := scrape()) and 'xiaobian_replies_sent_total{channel="feishu"} 1.0' in t and t
        )
        assert 'xiaobian_events_received_total{channel="feishu"} 1.0' in text
        assert 'xiaobian_events_deduped_total{channel="feishu"} 1.0' in text
        assert 'xiaobian_requests_refused_total{route="/feishu/events",status="403"} 1.0' in text
        assert 'xiaobian_queue_depth{queue="inbox"} 0.0' in text
        assert 'xiaobian_ack_seconds_count{route="/feishu/events"} 3.0' in text
        assert "xiaobian_handler_seconds_count 1.0" in text
        assert "feishu-secret" not in text
    finally:
        served.close()
        fake.close()
