"""Compliance check throughput on a large text, outlines per second, and adaptations of the ten
source articles (tests/data/adapt_sources) to four platforms per second.

Run: python bench/drafting_bench.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.drafting import compliance, compress, facts, writer
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


def bench_adapt_shapes(rounds: int = 7) -> None:
    """Issue 23's goal (< 5 ms a version): the held-out articles (two over 1,500 characters) read once
    and adapted to six platforms, each version timed on its own; median and worst over the rounds."""
    import statistics

    folder = Path(__file__).resolve().parents[1] / "tests" / "data" / "heldout_articles_2026_12"
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))]
    targets = [platforms.lookup(n) for n in ("微博", "小红书", "抖音", "公众号", "视频号", "B站")]
    tasks = [writer.from_text(t) for t in texts]
    per_form: dict[str, list[float]] = {}
    cold = []  # an article seen for the first time: every cache of the fact finder cleared
    for text in texts:
        facts._find.cache_clear()
        facts.squash.cache_clear()
        compress.sentence.cache_clear()
        start = time.perf_counter()
        task = writer.from_text(text)
        for profile in targets:
            writer.offline(task, profile)
        cold.append((time.perf_counter() - start) * 1000 / len(targets))
    print(
        f"adapt, cold (article read + 6 versions, caches cleared), per version: median "
        f"{statistics.median(cold):.2f} ms, worst {max(cold):.2f} ms (the 1,500-character articles)"
    )
    for _ in range(rounds):
        for task in tasks:
            for profile in targets:
                start = time.perf_counter()
                writer.offline(task, profile)
                per_form.setdefault(profile["name"], []).append((time.perf_counter() - start) * 1000)
    every = [x for xs in per_form.values() for x in xs]
    print(
        f"adapt (held-out, {len(texts)} articles × {len(targets)} platforms × {rounds} rounds): "
        f"median {statistics.median(every):.2f} ms, p95 {sorted(every)[int(len(every) * 0.95)]:.2f} ms, "
        f"worst {max(every):.2f} ms per version"
    )
    for name, xs in per_form.items():
        print(f"  {name:4s} median {statistics.median(xs):.2f} ms, worst {max(xs):.2f} ms")
    start = time.perf_counter()
    for t in texts:
        writer.from_text(t)
    print(
        f"  reading the {len(texts)} articles (facts, terms): {(time.perf_counter() - start) * 1000 / len(texts):.2f} ms each"
    )


if __name__ == "__main__":
    bench_check()
    bench_drafts()
    bench_adapt()
    bench_adapt_shapes()
