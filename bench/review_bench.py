"""复盘, 标题库 排行 and the best-time hint over 10 accounts × 3 years of daily posts (issue 25).

Each account gets one post a day for 1,095 days (10,950 posts; half tied to drafts with headline
templates; times of day varied). Every command goes the whole chat path (inbox → router → handler
→ storage → outbox) through the test bot, 9 rounds each, commands alternating; the table gives the
median with the spread (min–max). The target: 复盘 under 200 ms. With XIAOBIAN_TEST_PG set the same
runs on PostgreSQL too.

Run: python bench/review_bench.py   (XIAOBIAN_TEST_PG=postgresql://… adds PostgreSQL)
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.metrics.charts import media_dir  # noqa: E402
from storage import drafts, posts  # noqa: E402
from storage import metrics as store  # noqa: E402
from storage.db import write_tx  # noqa: E402
from tests.support import FakeClock, TestBot  # noqa: E402

NOW = datetime(2026, 11, 22, 13, 0, tzinfo=UTC)
TODAY = date(2026, 11, 22)
PLATFORMS = ["douyin", "xiaohongshu", "wechat", "bilibili", "channels"]
TEMPLATES = ["q-01", "q-02", "num-01", "num-03", "id-03", "news-01", None]
COMMANDS = ["复盘 本月", "复盘 本月（新图）", "复盘 抖音 近90天", "标题库 排行", "档期"]
FRESH = "（新图）"  # the same command with the chart cache emptied first: what new numbers cost


def fill(tb: TestBot, rng: random.Random) -> None:
    tb.ask("我是谁")
    team = tb.team()
    db = tb.bot.db
    with write_tx(db):
        for a in range(10):
            platform = PLATFORMS[a % 5]
            account = store.ensure_account(db, team.id, platform, f"账号{a}", now=NOW)
            for back in range(3 * 365, 0, -1):
                day = TODAY - timedelta(days=back)
                hour = rng.choice([8, 12, 18, 20, 22])
                title = (
                    rng.choice(["为什么冬天要喝热可可？", "5个理由爱上拿铁", "店长的一天", "新品上线"])
                    + f" {back}"
                )
                value = int(5000 * rng.lognormvariate(0, 0.7) * (2 if hour == 20 else 1))
                posts.upsert(
                    db, account["id"], title, day.isoformat(), {"plays": value, "likes": value // 30}, now=NOW
                )
                post_id = posts.set_details(
                    db, account["id"], title, day.isoformat(), time=f"{hour:02d}:00", link=None
                )
                if back % 2 == 0:
                    d = drafts.create(
                        db,
                        team_id=team.id,
                        platform=platform,
                        title=title,
                        body=title,
                        tags=[],
                        extra={},
                        brief={},
                        template="bench",
                        title_template=rng.choice(TEMPLATES),
                        source="bench",
                        author="bench",
                        author_name="",
                        now=NOW,
                    )
                    posts.attach(db, post_id, d.id, "link")
    for platform in ("抖音", "小红书", "公众号"):
        tb.ask(f"档期 {platform} 每周一三五 18:00", user="boss")


def run(label: str, db_path: str) -> dict[str, list[float]]:
    tb = TestBot(db_path, clock=FakeClock(NOW))
    try:
        start = time.perf_counter()
        fill(tb, random.Random(7))
        print(f"{label}: setup 10 accounts × 1,095 posts in {time.perf_counter() - start:.1f} s", flush=True)
        times: dict[str, list[float]] = {c: [] for c in COMMANDS}
        tb.ask(
            "复盘 本月", user="boss"
        )  # the process's first chart imports matplotlib (about 0.5 s), reported apart
        for r in range(9):
            order = COMMANDS[r % len(COMMANDS) :] + COMMANDS[: r % len(COMMANDS)]
            for command in order:
                if command.endswith(FRESH):
                    for old in media_dir(tb.config).glob("chart-*.png"):
                        old.unlink()
                t0 = time.perf_counter()
                text = tb.ask(command.removesuffix(FRESH), user="boss")
                times[command].append((time.perf_counter() - t0) * 1000)
                assert "⚠️" not in text[:3], text[:200]
        return times
    finally:
        tb.close()


def main() -> None:
    targets = []
    with tempfile.TemporaryDirectory() as tmp:
        targets.append(("SQLite", str(Path(tmp) / "review.db")))
        server = os.environ.get("XIAOBIAN_TEST_PG")
        schema = None
        if server:
            schema = "bench_" + uuid.uuid4().hex[:10]
            targets.append(("PostgreSQL", f"{server}{'&' if '?' in server else '?'}schema={schema}"))
        results = {label: run(label, path) for label, path in targets}
        if schema:
            import psycopg

            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    print("\nwhole chat path, 9 rounds, ms: median (min–max)")
    for label, times in results.items():
        for command, runs in times.items():
            print(
                f"  {label:10s} {command:14s} {statistics.median(runs):7.1f} ({min(runs):.1f}–{max(runs):.1f})"
            )


if __name__ == "__main__":
    main()
