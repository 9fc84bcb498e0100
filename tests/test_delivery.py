"""The durable path: duplicates, crashes and restarts, retries, dead letters, ordering, races."""

import threading

import pytest

from bot.channels.base import DeliveryError
from storage import inbox, outbox
from tests.support import FakeClock, TestBot, always_fail


def test_duplicate_delivery_yields_one_reply(testbot):
    msg = testbot.message("我是谁", message_id="dup-1")
    first = testbot.send(msg)
    again = [testbot.bot.receive(msg) for _ in range(4)]
    assert all(is_new is False for _, is_new in again)
    testbot.bot.drain()
    assert len(first) == 1
    assert len(testbot.channel.sent) == 1
    assert testbot.bot.db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 1
    assert inbox.count(testbot.bot.db) == 1


def test_message_survives_a_crash_before_handling(db_path):
    down = TestBot(db_path, threads=0)
    inbox_id, _ = down.bot.receive(down.message("我是谁", message_id="crash-1"))
    down.close()  # the process dies before any worker ran

    up = TestBot(db_path)
    try:
        rows = up.bot.wait_for(inbox_id)
        assert [r["status"] for r in rows] == ["sent"]
        assert "你是 xiaowang" in up.channel.sent[0].reply.to_text()
    finally:
        up.close()


def test_message_claimed_by_a_dead_worker_is_resumed_after_its_lease(db_path):
    clock = FakeClock()
    down = TestBot(db_path, clock=clock, threads=0)
    inbox_id, _ = down.bot.receive(down.message("我是谁"))
    claimed = inbox.claim_next(down.bot.db, now=clock(), lease=down.bot.inbox_lease)
    assert claimed["id"] == inbox_id  # a worker took it, then the process died
    down.close()

    up = TestBot(db_path, clock=clock, threads=0)
    try:
        assert up.bot.drain() == 0  # still leased to the dead worker
        clock.advance(seconds=31)
        up.bot.drain()
        assert len(up.channel.sent) == 1
        assert inbox.get(up.bot.db, inbox_id)["status"] == "done"
    finally:
        up.close()


def test_reply_written_but_not_sent_is_sent_after_restart(db_path):
    down = TestBot(db_path, threads=0)
    down.channel.fail = always_fail("network down")
    inbox_id, _ = down.bot.receive(down.message("我是谁"))
    down.bot.handle_next()  # handled, reply in the outbox, never delivered
    assert outbox.for_inbox(down.bot.db, inbox_id)[0]["status"] == "pending"
    down.close()

    up = TestBot(db_path)
    try:
        rows = up.bot.wait_for(inbox_id)
        assert rows[0]["status"] == "sent"
        assert len(up.channel.sent) == 1
    finally:
        up.close()


def test_failing_send_is_retried_with_backoff_then_dead(db_path):
    clock = FakeClock()
    tb = TestBot(db_path, clock=clock, threads=0, max_attempts=3, retry_base=2.0)
    try:
        tb.channel.fail = always_fail("HTTP 502 from platform")
        inbox_id, _ = tb.bot.receive(tb.message("我是谁"))
        tb.bot.drain()
        row = outbox.for_inbox(tb.bot.db, inbox_id)[0]
        assert row["status"] == "pending" and row["attempts"] == 1
        assert "502" in row["last_error"]
        tb.bot.drain()
        assert len(tb.channel.attempts) == 1  # not due yet: the backoff holds it
        clock.advance(seconds=3)
        tb.bot.drain()
        assert len(tb.channel.attempts) == 2
        clock.advance(seconds=5)
        tb.bot.drain()
        row = outbox.for_inbox(tb.bot.db, inbox_id)[0]
        assert row["status"] == "dead" and row["attempts"] == 3
        assert row["last_error"] == "HTTP 502 from platform"
        clock.advance(hours=1)
        tb.bot.drain()
        assert len(tb.channel.attempts) == 3
    finally:
        tb.close()


def test_transient_failure_then_success(db_path):
    clock = FakeClock()
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        failures = [1]

        def flaky(item):
            if failures:
                failures.pop()
                raise DeliveryError("timeout")

        tb.channel.fail = flaky
        inbox_id, _ = tb.bot.receive(tb.message("我是谁"))
        tb.bot.drain()
        clock.advance(seconds=10)
        tb.bot.drain()
        row = outbox.for_inbox(tb.bot.db, inbox_id)[0]
        assert row["status"] == "sent" and row["attempts"] == 2 and row["last_error"] is None
        assert len(tb.channel.sent) == 1
    finally:
        tb.close()


def test_non_retryable_failure_is_dead_at_once(db_path):
    tb = TestBot(db_path, threads=0)
    try:
        tb.channel.fail = always_fail("60020 not allow to access from your ip", retryable=False)
        inbox_id, _ = tb.bot.receive(tb.message("我是谁"))
        tb.bot.drain()
        row = outbox.for_inbox(tb.bot.db, inbox_id)[0]
        assert row["status"] == "dead" and row["attempts"] == 1 and "60020" in row["last_error"]
    finally:
        tb.close()


def test_one_chat_gets_its_replies_in_order_despite_a_retry(db_path):
    clock = FakeClock()
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        first_time = [True]

        def fail_first(item):
            if first_time:
                first_time.pop()
                raise DeliveryError("blip")

        tb.channel.fail = fail_first
        tb.bot.receive(tb.message("我是谁", message_id="a"))
        tb.bot.receive(tb.message("帮助", message_id="b"))
        tb.bot.receive(tb.message("我是谁", message_id="c", team="team-b"))
        tb.bot.drain()
        # team-b is not held up by team-a's retry; team-a's second reply waits for its first
        assert [i.target["chat_id"] for i in tb.channel.sent] == ["team-b"]
        clock.advance(seconds=10)
        tb.bot.drain()
        texts = [i.reply.title for i in tb.channel.sent if i.target["chat_id"] == "team-a"]
        assert texts[0].startswith("你是") and texts[1] == "小编能做的事"
    finally:
        tb.close()


def test_a_second_worker_process_is_refused_and_a_takeover_still_handles_each_message_once(db_path):
    from bot.channels.leases import LeaseHeld
    from storage import kv
    from storage.db import dialect

    a = TestBot(db_path, threads=3)
    second = TestBot(db_path, threads=0)
    if dialect(a.bot.db) == "sqlite":
        with pytest.raises(LeaseHeld, match="工作线程.*发送频率限制"):
            second.bot.start(workers=3, dispatcher=False)
    else:  # PostgreSQL: every process runs workers (claims skip locked rows, pacing is shared)
        second.bot.start(workers=3, dispatcher=False)
        second.bot.stop()
    second.close()
    # a's lease runs out while it still runs (a paused process coming back): both work at once
    kv.delete(a.bot.db, "lease:workers")
    b = TestBot(db_path, threads=3)
    try:
        ids = []

        def flood(tb, prefix):
            for i in range(40):
                ids.append(tb.bot.receive(tb.message("我是谁", message_id=f"race-{i}", team=f"t{i % 5}"))[0])

        threads = [threading.Thread(target=flood, args=(tb, p)) for tb, p in ((a, "a"), (b, "b"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for inbox_id in set(ids):
            a.bot.wait_for(inbox_id, timeout=20)
        db = a.bot.db
        assert inbox.count(db) == 40
        assert db.execute("SELECT count(*) FROM outbox").fetchone()[0] == 40
        assert len(a.channel.sent) + len(b.channel.sent) == 40
        sent_ids = [i.id for i in a.channel.sent + b.channel.sent]
        assert len(set(sent_ids)) == 40
    finally:
        a.close()
        b.close()


def test_poison_message_is_given_up_after_repeated_crashes(db_path):
    clock = FakeClock()
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        inbox_id, _ = tb.bot.receive(tb.message("我是谁"))
        for _ in range(inbox.MAX_ATTEMPTS):  # a worker claims it and dies, again and again
            assert inbox.claim_next(tb.bot.db, now=clock(), lease=tb.bot.inbox_lease)["id"] == inbox_id
            clock.advance(seconds=31)
        tb.bot.drain()
        assert inbox.get(tb.bot.db, inbox_id)["status"] == "failed"
        assert "多次处理失败" in tb.channel.sent[0].reply.body  # the person is told, not left waiting
        tb.bot.receive(tb.message("帮助"))  # the chat is not blocked behind it
        tb.bot.drain()
        assert tb.channel.sent[-1].reply.title == "小编能做的事"
    finally:
        tb.close()


def test_housekeeping_keeps_a_month_and_the_dedupe_window(db_path):
    from storage import kv

    clock = FakeClock()
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        msg = tb.message("我是谁", message_id="old-1")
        tb.send(msg)
        kv.put(tb.bot.db, "token", "x", expires_at=clock() + __import__("datetime").timedelta(hours=2))
        clock.advance(hours=9)
        assert tb.bot.dispatcher.housekeeping(clock()) == {"outbox": 0, "inbox": 0, "kv": 1}
        assert tb.bot.receive(msg) == (1, False)  # still deduplicated after 9 hours
        clock.advance(days=31)
        assert tb.bot.dispatcher.housekeeping(clock()) == {"outbox": 1, "inbox": 1, "kv": 0}
        assert inbox.count(tb.bot.db) == 0
    finally:
        tb.close()
