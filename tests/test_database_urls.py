"""A database URL (it may carry a password) is never shown, and nothing is made beside it as if it
were a file path; copy-db and migrate answer a wrong argument in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import Config
from bot.supervisor import worker_argv, worker_env

pytestmark = pytest.mark.date_free

URL = "postgresql://xb:s3cret-pw@db.example:5432/xiaobian?schema=team_a"


def test_the_password_is_not_in_the_config_repr_or_on_the_workers_command_line():
    assert "s3cret-pw" not in repr(Config(db_path=URL)) and "***" in repr(Config(db_path=URL))
    assert not any("s3cret-pw" in a for a in worker_argv(URL, "INFO"))
    assert worker_env(URL)["XIAOBIAN_DB"] == URL
    assert worker_argv("/data/x.db", "INFO")[-2:] == ["--db", "/data/x.db"]  # a path stays an argument


def test_charts_go_to_the_working_directory_with_a_database_url(tmp_path, monkeypatch):
    from handlers.metrics.charts import media_dir

    monkeypatch.chdir(tmp_path)
    assert media_dir(Config(db_path=URL)) == tmp_path / "media"
    assert media_dir(Config(db_path=str(tmp_path / "d" / "x.db"))) == (tmp_path / "d" / "media").resolve()
    assert not any(p.name.startswith("postgresql") for p in Path(tmp_path).iterdir())


def test_copy_db_and_migrate_answer_wrong_arguments_in_chinese(tmp_path, cli):
    missing = cli("copy-db", str(tmp_path / "none.db"), str(tmp_path / "out.db"))
    assert missing.returncode == 2 and "不存在" in missing.stderr and not (tmp_path / "none.db").exists()
    down = cli("migrate", "--db", "postgresql://xb:s3cret-pw@127.0.0.1:1/nothing")
    assert down.returncode == 2 and "打不开数据库" in down.stderr and "s3cret-pw" not in down.stderr


def test_serve_worker_and_chat_on_a_database_that_does_not_open_say_why_in_chinese(tmp_path, cli):
    """No traceback: what is wrong (refused, no such file directory) and what to check, no password."""
    for command in ("serve", "worker", "chat"):
        down = cli(command, env={"XIAOBIAN_DB": "postgresql://xb:s3cret-pw@127.0.0.1:1/nothing"})
        assert down.returncode == 2, command
        assert "连接被拒绝" in down.stderr and "XIAOBIAN_DB" in down.stderr, down.stderr
        assert "s3cret-pw" not in down.stderr + down.stdout and "Traceback" not in down.stderr
    nowhere = cli("chat", "--db", str(tmp_path / "no-such-dir" / "x.db"))
    assert nowhere.returncode == 2 and "目录存在" in nowhere.stderr
