"""A small key/value table with expiry, for access tokens and other cached values."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from storage.timeutil import from_db, to_db


def put(db: sqlite_utils.Database, key: str, value: str, *, expires_at: datetime | None = None) -> None:
    """Store ``value`` under ``key``, replacing what was there."""
    db.execute(
        "INSERT INTO kv (key, value, expires_at) VALUES (?, ?, ?)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at",
        [key, value, to_db(expires_at) if expires_at else None],
    )


def get(db: sqlite_utils.Database, key: str, *, now: datetime) -> str | None:
    """The value under ``key`` unless it has expired."""
    row = db.execute("SELECT value, expires_at FROM kv WHERE key = ?", [key]).fetchone()
    if row is None:
        return None
    if row[1] is not None and row[1] <= to_db(now):
        return None
    return row[0]


def get_any(db: sqlite_utils.Database, key: str) -> tuple[str, datetime | None] | None:
    """``(value, expires_at)`` under ``key`` whether or not it has expired, or None when there is none."""
    row = db.execute("SELECT value, expires_at FROM kv WHERE key = ?", [key]).fetchone()
    if row is None:
        return None
    return row[0], (from_db(row[1]) if row[1] is not None else None)


def fresh_with_prefix(db: sqlite_utils.Database, prefix: str, *, now: datetime) -> list[str]:
    """The unexpired values whose keys start with ``prefix`` (one per worker process, say)."""
    rows = db.execute(
        "SELECT value FROM kv WHERE key >= ? AND key < ? AND (expires_at IS NULL OR expires_at > ?) ORDER BY key",
        [prefix, prefix + "\uffff", to_db(now)],
    ).fetchall()
    return [r[0] for r in rows]


def delete(db: sqlite_utils.Database, key: str) -> None:
    """Forget ``key``."""
    db.execute("DELETE FROM kv WHERE key = ?", [key])


def prune(db: sqlite_utils.Database, *, now: datetime) -> int:
    """Delete expired values; return how many."""
    return db.execute(
        "DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= ?", [to_db(now)]
    ).rowcount
