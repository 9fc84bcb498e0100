"""Cost with history: claim, record (the ack's insert) and housekeeping on an empty database and on one
with N handled inbox rows and N sent outbox rows, with W messages and W replies waiting.

Run: python bench/growth.py [N] [W]      (defaults 1,000,000 and 100)
"""

import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage import inbox, outbox  # noqa: E402
from storage.db import Store, write_tx  # noqa: E402
from storage.timeutil import to_db  # noqa: E402

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def fill(db, history: int, waiting: int) -> None:
    old = to_db(NOW - timedelta(days=1))
    batch = 50_000
    for start in range(0, history, batch):
        n = min(batch, history - start)
        with write_tx(db):
            db.conn.executemany(
                "INSERT INTO inbox (platform, message_key, channel, chat_key, payload, status, received_at, handled_at)"
                " VALUES ('feishu', ?, 'feishu', ?, '{}', 'done', ?, ?)",
                [(f"h{start + i}", f"feishu::oc_{(start + i) % 500}", old, old) for i in range(n)],
            )
            db.conn.executemany(
                "INSERT INTO outbox (channel, chat_key, target, reply, status, next_attempt_at, created_at, sent_at)"
                " VALUES ('feishu', ?, '{}', '{}', 'sent', ?, ?, ?)",
                [(f"feishu::oc_{(start + i) % 500}", old, old, old) for i in range(n)],
            )
    with write_tx(db):
        for i in range(waiting):
            inbox.record(
                db,
                platform="feishu",
                message_key=f"w{i}",
                channel="feishu",
                chat_key=f"feishu::oc_w{i}",
                payload="{}",
                now=NOW,
            )
            outbox.enqueue(
                db, channel="feishu", chat_key=f"feishu::oc_w{i}", target="{}", reply="{}", now=NOW
            )


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def measure(history: int, waiting: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "g.db"))
        db = store.db
        fill(db, history, waiting)
        db.execute("ANALYZE")
        lease = timedelta(seconds=30)

        def claim_in():
            with write_tx(db):
                row = inbox.claim_next(db, now=NOW, lease=lease)
                db.execute("UPDATE inbox SET status = 'new', attempts = 0 WHERE id = ?", [row["id"]])

        def claim_out():
            with write_tx(db):
                row = outbox.claim_due(db, channels=["feishu"], now=NOW, lease=lease)
                db.execute("UPDATE outbox SET status = 'pending', attempts = 0 WHERE id = ?", [row["id"]])

        counter = iter(range(10**9))

        def record():
            with write_tx(db):
                inbox.record(
                    db,
                    platform="feishu",
                    message_key=f"r{next(counter)}",
                    channel="feishu",
                    chat_key="feishu::oc_r",
                    payload="{}",
                    now=NOW,
                )

        result = {
            "claim inbox": timed(claim_in, 50),
            "claim outbox": timed(claim_out, 50),
            "record (ack insert)": timed(record, 200),
            "depth": timed(lambda: (inbox.depth(db), outbox.depth(db)), 50),
        }
        worst, pruned = 0.0, 0
        for prune in (outbox.prune, inbox.prune):
            while True:
                t = time.perf_counter()
                with write_tx(db):
                    n = prune(db, before=NOW, limit=100)
                worst = max(worst, (time.perf_counter() - t) * 1000)
                pruned += n
                if n < 100:
                    break
        result["housekeeping (longest write lock)"] = worst
        result["rows pruned"] = pruned
        store.close()
        return result


def main() -> None:
    history = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    waiting = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    empty, full = measure(0, waiting), measure(history, waiting)
    print(f"{waiting} messages and {waiting} replies waiting; median ms\n")
    print(f"| operation | empty | {history:,} history rows | ratio |")
    print("|---|---|---|---|")
    for key in empty:
        if key == "rows pruned":
            print(f"| rows pruned | {empty[key]} | {full[key]:,} | |")
            continue
        ratio = full[key] / empty[key] if empty[key] else float("nan")
        print(f"| {key} | {empty[key]:.3f} | {full[key]:.3f} | {ratio:.1f}× |")


if __name__ == "__main__":
    main()
