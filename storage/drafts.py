"""Drafts: per-team numbered posts, their versions and their history of state changes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import sqlite_utils

from storage.db import inserted_id
from storage.timeutil import to_db

STATUSES = ("draft", "review", "approved", "returned", "scheduled", "published", "archived")


@dataclass(frozen=True)
class Draft:
    """One numbered post of a team, as stored: its text, its form data, where it is in the workflow."""

    id: int
    team_id: int
    number: int
    platform: str
    title: str
    body: str
    tags: list[str]
    extra: dict
    brief: dict
    template: str
    title_template: str | None
    source: str
    author: str
    author_name: str
    status: str
    version: int
    parent_id: int | None
    scheduled_at: str | None
    published_url: str | None
    published_at: str | None
    created_at: str
    updated_at: str


def _decode(row: dict) -> Draft:
    row = dict(row)
    for key in ("tags", "extra", "brief"):
        row[key] = json.loads(row[key])
    return Draft(**row)


def _written(draft: Draft | None) -> Draft:
    """A draft this transaction has just written (so it is there)."""
    if draft is None:
        raise LookupError("a draft written in this transaction is gone")
    return draft


def create(
    db: sqlite_utils.Database,
    *,
    team_id: int,
    platform: str,
    title: str,
    body: str,
    tags: list[str],
    extra: dict,
    brief: dict,
    template: str,
    title_template: str | None,
    source: str,
    author: str,
    author_name: str,
    now: datetime,
    parent_id: int | None = None,
) -> Draft:
    """Add a draft with the team's next number and its first version; return it."""
    number = db.execute(
        "SELECT coalesce(max(number), 0) + 1 FROM drafts WHERE team_id = ?", [team_id]
    ).fetchone()[0]
    stamp = to_db(now)
    cur = db.execute(
        "INSERT INTO drafts (team_id, number, platform, title, body, tags, extra, brief, template, title_template,"
        " source, author, author_name, parent_id, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            team_id,
            number,
            platform,
            title,
            body,
            json.dumps(tags, ensure_ascii=False),
            json.dumps(extra, ensure_ascii=False),
            json.dumps(brief, ensure_ascii=False),
            template,
            title_template,
            source,
            author,
            author_name,
            parent_id,
            stamp,
            stamp,
        ],
    )
    draft_id = inserted_id(cur)
    _add_version(db, draft_id, 1, title, body, tags, extra, author, stamp)
    add_event(db, draft_id, "create", actor=author, actor_name=author_name, to_status="draft", now=now)
    return _written(get(db, team_id, number))


def _add_version(db, draft_id, version, title, body, tags, extra, by, stamp) -> None:
    db.execute(
        "INSERT INTO draft_versions (draft_id, version, title, body, tags, extra, edited_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            draft_id,
            version,
            title,
            body,
            json.dumps(tags, ensure_ascii=False),
            json.dumps(extra, ensure_ascii=False),
            by,
            stamp,
        ],
    )


def get(db: sqlite_utils.Database, team_id: int, number: int) -> Draft | None:
    """A team's draft by its number (the number people see), or None."""
    rows = list(db.query("SELECT * FROM drafts WHERE team_id = ? AND number = ?", [team_id, number]))
    return _decode(rows[0]) if rows else None


def get_by_id(db: sqlite_utils.Database, draft_id: int) -> Draft | None:
    """A draft by its row id."""
    rows = list(db.query("SELECT * FROM drafts WHERE id = ?", [draft_id]))
    return _decode(rows[0]) if rows else None


def reread(db: sqlite_utils.Database, draft_id: int) -> Draft:
    """A draft this transaction has just written, read back (so it is there)."""
    return _written(get_by_id(db, draft_id))


def list_for_team(
    db: sqlite_utils.Database, team_id: int, statuses: tuple[str, ...] | None = None, limit: int = 30
) -> list[Draft]:
    """A team's drafts, newest first, optionally of some states."""
    sql = "SELECT * FROM drafts WHERE team_id = ?"
    params: list[object] = [team_id]
    if statuses:
        sql += f" AND status IN ({','.join('?' for _ in statuses)})"
        params += list(statuses)
    sql += " ORDER BY number DESC LIMIT ?"
    params.append(limit)
    return [_decode(r) for r in db.query(sql, params)]


def counts_by_status(db: sqlite_utils.Database, team_id: int) -> dict[str, int]:
    """How many drafts a team has in each state."""
    return {
        r["status"]: r["n"]
        for r in db.query(
            "SELECT status, count(*) AS n FROM drafts WHERE team_id = ? GROUP BY status", [team_id]
        )
    }


def edit(
    db: sqlite_utils.Database,
    draft: Draft,
    *,
    title: str,
    body: str,
    tags: list[str],
    extra: dict,
    by: str,
    by_name: str,
    now: datetime,
) -> Draft:
    """Save new content as the next version."""
    version = draft.version + 1
    stamp = to_db(now)
    db.execute(
        "UPDATE drafts SET title = ?, body = ?, tags = ?, extra = ?, version = ?, updated_at = ? WHERE id = ?",
        [
            title,
            body,
            json.dumps(tags, ensure_ascii=False),
            json.dumps(extra, ensure_ascii=False),
            version,
            stamp,
            draft.id,
        ],
    )
    _add_version(db, draft.id, version, title, body, tags, extra, by, stamp)
    add_event(db, draft.id, "edit", actor=by, actor_name=by_name, note=f"v{version}", now=now)
    return _written(get_by_id(db, draft.id))


def move(
    db: sqlite_utils.Database,
    draft: Draft,
    to_status: str,
    *,
    action: str,
    by: str,
    by_name: str,
    now: datetime,
    note: str = "",
    scheduled_at: datetime | None = None,
    url: str | None = None,
) -> bool:
    """Change a draft's state if it is still in the state read; record who did it. False if it changed meanwhile."""
    sets, params = ["status = ?", "updated_at = ?"], [to_status, to_db(now)]
    if scheduled_at is not None:
        sets.append("scheduled_at = ?")
        params.append(to_db(scheduled_at))
    if url is not None:
        sets += ["published_url = ?", "published_at = ?"]
        params += [url, to_db(now)]
    cur = db.execute(
        f"UPDATE drafts SET {', '.join(sets)} WHERE id = ? AND status = ?",
        [*params, draft.id, draft.status],
    )
    if cur.rowcount != 1:
        return False
    add_event(
        db,
        draft.id,
        action,
        actor=by,
        actor_name=by_name,
        from_status=draft.status,
        to_status=to_status,
        note=note,
        now=now,
    )
    return True


def add_event(
    db: sqlite_utils.Database,
    draft_id: int,
    action: str,
    *,
    actor: str,
    actor_name: str = "",
    from_status: str | None = None,
    to_status: str | None = None,
    note: str = "",
    now: datetime,
) -> None:
    """Record something that happened to a draft."""
    db.execute(
        "INSERT INTO draft_events (draft_id, action, actor, actor_name, from_status, to_status, note, at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [draft_id, action, actor, actor_name, from_status, to_status, note, to_db(now)],
    )


def events(db: sqlite_utils.Database, draft_id: int) -> list[dict]:
    """A draft's history, oldest first."""
    return list(db.query("SELECT * FROM draft_events WHERE draft_id = ? ORDER BY id", [draft_id]))


def versions(db: sqlite_utils.Database, draft_id: int) -> list[dict]:
    """A draft's saved versions, oldest first."""
    return list(db.query("SELECT * FROM draft_versions WHERE draft_id = ? ORDER BY version", [draft_id]))


def scheduled_between(
    db: sqlite_utils.Database, team_id: int, platform: str, start: datetime, end: datetime
) -> list[Draft]:
    """Drafts ready for a platform around a slot: scheduled within [start, end), or approved and not yet placed."""
    rows = db.query(
        "SELECT * FROM drafts WHERE team_id = ? AND platform = ? AND ("
        " (status = 'scheduled' AND scheduled_at >= ? AND scheduled_at < ?)"
        " OR (status = 'approved' AND scheduled_at IS NULL)) ORDER BY status = 'approved', scheduled_at, number",
        [team_id, platform, to_db(start), to_db(end)],
    )
    return [_decode(r) for r in rows]


def published_or_scheduled(db: sqlite_utils.Database, team_id: int, platform: str) -> list[Draft]:
    """A platform's drafts that went out or are about to (scheduled, published, or archived after
    publishing): the drafts an exported post can belong to."""
    rows = db.query(
        "SELECT * FROM drafts WHERE team_id = ? AND platform = ? AND (status IN ('scheduled', 'published')"
        " OR (status = 'archived' AND published_at IS NOT NULL)) ORDER BY number",
        [team_id, platform],
    )
    return [_decode(r) for r in rows]
