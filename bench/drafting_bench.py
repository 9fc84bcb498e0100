"""Compliance check throughput on a large text, and drafts generated per second.

Run: python bench/drafting_bench.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.drafting import compliance
from handlers.drafting import compose as drafting
from handlers.shared import platforms

PARAGRAPH = (
    "冬天的早上，来一杯热可可是上班族的小仪式。这是全网最好的热可可，销量第一！"
    "第一步先把牛奶加热，最近天气冷，首个工作日记得喝热饮。加微信 13812345678 领券，限时优惠。"
    "我们坚持现磨、低糖，可可含量70%，口感顺滑，适合周末的下午和朋友分享。\n"
)


def bench_check(chars: int = 200_000) -> None:
    text = PARAGRAPH * (chars // len(PARAGRAPH) + 1)
    text = text[:chars]
    compliance.check(PARAGRAPH)  # warm the word list
    start = time.perf_counter()
    findings = compliance.check(text, platforms.lookup("小红书"))
    elapsed = time.perf_counter() - start
    print(
        f"check: {len(text):,} chars in {elapsed * 1000:.0f} ms "
        f"({len(text) / elapsed / 1e6:.2f} M chars/s), {len(findings):,} findings"
    )
    short = PARAGRAPH
    n = 2000
    start = time.perf_counter()
    for _ in range(n):
        compliance.check(short)
    per = (time.perf_counter() - start) / n
    print(f"check: one {len(short)}-char post in {per * 1e6:.0f} µs")


def bench_drafts(n: int = 300) -> None:
    briefs = [
        drafting.parse_brief(f"冬季新品{i}号 卖点=低糖,现磨,第{i}代配方 人群=上班族 场景=冬天的早上")
        for i in range(n)
    ]
    profiles = list(platforms.profiles().values())
    start = time.perf_counter()
    count = 0
    for i, brief in enumerate(briefs):
        drafting.generate(brief, profiles[i % len(profiles)])
        count += 1
    elapsed = time.perf_counter() - start
    print(
        f"drafts: {count} in {elapsed:.2f} s = {count / elapsed:.0f} drafts/s (titles, body, tags, check included)"
    )


if __name__ == "__main__":
    bench_check()
    bench_drafts()
