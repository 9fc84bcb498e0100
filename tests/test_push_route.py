"""One place decides where a scheduled message goes, and the route is stored on the outbox row."""

from __future__ import annotations

import json

import pytest

from bot.channels.base import Channel
from bot.models import Reply
from bot.push_route import PushScope
from storage import outbox, push_targets, teams
from tests.support import TestBot

pytestmark = pytest.mark.date_free

ROBOT_URL = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12345678"


class Reaching(Channel):
    """A channel that reaches the teams of one scope; nothing here delivers (queued rows only)."""

    def __init__(self, name: str, scope: PushScope):
        self.name, self.platform, self._scope = name, scope.platform, scope

    def push_scope(self) -> PushScope:
        return self._scope


def _team(tb: TestBot, platform: str, tenant: str, chat: str):
    return teams.ensure_team(tb.bot.db, platform, tenant, chat, now=tb.bot.now())


def _queued(tb: TestBot, team) -> dict:
    outbox_id = tb.bot.push(team, Reply(body="交选题啦"))
    row = outbox.get(tb.bot.db, outbox_id)
    assert row is not None
    return row


def test_a_connected_channel_is_preferred_to_a_bound_robot_and_the_route_is_on_the_row(db_path, clock):
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        tb.bot.add_channel(Reaching("wecom_app", PushScope(platform="wecom", tenant="corp-1")))
        team = _team(tb, "wecom", "corp-1", "room-1")
        push_targets.bind(tb.bot.db, team.id, "wecom_robot", ROBOT_URL, "", by="boss", now=tb.bot.now())
        row = _queued(tb, team)
        assert row["channel"] == "wecom_app" and row["status"] == "pending"
        assert json.loads(row["target"]) == {"platform": "wecom", "tenant": "corp-1", "chat_id": "room-1"}

        other = _team(tb, "wecom", "corp-2", "room-9")  # another corp: the app does not reach it
        push_targets.bind(tb.bot.db, other.id, "wecom_robot", ROBOT_URL, "", by="boss", now=tb.bot.now())
        row = _queued(tb, other)
        assert row["channel"] == "wecom_robot" and json.loads(row["target"])["binding"] == "wecom_robot"
    finally:
        tb.close()


def test_a_team_no_channel_reaches_is_told_and_its_push_dead_lettered(db_path, clock):
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        team = _team(tb, "feishu", "t1", "oc_1")
        assert not tb.bot.can_push(team)
        row = _queued(tb, team)
        assert row["status"] == "dead" and "推送 绑定" in row["last_error"]
        tb.bot.add_channel(Reaching("feishu", PushScope(platform="feishu")))
        assert tb.bot.can_push(team) and _queued(tb, team)["channel"] == "feishu"
    finally:
        tb.close()


def test_a_console_reaches_only_its_own_chat(db_path, clock):
    tb = TestBot(db_path, clock=clock, threads=0)
    try:
        tb.bot.add_channel(Reaching("console", PushScope(platform="console", chat="demo")))
        assert _queued(tb, _team(tb, "console", "local", "demo"))["channel"] == "console"
        row = _queued(tb, _team(tb, "console", "local", "other"))
        assert row["channel"] == "console:other" and row["status"] == "pending"  # waits for its console
    finally:
        tb.close()
