"""Posts from per-post exports: one row per post with its lifetime totals (JSON) as of the last import."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import cast

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


def set_details(
    db: sqlite_utils.Database,
    account_id: int,
    title: str,
    published_at: str,
    *,
    time: str | None,
    link: str | None,
) -> int:
    """Record a post's time of day (``HH:MM``) and link where the export gives them; the post's id."""
    row = db.execute(
        "SELECT id FROM posts WHERE account_id = ? AND title = ? AND published_at = ?",
        [account_id, title, published_at],
    ).fetchone()
    db.execute(
        "UPDATE posts SET published_time = coalesce(?, published_time), link = coalesce(?, link) WHERE id = ?",
        [time, link, row[0]],
    )
    return int(row[0])


def get(db: sqlite_utils.Database, post_id: int) -> dict | None:
    """One post with its totals decoded and its account's team and platform."""
    rows = list(
        db.query(
            "SELECT p.*, a.team_id, a.platform, a.name AS account FROM posts p"
            " JOIN accounts a ON a.id = p.account_id WHERE p.id = ?",
            [post_id],
        )
    )
    return {**rows[0], "metrics": json.loads(rows[0]["metrics"])} if rows else None


def attach(db: sqlite_utils.Database, post_id: int, draft_id: int | None, how: str | None) -> None:
    """Tie a post to the draft that made it (``how``: link, title, chat), or untie it (draft None;
    ``how`` "none" when a person said it is no draft's, so that later imports leave it alone)."""
    db.execute("UPDATE posts SET draft_id = ?, matched_by = ? WHERE id = ?", [draft_id, how, post_id])


def attached_draft_ids(db: sqlite_utils.Database, team_id: int) -> dict[int, int]:
    """draft id → post id, for the team's posts already tied to a draft."""
    rows = db.execute(
        "SELECT p.draft_id, p.id FROM posts p JOIN accounts a ON a.id = p.account_id"
        " WHERE a.team_id = ? AND p.draft_id IS NOT NULL",
        [team_id],
    ).fetchall()
    return {int(d): int(p) for d, p in rows}


def of_team(
    db: sqlite_utils.Database,
    team_id: int,
    *,
    platform: str | None = None,
    start: date | None = None,
    end: date | None = None,
) -> list[dict]:
    """The team's posts (every account), oldest first, with totals decoded, platform, account name
    and, where tied to a draft, its headline template."""
    where, params = ["a.team_id = ?"], [cast(object, team_id)]
    if platform is not None:
        where.append("a.platform = ?")
        params.append(platform)
    if start is not None:
        where.append("p.published_at >= ?")
        params.append(start.isoformat())
    if end is not None:
        where.append("p.published_at <= ?")
        params.append(end.isoformat())
    rows = db.query(
        "SELECT p.id, p.account_id, p.title, p.published_at, p.published_time, p.link, p.draft_id,"
        " p.matched_by, p.metrics, a.platform, a.name AS account, d.title_template, d.number AS draft_number"
        " FROM posts p JOIN accounts a ON a.id = p.account_id LEFT JOIN drafts d ON d.id = p.draft_id"
        f" WHERE {' AND '.join(where)} ORDER BY p.published_at, p.id",
        params,
    )
    return [{**r, "metrics": json.loads(r["metrics"])} for r in rows]


def merge_metrics(db: sqlite_utils.Database, post_id: int, values: dict[str, int], *, now: datetime) -> None:
    """Set some of a post's totals (entered in the chat), keeping the others."""
    row = db.execute("SELECT metrics FROM posts WHERE id = ?", [post_id]).fetchone()
    merged = {**json.loads(row[0]), **values}
    db.execute(
        "UPDATE posts SET metrics = ?, as_of = ? WHERE id = ?",
        [json.dumps(merged, sort_keys=True, ensure_ascii=False), to_db(now), post_id],
    )


def find_id(db: sqlite_utils.Database, account_id: int, title: str, published_at: str) -> int | None:
    """The id of an account's post with this title published that day, if there is one."""
    row = db.execute(
        "SELECT id FROM posts WHERE account_id = ? AND title = ? AND published_at = ?",
        [account_id, title, published_at],
    ).fetchone()
    return int(row[0]) if row else None


def matched_by(db: sqlite_utils.Database, post_id: int) -> str | None:
    """How a post was tied to its draft (link, title, chat), "none" if a person said it is no draft's."""
    row = db.execute("SELECT matched_by FROM posts WHERE id = ?", [post_id]).fetchone()
    return row[0] if row else None
