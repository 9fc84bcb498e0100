"""A team's own headline templates (and starter ones it switched off), and template results."""

from __future__ import annotations

from datetime import datetime

import sqlite_utils

from storage.db import inserted_id
from storage.timeutil import to_db


def add(db: sqlite_utils.Database, team_id: int, *, family: str, pattern: str, by: str, now: datetime) -> str:
    """Add a team template; returns its key (``t<id>``)."""
    cur = db.execute(
        "INSERT INTO title_templates (team_id, key, family, pattern, created_by, created_at) VALUES (?, '', ?, ?, ?, ?)",
        [team_id, family, pattern, by, to_db(now)],
    )
    row_id = inserted_id(cur)
    key = f"team-{row_id}"
    db.execute("UPDATE title_templates SET key = ? WHERE id = ?", [key, row_id])
    return key


def disable(db: sqlite_utils.Database, team_id: int, key: str, *, by: str, now: datetime) -> None:
    """Switch a template off for a team (a team template is deactivated; a starter one gets a tombstone)."""
    cur = db.execute("UPDATE title_templates SET active = 0 WHERE team_id = ? AND key = ?", [team_id, key])
    if cur.rowcount == 0:
        db.execute(
            "INSERT INTO title_templates (team_id, key, family, pattern, active, created_by, created_at)"
            " VALUES (?, ?, '', '', 0, ?, ?)",
            [team_id, key, by, to_db(now)],
        )


def team_templates(db: sqlite_utils.Database, team_id: int) -> list[dict]:
    """The team's own active templates."""
    return list(
        db.query(
            "SELECT key, family, pattern FROM title_templates WHERE team_id = ? AND active = 1 AND pattern != '' ORDER BY id",
            [team_id],
        )
    )


def disabled_keys(db: sqlite_utils.Database, team_id: int) -> set[str]:
    """Keys the team switched off."""
    return {
        r[0]
        for r in db.execute("SELECT key FROM title_templates WHERE team_id = ? AND active = 0", [team_id])
    }


def record_post_metric(
    db: sqlite_utils.Database, draft_id: int, metric: str, value: int, *, by: str, now: datetime
) -> None:
    """Set one number of a published post (a later entry replaces it)."""
    db.execute(
        "INSERT INTO post_metrics (draft_id, metric, value, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (draft_id, metric) DO UPDATE SET value = excluded.value,"
        " recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        [draft_id, metric, value, by, to_db(now)],
    )


def post_metrics(db: sqlite_utils.Database, draft_id: int) -> dict[str, int]:
    """A post's recorded numbers."""
    return {
        r[0]: r[1]
        for r in db.execute("SELECT metric, value FROM post_metrics WHERE draft_id = ?", [draft_id])
    }


def template_results(db: sqlite_utils.Database, team_id: int, metric: str) -> list[dict]:
    """Per headline template: published posts with ``metric`` recorded, their average and best."""
    return list(
        db.query(
            "SELECT d.title_template AS key, count(*) AS posts, avg(m.value) AS average, max(m.value) AS best"
            " FROM drafts d JOIN post_metrics m ON m.draft_id = d.id"
            " WHERE d.team_id = ? AND d.status IN ('published', 'archived') AND d.title_template IS NOT NULL"
            " AND m.metric = ? GROUP BY d.title_template ORDER BY average DESC",
            [team_id, metric],
        )
    )
