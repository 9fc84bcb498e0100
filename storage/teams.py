"""Teams (one chat on one platform) and the people in them with their roles."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import sqlite_utils

from storage.timeutil import to_db

ROLES = ("member", "manager", "admin")


@dataclass(frozen=True)
class Team:
    """One chat on one platform: a group, or a person's 1:1 chat with the bot. Everything a team owns
    carries its ``id``; ``tz`` is the IANA zone its times are said in."""

    id: int
    platform: str
    tenant: str
    chat_id: str
    chat_type: str = "group"
    name: str = ""
    tz: str = "Asia/Shanghai"
    is_demo: bool = False
    created_at: str = ""

    @classmethod
    def from_row(cls, row: dict) -> Team:
        return cls(**{**row, "is_demo": bool(row.get("is_demo"))})


def ensure_team(
    db: sqlite_utils.Database,
    platform: str,
    tenant: str,
    chat_id: str,
    *,
    now: datetime,
    chat_type: str = "group",
    name: str = "",
    tz: str = "Asia/Shanghai",
) -> Team:
    """Return the team of this chat, creating it on first contact (in the caller's transaction)."""
    team = get_team_by_chat(db, platform, tenant, chat_id)
    if team is not None:
        if name and not team.name:
            db.execute("UPDATE teams SET name = ? WHERE id = ?", [name, team.id])
            team = replace(team, name=name)
        return team
    db.execute(
        "INSERT OR IGNORE INTO teams (platform, tenant, chat_id, chat_type, name, tz, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [platform, tenant, chat_id, chat_type, name, tz, to_db(now)],
    )
    team = get_team_by_chat(db, platform, tenant, chat_id)
    if team is None:
        raise LookupError(f"team {platform}/{chat_id} is not there after it was written")
    return team


def get_team_by_chat(db: sqlite_utils.Database, platform: str, tenant: str, chat_id: str) -> Team | None:
    """The team of a chat, or None."""
    rows = list(
        db.query(
            "SELECT * FROM teams WHERE platform = ? AND tenant = ? AND chat_id = ?",
            [platform, tenant, chat_id],
        )
    )
    return Team.from_row(rows[0]) if rows else None


def get_team(db: sqlite_utils.Database, team_id: int) -> Team | None:
    """A team by id, or None."""
    rows = list(db.query("SELECT * FROM teams WHERE id = ?", [team_id]))
    return Team.from_row(rows[0]) if rows else None


def find_teams(db: sqlite_utils.Database, platform: str, chat_id: str) -> list[Team]:
    """Teams of a chat id on a platform, whatever the tenant."""
    rows = db.query("SELECT * FROM teams WHERE platform = ? AND chat_id = ? ORDER BY id", [platform, chat_id])
    return [Team.from_row(r) for r in rows]


def set_team_tz(db: sqlite_utils.Database, team_id: int, tz: str) -> None:
    """Change a team's time zone (an IANA name, already validated)."""
    db.execute("UPDATE teams SET tz = ? WHERE id = ?", [tz, team_id])


def mark_demo(db: sqlite_utils.Database, team_id: int, name: str) -> None:
    """Label a team as holding generated demo data."""
    db.execute("UPDATE teams SET is_demo = 1, name = ? WHERE id = ?", [name, team_id])


def touch_person(
    db: sqlite_utils.Database,
    team_id: int,
    user_id: str,
    name: str,
    *,
    now: datetime,
    default_role: str = "member",
) -> dict:
    """Record that a person spoke in a team; create them with ``default_role`` the first time.

    Returns the person's row (with the role in force).
    """
    stamp = to_db(now)
    db.execute(
        "INSERT INTO people (team_id, user_id, name, role, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (team_id, user_id) DO UPDATE SET last_seen = excluded.last_seen,"
        " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE people.name END",
        [team_id, user_id, name, default_role, stamp, stamp],
    )
    return _written_person(db, team_id, user_id)


def get_person(db: sqlite_utils.Database, team_id: int, user_id: str) -> dict | None:
    """One person of a team, or None."""
    rows = list(db.query("SELECT * FROM people WHERE team_id = ? AND user_id = ?", [team_id, user_id]))
    return rows[0] if rows else None


def _written_person(db: sqlite_utils.Database, team_id: int, user_id: str) -> dict:
    person = get_person(db, team_id, user_id)
    if person is None:
        raise LookupError(f"person {user_id} of team {team_id} is not there after it was written")
    return person


def find_people(db: sqlite_utils.Database, team_id: int, who: str) -> list[dict]:
    """People of a team whose id or display name is exactly ``who``."""
    return list(
        db.query(
            "SELECT * FROM people WHERE team_id = ? AND (user_id = ? OR name = ?) ORDER BY user_id",
            [team_id, who, who],
        )
    )


def set_role(
    db: sqlite_utils.Database,
    team_id: int,
    user_id: str,
    role: str,
    *,
    by: str,
    now: datetime,
    name: str = "",
) -> dict:
    """Give a person a role in a team (creating the person if the bot has not seen them yet)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    stamp = to_db(now)
    db.execute(
        "INSERT INTO people (team_id, user_id, name, role, role_by, first_seen, last_seen)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (team_id, user_id) DO UPDATE SET role = excluded.role, role_by = excluded.role_by,"
        " name = CASE WHEN excluded.name != '' THEN excluded.name ELSE people.name END",
        [team_id, user_id, name, role, by, stamp, stamp],
    )
    return _written_person(db, team_id, user_id)


def list_people(db: sqlite_utils.Database, team_id: int) -> list[dict]:
    """People of a team, admins first, then managers, then members."""
    return list(
        db.query(
            "SELECT * FROM people WHERE team_id = ? ORDER BY"
            " CASE role WHEN 'admin' THEN 0 WHEN 'manager' THEN 1 ELSE 2 END, user_id",
            [team_id],
        )
    )


def people_with_role(db: sqlite_utils.Database, team_id: int, roles: tuple[str, ...]) -> list[dict]:
    """People of a team holding one of ``roles``."""
    marks = ",".join("?" for _ in roles)
    return list(
        db.query(
            f"SELECT * FROM people WHERE team_id = ? AND role IN ({marks}) ORDER BY user_id",
            [team_id, *roles],
        )
    )
