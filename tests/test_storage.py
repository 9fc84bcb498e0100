"""Storage: migrations, pragmas, team isolation of the basics."""

import threading
from datetime import UTC, datetime, timedelta

import pytest

from storage import inbox, pacing, teams
from storage.db import SchemaTooNew, connect, dialect, migrate, schema_version


def test_migrations_apply_once_and_are_recorded(db_path):
    db = connect(db_path)
    first = migrate(db)
    assert first and first == sorted(first)
    assert migrate(db) == []
    assert schema_version(db) == first[-1]
    if dialect(db) == "sqlite":
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    else:  # text compares byte by byte, as SQLite compares the ISO timestamps every table stores
        collations = {
            r[0]
            for r in db.execute(
                "SELECT collation_name FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND data_type = 'text'"
            ).fetchall()
        }
        assert collations == {"C"}


def test_a_schema_newer_than_the_code_is_refused(db_path):
    db = connect(db_path)
    migrate(db)
    db.execute(
        "INSERT INTO _migrations (id, name, applied_at) VALUES (?, ?, ?)", [999, "future", "2027-01-01"]
    )
    with pytest.raises(SchemaTooNew, match="先升级小编"):
        migrate(db)


def test_two_workers_never_claim_the_same_message_and_keep_each_chats_order(db_path):
    """Four threads, each with its own connection, claim 200 messages of 10 chats at once."""
    setup = connect(db_path)
    migrate(setup)
    now = datetime(2026, 12, 4, tzinfo=UTC)
    for i in range(200):
        inbox.record(
            setup,
            platform="test",
            message_key=f"m{i}",
            channel="test",
            chat_key=f"c{i % 10}",
            payload="{}",
            now=now,
        )
    claimed: list[tuple[str, int]] = []
    lock = threading.Lock()

    def work():
        db = connect(db_path)
        while True:
            row = inbox.claim_next(db, now=now, lease=timedelta(minutes=5))
            if row is None:
                if not db.execute("SELECT 1 FROM inbox WHERE status = 'new' LIMIT 1").fetchone():
                    break
                continue
            with lock:
                claimed.append((row["chat_key"], row["id"]))
            inbox.finish(db, row["id"], "done", now=now)
        db.close()

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    ids = [i for _, i in claimed]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == 200  # each once
    for chat in {c for c, _ in claimed}:
        in_chat = [i for c, i in claimed if c == chat]
        assert in_chat == sorted(in_chat), chat  # a chat's messages in the order they came


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


def test_send_pacing_is_shared_by_every_connection(db_path):
    """Three workers (connections) booking one chat at the same moment get slots a gap apart."""
    dbs = [connect(db_path) for _ in range(3)]
    migrate(dbs[0])
    now = 1_764_820_800.125  # an epoch time: a 4-byte float column would lose its seconds
    waits = sorted(pacing.reserve(db, "feishu:chat:oc_1", 0.25, now) for db in dbs)
    assert waits == pytest.approx([0.0, 0.25, 0.5], abs=1e-6)
    assert pacing.reserve(dbs[0], "feishu:chat:oc_2", 0.25, now) == 0.0  # another chat is free
    assert pacing.reserve(dbs[1], "feishu:chat:oc_1", 0.25, now + 10) == 0.0  # idle again later
