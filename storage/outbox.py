"""The durable outbox: one row per message the bot sends, delivered by its channel with retries."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from storage.db import dialect, inserted_id
from storage.timeutil import to_db


def enqueue(
    db: sqlite_utils.Database,
    *,
    channel: str,
    chat_key: str,
    target: str,
    reply: str,
    now: datetime,
    inbox_id: int | None = None,
    team_id: int | None = None,
    kind: str = "reply",
) -> int:
    """Add a message to send; it is due at once. Returns the row id (the idempotency key)."""
    cur = db.execute(
        "INSERT INTO outbox (inbox_id, team_id, channel, chat_key, target, reply, kind, next_attempt_at, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [inbox_id, team_id, channel, chat_key, target, reply, kind, to_db(now), to_db(now)],
    )
    return inserted_id(cur)


def claim_due(
    db: sqlite_utils.Database, *, channels: list[str], now: datetime, lease: timedelta
) -> dict | None:
    """Claim the next due row for one of ``channels``.

    A row waits while an earlier row of the same chat is still pending or being sent, so a
    chat receives its messages in order. A row stuck in ``sending`` (its sender died) is taken
    again once its lease has run out.
    """
    if not channels:
        return None
    skip = " FOR UPDATE OF o SKIP LOCKED" if dialect(db) == "postgresql" else ""  # see inbox.claim_next
    names = ",".join(f":c{i}" for i in range(len(channels)))
    params = {f"c{i}": name for i, name in enumerate(channels)}
    params.update({"now": to_db(now), "lease": to_db(now + lease)})
    rows = list(
        db.query(
            f"""
            UPDATE outbox SET status = 'sending', lease_until = :lease, attempts = attempts + 1
            WHERE id = (
                SELECT o.id FROM outbox o
                WHERE o.status IN ('pending', 'sending')
                  AND o.channel IN ({names})
                  AND ((o.status = 'pending' AND o.next_attempt_at <= :now)
                       OR (o.status = 'sending' AND o.lease_until < :now))
                  AND NOT EXISTS (
                      SELECT 1 FROM outbox e WHERE e.chat_key = o.chat_key AND e.id < o.id
                        AND e.status IN ('pending', 'sending')
                  )
                ORDER BY o.next_attempt_at, o.id LIMIT 1{skip}
            )
              AND (status = 'pending' OR lease_until < :now)
            RETURNING *
            """,
            params,
        )
    )
    return rows[0] if rows else None


def release_claims(db: sqlite_utils.Database, *, now: datetime) -> int:
    """Make every row being sent claimable again now (its sender process is known to be dead).
    Returns how many. Channels make a resend harmless where the platform allows (Feishu's ``uuid``)."""
    return db.execute(
        "UPDATE outbox SET lease_until = ? WHERE status = 'sending'", [to_db(now - timedelta(days=1))]
    ).rowcount


def mark_sent(db: sqlite_utils.Database, outbox_id: int, *, now: datetime) -> None:
    """The channel delivered the row."""
    db.execute(
        "UPDATE outbox SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = NULL WHERE id = ?",
        [to_db(now), outbox_id],
    )


def mark_retry(db: sqlite_utils.Database, outbox_id: int, *, at: datetime, error: str) -> None:
    """The send failed but may work later: try again at ``at``."""
    db.execute(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE id = ?",
        [to_db(at), error, outbox_id],
    )


def defer(db: sqlite_utils.Database, outbox_id: int, *, at: datetime, reason: str) -> None:
    """Put a row back to wait until ``at`` without counting the attempt it just had."""
    db.execute(
        "UPDATE outbox SET status = 'pending', next_attempt_at = ?, lease_until = NULL, attempts = attempts - 1,"
        " last_error = ? WHERE id = ?",
        [to_db(at), reason, outbox_id],
    )


def mark_dead(db: sqlite_utils.Database, outbox_id: int, *, now: datetime, error: str) -> None:
    """Give up on the row, keeping the error for the operator."""
    db.execute(
        "UPDATE outbox SET status = 'dead', sent_at = ?, lease_until = NULL, last_error = ? WHERE id = ?",
        [to_db(now), error, outbox_id],
    )


def for_inbox(db: sqlite_utils.Database, inbox_id: int) -> list[dict]:
    """Rows written in answer to one inbox message, in order."""
    return list(db.query("SELECT * FROM outbox WHERE inbox_id = ? ORDER BY id", [inbox_id]))


def get(db: sqlite_utils.Database, outbox_id: int) -> dict | None:
    """One outbox row, or None."""
    rows = list(db.query("SELECT * FROM outbox WHERE id = ?", [outbox_id]))
    return rows[0] if rows else None


def depth(db: sqlite_utils.Database) -> int:
    """How many rows wait to be sent."""
    return db.execute("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')").fetchone()[0]


def prune(db: sqlite_utils.Database, *, before: datetime, limit: int = 1000) -> int:
    """Delete up to ``limit`` rows sent or dead before ``before``; return how many (call again until 0)."""
    return db.execute(
        "DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status IN ('sent', 'dead')"
        " AND sent_at < ? ORDER BY sent_at LIMIT ?)",
        [to_db(before), limit],
    ).rowcount


def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """How many rows are in each status."""
    return dict(db.execute("SELECT status, count(*) FROM outbox GROUP BY status").fetchall())


def dead_since(db: sqlite_utils.Database, since: datetime) -> int:
    """Rows that died at or after ``since``."""
    return db.execute(
        "SELECT count(*) FROM outbox WHERE status IN ('sent', 'dead') AND status = 'dead' AND sent_at >= ?",
        [to_db(since)],
    ).fetchone()[0]


def listing(db: sqlite_utils.Database, statuses: tuple[str, ...], limit: int = 50) -> list[dict]:
    """The newest rows in ``statuses``."""
    marks = ",".join("?" for _ in statuses)
    return list(
        db.query(
            f"SELECT * FROM outbox WHERE status IN ({marks}) ORDER BY id DESC LIMIT ?", [*statuses, limit]
        )
    )


def resend(db: sqlite_utils.Database, ids: list[int] | None, *, now: datetime) -> list[int]:
    """Put dead rows (``ids``, or every dead row when None) back in the queue with a fresh retry
    window; return the ids queued again."""
    if ids is None:
        rows = db.execute("SELECT id FROM outbox WHERE status = 'dead' ORDER BY id").fetchall()
    else:
        marks = ",".join("?" for _ in ids) or "NULL"
        rows = db.execute(
            f"SELECT id FROM outbox WHERE status = 'dead' AND id IN ({marks}) ORDER BY id", ids
        ).fetchall()
    found = [r[0] for r in rows]
    for outbox_id in found:
        db.execute(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, created_at = ?,"
            " sent_at = NULL, lease_until = NULL WHERE id = ? AND status = 'dead'",
            [to_db(now), to_db(now), outbox_id],
        )
    return found
