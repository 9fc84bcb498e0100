"""Feishu long connection: lark-oapi's client (the old way) against our own, side by side, same fake server.

For each client, in a process of its own: time from process start to the connection being up (first
ping at the server), resident memory once connected, and the time from an event frame leaving the
server to its ack arriving (sequential pushes). Then the whole bot in long-connection mode.

Run: python bench/longconn_bench.py [N]
(lark-oapi is measured from .sdk-venv, which .ci/run builds: python3 -m venv .sdk-venv &&
 .sdk-venv/bin/pip install -r tests/sdk/requirements.txt)
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.feishu import FakeFeishu  # noqa: E402

SDK_PYTHON = os.environ.get("XIAOBIAN_SDK_PYTHON") or str(ROOT / ".sdk-venv" / "bin" / "python")
OURS = """
import sys, time
sys.path.insert(0, {root!r})
from bot.channels.feishu.longconn import LongConnection
LongConnection({base!r}, "cli_test", "feishu-secret", lambda kind, payload: None).start()
time.sleep(3600)
"""
BOT = """
import sys, time
sys.path.insert(0, {root!r})
from bot import config
from bot.root import build_bot
bot = build_bot(config.load({{"XIAOBIAN_DB": {db!r}, "FEISHU_APP_ID": "cli_test", "FEISHU_APP_SECRET": "feishu-secret",
                             "FEISHU_MODE": "ws", "FEISHU_API_BASE": {base!r}}}))
bot.start(workers=2)
time.sleep(3600)
"""


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def measure(label: str, argv: list[str], n: int) -> None:
    fake = FakeFeishu()
    ws = fake.start_long_conn(
        config={"ReconnectCount": -1, "ReconnectInterval": 5, "ReconnectNonce": 0, "PingInterval": 120},
        ack_timeout=600,
    )
    start = time.perf_counter()
    proc = subprocess.Popen(
        [arg.replace("{base}", fake.api) for arg in argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        while not ws.pings:
            if proc.poll() is not None or time.perf_counter() - start > 60:
                print(f"| {label} | did not connect | | | |")
                return
            time.sleep(0.005)
        up = time.perf_counter() - start
        time.sleep(0.5)
        memory = rss_mb(proc.pid)
        acks = []
        for i in range(n):
            event = fake.message_event("我是谁", message_id=f"om_{i}")
            sent = time.perf_counter()
            mid = ws.push(event, fragments=3 if i % 10 == 0 else 1)
            while not ws.pushed[mid].acks:
                time.sleep(0.0002)
            acks.append((time.perf_counter() - sent) * 1000)
        print(
            f"| {label} | {up:.2f} s | {memory:.0f} MB | {statistics.median(acks):.2f} ms | {pct(acks, 99):.2f} ms |"
        )
    finally:
        proc.kill()
        proc.wait()
        fake.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    print(f"{n} events per client (every tenth in 3 fragments); 2 cores\n")
    print("| client | start → connected | resident memory | ack p50 | ack p99 |")
    print("|---|---|---|---|---|")
    if Path(SDK_PYTHON).exists():
        lark = [
            SDK_PYTHON,
            str(ROOT / "tests" / "sdk" / "lark_ws_client.py"),
            "{base}",
            "cli_test",
            "feishu-secret",
        ]
        measure("lark-oapi 1.7.5 ws.Client", lark, n)
    else:
        print("| lark-oapi | not installed in .sdk-venv | | | |")
    measure("xiaobian LongConnection", [sys.executable, "-c", OURS.format(root=str(ROOT), base="{base}")], n)
    with tempfile.TemporaryDirectory() as tmp:
        code = BOT.format(root=str(ROOT), db=str(Path(tmp) / "b.db"), base="{base}")
        measure("whole bot, FEISHU_MODE=ws", [sys.executable, "-c", code], n)


if __name__ == "__main__":
    main()
