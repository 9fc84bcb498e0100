"""KPI summary over 10 accounts × 3 years of daily data; a morning push to 1,000 teams.

Run: python bench/kpi_bench.py
"""

import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.config import Config  # noqa: E402
from bot.dispatcher import Dispatcher  # noqa: E402
from bot.engine import Bot  # noqa: E402
from bot.root import build_registry  # noqa: E402
from handlers.metrics import kpi_commands as kpi
from handlers.metrics import report_commands as reports
from storage import metrics, schedules, teams  # noqa: E402
from storage.db import write_tx  # noqa: E402
from tests.support import CaptureChannel  # noqa: E402

NOW = datetime(2026, 11, 22, 1, 30, tzinfo=UTC)  # 09:30 in Shanghai
TODAY = date(2026, 11, 22)
PLATFORMS = ["wechat", "douyin", "xiaohongshu", "weibo", "bilibili"]


def fill(db, team_id: int, accounts: int, days: int, rng) -> None:
    with write_tx(db):
        for a in range(accounts):
            account = metrics.ensure_account(db, team_id, PLATFORMS[a % 5], f"账号{a}", now=NOW)
            level = 1000
            rows = []
            for back in range(days, 0, -1):
                day = (TODAY - timedelta(days=back)).isoformat()
                level += rng.randint(-3, 40)
                rows.append((account["id"], day, "followers", level))
                rows.append((account["id"], day, "reads", rng.randint(100, 5000)))
            db.conn.executemany(
                "INSERT INTO metric_entries (account_id, day, metric, value, source, entered_by, entered_at)"
                " VALUES (?, ?, ?, ?, 'demo', 'bench', '2026-11-22')",
                rows,
            )
            db.conn.execute(
                "INSERT INTO metric_current (account_id, metric, day, value, entry_id)"
                " SELECT account_id, metric, day, value, id FROM metric_entries WHERE account_id = ?",
                [account["id"]],
            )
            for metric, goal in (("followers", level + 5000), ("reads", 200_000)):
                metrics.add_target(
                    db,
                    team_id=team_id,
                    account_id=account["id"],
                    metric=metric,
                    mode="level" if metric == "followers" else "total",
                    target=goal,
                    base=0,
                    start_day=TODAY,
                    deadline=TODAY + timedelta(days=39),
                    by="bench",
                    now=NOW,
                )


def bench_kpi(tmp: str) -> None:
    bot = Bot(Config(db_path=f"{tmp}/kpi.db"), registry=build_registry(), clock=lambda: NOW)
    db = bot.db
    team = teams.ensure_team(db, "test", "t", "kpi", now=NOW)
    start = time.perf_counter()
    fill(db, team.id, 10, 3 * 365, random.Random(1))
    print(f"setup: 10 accounts × 1,095 days × 2 metrics in {time.perf_counter() - start:.1f} s")
    rows = metrics.targets(db, team.id)
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for t in rows:
            kpi.describe(db, t, TODAY)
        runs.append(time.perf_counter() - start)
    print(
        f"KPI summary (20 targets over 10 accounts × 3 years): best {min(runs) * 1000:.0f} ms, "
        f"worst {max(runs) * 1000:.0f} ms"
    )
    start = time.perf_counter()
    reports.build_report(db, team, TODAY, 7)
    print(f"weekly report for that team: {(time.perf_counter() - start) * 1000:.0f} ms")
    bot.store.close()


def bench_push(tmp: str, n_teams: int = 1000) -> None:
    bot = Bot(Config(db_path=f"{tmp}/push.db"), registry=build_registry(), clock=lambda: NOW)
    bot.dispatcher = Dispatcher(bot)
    channel = bot.add_channel(CaptureChannel())
    db = bot.db
    rng = random.Random(2)
    start = time.perf_counter()
    rule = reports._rule("daily_report", 9, 30)
    with write_tx(db):
        for i in range(n_teams):
            team = teams.ensure_team(db, "test", "t", f"team-{i}", now=NOW - timedelta(days=1))
            account = metrics.ensure_account(db, team.id, PLATFORMS[i % 5], "主账号", now=NOW)
            if i % 10:  # one team in ten has no data yesterday
                for back in (2, 1):
                    metrics.record(
                        db,
                        account["id"],
                        TODAY - timedelta(days=back),
                        "followers",
                        1000 + rng.randint(0, 50) - back,
                        source="demo",
                        by="b",
                        now=NOW,
                    )
            schedules.create(
                db,
                team_id=team.id,
                kind="daily_report",
                rule=rule,
                tz="Asia/Shanghai",
                next_fire_at=NOW,
                now=NOW - timedelta(days=1),
                payload={},
            )
    print(f"setup: {n_teams} teams with a 09:30 daily report in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    fired = 0
    while True:
        n = bot.dispatcher.tick()
        fired += n
        if not n:
            break
    fire_time = time.perf_counter() - start
    start = time.perf_counter()
    bot.drain()
    send_time = time.perf_counter() - start
    print(
        f"morning push: {fired} reports built and queued in {fire_time:.1f} s ({fired / fire_time:.0f}/s), "
        f"delivered to the channel in {send_time:.1f} s; {len(channel.sent)} sent"
    )
    bot.store.close()


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as tmp:
        bench_kpi(tmp)
        bench_push(tmp)
