"""推送: bind the team's push webhook for scheduled pushes; the push channels say which URLs are theirs."""

from __future__ import annotations

from urllib.parse import urlparse

from bot.context import Context
from bot.errors import UsageError
from bot.models import PushUrl, Reply
from bot.registry import command
from storage import push_targets

REDACTED = "推送 绑定 <已隐藏的地址>"


def mask(secret: str) -> str:
    """``abcd…wxyz``: enough to recognise, never enough to use."""
    return secret[:4] + "…" + secret[-4:] if len(secret) > 12 else "…"


def read_url(ctx: Context, url: str) -> PushUrl:
    """What the bot's push channels make of a webhook URL; a clear answer when none knows it."""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise UsageError(
            "推送地址应是 https:// 开头的 webhook 地址。",
            example="推送 绑定 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
        )
    found = ctx.services.read_push_url(url)
    if found is None:
        raise UsageError(
            "认不出这个地址：应是企业微信群机器人（…/cgi-bin/webhook/send?key=…）"
            "或飞书自定义机器人（…/open-apis/bot/v2/hook/…）的地址。",
            example="推送 绑定 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
        )
    return found


@command(
    "推送",
    aliases=("push-target", "推送地址"),
    group="团队",
    role="admin",
    usage="推送 [绑定 <webhook 地址> [签名密钥] | 解绑]",
    examples=(
        "推送",
        "推送 绑定 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
        "推送 绑定 https://open.feishu.cn/open-apis/bot/v2/hook/… 签名密钥",
        "推送 解绑",
    ),
)
def push_command(ctx: Context) -> Reply:
    """绑定本群的推送机器人（企业微信群机器人，或飞书自定义机器人和它的签名密钥），日报和提醒会从这里发出。

    小编用长连接接入时优先用长连接推送。地址和密钥相当于密码：只保存，不回显、不写日志，
    你发的这条消息在小编的记录里也会被隐去。
    """
    words = ctx.raw_args.split()
    if not words:
        target = push_targets.get(ctx.db, ctx.team_id)
        if target is None:
            return Reply(
                title="本群还没有绑定推送机器人", body="管理员可以：推送 绑定 <群机器人 webhook 地址>"
            )
        found = read_url(ctx, target["url"])
        return Reply(
            title="本群的推送机器人",
            fields=[
                ("类型", found.label),
                ("密钥", mask(found.key)),
                ("签名", "已设置" if target["secret"] else "无"),
            ],
        )
    if words[0] in ("解绑", "unbind", "删除"):
        ok = push_targets.unbind(ctx.db, ctx.team_id)
        return Reply(
            title="已解绑推送机器人" if ok else "本群没有绑定推送机器人", tone="ok" if ok else "info"
        )
    if words[0] not in ("绑定", "bind", "设置"):
        raise UsageError(f"「{words[0]}」不是推送的操作：绑定、解绑。")
    ctx.redact(REDACTED)
    if len(words) < 2:
        raise UsageError("请在「绑定」后面贴上 webhook 地址。")
    url = words[1]
    found = read_url(ctx, url)
    secret = words[2] if len(words) > 2 else ""
    if secret and not found.takes_secret:
        raise UsageError(f"{found.label}不需要签名密钥，只贴地址即可。")
    push_targets.bind(ctx.db, ctx.team_id, found.kind, url, secret, by=ctx.user_id, now=ctx.now)
    note = f"（{found.hint}）" if found.hint and not secret else ""
    return Reply(
        title=f"已绑定{found.label}",
        fields=[("密钥", mask(found.key))],
        tone="ok",
        note="地址已保存，不会回显。你刚才发的消息在小编的记录里已隐去。" + note,
    )
