"""``xiaobian copy-db``: the demo's database moved to PostgreSQL and back, every row accounted for.

Needs a PostgreSQL server (``XIAOBIAN_TEST_PG``); skipped, saying so, without one. The SQLite-only
part (copying to an empty SQLite file, and refusing a full destination) runs everywhere.
"""

from __future__ import annotations

import os
import uuid

import pytest

from storage.copy import checksum, tables, verify
from storage.db import connect

pytestmark = pytest.mark.date_free

SERVER = os.environ.get("XIAOBIAN_TEST_PG", "")


@pytest.fixture
def demo_db(tmp_path, cli):
    path = str(tmp_path / "demo.db")
    assert cli("demo", "--db", path, stdin="草稿箱 全部\n").returncode == 0
    return path


def test_copy_to_an_empty_sqlite_file_and_refuse_a_full_one(demo_db, tmp_path, cli):
    copy = str(tmp_path / "copy.db")
    out = cli("copy-db", demo_db, copy)
    assert out.returncode == 0 and "两边的行数和校验和都一致" in out.stdout
    assert verify(connect(demo_db), connect(copy)) == []
    again = cli("copy-db", demo_db, copy)
    assert again.returncode == 2 and "已经有数据" in again.stderr


@pytest.mark.skipif(not SERVER, reason="PostgreSQL tests skipped: XIAOBIAN_TEST_PG is not set")
def test_the_demo_goes_to_postgresql_and_back_unchanged(demo_db, tmp_path, cli):
    import psycopg

    schema = "copy_" + uuid.uuid4().hex[:12]
    url = f"{SERVER}{'&' if '?' in SERVER else '?'}schema={schema}"
    try:
        out = cli("copy-db", demo_db, url)
        assert out.returncode == 0, out.stderr
        back = str(tmp_path / "back.db")
        assert cli("copy-db", url, back).returncode == 0
        src, pg, end = connect(demo_db), connect(url), connect(back)
        assert tables(src) == tables(end)
        for table in tables(src):
            assert checksum(src, table) == checksum(pg, table) == checksum(end, table), table
        assert sum(checksum(src, t)[0] for t in tables(src)) > 1000  # the demo's season of numbers
        # the ids go on from the copied ones: a new row does not collide
        assert cli("chat", "--db", url, stdin="草稿 微博 热可可 价格=18元\n").returncode == 0
    finally:
        with psycopg.connect(SERVER, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
