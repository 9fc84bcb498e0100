"""The demo team: generated, labelled data that shows every capability on the console."""

from __future__ import annotations

from bot.channels import console
from bot.context import JobContext
from bot.engine import Bot
from storage import teams
from storage.db import write_tx
from storage.teams import Team

DEMO_TEAM = "demo"
DEMO_TEAM_NAME = "演示团队（演示数据）"
# The console persona of each role in the demo team.
DEMO_PEOPLE = (("laoban", "老板", "admin"), ("lijingli", "李经理", "manager"), ("xiaowang", "小王", "member"))
DEMO_USER = "laoban"


def seed(bot: Bot) -> Team:
    """Create the demo team once and let every capability add its demo data; return the team.

    Running it again adds nothing: each seeder is called only when the team is new.
    """
    db = bot.db
    now = bot.now()
    existing = teams.get_team_by_chat(db, console.PLATFORM, "local", DEMO_TEAM)
    if existing is not None and existing.is_demo:
        return existing
    with write_tx(db):
        team = teams.ensure_team(
            db, console.PLATFORM, "local", DEMO_TEAM, now=now, name=DEMO_TEAM_NAME, tz=bot.config.tz
        )
        teams.mark_demo(db, team.id, DEMO_TEAM_NAME)
        for user_id, name, role in DEMO_PEOPLE:
            teams.set_role(db, team.id, user_id, role, by="demo", now=now, name=name)
        seeded = teams.get_team(db, team.id)
        assert seeded is not None  # written in this transaction
        team = seeded
        for seeder in bot.registry.seeders:
            seeder(JobContext.of(bot, team, now))
    return team


BANNER = """小编演示（{team}）：以下数据均为生成的演示数据。
你现在是「{name}」（{role}）。可以试试：
  写稿：草稿 小红书 冬季新品热可可 卖点=低糖,现磨 人群=上班族 · 改写 1 公众号 微博 · 检查 全网最好的热可可
  流程：草稿箱 · 草稿 2 · 通过 2 · 标题 热可可 5 · 标题库 排行
  提醒：每周三下午3点提醒大家交选题 · 提醒列表 · 排期 · 档期
  数据：数据 全部 本月 · 汇总 · 图表 抖音 粉丝 近90天 · 记录 抖音 粉丝 1.8万
  复盘：复盘 本月 · 复盘 抖音 近90天 · 标题库 排行 · 档期（带建议时段）
换个身份：xiaobian demo --as xiaowang（成员）或 --as lijingli（经理）。输入「帮助」看全部命令，「退出」或 Ctrl-D 离开。
"""
