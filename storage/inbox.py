"""The durable inbox: every inbound message, recorded before the platform is acknowledged."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlite_utils

from storage.db import dialect, inserted_id
from storage.timeutil import to_db

MAX_ATTEMPTS = 3


def record(
    db: sqlite_utils.Database,
    *,
    platform: str,
    message_key: str,
    channel: str,
    chat_key: str,
    payload: str,
    now: datetime,
) -> tuple[int, bool]:
    """Insert a message unless (platform, message_key) is already there.

    Returns ``(inbox_id, is_new)``; a re-delivery returns the first row's id and False.
    """
    cur = db.execute(
        "INSERT OR IGNORE INTO inbox (platform, message_key, channel, chat_key, payload, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [platform, message_key, channel, chat_key, payload, to_db(now)],
    )
    if cur.rowcount == 1:
        return inserted_id(cur), True
    row = db.execute(
        "SELECT id FROM inbox WHERE platform = ? AND message_key = ?", [platform, message_key]
    ).fetchone()
    return row[0], False


def claim_next(db: sqlite_utils.Database, *, now: datetime, lease: timedelta) -> dict | None:
    """Claim the oldest message that is new, or whose worker's lease ran out.

    A message waits while an earlier one of the same chat is still unhandled, so one chat's
    messages are handled in order. The claim is one conditional UPDATE: two workers can never
    both take a row.
    """
    stamp = to_db(now)
    # PostgreSQL: the row is locked as it is chosen and other workers skip it (SKIP LOCKED); the
    # outer condition is checked again after the lock, so a row taken meanwhile is not taken twice.
    # An earlier message of the chat that another worker is claiming right now is still 'new' to
    # this statement, so the chat's next message waits: order is kept.
    skip = " FOR UPDATE OF i SKIP LOCKED" if dialect(db) == "postgresql" else ""
    rows = list(
        db.query(
            f"""
            UPDATE inbox SET status = 'working', lease_until = :lease, attempts = attempts + 1
            WHERE id = (
                SELECT i.id FROM inbox i
                WHERE i.status IN ('new', 'working')
                  AND (i.status = 'new' OR i.lease_until < :now)
                  AND NOT EXISTS (
                      SELECT 1 FROM inbox e WHERE e.chat_key = i.chat_key AND e.id < i.id
                        AND e.status IN ('new', 'working')
                        AND (e.status = 'new' OR e.lease_until >= :now)
                  )
                ORDER BY i.id LIMIT 1{skip}
            )
              AND (status = 'new' OR lease_until < :now)
            RETURNING *
            """,
            {"lease": to_db(now + lease), "now": stamp},
        )
    )
    return rows[0] if rows else None


def release_claims(db: sqlite_utils.Database, *, now: datetime) -> int:
    """Make every claimed message claimable again now (their worker process is known to be dead: the
    one holding the workers lease died). Returns how many."""
    return db.execute(
        "UPDATE inbox SET lease_until = ? WHERE status = 'working'", [to_db(now - timedelta(days=1))]
    ).rowcount


def extend_lease(db: sqlite_utils.Database, inbox_id: int, *, until: datetime) -> None:
    """Keep a claimed message for longer (its handler does slow work first)."""
    db.execute(
        "UPDATE inbox SET lease_until = ? WHERE id = ? AND status = 'working'", [to_db(until), inbox_id]
    )


def finish(
    db: sqlite_utils.Database, inbox_id: int, status: str, *, now: datetime, error: str | None = None
) -> None:
    """Close a message: ``done``, ``ignored`` (not addressed to the bot) or ``failed``."""
    db.execute(
        "UPDATE inbox SET status = ?, handled_at = ?, lease_until = NULL, error = ? WHERE id = ?",
        [status, to_db(now), error, inbox_id],
    )


def finish_claimed(
    db: sqlite_utils.Database,
    inbox_id: int,
    attempts: int,
    status: str,
    *,
    now: datetime,
    error: str | None = None,
) -> bool:
    """Close a message only if it is still the claim this worker made (compare-and-swap on the claim's
    attempt number); False when the lease ran out and another worker took it over."""
    return (
        db.execute(
            "UPDATE inbox SET status = ?, handled_at = ?, lease_until = NULL, error = ?"
            " WHERE id = ? AND status = 'working' AND attempts = ?",
            [status, to_db(now), error, inbox_id, attempts],
        ).rowcount
        == 1
    )


def replace_payload(db: sqlite_utils.Database, inbox_id: int, payload: str) -> None:
    """Overwrite a message's stored copy (to drop a credential someone pasted)."""
    db.execute("UPDATE inbox SET payload = ? WHERE id = ?", [payload, inbox_id])


def find(db: sqlite_utils.Database, platform: str, message_key: str) -> dict | None:
    """A message by its platform id, or None."""
    rows = list(
        db.query("SELECT * FROM inbox WHERE platform = ? AND message_key = ?", [platform, message_key])
    )
    return rows[0] if rows else None


def get(db: sqlite_utils.Database, inbox_id: int) -> dict | None:
    """One inbox row, or None."""
    rows = list(db.query("SELECT * FROM inbox WHERE id = ?", [inbox_id]))
    return rows[0] if rows else None


def depth(db: sqlite_utils.Database) -> int:
    """How many messages wait to be handled."""
    return db.execute("SELECT count(*) FROM inbox WHERE status IN ('new', 'working')").fetchone()[0]


def count(db: sqlite_utils.Database) -> int:
    """All inbox rows."""
    return db.execute("SELECT count(*) FROM inbox").fetchone()[0]


def prune(db: sqlite_utils.Database, *, before: datetime, limit: int = 1000) -> int:
    """Delete up to ``limit`` of the oldest handled messages received before ``before`` whose
    replies are gone; return how many (call again, each in its own short transaction, until 0)."""
    return db.execute(
        "DELETE FROM inbox WHERE id IN (SELECT id FROM inbox WHERE status IN ('done', 'ignored', 'failed')"
        " AND received_at < ? AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.inbox_id = inbox.id)"
        " ORDER BY received_at LIMIT ?)",
        [to_db(before), limit],
    ).rowcount
