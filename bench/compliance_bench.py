"""Compliance check throughput on 1 MB of marketing text (the issue 16 goal: ≥ 20 MB/s).

Two texts: ordinary marketing copy with a few findings per paragraph, and a dense worst case with
many. MB is UTF-8 bytes of the input. Run: python bench/compliance_bench.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.drafting import compliance  # noqa: E402
from handlers.shared import platforms  # noqa: E402

MARKETING = (
    "冬天的早上，来一杯热可可是上班族的小仪式。我们坚持现磨、低糖，可可含量70%，口感顺滑，"
    "适合周末的下午和朋友分享。第一步先把牛奶加热到六十度，再加入可可粉慢慢搅拌，最后撒一点肉桂。"
    "门店地址：南京西路 1234 号，营业时间 8:00—22:00。12月5日至12月7日新品八折，欢迎到店品尝。"
    "这杯热可可是本季最受欢迎的饮品之一，很多老顾客每天都来一杯。\n"
)
DENSE = (
    "全网最好的热可可，销量第1！加 微 13812345678 领券，淘宝搜暖冬咖啡，私我拿链接 t.cn/abc123，"
    "三天瘦10斤，美白祛斑，100%有效，无效退款，稳赚不赔。震惊！\n"
)


def run(name: str, paragraph: str, size: int = 1_000_000, platform: str = "小红书") -> None:
    text = paragraph * (size // len(paragraph.encode()) + 1)
    while len(text.encode()) > size:
        text = text[:-1]
    mb = len(text.encode()) / 1e6
    profile = platforms.lookup(platform)
    compliance.check(paragraph, profile)  # build the automaton and tables once
    times = []
    for _ in range(9):
        start = time.perf_counter()
        findings = compliance.check(text, profile)
        times.append(time.perf_counter() - start)
    times.sort()
    median, low, high = times[len(times) // 2], times[0], times[-1]
    print(
        f"{name:10s} {mb:.2f} MB  median {median * 1000:6.1f} ms ({low * 1000:.1f}–{high * 1000:.1f}, 9 rounds)"
        f"  {mb / median:6.1f} MB/s  {len(findings):,} findings"
    )


def main() -> None:
    start = time.perf_counter()
    compliance.rules()
    compliance.check("预热")
    print(f"first use (tables + automaton): {(time.perf_counter() - start) * 1000:.0f} ms")
    run("marketing", MARKETING)
    run("dense", DENSE)
    n, post = 2000, MARKETING
    start = time.perf_counter()
    for _ in range(n):
        compliance.check(post, platforms.lookup("小红书"))
    print(f"one {len(post)}-char post: {(time.perf_counter() - start) / n * 1e6:.0f} µs")


if __name__ == "__main__":
    main()
