"""Accounts and their daily metrics; targets. Values are integers in each metric's unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlite_utils

from storage.db import inserted_id
from storage.timeutil import to_db

DEFAULT_ACCOUNT = "主账号"


def ensure_account(
    db: sqlite_utils.Database, team_id: int, platform: str, name: str, *, now: datetime
) -> dict:
    """A team's account on a platform, created on first use."""
    db.execute(
        "INSERT OR IGNORE INTO accounts (team_id, platform, name, created_at) VALUES (?, ?, ?, ?)",
        [team_id, platform, name, to_db(now)],
    )
    return next(
        db.query(
            "SELECT * FROM accounts WHERE team_id = ? AND platform = ? AND name = ?",
            [team_id, platform, name],
        )
    )


def accounts(db: sqlite_utils.Database, team_id: int, platform: str | None = None) -> list[dict]:
    """A team's accounts (of one platform), by platform then name."""
    sql = "SELECT * FROM accounts WHERE team_id = ?"
    params: list[object] = [team_id]
    if platform:
        sql += " AND platform = ?"
        params.append(platform)
    return list(db.query(sql + " ORDER BY platform, name = '主账号' DESC, name", params))


def find_account(db: sqlite_utils.Database, team_id: int, name: str) -> list[dict]:
    """A team's accounts with this name (on any platform)."""
    return list(db.query("SELECT * FROM accounts WHERE team_id = ? AND name = ?", [team_id, name]))


def record(
    db: sqlite_utils.Database,
    account_id: int,
    day: date,
    metric: str,
    value: int,
    *,
    source: str,
    by: str,
    now: datetime,
) -> str:
    """Set one value for a day. Returns ``new``, ``changed`` (a correction, history kept) or ``same``."""
    key = day.isoformat()
    row = db.execute(
        "SELECT value FROM metric_current WHERE account_id = ? AND metric = ? AND day = ?",
        [account_id, metric, key],
    ).fetchone()
    if row is not None and row[0] == value:
        return "same"
    cur = db.execute(
        "INSERT INTO metric_entries (account_id, day, metric, value, source, entered_by, entered_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [account_id, key, metric, value, source, by, to_db(now)],
    )
    db.execute(
        "INSERT INTO metric_current (account_id, metric, day, value, entry_id) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (account_id, metric, day) DO UPDATE SET value = excluded.value, entry_id = excluded.entry_id",
        [account_id, metric, key, value, inserted_id(cur)],
    )
    return "new" if row is None else "changed"


def series(
    db: sqlite_utils.Database, account_id: int, metric: str, start: date, end: date
) -> dict[date, int]:
    """Values of one metric on days in [start, end]."""
    return {
        date.fromisoformat(r[0]): r[1]
        for r in db.execute(
            "SELECT day, value FROM metric_current WHERE account_id = ? AND metric = ? AND day BETWEEN ? AND ?"
            " ORDER BY day",
            [account_id, metric, start.isoformat(), end.isoformat()],
        )
    }


def latest(
    db: sqlite_utils.Database, account_id: int, metric: str, *, on_or_before: date
) -> tuple[date, int] | None:
    """The last recorded value of a metric up to a day."""
    row = db.execute(
        "SELECT day, value FROM metric_current WHERE account_id = ? AND metric = ? AND day <= ? ORDER BY day DESC LIMIT 1",
        [account_id, metric, on_or_before.isoformat()],
    ).fetchone()
    return (date.fromisoformat(row[0]), row[1]) if row else None


def metrics_of(db: sqlite_utils.Database, account_id: int) -> list[str]:
    """Metrics an account has any value for."""
    return [
        r[0]
        for r in db.execute("SELECT DISTINCT metric FROM metric_current WHERE account_id = ?", [account_id])
    ]


def days_with_data(db: sqlite_utils.Database, account_id: int, start: date, end: date) -> int:
    """How many days in [start, end] have any value."""
    return db.execute(
        "SELECT count(DISTINCT day) FROM metric_current WHERE account_id = ? AND day BETWEEN ? AND ?",
        [account_id, start.isoformat(), end.isoformat()],
    ).fetchone()[0]


def history(db: sqlite_utils.Database, account_id: int, metric: str, day: date) -> list[dict]:
    """Every entry ever made for one value, oldest first (corrections included)."""
    return list(
        db.query(
            "SELECT * FROM metric_entries WHERE account_id = ? AND metric = ? AND day = ? ORDER BY id",
            [account_id, metric, day.isoformat()],
        )
    )


def last_day(db: sqlite_utils.Database, account_id: int) -> date | None:
    """The last day with any value for an account."""
    row = db.execute("SELECT max(day) FROM metric_current WHERE account_id = ?", [account_id]).fetchone()
    return date.fromisoformat(row[0]) if row and row[0] else None


def add_target(
    db: sqlite_utils.Database,
    *,
    team_id: int,
    account_id: int,
    metric: str,
    mode: str,
    target: int,
    base: int,
    start_day: date,
    deadline: date,
    by: str,
    now: datetime,
) -> int:
    """Set a target (replacing an active one for the same account and metric)."""
    db.execute(
        "UPDATE targets SET active = 0 WHERE team_id = ? AND account_id = ? AND metric = ? AND active = 1",
        [team_id, account_id, metric],
    )
    cur = db.execute(
        "INSERT INTO targets (team_id, account_id, metric, mode, target, base, start_day, deadline, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            team_id,
            account_id,
            metric,
            mode,
            target,
            base,
            start_day.isoformat(),
            deadline.isoformat(),
            by,
            to_db(now),
        ],
    )
    return inserted_id(cur)


@dataclass(frozen=True)
class Target:
    """A KPI target on one account's metric: reach a ``level``, ``growth`` over ``base``, or a ``total``."""

    id: int
    team_id: int
    account_id: int
    metric: str
    mode: str
    target: int
    base: int
    start_day: date
    deadline: date
    active: bool
    created_by: str
    created_at: str
    platform: str
    account_name: str

    @classmethod
    def from_row(cls, row: dict) -> Target:
        row = dict(row)
        row["start_day"], row["deadline"] = (
            date.fromisoformat(row["start_day"]),
            date.fromisoformat(row["deadline"]),
        )
        row["active"] = bool(row["active"])
        return cls(**row)


def targets(db: sqlite_utils.Database, team_id: int) -> list[Target]:
    """A team's active targets with their account."""
    rows = db.query(
        "SELECT t.*, a.platform, a.name AS account_name FROM targets t JOIN accounts a ON a.id = t.account_id"
        " WHERE t.team_id = ? AND t.active = 1 ORDER BY t.deadline, t.id",
        [team_id],
    )
    return [Target.from_row(r) for r in rows]


def drop_target(db: sqlite_utils.Database, team_id: int, target_id: int) -> bool:
    """Retire a target; False if the team has no such active target."""
    return (
        db.execute(
            "UPDATE targets SET active = 0 WHERE id = ? AND team_id = ? AND active = 1", [target_id, team_id]
        ).rowcount
        == 1
    )


def last_day_from(db: sqlite_utils.Database, account_id: int, source: str) -> date | None:
    """The newest day an account has an entry for from ``source`` (``api``, ``chat``, ``import``)."""
    last = db.execute(
        "SELECT max(day) FROM metric_entries WHERE account_id = ? AND source = ?", [account_id, source]
    ).fetchone()[0]
    return date.fromisoformat(last) if last else None
