"""A team's push webhook (WeCom group robot or Feishu custom bot). The URL and secret are credentials."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from storage.timeutil import to_db


def bind(
    db: sqlite_utils.Database, team_id: int, kind: str, url: str, secret: str, *, by: str, now: datetime
) -> None:
    """Set (or replace) a team's push webhook."""
    db.execute(
        "INSERT INTO push_targets (team_id, kind, url, secret, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (team_id) DO UPDATE SET kind = excluded.kind, url = excluded.url, secret = excluded.secret,"
        " created_by = excluded.created_by, created_at = excluded.created_at",
        [team_id, kind, url, secret, by, to_db(now)],
    )


def get(db: sqlite_utils.Database, team_id: int) -> dict | None:
    """A team's push webhook, or None."""
    rows = list(db.query("SELECT * FROM push_targets WHERE team_id = ?", [team_id]))
    return rows[0] if rows else None


def unbind(db: sqlite_utils.Database, team_id: int) -> bool:
    """Remove a team's push webhook."""
    return db.execute("DELETE FROM push_targets WHERE team_id = ?", [team_id]).rowcount == 1
