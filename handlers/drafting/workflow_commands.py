"""The review workflow: 草稿箱, 修改, 提审, 通过, 退回, 归档."""

from __future__ import annotations

import re

from bot.context import Context
from bot.errors import UsageError
from bot.models import Person, Reply
from bot.registry import command
from handlers.drafting.access import load, may_act, transition
from handlers.drafting.render import buttons, findings_for, profile_of, render
from handlers.drafting.version import format_tags, slots_in
from handlers.shared.draft_workflow import LABELS, status_label
from storage import drafts as store
from storage import teams


@command(
    "草稿箱",
    aliases=("drafts", "稿件"),
    group="内容",
    usage="草稿箱 [草稿|审核中|已通过|已退回|已排期|已发布|已归档|全部]",
    examples=("草稿箱", "草稿箱 审核中"),
)
def list_drafts(ctx: Context) -> Reply:
    """列出本群的稿件，可以按状态筛选。默认不显示已归档的。"""
    by_label = (
        {v: k for k, v in LABELS.items()} | {k: k for k in LABELS} | {"待审": "review", "审核": "review"}
    )
    if ctx.args and ctx.args not in ("全部", "all") and ctx.args not in by_label:
        raise UsageError(
            f"「{ctx.args}」不是稿件状态。可选：{'、'.join(LABELS.values())}、全部。", example="草稿箱 审核中"
        )
    statuses: tuple[str, ...] | None
    if ctx.args in ("全部", "all"):
        statuses = None
    elif ctx.args:
        statuses = (by_label[ctx.args],)
    else:
        statuses = tuple(s for s in LABELS if s != "archived")
    rows = store.list_for_team(ctx.db, ctx.team_id, statuses)
    counts = store.counts_by_status(ctx.db, ctx.team_id)
    summary = "，".join(f"{LABELS[s]} {counts[s]}" for s in LABELS if counts.get(s))
    if not rows:
        return Reply(
            title="没有符合的稿件", body="试试：草稿 小红书 冬季新品热可可 卖点=低糖,现磨", note=summary
        )
    lines = [
        f"- #{d.number} [{status_label(d)}] {profile_of(d.platform)['name']}：{d.title or d.body[:20]}"
        f"（{d.author_name or d.author}）"
        for d in rows
    ]
    return Reply(title=f"稿件（{len(rows)} 篇）", body="\n".join(lines), note=summary)


_EDIT_KEYS = re.compile(r"(标题|title|正文|body|内容|标签|tags|话题)\s*[=:：]\s*", re.IGNORECASE)


@command(
    "修改",
    aliases=("edit", "编辑"),
    group="内容",
    usage="修改 <稿件号> [标题=…] [正文=…] [标签=a,b] | 修改 <稿件号> <新正文>",
    examples=(
        "修改 12 标题=冬天第一口热可可，低糖不负担",
        "修改 12 正文=新的正文……",
        "修改 12 标签=热可可,冬日",
    ),
)
def edit(ctx: Context) -> Reply:
    """修改稿件，保留每个版本。审核中或已通过的稿件改过后回到「草稿」，需要重新提审。"""
    head, _, rest = ctx.raw_args.partition(" ")
    if not rest.strip():
        raise UsageError("请给出稿件号和要改的内容。")
    draft = load(ctx, head)
    may_act(ctx, draft, "author")
    if draft.status in ("published", "archived"):
        raise UsageError(
            f"#{draft.number} 已{status_label(draft)[1:]}，不能再改。可以「改写」成新稿件。",
            example=f"改写 {draft.number} 微博",
        )
    title, body, tags = draft.title, draft.body, list(draft.tags)
    profile = profile_of(draft.platform)
    matches = list(_EDIT_KEYS.finditer(rest))
    if not matches:
        body = rest.strip()
    for i, m in enumerate(matches):
        value = rest[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(rest)].strip()
        key = m.group(1).lower()
        if key in ("标题", "title"):
            if not profile.get("title"):
                raise UsageError(
                    f"{profile['name']}的稿件没有标题，可以改正文或标签。",
                    example=f"修改 {draft.number} 正文=…",
                )
            if not value:
                raise UsageError("标题不能为空。", example=f"修改 {draft.number} 标题=冬天第一口热可可")
            title = value
        elif key in ("正文", "body", "内容"):
            body = value
        else:
            if not value:
                raise UsageError(
                    "标签不能为空；不要标签请写「标签=无」。", example=f"修改 {draft.number} 标签=热可可,冬日"
                )
            words = [] if value in ("无", "none") else re.split(r"[,，、\s]+", value)
            tags = format_tags(words, profile)
    if not body:
        raise UsageError("正文不能为空。", example=f"修改 {draft.number} 正文=新的正文……")
    updated = store.edit(
        ctx.db,
        draft,
        title=title,
        body=body,
        tags=tags,
        extra=draft.extra,
        by=ctx.user_id,
        by_name=ctx.sender.label,
        now=ctx.now,
    )
    note = ""
    if draft.status in ("review", "approved", "scheduled"):
        store.move(
            ctx.db,
            updated,
            "draft",
            action="edit",
            by=ctx.user_id,
            by_name=ctx.sender.label,
            now=ctx.now,
            note="改后需重新提审",
        )
        updated = store.reread(ctx.db, draft.id)
        note = "稿件已回到「草稿」，改完请重新提审。"
    findings = findings_for(updated)
    return Reply(
        title=f"#{updated.number} 已保存为 v{updated.version}",
        body=render(updated, findings=findings),
        tone="warn" if any(f.severity == "high" for f in findings) else "ok",
        note=note,
        buttons=buttons(updated),
    )


@command("提审", aliases=("submit",), group="内容", usage="提审 <稿件号>", examples=("提审 12", "submit 12"))
def submit(ctx: Context) -> Reply:
    """把稿件交给经理审核，并 @ 本群的经理。"""
    if not ctx.args:
        raise UsageError("请给出稿件号。")
    draft = load(ctx, ctx.args)
    holes = slots_in(draft.title + "\n" + draft.body)
    if holes:
        raise UsageError(
            f"#{draft.number} 还是提纲：还有 {len(holes)} 处要补（如 {holes[0]}），补完再提审。",
            example=f"修改 {draft.number} 正文=…",
        )
    draft = transition(ctx, draft, "submit")
    managers = teams.people_with_role(ctx.db, ctx.team_id, ("manager", "admin"))
    findings = findings_for(draft)
    risk = sum(1 for f in findings if f.severity == "high")
    body = render(draft)
    if findings:
        body += (
            f"\n\n检查发现 {len(findings)} 处可能的问题（高风险 {risk} 处），详见「草稿 {draft.number}」。"
        )
    return Reply(
        title=f"#{draft.number} 已提审：{draft.title or profile_of(draft.platform)['name']}",
        body=body,
        mentions=[Person(m["user_id"], m["name"]) for m in managers],
        buttons=buttons(draft),
        tone="info",
        note="" if managers else "本群还没有经理，管理员可以「授权 @某人 经理」。",
    )


@command(
    "通过",
    aliases=("approve",),
    group="内容",
    role="manager",
    usage="通过 <稿件号>",
    examples=("通过 12", "approve 12"),
)
def approve(ctx: Context) -> Reply:
    """经理通过审核中的稿件。检查发现的问题只做提醒，不会拦截。"""
    if not ctx.args:
        raise UsageError("请给出稿件号。")
    draft = load(ctx, ctx.args)
    risky = [f for f in findings_for(draft) if f.severity == "high"] if draft.status == "review" else []
    draft = transition(ctx, draft, "approve", note=f"确认 {len(risky)} 处高风险" if risky else "")
    return Reply(
        title=f"#{draft.number} 已通过",
        body=f"{ctx.sender.label} 于 {ctx.now:%m-%d %H:%M} 通过。"
        + (f"注意：还有 {len(risky)} 处高风险用语。" if risky else ""),
        mentions=[Person(draft.author, draft.author_name)],
        tone="ok",
        buttons=buttons(draft),
        note=f"定时发布：定时 {draft.number} 周二 20:00；发布后：已发布 {draft.number} 链接",
    )


@command(
    "退回",
    aliases=("reject", "return"),
    group="内容",
    role="manager",
    usage="退回 <稿件号> <理由>",
    examples=("退回 12 标题太夸张，换个实在的", "reject 12 需要补充价格"),
)
def reject(ctx: Context) -> Reply:
    """经理把稿件退回给作者，必须写明理由。"""
    head, _, reason = ctx.args.partition(" ")
    if not head:
        raise UsageError("请给出稿件号和理由。")
    draft = load(ctx, head)
    if not reason.strip():
        raise UsageError(
            "退回要写明理由，作者才知道怎么改。", example=f"退回 {draft.number} 标题太夸张，换个实在的"
        )
    draft = transition(ctx, draft, "reject", note=reason.strip())
    return Reply(
        title=f"#{draft.number} 已退回",
        body=f"理由：{reason.strip()}\n（{ctx.sender.label}，{ctx.now:%m-%d %H:%M}）",
        mentions=[Person(draft.author, draft.author_name)],
        tone="warn",
        note=f"修改：修改 {draft.number} 正文=…，改好后再「提审 {draft.number}」。",
    )


@command("归档", aliases=("archive",), group="内容", usage="归档 <稿件号>", examples=("归档 12",))
def archive(ctx: Context) -> Reply:
    """把不再需要的稿件归档（草稿箱默认不再显示）。"""
    if not ctx.args:
        raise UsageError("请给出稿件号。")
    draft = transition(ctx, load(ctx, ctx.args), "archive")
    return Reply(title=f"#{draft.number} 已归档", tone="ok")
