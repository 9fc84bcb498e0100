"""The crash drill on PostgreSQL (issue 24): two ``xiaobian serve`` processes and one extra
``xiaobian worker`` on one database behind the same fake Feishu; 1,000 messages, each delivered 4
times to either server; ``kill -9`` of one serve and its worker halfway, and a restart.

Every message answered once, each chat's answers in the order its messages were recorded, and no
chat sent to faster than Feishu's 5 a second (the fake counts). Needs ``XIAOBIAN_TEST_PG``.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import uuid

import pytest

from tests.fakes.feishu import WEBHOOK_ENV, EventPusher, FakeFeishu
from tests.test_crash_drill import ENV, Serve, _answers, _events, _free_port, _wait_answered

SERVER = os.environ.get("XIAOBIAN_TEST_PG", "")
pytestmark = [
    pytest.mark.drill,
    pytest.mark.skipif(not SERVER, reason="PostgreSQL tests skipped: XIAOBIAN_TEST_PG is not set"),
]


def test_two_serves_and_a_worker_on_postgresql_survive_a_kill_and_answer_each_message_once(tmp_path):
    import psycopg

    schema = "drill_" + uuid.uuid4().hex[:10]
    db = f"{SERVER}{'&' if '?' in SERVER else '?'}schema={schema}"
    fake = FakeFeishu()
    log = str(tmp_path / "drill.log")
    ports = [_free_port(), _free_port()]
    env = {**os.environ, **ENV, **WEBHOOK_ENV, "XIAOBIAN_DB": db, "FEISHU_API_BASE": fake.api}
    migrate = subprocess.run(
        [sys.executable, "-m", "bot.cli", "migrate"], env=env, capture_output=True, timeout=60
    )
    assert migrate.returncode == 0, migrate.stderr
    serves = [Serve(db, port, fake.api, log) for port in ports]
    extra = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"], env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT
    )
    restarted = None
    try:
        for s in serves:
            s.wait_healthy()
        n = 1000
        events = _events(n, "pg")
        deliveries = [e for e in events for _ in range(4)]
        random.Random(24).shuffle(deliveries)
        half = len(deliveries) // 2
        pushers = [
            EventPusher(f"http://127.0.0.1:{ports[0]}", deliveries[:half], rate=400).start(),
            EventPusher(f"http://127.0.0.1:{ports[1]}", deliveries[half:], rate=400).start(),
        ]
        keys = [e["event"]["message"]["message_id"] for e in events]
        while len(_answers(fake)) < n // 2:
            time.sleep(0.02)
        serves[0].kill(group=True)  # the serve and its worker process, mid-load
        restarted = Serve(db, ports[0], fake.api, log)
        restarted.wait_healthy()
        for p in pushers:
            p.join(timeout=120)
        answers = _wait_answered(fake, keys, timeout=90)
        missing = [k for k in keys if not answers[k]]
        doubled = [k for k in keys if answers[k] > 1]
        assert not missing, f"{len(missing)} never answered, e.g. {missing[:5]}"
        assert not doubled, f"{len(doubled)} answered twice, e.g. {doubled[:5]}"
        # Feishu allows 5 sends a second per chat: replies are counted per chat of the message answered
        chat_of = {e["event"]["message"]["message_id"]: e["event"]["message"]["chat_id"] for e in events}
        with fake.lock:
            times = [(chat_of.get(m.get("reply_to"), m.get("chat_id")), m["at"]) for m in fake.messages]
        over = 0
        for chat in {c for c, _ in times}:
            at = sorted(t for c, t in times if c == chat)
            over += sum(1 for i in range(5, len(at)) if at[i] - at[i - 5] < 1.0)
        assert over == 0, f"{over} sends over Feishu's 5 a second per chat"
        every = sorted(t for _, t in times)  # and 50 a second per app, however many workers send
        over_app = sum(1 for i in range(50, len(every)) if every[i] - every[i - 50] < 1.0)
        assert over_app == 0 and fake.app_qps_violations == 0, (
            f"{over_app} sends over Feishu's 50 a second per app"
        )
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'SET search_path TO "{schema}"')
            rows = conn.execute("SELECT message_key, chat_key FROM inbox ORDER BY id").fetchall()
        assert len(rows) == n  # 4,000 deliveries, 1,000 messages recorded
        recorded: dict[str, list[str]] = {}
        for key, chat in rows:
            recorded.setdefault(chat, []).append(key)
        with fake.lock:
            sent = [m.get("reply_to") for m in fake.messages]
        for chat, keys_in_chat in recorded.items():
            in_chat = set(keys_in_chat)
            assert [k for k in sent if k in in_chat] == keys_in_chat, f"chat {chat} answered out of order"
    finally:
        for s in (*serves, restarted):
            if s is not None:
                s.stop()
        extra.terminate()
        try:
            extra.wait(20)
        except subprocess.TimeoutExpired:
            extra.kill()
        fake.close()
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
