"""导入 and 确认导入: an export sent in the chat goes through the same importer as the CLI, a dry run first.

The channel turns a file message into 「导入」 with the file attached; the bytes are fetched in the
command's prepare step (outside the write transaction), the import is rehearsed and shown, and the
file waits 10 minutes for 「确认导入」 (or a platform named with 「导入 抖音」 when the file does not say).
"""

from __future__ import annotations

import base64
import json
import re

from bot.context import Context
from bot.errors import UsageError
from bot.models import Button, Reply
from bot.registry import command
from handlers.metrics.importer import ImportFailed, import_csv
from handlers.shared import pending as pending_question
from handlers.shared import platforms
from storage import metrics as store


def _prepare(ctx: Context):
    """Fetch the file's bytes from the platform (slow, network): ``{"name", "data"}`` or ``{"error"}``."""
    if not ctx.message.files or ctx.services.fetch_file is None:
        return None
    file = ctx.message.files[0]
    try:
        return {"name": file.get("name") or "文件", "data": ctx.services.fetch_file(ctx.message, file)}
    except Exception as exc:  # FileUnavailable says why in Chinese; anything else is the platform's fault
        return {
            "error": str(exc) if type(exc).__name__ == "FileUnavailable" else "文件没有取到，请重新发送。"
        }


def _platform_of(ctx: Context, words: list[str], name: str) -> dict | None:
    """The platform named in the command, in the file name, or the team's only one (the preview says which)."""
    for word in words:
        profile = platforms.lookup(word)
        if profile:
            return profile
    tokens = set(re.split(r"[^a-z0-9]+", name.lower()))
    for profile in platforms.profiles().values():
        for alias in (profile["name"], *profile.get("aliases", ())):
            # Chinese names anywhere in the file name; short ASCII ones (dy, tt) only as whole words
            if alias and (alias in name if not alias.isascii() else alias.lower() in tokens):
                return profile
    used = {a["platform"] for a in store.accounts(ctx.db, ctx.team_id)}
    return platforms.profiles()[used.pop()] if len(used) == 1 else None


def _rehearse(ctx: Context, pending: dict) -> Reply:
    data = base64.b64decode(pending["data"])
    try:
        report = import_csv(
            ctx.db,
            ctx.team_id,
            data,
            today=ctx.now.date(),
            now=ctx.now,
            platform=pending.get("platform"),
            account=pending.get("account"),
            dry_run=True,
            by=f"chat:{ctx.user_id}",
        )
    except ImportFailed as exc:
        if pending.get("platform") is None and "平台" in str(exc):
            pending_question.ask(ctx, pending_question.CONFIRM_IMPORT, json.dumps(pending))
            return Reply(
                title=f"「{pending['name']}」是哪个平台的数据？",
                body="表里没有「平台」列，文件名里也看不出来。",
                tone="warn",
                note=f"回复「导入 抖音」这样的平台名（{pending_question.MINUTES} 分钟内有效）。",
            )
        raise UsageError(f"导入失败：{exc}", example="导入 抖音") from None
    pending_question.ask(ctx, pending_question.CONFIRM_IMPORT, json.dumps(pending))
    where = platforms.profiles()[pending["platform"]]["name"] if pending.get("platform") else "按表里的平台列"
    return Reply(
        title=f"预演：{pending['name']}（{where}）",
        body=report.text(),
        buttons=[Button("确认导入", "确认导入", "primary")],
        tone="warn" if report.skipped else "ok",
        note=f"还没有写入。确认无误请点「确认导入」或回复「确认导入」（{pending_question.MINUTES} 分钟内有效）；重复导入不会重复计数。",
    )


@command(
    "导入",
    aliases=("import",),
    group="数据",
    usage="导入 [平台] [账号]（把导出的 CSV 或 Excel 文件直接发给小编）",
    examples=("（私聊小编发送「抖音数据.xlsx」）", "导入 抖音", "导入 公众号 品牌号"),
    prepare=_prepare,
)
def import_command(ctx: Context) -> Reply:
    """导入创作者中心或公众号后台导出的每日数据：直接把文件发给小编，先预演，确认后才写入。"""
    words = ctx.args.split()
    if ctx.message.files:
        prepared = ctx.prepared if isinstance(ctx.prepared, dict) else None
        if prepared is None or "error" in prepared:
            raise UsageError(
                (prepared or {}).get("error") or "文件没有取到，请重新发送。", example="导入 抖音"
            )
        name = prepared["name"]
        pending = {"name": name, "data": base64.b64encode(prepared["data"]).decode()}
    else:
        stored = pending_question.peek(ctx, pending_question.CONFIRM_IMPORT)
        if stored is None:
            raise UsageError(
                "请把创作者中心或公众号后台导出的表格（CSV 或 Excel）直接发给小编（群里请私聊发送）。",
                example="导入 抖音",
            )
        pending = json.loads(stored)
        name = pending["name"]
    profile = _platform_of(ctx, words, name)
    pending["platform"] = profile["key"] if profile else None
    rest = [w for w in words if not platforms.lookup(w)]
    pending["account"] = rest[0] if rest else pending.get("account")
    return _rehearse(ctx, pending)


@command(
    "确认导入",
    aliases=("confirm-import",),
    group="数据",
    usage="确认导入",
    examples=("确认导入",),
    hidden=True,
)
def confirm_import(ctx: Context) -> Reply:
    """把刚才预演过的文件真正导入（10 分钟内有效）。"""
    stored = pending_question.expect(
        ctx,
        pending_question.CONFIRM_IMPORT,
        nothing=f"现在没有等你确认的导入（预演只保留 {pending_question.MINUTES} 分钟）。请把文件再发一次。",
    )
    pending = json.loads(stored)
    if pending.get("platform") is None:
        raise UsageError(
            "还不知道这个文件是哪个平台的，请先回复「导入 抖音」这样的平台名。", example="导入 抖音"
        )
    report = import_csv(
        ctx.db,
        ctx.team_id,
        base64.b64decode(pending["data"]),
        today=ctx.now.date(),
        now=ctx.now,
        platform=pending["platform"],
        account=pending.get("account"),
        by=f"chat:{ctx.user_id}",
    )
    pending_question.settle(ctx, pending_question.CONFIRM_IMPORT)
    return Reply(title=f"已导入：{pending['name']}", body=report.text(), tone="ok")
