"""Publishing slots: platform, weekdays (0 = Monday), time of day, owner, nudge lead time."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from storage.db import inserted_id
from storage.timeutil import to_db


def _decode(row: dict) -> dict:
    row = dict(row)
    row["days"] = [int(d) for d in row["days"].split(",") if d != ""]
    return row


def create(
    db: sqlite_utils.Database,
    *,
    team_id: int,
    platform: str,
    days: list[int],
    at: str,
    owner: str,
    owner_name: str,
    lead_minutes: int,
    created_by: str,
    now: datetime,
) -> int:
    """Add a slot; returns its id."""
    cur = db.execute(
        "INSERT INTO slots (team_id, platform, days, at, owner, owner_name, lead_minutes, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            team_id,
            platform,
            ",".join(str(d) for d in sorted(days)),
            at,
            owner,
            owner_name,
            lead_minutes,
            created_by,
            to_db(now),
        ],
    )
    return inserted_id(cur)


def set_schedule(db: sqlite_utils.Database, slot_id: int, schedule_id: int) -> None:
    """Link a slot to the schedule row that nudges its owner."""
    db.execute("UPDATE slots SET schedule_id = ? WHERE id = ?", [schedule_id, slot_id])


def get(db: sqlite_utils.Database, slot_id: int, *, team_id: int) -> dict | None:
    """One active slot of a team, or None."""
    rows = list(
        db.query("SELECT * FROM slots WHERE id = ? AND team_id = ? AND active = 1", [slot_id, team_id])
    )
    return _decode(rows[0]) if rows else None


def list_for_team(db: sqlite_utils.Database, team_id: int) -> list[dict]:
    """A team's active slots, by platform then time."""
    return [
        _decode(r)
        for r in db.query(
            "SELECT * FROM slots WHERE team_id = ? AND active = 1 ORDER BY platform, at, id", [team_id]
        )
    ]


def deactivate(db: sqlite_utils.Database, slot_id: int) -> None:
    """Remove a slot from the rhythm (kept for history)."""
    db.execute("UPDATE slots SET active = 0 WHERE id = ?", [slot_id])
