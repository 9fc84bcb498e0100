"""SQLite beside PostgreSQL in one run (issue 24): the real ``xiaobian serve`` behind a fake Feishu,
plus 0, 1 or 3 extra ``xiaobian worker`` processes on PostgreSQL (1, 2 and 4 worker processes).

Each target gets the same 600 signed events of 40 chats, pushed at RATE a second to the serve's
webhook; we measure the ack rate the pusher achieved, and end to end (pushed → reply accepted at
the fake API) p50 / p95 / max. The targets take turns, the order rotating each round, over ROUNDS
rounds; the table gives every round, then the median per target. The generator's own CPU is shown.

Run: XIAOBIAN_TEST_PG=postgresql://postgres@127.0.0.1:5432/test python bench/postgres.py [ROUNDS] [RATE]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakes.feishu import WEBHOOK_ENV, EventPusher, FakeFeishu  # noqa: E402
from tests.test_crash_drill import ENV, Serve, _events, _free_port  # noqa: E402

SERVER = os.environ.get("XIAOBIAN_TEST_PG", "")
N = 600


def run(target: str, rate: float, tmp: str) -> dict:
    extra_workers = {"sqlite": 0, "pg-1": 0, "pg-2": 1, "pg-4": 3}[target]
    schema = None
    if target == "sqlite":
        db = str(Path(tmp) / f"{uuid.uuid4().hex}.db")
    else:
        schema = "bench_" + uuid.uuid4().hex[:10]
        db = f"{SERVER}{'&' if '?' in SERVER else '?'}schema={schema}"
    fake = FakeFeishu()
    env = {**os.environ, **ENV, **WEBHOOK_ENV, "XIAOBIAN_DB": db, "FEISHU_API_BASE": fake.api}
    subprocess.run([sys.executable, "-m", "bot.cli", "migrate"], env=env, check=True, capture_output=True)
    port = _free_port()
    log = str(Path(tmp) / "bench.log")
    serve = Serve(db, port, fake.api, log)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(extra_workers)
    ]
    try:
        serve.wait_healthy()
        time.sleep(1.0)  # the extra workers' pools are up
        events = _events(N, f"b{uuid.uuid4().hex[:6]}")
        cpu0 = time.process_time()
        pusher = EventPusher(f"http://127.0.0.1:{port}", events, rate=rate).start()
        pusher.join(timeout=120)
        acked_in = time.monotonic() - pusher._start
        keys = {e["event"]["message"]["message_id"]: i for i, e in enumerate(events)}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with fake.lock:
                if len(fake.messages) >= N:
                    break
            time.sleep(0.05)
        gen_cpu = time.process_time() - cpu0
        with fake.lock:
            done = [(keys[m["reply_to"]], m["at"]) for m in fake.messages if m.get("reply_to") in keys]
        lat = sorted((at - (pusher._start + i / rate)) * 1000 for i, at in done)
        wall = max(at for _, at in done) - pusher._start if done else float("nan")
        return {
            "target": target,
            "acked": len(pusher.acked),
            "ack_rate": len(pusher.acked) / acked_in,
            "answered": len(done),
            "p50": lat[len(lat) // 2] if lat else float("nan"),
            "p95": lat[int(len(lat) * 0.95)] if lat else float("nan"),
            "max": lat[-1] if lat else float("nan"),
            "gen_cpu": gen_cpu / wall * 100 if done else float("nan"),
        }
    finally:
        serve.stop()
        for w in workers:
            w.terminate()
        for w in workers:
            try:
                w.wait(20)
            except subprocess.TimeoutExpired:
                w.kill()
        fake.close()
        if schema:
            import psycopg

            with psycopg.connect(SERVER, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def main() -> None:
    if not SERVER:
        sys.exit("set XIAOBIAN_TEST_PG=postgresql://… (a PostgreSQL server)")
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    rate = float(sys.argv[2]) if len(sys.argv) > 2 else 150.0
    targets = ["sqlite", "pg-1", "pg-2", "pg-4"]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(rounds):
            order = targets[r % len(targets) :] + targets[: r % len(targets)]
            for t in order:
                row = run(t, rate, tmp)
                rows.append(row)
                print(
                    f"round {r + 1} {t:6s} acked {row['acked']}/{N} at {row['ack_rate']:6.1f}/s, answered {row['answered']}, "
                    f"end to end p50 {row['p50']:7.0f} ms p95 {row['p95']:7.0f} ms max {row['max']:7.0f} ms, "
                    f"generator CPU {row['gen_cpu']:4.1f} %",
                    flush=True,
                )
    print(f"\nmedian over {rounds} rounds, {N} events at {rate:g}/s:")
    for t in targets:
        mine = [x for x in rows if x["target"] == t]
        med = {k: statistics.median(x[k] for x in mine) for k in ("ack_rate", "p50", "p95", "max")}
        spread = (min(x["p50"] for x in mine), max(x["p50"] for x in mine))
        print(
            f"  {t:6s} ack {med['ack_rate']:6.1f}/s  p50 {med['p50']:6.0f} ms ({spread[0]:.0f}–{spread[1]:.0f})"
            f"  p95 {med['p95']:6.0f} ms  max {med['max']:6.0f} ms"
        )


if __name__ == "__main__":
    main()
