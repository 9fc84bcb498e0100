"""Crash drills, as an operator would run them: a real ``xiaobian serve`` process behind a fake Feishu
that pushes events and re-pushes what got no 200, ``kill -9`` under load, and a restart at once.

Every message must be answered exactly once (the fake keeps one message per accepted ``uuid``, so
a message handled twice shows up as two replies), and the restarted serve must be healthy within
5 s. These drills use the real clock in a subprocess, so the hard-date reruns leave them out.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from tests.fakes.feishu import WEBHOOK_ENV, EventPusher, FakeFeishu

pytestmark = pytest.mark.drill

ENV = {**WEBHOOK_ENV, "XIAOBIAN_LOG_LEVEL": "WARNING"}
TEXTS = ("我是谁", "帮助 记录", "我是谁", "帮助")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """``xiaobian serve`` as a subprocess in a process group of its own (so a drill can kill the
    whole group, as systemd or the OOM killer might)."""

    def __init__(self, db: str, port: int, api: str, log_path: str):
        self.port = port
        self.log = open(log_path, "ab")  # noqa: SIM115 - closed in kill/stop
        env = {**os.environ, **ENV, "XIAOBIAN_DB": db, "FEISHU_API_BASE": api}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
            env=env,
            stdout=self.log,
            stderr=self.log,
            start_new_session=True,
        )
        self.started = time.monotonic()

    def health(self) -> dict | None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as resp:
                return json.loads(resp.read())
        except urllib.error.HTTPError as exc:
            return json.loads(exc.read())
        except OSError:
            return None

    def metrics(self) -> str:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=2) as resp:
            return resp.read().decode()

    def wait_healthy(self, timeout: float = 20.0) -> float:
        """Seconds from start until /healthz says ok."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"serve exited with {self.proc.returncode}"
            health = self.health()
            if health is not None and health["ok"]:
                return time.monotonic() - self.started
            time.sleep(0.05)
        raise AssertionError(f"serve not healthy in {timeout} s: {self.health()}")

    def kill(self, *, group: bool) -> None:
        if group:
            os.killpg(self.proc.pid, signal.SIGKILL)
        else:
            self.proc.kill()
        self.proc.wait()

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill(group=True)
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)  # anything left of the group
        except ProcessLookupError:
            pass
        self.log.close()


def _events(n: int, prefix: str) -> list[dict]:
    return [
        FakeFeishu.message_event(TEXTS[i % len(TEXTS)], message_id=f"{prefix}-{i}", chat_id=f"oc_{i % 40}")
        for i in range(n)
    ]


def _answers(fake: FakeFeishu) -> Counter:
    with fake.lock:
        return Counter(m.get("reply_to") for m in fake.messages)


def _wait_answered(fake: FakeFeishu, keys: list[str], timeout: float) -> Counter:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        answers = _answers(fake)
        if all(answers[k] for k in keys):
            return answers
        time.sleep(0.1)
    return _answers(fake)


def _drill(tmp_path, *, kill_group: bool, n: int = 400) -> None:
    fake = FakeFeishu()
    port = _free_port()
    db = str(tmp_path / "x.db")
    log = str(tmp_path / "serve.log")
    first = Serve(db, port, fake.api, log)
    second = None
    try:
        first.wait_healthy()
        events = _events(n, "crash")
        pusher = EventPusher(f"http://127.0.0.1:{port}", events, rate=300).start()
        while len(pusher.acked) < n * 0.3:
            time.sleep(0.01)
        first.kill(group=kill_group)
        killed_at = time.monotonic()
        second = Serve(db, port, fake.api, log)
        healthy_after = second.wait_healthy() + (second.started - killed_at)
        pusher.join(timeout=90)
        keys = [e["event"]["message"]["message_id"] for e in events]
        answers = _wait_answered(fake, keys, timeout=60)
        answered_after = time.monotonic() - killed_at
        missing = [k for k in keys if not answers[k]]
        doubled = [k for k in keys if answers[k] > 1]
        assert len(pusher.acked) == n, f"{n - len(pusher.acked)} never acked"
        assert not missing, f"{len(missing)} never answered, e.g. {missing[:5]}"
        assert not doubled, f"{len(doubled)} answered twice, e.g. {doubled[:5]}"
        assert pusher.failures > 0  # the kill really met the load: some pushes had to be repeated
        assert healthy_after < 5.0, f"healthy {healthy_after:.1f} s after the kill"
        # taken over at once, not after the dead holder's 15 s lease (a killed worker stays a zombie
        # until someone reaps it: it must count as dead): the new process answers within seconds.
        # (How long the rest takes is the platform's pace: Feishu takes 50 sends a second per app.)
        with fake.lock:
            resumed = min(m["at"] for m in fake.messages if m["at"] > killed_at + 0.5)
        assert resumed - killed_at < 8.0, f"answers resumed {resumed - killed_at:.1f} s after the kill"
        assert answered_after < 60.0
        assert fake.app_qps_violations == 0  # Feishu takes 50 sends a second per app
    finally:
        for s in (first, second):
            if s is not None:
                s.stop()
        fake.close()


def test_kill_9_of_serve_under_load_and_an_immediate_restart_answers_every_message_once(tmp_path):
    _drill(tmp_path, kill_group=False)


def test_kill_9_of_serve_and_its_worker_together_loses_and_doubles_nothing(tmp_path):
    _drill(tmp_path, kill_group=True, n=300)


def test_kill_9_of_the_worker_process_alone_is_restarted_by_serve(tmp_path):
    fake = FakeFeishu()
    port = _free_port()
    serve = Serve(str(tmp_path / "x.db"), port, fake.api, str(tmp_path / "serve.log"))
    try:
        serve.wait_healthy()
        worker_pid = serve.health()["worker_process"]["pid"]
        events = _events(250, "worker")
        pusher = EventPusher(f"http://127.0.0.1:{port}", events, rate=300).start()
        while len(pusher.acked) < 100:
            time.sleep(0.01)
        os.kill(worker_pid, signal.SIGKILL)
        pusher.join(timeout=60)
        keys = [e["event"]["message"]["message_id"] for e in events]
        answers = _wait_answered(fake, keys, timeout=60)
        assert pusher.failures == 0  # the web tier never stopped acking
        assert [k for k in keys if answers[k] != 1] == []
        health = serve.health()
        assert health["ok"] and health["worker_process"]["restarts"] == 1
        assert health["worker_process"]["last_exit"]["code"] == -signal.SIGKILL
    finally:
        serve.stop()
        fake.close()


def test_a_live_holder_on_another_host_is_waited_for_while_the_web_tier_acks(tmp_path):
    from storage import kv
    from storage.db import Store

    fake = FakeFeishu()
    port = _free_port()
    db = str(tmp_path / "x.db")
    store = Store(db)
    other = json.dumps(
        {"host": "xiaobian-b", "pid": 4242, "started": "1", "boot": "b", "pidns": "", "nonce": "x"}
    )
    kv.put(store.db, "lease:workers", other, expires_at=datetime.now(UTC) + timedelta(seconds=300))
    serve = Serve(db, port, fake.api, str(tmp_path / "serve.log"))
    try:
        deadline = time.monotonic() + 20
        while (health := serve.health()) is None or health["workers"].get("state") != "waiting":
            assert time.monotonic() < deadline, health
            time.sleep(0.1)
        assert health["workers"]["waiting_for"] == "xiaobian-b 上的进程 4242"
        assert "工作线程" in health["workers"]["reason"] and "租约到期" in health["workers"]["reason"]
        assert health["workers"]["lease_holder"] == "xiaobian-b 上的进程 4242"
        status, _ = FakeFeishu.push(f"http://127.0.0.1:{port}", _events(1, "wait")[0])
        assert status == 200  # recorded and acked while nobody here answers
        time.sleep(1.0)
        assert _answers(fake)["wait-0"] == 0
        kv.delete(store.db, "lease:workers")  # the other host stopped (its lease released)
        assert _wait_answered(fake, ["wait-0"], timeout=15)["wait-0"] == 1
        deadline = time.monotonic() + 5  # the worker publishes its state within a second
        while serve.health()["workers"]["state"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        # serve's /metrics shows what its worker process sent (published every 5 s)
        deadline = time.monotonic() + 10
        while 'xiaobian_replies_sent_total{channel="feishu"} 1.0' not in serve.metrics():
            assert time.monotonic() < deadline, serve.metrics()
            time.sleep(0.2)
    finally:
        serve.stop()
        store.close()
        fake.close()


def test_a_second_serve_on_the_same_database_waits_and_takes_over_when_the_first_stops(tmp_path):
    fake = FakeFeishu()
    db = str(tmp_path / "x.db")
    first = Serve(db, _free_port(), fake.api, str(tmp_path / "a.log"))
    second = None
    try:
        first.wait_healthy()
        second = Serve(db, _free_port(), fake.api, str(tmp_path / "b.log"))
        deadline = time.monotonic() + 20
        while (health := second.health()) is None or health["workers"].get("state") != "waiting":
            assert time.monotonic() < deadline, health
            time.sleep(0.1)
        assert second.proc.poll() is None  # it never exits because of the lease
        assert "它停下后这里会马上接手" in health["workers"]["reason"]
        assert health["ok"]  # the first one answers for both
        first.stop()
        status, _ = FakeFeishu.push(f"http://127.0.0.1:{second.port}", _events(1, "handover")[0])
        assert status == 200
        assert _wait_answered(fake, ["handover-0"], timeout=10)["handover-0"] == 1
    finally:
        for s in (first, second):
            if s is not None:
                s.stop()
        fake.close()
