"""Compliance check throughput on a large text, outlines per second, and adaptations of the ten
source articles (tests/data/adapt_sources) to four platforms per second.

Run: python bench/drafting_bench.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.drafting import compliance, writer
from handlers.drafting.brief import parse_brief
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
        parse_brief(f"冬季新品{i}号 卖点=低糖,现磨,第{i}代配方 人群=上班族 场景=冬天的早上") for i in range(n)
    ]
    profiles = list(platforms.profiles().values())
    start = time.perf_counter()
    count = 0
    for i, brief in enumerate(briefs):
        writer.write(writer.from_brief(brief), profiles[i % len(profiles)], {}, use_model=False)
        count += 1
    elapsed = time.perf_counter() - start
    print(
        f"outlines: {count} in {elapsed:.2f} s = {count / elapsed:.0f}/s (titles, body, tags, check included)"
    )


def bench_adapt(rounds: int = 5) -> None:
    sources = sorted((Path(__file__).resolve().parents[1] / "tests" / "data" / "adapt_sources").glob("*.md"))
    texts = [p.read_text(encoding="utf-8") for p in sources]
    targets = [platforms.lookup(n) for n in ("微博", "小红书", "抖音", "公众号")]
    start = time.perf_counter()
    count = chars = 0
    for _ in range(rounds):
        for text in texts:
            task = writer.from_text(text)
            for profile in targets:
                writer.write(task, profile, {}, use_model=False)
                count += 1
            chars += len(text)
    elapsed = time.perf_counter() - start
    print(
        f"adapt: {count} versions of {len(texts)} articles in {elapsed:.2f} s = "
        f"{elapsed / count * 1000:.1f} ms per version ({chars / elapsed / 1000:.0f} k source chars/s)"
    )


if __name__ == "__main__":
    bench_check()
    bench_drafts()
    bench_adapt()
