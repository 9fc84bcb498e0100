"""``xiaobian import-metrics``: import a creator-centre export into a team, the same importer as in chat."""

from __future__ import annotations

import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.registry import Tool
from handlers.metrics.importer import ImportFailed, import_csv
from storage import teams
from storage.teams import Team


def configure(parser) -> None:
    parser.add_argument("file")
    parser.add_argument("--team", required=True, help="团队编号、平台:群ID，或控制台团队名")
    parser.add_argument("--platform", help="平台（表里没有「平台」列时必填）")
    parser.add_argument("--account", help="账号名，默认「主账号」或表里的「账号」列")
    parser.add_argument("--dry-run", action="store_true", help="只看会导入什么，不写入")


def resolve_team(bot, spec: str) -> Team | None:
    """An existing team by number, by ``platform:chat id``, or a console team by name; never a new one."""
    db = bot.db
    if spec.isdigit():
        return teams.get_team(db, int(spec))
    platform, _, chat = spec.partition(":") if ":" in spec else ("console", "", spec)
    found = teams.find_teams(db, platform, chat)
    return found[0] if found else None


def run(args, open_bot) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"找不到文件：{path}", file=sys.stderr)
        return 2
    bot = open_bot()
    try:
        team = resolve_team(bot, args.team)
        if team is None:
            print(
                f"找不到团队：{args.team}。导入只进已有的团队（可写团队编号、平台:群ID，或控制台团队名）；"
                f"控制台团队先用 xiaobian chat --team {args.team} 说一句话即可建立。",
                file=sys.stderr,
            )
            return 2
        now = bot.now()
        try:
            report = import_csv(
                bot.db,
                team.id,
                path.read_bytes(),
                today=now.astimezone(ZoneInfo(team.tz)).date(),
                now=now,
                platform=args.platform,
                account=args.account,
                dry_run=args.dry_run,
            )
        except ImportFailed as exc:
            print(f"导入失败：{exc}", file=sys.stderr)
            return 1
        print(report.text())
        return 0
    finally:
        bot.close()


IMPORT_METRICS = Tool("import-metrics", "导入创作者中心导出的数据（CSV 或 Excel）", configure, run)
