"""Feishu: time from an HTTP event to its 200, and to the reply card reaching the (fake) API;
resident memory of a bot process. (The long connection, against lark-oapi: bench/longconn_bench.py.)

Run: python bench/feishu_bench.py [N]
"""

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.feishu import FakeFeishu  # noqa: E402
from tests.support import ServedBot  # noqa: E402

ENV = {
    "FEISHU_APP_ID": "cli_test",
    "FEISHU_APP_SECRET": "feishu-secret",
    "FEISHU_MODE": "webhook",
    "FEISHU_VERIFICATION_TOKEN": "verify-token",
    "FEISHU_ENCRYPT_KEY": "encrypt-key",
}


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p / 100))]


def latency(n: int) -> None:
    fake = FakeFeishu()
    with tempfile.TemporaryDirectory() as tmp:
        served = ServedBot(str(Path(tmp) / "b.db"), {**ENV, "FEISHU_API_BASE": fake.api}, workers=4)
        try:
            ack, full = [], []
            for i in range(n):
                event = fake.message_event("我是谁", message_id=f"om_{i}", chat_id=f"oc_{i % 50}")
                start = time.perf_counter()
                status, _ = FakeFeishu.push(served.url, event)
                ack.append((time.perf_counter() - start) * 1000)
                while len(fake.messages) < i + 1:
                    time.sleep(0.001)
                full.append((time.perf_counter() - start) * 1000)
            print(
                f"HTTP event → 200: median {statistics.median(ack):.1f} ms, p99 {pct(ack, 99):.1f} ms (n={n})"
            )
            print(
                f"HTTP event → reply card at the API: median {statistics.median(full):.1f} ms, p99 {pct(full, 99):.1f} ms"
            )
        finally:
            served.close()
            fake.close()


RSS = """
import os, sys
sys.path.insert(0, {root!r})
from bot.config import Config
from bot.root import build_bot
bot = build_bot(Config(db_path={db!r}))
print([l for l in open('/proc/self/status') if l.startswith('VmRSS')][0].split()[1])
"""


def memory() -> None:
    root = str(Path(__file__).resolve().parents[1])
    with tempfile.TemporaryDirectory() as tmp:
        code = RSS.format(root=root, db=str(Path(tmp) / "m.db"))
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        print(f"resident memory of a built bot: {int(out.stdout.strip()) / 1024:.0f} MB")


if __name__ == "__main__":
    latency(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
    memory()
