"""Posts from per-post exports: one row per post with its lifetime totals (JSON) as of the last import."""

from __future__ import annotations

import json
from datetime import date, datetime

import sqlite_utils

from storage.timeutil import to_db


def upsert(
    db: sqlite_utils.Database,
    account_id: int,
    title: str,
    published_at: str,
    metrics: dict[str, int],
    *,
    now: datetime,
) -> str:
    """Store a post's totals; returns ``new``, ``changed`` or ``same`` (importing twice counts nothing twice)."""
    row = db.execute(
        "SELECT id, metrics FROM posts WHERE account_id = ? AND title = ? AND published_at = ?",
        [account_id, title, published_at],
    ).fetchone()
    encoded = json.dumps(metrics, sort_keys=True, ensure_ascii=False)
    if row is None:
        db.execute(
            "INSERT INTO posts (account_id, title, published_at, metrics, as_of) VALUES (?, ?, ?, ?, ?)",
            [account_id, title, published_at, encoded, to_db(now)],
        )
        return "new"
    if row[1] == encoded:
        return "same"
    db.execute("UPDATE posts SET metrics = ?, as_of = ? WHERE id = ?", [encoded, to_db(now), row[0]])
    return "changed"


def published_between(db: sqlite_utils.Database, account_id: int, start: date, end: date) -> list[dict]:
    """Posts published on days in [start, end], newest first, with their totals decoded."""
    rows = db.query(
        "SELECT * FROM posts WHERE account_id = ? AND substr(published_at, 1, 10) BETWEEN ? AND ?"
        " ORDER BY published_at DESC, id DESC",
        [account_id, start.isoformat(), end.isoformat()],
    )
    return [{**r, "metrics": json.loads(r["metrics"])} for r in rows]
