"""检查: the compliance check as a chat command, on pasted copy or on a stored draft."""

from __future__ import annotations

import re

from bot.context import Context
from bot.errors import UsageError
from bot.models import Reply
from bot.registry import command
from handlers.drafting.access import load
from handlers.drafting.compliance import DOUBT_HEADING, check, doubts, rewrite, summary_lines
from handlers.drafting.render import findings_for
from handlers.shared import platforms


def _platform_around(text: str) -> tuple[dict | None, str]:
    """A platform named as the first or last word, or as ``平台=…``; and the text without it."""
    m = re.search(r"(?:平台|platform)\s*[=:：]\s*(\S+)", text, re.IGNORECASE)
    if m and platforms.lookup(m.group(1)):
        return platforms.lookup(m.group(1)), (text[: m.start()] + text[m.end() :]).strip()
    words = text.split()
    if len(words) >= 2 and platforms.lookup(words[0]):
        return platforms.lookup(words[0]), text.split(None, 1)[1].strip()
    if len(words) >= 2 and platforms.lookup(words[-1]):
        return platforms.lookup(words[-1]), text.rsplit(None, 1)[0].strip()
    return None, text


@command(
    "检查",
    aliases=("check", "审查", "合规"),
    group="内容",
    usage="检查 <文案或稿件号> [平台]",
    examples=("检查 全网最好的热可可，销量第一！", "检查 12", "检查 小红书 加微信领券"),
)
def check_command(ctx: Context) -> Reply:
    """检查文案里的广告法极限词、站外导流、标题党和平台字数，给出位置、原因和改法。

    只做提醒，不拦截；「第一步」「最近」「首个工作日」这类正常说法不会被标出。规则没认出问题、
    但说到功效、承诺、收益或导流的句子，会列出来请人看一眼，而不是直接说没问题。
    """
    if not ctx.raw_args:
        raise UsageError("请在「检查」后面贴上文案，或给出稿件号。")
    passed: list[str] = []
    if re.fullmatch(r"#?\d+", ctx.args):
        draft = load(ctx, ctx.args)
        findings = findings_for(draft)
        subject = f"#{draft.number}"
        text = draft.body
    else:
        platform, text = _platform_around(ctx.raw_args)
        findings = check(text, platform, notes=passed)
        subject = f"这段文案（{platform['name']}）" if platform else "这段文案"
    let_pass = "".join(f"\n已放行：{why}。" for why in passed)
    unsure = doubts(text, [f for f in findings if f.where == "body"])  # a title's offsets are not the body's
    look = f"\n\n{DOUBT_HEADING}\n" + "\n".join(f"· 「{sentence}」" for sentence in unsure) if unsure else ""
    if not findings and unsure:
        return Reply(
            title=f"{subject}没有发现已知的问题，有 {len(unsure)} 句拿不准",
            body="没有找到规则里的广告法极限词、导流或标题党用语。" + let_pass + look,
            tone="info",
        )
    if not findings:
        return Reply(
            title=f"{subject}没有发现问题",
            body="没有找到广告法极限词、导流或标题党用语。" + let_pass,
            tone="ok",
        )
    high = sum(1 for f in findings if f.severity == "high")
    body = "\n".join(summary_lines(findings)) + let_pass + look
    better = rewrite(text, findings)
    note = "只是提醒，不会拦截；经理仍可审批。"
    if better and better != text:
        body += f"\n\n**改写参考**：{better}"
    return Reply(
        title=f"{subject}发现 {len(findings)} 处可能的问题（高风险 {high} 处）",
        body=body,
        tone="warn",
        note=note,
    )
