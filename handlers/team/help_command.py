"""帮助: the list of commands by capability, and each command's form and examples."""

from __future__ import annotations

from bot.context import Context
from bot.models import Reply
from bot.registry import ROLE_NAMES, ROLE_RANK, command
from bot.router import resolve, suggest

GROUP_ORDER = ("内容", "提醒与排期", "数据", "团队", "基础")


def _groups(registry) -> list[str]:
    known = [g for g in GROUP_ORDER if g in registry.groups]
    return known + [g for g in registry.groups if g not in GROUP_ORDER]


def _who(role: str) -> str:
    allowed = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[role]]
    return "所有人" if role == "member" else "或".join(ROLE_NAMES[r] for r in allowed)


@command(
    "帮助",
    aliases=("help", "?", "菜单", "menu"),
    group="基础",
    usage="帮助 [命令]",
    examples=("帮助", "帮助 提醒", "help remind"),
)
def help_command(ctx: Context) -> Reply:
    """查看全部命令；加上命令名，查看它的用法、例子和谁可以用。

    命令可以用中文名或英文别名，前面加 / 或 ! 也可以，全角字符同样识别。
    在群里需要 @小编；私聊直接发送即可。
    """
    registry = ctx.services.registry
    if ctx.args:
        spec, _, _ = resolve(registry, ctx.args)
        if spec is None:
            options = suggest(registry, ctx.args)
            hint = ("你是不是想查：" + "、".join(f"「{o}」" for o in options) + "？") if options else ""
            return Reply(
                title=f"没有「{ctx.args}」这个命令",
                body=(hint + "\n" if hint else "") + "发送「帮助」查看全部命令。",
                tone="warn",
            )
        body = spec.help
        fields = [("用法", spec.usage), ("例子", "；".join(spec.examples))]
        if spec.aliases:
            fields.append(("别名", "、".join(spec.aliases)))
        fields.append(("谁可以用", _who(spec.role)))
        return Reply(title=f"帮助：{spec.name}", body=body, fields=fields)
    lines = []
    for group in _groups(registry):
        specs = [s for s in registry.commands.values() if s.group == group and not s.hidden]
        if not specs:
            continue
        lines.append(f"**{group}**")
        for spec in specs:
            alias = f"（{spec.aliases[0]}）" if spec.aliases else ""
            lines.append(f"- {spec.name}{alias}：{spec.summary}")
        lines.append("")
    return Reply(
        title="小编能做的事",
        body="\n".join(lines).strip(),
        note="发送「帮助 命令名」查看用法和例子，例如「帮助 提醒」。",
    )
