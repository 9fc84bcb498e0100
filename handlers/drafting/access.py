"""Finding a team's draft by its number, who may act on it, and moving it through the workflow
(shared by the drafting commands)."""

from __future__ import annotations

import re
from datetime import datetime

from bot.context import Context
from bot.errors import Denied, NotFound, UsageError
from handlers.shared.draft_workflow import ACTION_NAMES, LABELS, TRANSITIONS, status_label
from storage import drafts as store
from storage.drafts import Draft


def draft_number(text: str) -> int:
    m = re.fullmatch(r"#?(\d+)", text.strip())
    if not m:
        raise UsageError(f"「{text}」不是稿件编号。编号可以在「草稿箱」里看到。")
    return int(m.group(1))


def load(ctx: Context, text: str) -> Draft:
    number = draft_number(text)
    draft = store.get(ctx.db, ctx.team_id, number)
    if draft is None:
        raise NotFound(f"本群没有 #{number} 号稿件。发送「草稿箱」查看。")
    return draft


def may_act(ctx: Context, draft: Draft, who: str) -> None:
    if who == "manager" and not ctx.has_role("manager"):
        raise Denied("只有经理或管理员可以审批稿件。")
    if who == "author" and draft.author != ctx.user_id and not ctx.has_role("manager"):
        raise Denied(
            f"#{draft.number} 是 {draft.author_name or draft.author} 的稿件，只有作者或经理可以操作。"
        )


def transition(ctx: Context, draft: Draft, action: str, *, note: str = "", **kwargs) -> Draft:
    sources, target, who = TRANSITIONS[action]
    may_act(ctx, draft, who)
    if draft.status not in sources:
        allowed = "、".join(f"「{LABELS[s]}」" for s in sorted(sources, key=list(LABELS).index))
        raise UsageError(
            f"#{draft.number} 现在是「{status_label(draft)}」，不能{ACTION_NAMES[action]}。"
            f"只有{allowed}的稿件可以{ACTION_NAMES[action]}。",
            example=f"草稿 {draft.number}",
        )
    if not store.move(
        ctx.db,
        draft,
        target,
        action=action,
        by=ctx.user_id,
        by_name=ctx.sender.label,
        now=ctx.now,
        note=note,
        **kwargs,
    ):
        raise UsageError(f"#{draft.number} 刚被别人改了状态，请先看看「草稿 {draft.number}」。")
    return store.reread(ctx.db, draft.id)


def fmt_time(stored: str | None, ctx: Context) -> str:
    from handlers.shared.time.fmt import fmt_when

    return fmt_when(datetime.fromisoformat(stored), ctx.tz, ctx.now) if stored else "未定"
