"""Every example a person is shown — each command's 「帮助 命令名」 examples and the README's 试试 column —
typed as it is shown, in order, by the lowest role allowed to use it, on a team with the demo's data,
twice against the same database; and ``xiaobian demo`` opened again and again, as each of its people.

A person who copies an example must get an answer in Chinese: never a traceback, never 「出错了」
(a handler that crashed), never an English error.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.context import JobContext
from bot.registry import Registry
from bot.root import build_registry
from storage import teams
from storage.db import write_tx
from tests.support import TestBot

ROOT = Path(__file__).resolve().parents[1]
ROLE_USER = {"member": "xiaowang", "manager": "lijingli", "admin": "boss"}
ENGLISH_ERROR = re.compile(
    r"Traceback|Exception|\w+Error\b|NoneType|\bNone\b|object has no attribute|not subscriptable"
)


def help_examples(registry: Registry) -> list[tuple[str, str]]:
    """(role, text) for every example of every command, in the order help lists them. An example's
    trailing note in full-width brackets is not typed; an example that is only a note is skipped."""
    out = []
    for spec in registry.commands.values():
        for example in spec.examples:
            text = re.sub(r"\s*（[^）]*）\s*$", "", example).strip()
            if text:
                out.append((spec.role, text))
    return out


def readme_examples() -> list[str]:
    """The commands in the README's capability table (its 试试 column)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("## 小编能做什么", 1)[1].split("## 命令行", 1)[0]
    found = []
    for line in table.splitlines():
        if line.startswith("| ") and not line.startswith("| 能力"):
            cells = line.strip("|").split("|")
            found += re.findall(r"`([^`]+)`", cells[-1])
    return found


def _demo_team(tb: TestBot):
    """team-a with the demo's people and data (the seeders the demo runs)."""
    tb.say("我是谁", user="boss")
    team = tb.team()
    now = tb.bot.now()
    with write_tx(tb.bot.db):
        for user, name, role in (("lijingli", "李经理", "manager"), ("xiaowang", "小王", "member")):
            teams.set_role(tb.bot.db, team.id, user, role, by="test", now=now, name=name)
        for seeder in tb.bot.registry.seeders:
            seeder(JobContext.of(tb.bot, team, now))


def _check(text: str, replies) -> list[str]:
    problems = []
    if not replies:
        problems.append(f"「{text}」: no reply")
    for reply in replies:
        shown = reply.to_text()
        if reply.title == "出错了" or reply.tone == "error":
            problems.append(f"「{text}」: the handler failed: {shown[:120]}")
        elif ENGLISH_ERROR.search(shown):
            problems.append(f"「{text}」: English error text: {shown[:160]}")
    return problems


def test_help_examples_answer_in_chinese_twice_on_one_database(db_path):
    registry = build_registry()
    examples = help_examples(registry)
    assert len(examples) >= 90  # every command's examples, not a handful
    problems = []
    for run in (1, 2):
        tb = TestBot(db_path, registry=registry)
        try:
            if run == 1:
                _demo_team(tb)
            for role, text in examples:
                problems += [f"run {run} {p}" for p in _check(text, tb.say(text, user=ROLE_USER[role]))]
        finally:
            tb.close()
    assert problems == []


def test_readme_examples_answer_in_chinese_twice_on_one_database(db_path):
    examples = readme_examples()
    assert len(examples) >= 20 and "每周三下午3点提醒大家交选题" in examples
    problems = []
    for run in (1, 2):
        tb = TestBot(db_path)
        try:
            if run == 1:
                _demo_team(tb)
            for text in examples:
                problems += [f"run {run} {p}" for p in _check(text, tb.say(text, user="boss"))]
        finally:
            tb.close()
    assert problems == []


def test_demo_opens_again_and_again_as_each_of_its_people(tmp_path, cli):
    db = str(tmp_path / "x.db")
    for args in ((), (), (), ("--as", "xiaowang"), ("--as", "lijingli")):
        out = cli("demo", "--db", db, *args, stdin="我是谁\n")
        assert out.returncode == 0, out.stderr
        assert "Traceback" not in out.stderr + out.stdout
        assert "小编演示（演示团队（演示数据））" in out.stdout
    assert "你现在是「李经理」（经理）" in out.stdout and "角色：经理" in out.stdout
    drafts = cli("demo", "--db", db, stdin="草稿箱\n").stdout
    assert drafts.count("#1 ") == 1  # opened five times, seeded once
    # the season's drafts (archived) were seeded once too: the counts are one seeding's
    assert "已发布 1，已归档 139" in drafts
