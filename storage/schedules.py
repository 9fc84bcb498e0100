"""Rows the dispatcher fires: a rule (one-off, cron, interval), its zone and the next fire time (UTC)."""

from __future__ import annotations

import json
from datetime import datetime

import sqlite_utils

from storage.db import inserted_id
from storage.timeutil import from_db, to_db

# A fire this many seconds after its time is reported as late.
LATE_AFTER_SECONDS = 120


def _decode(row: dict) -> dict:
    row = dict(row)
    row["payload"] = json.loads(row["payload"])
    row["rule"] = json.loads(row["rule"])
    return row


def create(
    db: sqlite_utils.Database,
    *,
    team_id: int,
    kind: str,
    rule: dict,
    tz: str,
    next_fire_at: datetime | None,
    now: datetime,
    payload: dict | None = None,
    created_by: str = "",
    ref_id: int | None = None,
) -> int:
    """Add a schedule; returns its id. A None ``next_fire_at`` creates it already done."""
    cur = db.execute(
        "INSERT INTO schedules (team_id, kind, ref_id, payload, rule, tz, next_fire_at, status, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            team_id,
            kind,
            ref_id,
            json.dumps(payload or {}, ensure_ascii=False),
            json.dumps(rule, ensure_ascii=False),
            tz,
            to_db(next_fire_at) if next_fire_at else None,
            "active" if next_fire_at else "done",
            created_by,
            to_db(now),
        ],
    )
    return inserted_id(cur)


def get(db: sqlite_utils.Database, schedule_id: int, *, team_id: int | None = None) -> dict | None:
    """One schedule (payload and rule decoded); with ``team_id``, only if it belongs to that team."""
    sql, params = "SELECT * FROM schedules WHERE id = ?", [schedule_id]
    if team_id is not None:
        sql += " AND team_id = ?"
        params.append(team_id)
    rows = list(db.query(sql, params))
    return _decode(rows[0]) if rows else None


def due(db: sqlite_utils.Database, *, now: datetime, limit: int = 500) -> list[dict]:
    """Active schedules whose fire time has come, earliest first."""
    rows = db.query(
        "SELECT * FROM schedules WHERE status = 'active' AND next_fire_at <= ? ORDER BY next_fire_at, id LIMIT ?",
        [to_db(now), limit],
    )
    return [_decode(r) for r in rows]


def next_fire_time(row: dict) -> datetime | None:
    """The row's next fire time as an aware UTC datetime."""
    return from_db(row["next_fire_at"])


def advance(db: sqlite_utils.Database, row: dict, following: datetime | None, *, now: datetime) -> bool:
    """Move a fired row to its following fire time (or to done), only if nobody did it first.

    Returns False when the row's ``next_fire_at`` is no longer the one read: another
    dispatcher fired it, or a person changed it.
    """
    cur = db.execute(
        "UPDATE schedules SET next_fire_at = ?, status = CASE WHEN ? IS NULL THEN 'done' ELSE status END,"
        " last_fired_at = ?, fire_count = fire_count + 1"
        " WHERE id = ? AND status = 'active' AND next_fire_at = ?",
        [
            to_db(following) if following else None,
            to_db(following) if following else None,
            to_db(now),
            row["id"],
            row["next_fire_at"],
        ],
    )
    return cur.rowcount == 1


def kinds_for_team(db: sqlite_utils.Database, team_id: int) -> list[str]:
    """The kinds of schedule a team has (reminder, slot_nudge, daily_report …)."""
    return [r["kind"] for r in db.query("SELECT DISTINCT kind FROM schedules WHERE team_id = ?", [team_id])]


def list_for_team(
    db: sqlite_utils.Database, team_id: int, kind: str, *, statuses: tuple[str, ...] = ("active",)
) -> list[dict]:
    """A team's schedules of one kind, by next fire time."""
    marks = ",".join("?" for _ in statuses)
    rows = db.query(
        f"SELECT * FROM schedules WHERE team_id = ? AND kind = ? AND status IN ({marks})"
        " ORDER BY next_fire_at IS NULL, next_fire_at, id",
        [team_id, kind, *statuses],
    )
    return [_decode(r) for r in rows]


def set_status(db: sqlite_utils.Database, schedule_id: int, status: str) -> None:
    """Mark a schedule done or cancelled (or active again)."""
    db.execute("UPDATE schedules SET status = ? WHERE id = ?", [status, schedule_id])


def set_next(
    db: sqlite_utils.Database,
    schedule_id: int,
    next_fire_at: datetime,
    *,
    rule: dict | None = None,
    tz: str | None = None,
) -> None:
    """Move a schedule's next fire time (snooze, a changed zone); optionally replace rule and zone."""
    sets, params = ["next_fire_at = ?", "status = 'active'"], [to_db(next_fire_at)]
    if rule is not None:
        sets.append("rule = ?")
        params.append(json.dumps(rule, ensure_ascii=False))
    if tz is not None:
        sets.append("tz = ?")
        params.append(tz)
    db.execute(f"UPDATE schedules SET {', '.join(sets)} WHERE id = ?", [*params, schedule_id])
