"""The command line as a person or a script uses it: in-process through ``bot.cli.main`` (the ``cli``
fixture), a real database file; ``serve`` once as a real process, stopped with SIGTERM."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request


def test_piped_chat_answers_each_line_and_exits(tmp_path, cli):
    db = str(tmp_path / "x.db")
    out = cli("chat", "--db", db, stdin="帮助\n帮助 帮助\n")
    assert out.returncode == 0, out.stderr
    assert "小编能做的事" in out.stdout and "帮助：帮助" in out.stdout
    assert out.stdout.index("小编能做的事") < out.stdout.index("帮助：帮助")


def test_script_plays_several_people_over_several_runs(tmp_path, cli):
    db = str(tmp_path / "x.db")
    env = {"XIAOBIAN_ADMINS": "console:boss"}
    first = cli(
        "chat", "--db", db, "--team", "内容组", "--as", "boss", stdin="授权 @xiaowang 经理\n", env=env
    )
    assert "xiaowang 现在是本群的经理" in first.stdout, first.stderr
    second = cli("chat", "--db", db, "--team", "内容组", "--as", "xiaowang", stdin="我是谁\n", env=env)
    assert "角色：经理" in second.stdout
    other = cli("chat", "--db", db, "--team", "别的组", "--as", "xiaowang", stdin="我是谁\n", env=env)
    assert "角色：成员" in other.stdout


def test_console_strips_its_own_mention(tmp_path, cli):
    out = cli("chat", "--db", str(tmp_path / "x.db"), stdin="@小编 帮助 我是谁\n")
    assert "帮助：我是谁" in out.stdout


def test_bad_configuration_stops_with_a_message(tmp_path, cli):
    out = cli("chat", "--db", str(tmp_path / "x.db"), stdin="帮助\n", env={"XIAOBIAN_TZ": "Nowhere/Land"})
    assert out.returncode == 2
    assert "XIAOBIAN_TZ" in out.stderr


def test_demo_opens_on_labelled_demo_team(tmp_path, cli):
    out = cli("demo", "--db", str(tmp_path / "x.db"), stdin="我是谁\n成员\n")
    assert out.returncode == 0, out.stderr
    assert "演示数据" in out.stdout
    assert "角色：管理员" in out.stdout and "小王：成员" in out.stdout


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_answers_health_and_stops_on_sigterm(tmp_path):
    port = _free_port()
    env = dict(os.environ, XIAOBIAN_DB=str(tmp_path / "x.db"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 20
        while True:  # the web tier answers at once; ok once its worker process holds the lease
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                    data = json.loads(resp.read())
                if data["workers"]["state"] == "running":
                    break
            except OSError:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert data["ok"] is True and data["inbox_depth"] == 0 and data["outbox_depth"] == 0
        assert data["workers"]["state"] == "running" and data["worker_process"]["pid"]
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
