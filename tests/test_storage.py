"""Storage: migrations, pragmas, team isolation of the basics."""

from datetime import UTC, datetime

from storage import teams
from storage.db import connect, migrate, schema_version


def test_migrations_apply_once_and_are_recorded(db_path):
    db = connect(db_path)
    first = migrate(db)
    assert first and first == sorted(first)
    assert migrate(db) == []
    assert schema_version(db) == first[-1]
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_teams_are_created_on_first_contact_and_unique(db_path):
    db = connect(db_path)
    migrate(db)
    now = datetime(2026, 11, 22, tzinfo=UTC)
    a = teams.ensure_team(db, "wecom", "corp", "chat1", now=now, name="内容组")
    again = teams.ensure_team(db, "wecom", "corp", "chat1", now=now)
    other = teams.ensure_team(db, "feishu", "corp", "chat1", now=now)
    assert a.id == again.id != other.id
    assert again.name == "内容组"


def test_roles_are_checked(db_path):
    db = connect(db_path)
    migrate(db)
    now = datetime(2026, 11, 22, tzinfo=UTC)
    t = teams.ensure_team(db, "wecom", "corp", "chat1", now=now)
    teams.touch_person(db, t.id, "u1", "张三", now=now)
    assert teams.get_person(db, t.id, "u1")["role"] == "member"
    teams.set_role(db, t.id, "u1", "manager", by="boss", now=now)
    assert teams.get_person(db, t.id, "u1")["name"] == "张三"
    assert [p["user_id"] for p in teams.people_with_role(db, t.id, ("manager",))] == ["u1"]
