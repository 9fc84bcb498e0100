"""Time from a WeCom AI bot callback leaving "WeCom" to its encrypted answer arriving, on loopback.

The answer includes the handler's reply when it finishes within the fast-path wait (it does
for ordinary commands). Run: python bench/wecom_latency.py [N]
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fakes.wecom import AES_KEY, TOKEN, FakeWeCom  # noqa: E402
from tests.support import ServedBot  # noqa: E402


def measure(n: int) -> None:
    fake = FakeWeCom()
    with tempfile.TemporaryDirectory() as tmp:
        served = ServedBot(
            str(Path(tmp) / "bench.db"),
            {"WECOM_BOT_TOKEN": TOKEN, "WECOM_BOT_AES_KEY": AES_KEY, "WECOM_API_BASE": fake.api},
            workers=4,
        )
        try:
            for label, text in (
                ("帮助 (full reply in the answer)", "@小编 帮助"),
                ("我是谁", "@小编 我是谁"),
            ):
                times, complete = [], 0
                for i in range(n):
                    body = fake.bot_message(text, msgid=f"{label[:2]}-{i}", chatid=f"chat-{i % 20}")
                    start = time.perf_counter()
                    status, answer = fake.bot_callback(served.url, body)
                    times.append((time.perf_counter() - start) * 1000)
                    complete += answer["stream"]["finish"]
                times.sort()
                p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
                print(
                    f"{label}: n={n} median {statistics.median(times):.1f} ms, p99 {p99:.1f} ms, "
                    f"answered complete in the first response: {complete}/{n}"
                )
            times = []
            for _ in range(n):  # re-deliveries of one message
                start = time.perf_counter()
                fake.bot_callback(served.url, fake.bot_message("@小编 帮助", msgid="帮助-0", chatid="chat-0"))
                times.append((time.perf_counter() - start) * 1000)
            times.sort()
            print(
                f"re-delivery: median {statistics.median(times):.1f} ms, p99 {times[int(len(times) * 0.99) - 1]:.1f} ms"
            )
        finally:
            served.close()
            fake.close()


if __name__ == "__main__":
    measure(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
