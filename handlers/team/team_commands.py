"""Team and roles: 授权, 撤销授权, 成员, 我是谁, 设置."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.context import Context
from bot.errors import UsageError
from bot.models import Reply
from bot.registry import ROLE_NAMES, command
from handlers.shared.people import ROLE_WORDS, named_people, person_label, strip_mentions
from handlers.shared.scheduling import retime_schedules
from storage import teams

TZ_ALIASES = {
    "北京": "Asia/Shanghai",
    "上海": "Asia/Shanghai",
    "香港": "Asia/Hong_Kong",
    "台北": "Asia/Taipei",
    "东京": "Asia/Tokyo",
    "新加坡": "Asia/Singapore",
    "伦敦": "Europe/London",
    "纽约": "America/New_York",
    "UTC": "UTC",
}


@command(
    "授权",
    aliases=("grant",),
    group="团队",
    role="admin",
    usage="授权 @某人 经理|管理员|成员",
    examples=("授权 @张三 经理", "授权 @李四 管理员", "grant @wang member"),
)
def grant(ctx: Context) -> Reply:
    """给本群的某人一个角色。经理可以审批稿件、设定目标；管理员还可以授权和绑定推送。"""
    people = named_people(ctx)
    rest = strip_mentions(ctx.args).lower()
    if not people:
        raise UsageError("请用 @ 指明要授权的人。")
    if rest not in ROLE_WORDS:
        raise UsageError(f"角色「{rest or '（空）'}」不认识，可选：经理、管理员、成员。")
    role = ROLE_WORDS[rest]
    done = []
    for p in people:
        if role != "admin" and ctx.config.is_admin(ctx.team.platform, p.user_id):
            raise UsageError(f"{p.label} 是部署配置（XIAOBIAN_ADMINS）指定的管理员，只能在配置里修改。")
        row = teams.set_role(ctx.db, ctx.team_id, p.user_id, role, by=ctx.user_id, now=ctx.now, name=p.name)
        done.append(person_label(row))
    return Reply(title="已授权", body=f"{'、'.join(done)} 现在是本群的{ROLE_NAMES[role]}。", tone="ok")


@command(
    "撤销授权",
    aliases=("revoke", "取消授权"),
    group="团队",
    role="admin",
    usage="撤销授权 @某人",
    examples=("撤销授权 @张三",),
)
def revoke(ctx: Context) -> Reply:
    """把某人的角色恢复为普通成员。"""
    people = named_people(ctx)
    if not people:
        raise UsageError("请用 @ 指明要撤销授权的人。")
    done = []
    for p in people:
        if ctx.config.is_admin(ctx.team.platform, p.user_id):
            raise UsageError(f"{p.label} 是部署配置（XIAOBIAN_ADMINS）指定的管理员，只能在配置里修改。")
        if p.user_id == ctx.user_id:
            raise UsageError("不能撤销自己的授权，请另一位管理员来做。", example="撤销授权 @张三")
        row = teams.set_role(
            ctx.db, ctx.team_id, p.user_id, "member", by=ctx.user_id, now=ctx.now, name=p.name
        )
        done.append(person_label(row))
    return Reply(title="已撤销授权", body=f"{'、'.join(done)} 现在是普通成员。", tone="ok")


@command("成员", aliases=("members", "团队"), group="团队", usage="成员", examples=("成员",))
def members(ctx: Context) -> Reply:
    """列出小编在本群见过的人和他们的角色。"""
    rows = teams.list_people(ctx.db, ctx.team_id)
    lines = [f"- {person_label(r)}：{ROLE_NAMES[r['role']]}" for r in rows]
    boot = [r for r in rows if ctx.config.is_admin(ctx.team.platform, r["user_id"])]
    note = ("（" + "、".join(person_label(r) for r in boot) + " 由部署配置指定为管理员）") if boot else ""
    return Reply(title=f"本群成员（{len(rows)} 人）", body="\n".join(lines), note=note)


@command("我是谁", aliases=("whoami",), group="团队", usage="我是谁", examples=("我是谁",))
def whoami(ctx: Context) -> Reply:
    """看看小编怎么称呼你、你在本群是什么角色。"""
    return Reply(
        title=f"你是 {ctx.sender.label}",
        fields=[("角色", ROLE_NAMES[ctx.role]), ("用户ID", ctx.user_id), ("本群时区", ctx.team.tz)],
    )


@command(
    "设置",
    aliases=("settings", "config"),
    group="团队",
    role="admin",
    usage="设置 [时区 <时区名>]",
    examples=("设置", "设置 时区 Asia/Shanghai", "设置 时区 东京"),
)
def settings(ctx: Context) -> Reply:
    """查看或修改本群的设置。目前可以修改时区：提醒和报表都按本群时区计算。"""
    words = ctx.args.split()
    if not words:
        return Reply(title="本群设置", fields=[("时区", ctx.team.tz), ("平台", ctx.team.platform)])
    if words[0] not in ("时区", "tz", "timezone") or len(words) != 2:
        raise UsageError("目前只能设置时区，格式为「设置 时区 时区名」。", example="设置 时区 Asia/Shanghai")
    name = TZ_ALIASES.get(words[1], words[1])
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"「{words[1]}」不是有效的时区名（IANA 格式，如 Asia/Shanghai，或 北京、东京 等城市名）。",
            example="设置 时区 Asia/Shanghai",
        ) from None
    teams.set_team_tz(ctx.db, ctx.team_id, name)
    moved = retime_schedules(ctx.db, ctx.team_id, name, ctx.now)
    body = f"本群时区现在是 {name}。"
    if moved:
        body += f"{moved} 条重复提醒和档期按新时区的钟点重新计算；一次性提醒的时刻不变。"
    return Reply(title="时区已更新", body=body, tone="ok")
