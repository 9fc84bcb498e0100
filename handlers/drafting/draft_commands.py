"""草稿 and its workflow: generate, adapt, edit, submit, approve, return, schedule, publish, archive."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from bot.context import Context, JobContext
from bot.errors import Denied, NotFound, UsageError
from bot.models import Button, Person, Reply
from bot.registry import command, job
from handlers.drafting import llm, writer
from handlers.drafting.brief import Brief, BriefError, parse_brief
from handlers.drafting.render import buttons, findings_for, profile_of, render
from handlers.drafting.version import SOURCE_LABEL, Version, format_tags, slots_in
from handlers.shared import best_time, platforms, results, timeparse
from handlers.shared.draft_workflow import ACTION_NAMES, LABELS, PUBLISH_KIND, TRANSITIONS, status_label
from handlers.shared.numbers import NumberError, parse_number
from handlers.shared.scheduling import add_schedule
from handlers.shared.vocab import require_metric, show, to_stored
from storage import drafts as store
from storage import posts as posts_store
from storage import schedules, slots, teams
from storage import titles as title_store
from storage.drafts import Draft

# -- helpers ----------------------------------------------------------------------------------------


def _number(text: str) -> int:
    m = re.fullmatch(r"#?(\d+)", text.strip())
    if not m:
        raise UsageError(f"「{text}」不是稿件编号。编号可以在「草稿箱」里看到。")
    return int(m.group(1))


def load(ctx: Context, text: str) -> Draft:
    number = _number(text)
    draft = store.get(ctx.db, ctx.team_id, number)
    if draft is None:
        raise NotFound(f"本群没有 #{number} 号稿件。发送「草稿箱」查看。")
    return draft


def _may_act(ctx: Context, draft: Draft, who: str) -> None:
    if who == "manager" and not ctx.has_role("manager"):
        raise Denied("只有经理或管理员可以审批稿件。")
    if who == "author" and draft.author != ctx.user_id and not ctx.has_role("manager"):
        raise Denied(
            f"#{draft.number} 是 {draft.author_name or draft.author} 的稿件，只有作者或经理可以操作。"
        )


def transition(ctx: Context, draft: Draft, action: str, *, note: str = "", **kwargs) -> Draft:
    sources, target, who = TRANSITIONS[action]
    _may_act(ctx, draft, who)
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


# -- creating ------------------------------------------------------------------------------------------


def _split_platforms(args: str) -> tuple[list[dict], str]:
    found, rest = [], args
    while True:
        profile, remaining = platforms.split_leading(rest.lstrip(" ,，、"))
        if profile is None:
            break
        if profile not in found:
            found.append(profile)
        rest = remaining
    return found, rest.strip()


def _raw_rest(ctx: Context, rest: str) -> str:
    """The unfolded text of ``rest`` (a suffix of ``ctx.args``): facts are kept as typed."""
    raw = ctx.raw_args.rstrip()
    return raw[len(raw) - len(rest) :] if rest else ""


def _plan_create(ctx: Context) -> tuple[writer.Task, list[dict]]:
    found, rest = _split_platforms(ctx.args)
    if not found:
        raise UsageError(
            f"第一个词应是平台。可选：{platforms.names()}。", example="草稿 小红书 冬季新品热可可 卖点=低糖"
        )
    if not rest:
        raise UsageError("请在平台后面写上主题。", example="草稿 小红书 冬季新品热可可 卖点=低糖 价格=18元")
    try:
        brief = parse_brief(_raw_rest(ctx, rest))
    except BriefError as exc:
        raise UsageError(str(exc), example="草稿 小红书 冬季新品热可可 卖点=低糖,现磨 价格=18元") from None
    return writer.from_brief(brief), found


_ADAPT_EXAMPLE = "改写 12 公众号 微博 抖音"


def _plan_adapt(ctx: Context) -> tuple[writer.Task, list[dict], Draft | None]:
    """From a draft (``改写 12 微博 抖音``) or from pasted text (``改写 微博 小红书`` + the article)."""
    words = ctx.args.split()
    if not words:
        raise UsageError("请给出稿件号和目标平台，或者平台加上要改写的原文。", example=_ADAPT_EXAMPLE)
    if re.fullmatch(r"#?\d+", words[0]):
        parent = load(ctx, words[0])
        targets, unknown = [], []
        for w in words[1:]:
            p = platforms.lookup(w)
            if p is None:
                unknown.append(w)
            elif p not in targets:
                targets.append(p)
        if unknown:
            raise UsageError(
                f"不认识的平台：{'、'.join(unknown)}。可选：{platforms.names()}。", example=_ADAPT_EXAMPLE
            )
        if not targets:
            raise UsageError("请写出要改写到的平台。", example=_ADAPT_EXAMPLE)
        same = [p for p in targets if p["key"] == parent.platform]
        targets = [p for p in targets if p["key"] != parent.platform]
        if not targets:
            raise UsageError(
                f"#{parent.number} 已经是{same[0]['name']}的稿件，请选别的平台。", example=_ADAPT_EXAMPLE
            )
        brief = Brief.from_dict(parent.brief)
        if parent.source == "outline" and slots_in(parent.body):
            return writer.from_brief(brief), targets, parent
        if parent.brief.get("source_text") and parent.source == "extract" and parent.version == 1:
            text = parent.brief["source_text"]  # untouched since it was cut from a pasted article
        else:
            text = writer.text_of(parent.title, parent.body, parent.extra)
        return writer.from_text(text, names=brief.names()), targets, parent
    found, rest = _split_platforms(ctx.args)
    if not found:
        raise UsageError(
            f"请先写稿件号或目标平台。可选平台：{platforms.names()}。",
            example=f"{_ADAPT_EXAMPLE}；或：改写 微博 小红书（换行后贴上原文）",
        )
    text = _raw_rest(ctx, rest)
    if len(text) < 10:
        raise UsageError(
            "请在平台后面贴上要改写的原文（整篇文章也可以）。", example="改写 微博 小红书 <原文>"
        )
    return writer.from_text(text), found, None


def _voice(ctx: Context, platform: str, limit: int = 2) -> list[str]:
    """Examples of the team's own copy on this platform for the model: the drafts whose posts did
    best against their account's median (imported results, past year), then the newest approved."""
    posts = posts_store.of_team(
        ctx.db, ctx.team_id, platform=platform, start=ctx.now.date() - timedelta(days=365)
    )
    scores = results.relative_scores(posts)
    best = sorted(
        ((scores[p["id"]], p["draft_id"]) for p in posts if p["draft_id"] and scores.get(p["id"], 0) > 1.0),
        reverse=True,
    )
    out, seen = [], set()
    for ratio, draft_id in best:
        d = store.get_by_id(ctx.db, draft_id)
        if d is not None and d.body and d.id not in seen:
            seen.add(d.id)
            out.append(f"（效果：账号中位数的 {ratio:.1f} 倍）\n{d.title}\n{d.body}"[:600])
        if len(out) == limit:
            return out
    rows = store.list_for_team(ctx.db, ctx.team_id, ("approved", "scheduled", "published"))
    out += [f"{d.title}\n{d.body}"[:600] for d in rows if d.platform == platform and d.id not in seen]
    return out[:limit]


def _write_all(ctx: Context, task: writer.Task, profiles: list[dict], *, use_model: bool) -> list[Version]:
    team_templates = title_store.team_templates(ctx.db, ctx.team_id)
    return [
        writer.write(
            task,
            p,
            ctx.config,
            voice=_voice(ctx, p["key"]) if use_model else [],
            team_templates=team_templates,
            use_model=use_model,
        )
        for p in profiles
    ]


def _prepare(plan):
    """A prepare step that runs the model for the command's plan (None when there is nothing to ask)."""

    def prepare(ctx: Context):
        if not llm.configured(ctx.config):
            return None
        try:
            task, profiles, *_ = plan(ctx)
        except (UsageError, NotFound):
            return None  # the handler says what is wrong
        return _write_all(ctx, task, profiles, use_model=True)

    return prepare


def _is_lookup(ctx: Context) -> bool:
    return bool(re.fullmatch(r"#?\d+", ctx.args))


def _prepare_create(ctx: Context):
    return None if _is_lookup(ctx) else _prepare(_plan_create)(ctx)


def make_drafts(
    ctx: Context,
    task: writer.Task,
    profiles: list[dict],
    *,
    parent: Draft | None = None,
    source_text: str = "",
) -> list[Reply]:
    prepared = ctx.prepared
    if isinstance(prepared, list) and len(prepared) == len(profiles):
        versions = prepared
    else:
        versions = _write_all(ctx, task, profiles, use_model=False)
        if llm.configured(ctx.config):
            for v in versions:
                v.notes.insert(0, f"写稿模型这次没有运行，下面是{SOURCE_LABEL[v.source]}。")
    replies = []
    for profile, gen in zip(profiles, versions, strict=True):
        extra = dict(gen.extra)
        if gen.title_options:
            extra["title_options"] = gen.title_options
        extra["kept_facts"] = [f.to_json() for f in gen.kept_facts]
        extra["dropped_facts"] = [f.to_json() for f in gen.dropped_facts]
        if gen.notes:
            extra["notes"] = gen.notes
        brief = task.brief.to_dict() if task.brief else {"topic": task.topic, "fields": {}, "points": []}
        if source_text:
            brief["source_text"] = source_text[:20000]
        if parent:
            brief["from"] = parent.number
        draft = store.create(
            ctx.db,
            team_id=ctx.team_id,
            platform=profile["key"],
            title=gen.title,
            body=gen.body,
            tags=gen.tags,
            extra=extra,
            brief=brief,
            template=gen.source,
            title_template=gen.title_template,
            source=gen.source,
            author=ctx.user_id,
            author_name=ctx.sender.label,
            now=ctx.now,
            parent_id=parent.id if parent else None,
        )
        if parent:
            store.add_event(
                ctx.db,
                draft.id,
                "adapt",
                actor=ctx.user_id,
                actor_name=ctx.sender.label,
                note=f"#{parent.number}",
                now=ctx.now,
            )
        n = draft.number
        origin = f"，改写自 #{parent.number}" if parent else ("，改写自贴来的原文" if source_text else "")
        next_step = (
            f"这是提纲，不是成稿：把【待补充】换成你的内容（修改 {n} 正文=…），改完再提审。"
            if gen.source == "outline"
            else f"修改：修改 {n} 正文=…；改写到其他平台：改写 {n} 公众号 微博"
        )
        worry = any(f.severity == "high" for f in gen.findings) or gen.dropped_facts
        replies.append(
            Reply(
                title=f"{'提纲' if gen.source == 'outline' else '草稿'} #{n}（{profile['name']}{origin}）",
                body=render(draft, findings=gen.findings),
                tone="warn" if worry else "ok",
                fields=[("生成方式", SOURCE_LABEL[gen.source])],
                buttons=[] if gen.source == "outline" else [Button("提审", f"提审 {n}", "primary")],
                note=" ".join([*gen.notes, next_step]),
            )
        )
    return replies


@command(
    "草稿",
    aliases=("draft",),
    group="内容",
    usage="草稿 <平台…> <主题> [品牌=… 产品=… 卖点=a,b 人群=… 场景=… 活动=… 价格=… 时间=… 地址=… 链接=…] | 草稿 <稿件号>",
    examples=(
        "草稿 小红书 冬季新品热可可 卖点=低糖,现磨 人群=上班族 价格=18元",
        "草稿 抖音 微博 热可可 品牌=暖冬咖啡",
        "草稿 12",
    ),
    prepare=_prepare_create,
)
def draft_command(ctx: Context):
    """按平台的形式写稿。配置了写稿模型时由模型写，并检查广告法、字数和你给的信息有没有写全；
    没有模型时给出「提纲」：你给的信息放在该放的位置，要你写的地方标成【待补充】。

    带上稿件号则查看这篇稿件和它的全部记录。
    """
    if not ctx.args:
        raise UsageError("请说平台和主题，或给出稿件号。", example="草稿 小红书 冬季新品热可可 卖点=低糖")
    if _is_lookup(ctx):
        draft = load(ctx, ctx.args)
        return Reply(
            title=f"#{draft.number} {profile_of(draft.platform)['name']} · {status_label(draft)} · v{draft.version}",
            body=render(
                draft, with_history=store.events(ctx.db, draft.id), findings=findings_for(draft), tz=ctx.tz
            ),
            fields=[("作者", draft.author_name or draft.author)]
            + ([("计划发布", _fmt(draft.scheduled_at, ctx))] if draft.scheduled_at else [])
            + ([("链接", draft.published_url)] if draft.published_url else []),
            buttons=buttons(draft),
        )
    task, profiles = _plan_create(ctx)
    return make_drafts(ctx, task, profiles)


def _fmt(stored: str | None, ctx: Context) -> str:
    from handlers.shared.timefmt import fmt_when

    return fmt_when(datetime.fromisoformat(stored), ctx.tz, ctx.now) if stored else "未定"


@command(
    "改写",
    aliases=("adapt", "一稿多改"),
    group="内容",
    usage="改写 <稿件号> <平台…> | 改写 <平台…> <原文>",
    examples=("改写 12 公众号 微博 抖音", "adapt 3 xhs", "改写 微博 小红书 （换行后贴上整篇公众号文章）"),
    prepare=_prepare(_plan_adapt),
)
def adapt(ctx: Context):
    """把一篇稿件或贴来的原文改写成其他平台的形式：换形式，不换事实。

    原文里的数字、价格、日期、时间、地址、名称和链接，每一版要么原样保留，要么列出来告诉你没写进去。
    没有模型时，从原文里挑句子组成各平台的版本（不编新句子）。
    """
    task, targets, parent = _plan_adapt(ctx)
    source_text = "" if parent or task.source is None else task.source.text
    return make_drafts(ctx, task, targets, parent=parent, source_text=source_text)


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
    _may_act(ctx, draft, "author")
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


def _next_free_slot(ctx: Context, platform: str) -> datetime | None:
    from handlers.shared.rhythm import slot_times

    today = ctx.now.date()
    times = []
    for s in slots.list_for_team(ctx.db, ctx.team_id):
        if s["platform"] == platform:
            times += slot_times(s, today, today + timedelta(days=15), ctx.tz)
    for when in sorted(t for t in times if t > ctx.now):
        taken = store.scheduled_between(
            ctx.db, ctx.team_id, platform, when - timedelta(minutes=1), when + timedelta(minutes=1)
        )
        if not [d for d in taken if d.status == "scheduled"]:
            return when
    return None


@command(
    "定时",
    aliases=("schedule", "排稿"),
    group="内容",
    usage="定时 <稿件号> [时间]",
    examples=("定时 12 周二 20:00", "定时 12"),
)
def schedule_draft(ctx: Context) -> Reply:
    """把已通过的稿件排到某个发布时间；不写时间就排进该平台下一个空档期。到点提醒作者发布。"""
    head, _, when_text = ctx.args.partition(" ")
    if not head:
        raise UsageError("请给出稿件号。")
    draft = load(ctx, head)
    when: datetime | None
    if when_text.strip():
        reading = timeparse.parse(when_text, ctx.now, ctx.tz)
        if reading.kind == "at" and reading.when is None and reading.day is not None:
            reading.when = datetime.combine(reading.day, time(reading.part_hour or 9), ctx.tz)
        if reading.kind != "at" or reading.when is None or reading.when <= ctx.now:
            raise UsageError("发布时间要是将来的某个具体时间。", example=f"定时 {draft.number} 周二 20:00")
        when = reading.when
    else:
        when = _next_free_slot(ctx, draft.platform)
        if when is None:
            raise UsageError(
                f"{profile_of(draft.platform)['name']}近两周没有空档期，请写上时间。",
                example=f"定时 {draft.number} 周二 20:00",
            )
    draft = transition(
        ctx, draft, "schedule", scheduled_at=when, note=when.astimezone(ctx.tz).strftime("%m-%d %H:%M")
    )
    for old in schedules.list_for_team(ctx.db, ctx.team_id, PUBLISH_KIND):
        if old["ref_id"] == draft.id:
            schedules.set_status(ctx.db, old["id"], "cancelled")
    rule = {"kind": "at", "at": when.isoformat()}
    add_schedule(
        ctx.db,
        ctx.team,
        PUBLISH_KIND,
        rule,
        now=ctx.now,
        payload={"draft_id": draft.id},
        by=ctx.user_id,
        ref_id=draft.id,
    )
    return Reply(
        title=f"#{draft.number} 已排期",
        tone="ok",
        fields=[
            ("发布时间", _fmt(draft.scheduled_at, ctx)),
            ("平台", profile_of(draft.platform)["name"]),
        ],
        body=best_time.hint(
            ctx.db, ctx.team_id, draft.platform, ctx.now.date(), chosen_hour=when.astimezone(ctx.tz).hour
        )
        or "",
        note=f"到点会提醒 @{draft.author_name or draft.author} 发布。",
    )


@command(
    "已发布",
    aliases=("published", "发布了"),
    group="内容",
    usage="已发布 <稿件号> [链接]",
    examples=("已发布 12 https://mp.weixin.qq.com/s/abc", "已发布 12"),
)
def published(ctx: Context) -> Reply:
    """标记稿件已发布（可附链接）。之后用「效果」记下它的数据，标题模板会因此得到成绩。"""
    head, _, url = ctx.args.partition(" ")
    if not head:
        raise UsageError("请给出稿件号。")
    url = url.strip()
    if url and not re.match(r"https?://\S+$", url):
        raise UsageError(
            f"「{url}」不像链接，链接应以 http:// 或 https:// 开头。",
            example="已发布 12 https://mp.weixin.qq.com/s/abc",
        )
    draft = transition(ctx, load(ctx, head), "publish", url=url or "", note=url)
    return Reply(
        title=f"#{draft.number} 已发布",
        tone="ok",
        body=f"{profile_of(draft.platform)['name']}：{draft.title or draft.body[:30]}"
        + (f"\n{url}" if url else ""),
        note=f"过两天记得记录效果：效果 {draft.number} 阅读 1.2万 点赞 300",
    )


@command("归档", aliases=("archive",), group="内容", usage="归档 <稿件号>", examples=("归档 12",))
def archive(ctx: Context) -> Reply:
    """把不再需要的稿件归档（草稿箱默认不再显示）。"""
    if not ctx.args:
        raise UsageError("请给出稿件号。")
    draft = transition(ctx, load(ctx, ctx.args), "archive")
    return Reply(title=f"#{draft.number} 已归档", tone="ok")


@command(
    "效果",
    aliases=("post-stats", "成绩"),
    group="内容",
    usage="效果 <稿件号> <指标> <数值> …",
    examples=("效果 12 阅读 3.2万 点赞 500", "效果 12 播放 12w 点赞 3k"),
)
def post_stats(ctx: Context) -> Reply:
    """记录一篇已发布稿件的数据；标题库会据此给标题模板排名。"""
    words = ctx.args.split()
    if len(words) < 3 or len(words) % 2 == 0:
        raise UsageError("请写稿件号，再写成对的「指标 数值」。")
    draft = load(ctx, words[0])
    if draft.status not in ("published", "archived"):
        raise UsageError(
            f"#{draft.number} 还没发布（现在是「{status_label(draft)}」），发布后才有效果数据。",
            example=f"已发布 {draft.number}",
        )
    recorded = []
    values: dict[str, int] = {}
    for name, value in zip(words[1::2], words[2::2], strict=True):
        key = require_metric(name, "效果 12 阅读 3.2万 点赞 500")
        try:
            number, _ = parse_number(value)
        except NumberError:
            raise UsageError(
                f"「{value}」不是数字。可以写 12034、1.2万、5w、3k。", example="效果 12 阅读 3.2万"
            ) from None
        if number < 0:
            raise UsageError(f"{name} 不能是负数。")
        stored = to_stored(key, number)
        title_store.record_post_metric(ctx.db, draft.id, key, stored, by=ctx.user_id, now=ctx.now)
        values[key] = stored
        recorded.append(f"{name} {show(key, stored)}")
    tpl = f"，计入标题模板 {draft.title_template}" if draft.title_template else ""
    note = _results_into_post(ctx, draft, values)
    return Reply(title=f"#{draft.number} 的效果已记录", body="、".join(recorded) + tpl, tone="ok", note=note)


def _results_into_post(ctx: Context, draft: Draft, values: dict[str, int]) -> str:
    """Numbers typed for a draft join its post's record (the one 复盘 reads): the post tied to the
    draft, or a new one on the platform's account. With several accounts on the platform nothing
    is guessed: the note says so."""
    from zoneinfo import ZoneInfo

    from storage import metrics as metric_store
    from storage.timeutil import from_db

    post_id = posts_store.attached_draft_ids(ctx.db, ctx.team_id).get(draft.id)
    if post_id is not None:
        posts_store.merge_metrics(ctx.db, post_id, values, now=ctx.now)
        return ""
    accounts = metric_store.accounts(ctx.db, ctx.team_id, draft.platform)
    if len(accounts) > 1:
        return (
            f"本群在{profile_of(draft.platform)['name']}有 {len(accounts)} 个账号，不知道这篇是哪个账号发的，"
            "复盘里先不算它；导入那个账号的作品数据，小编会对上。"
        )
    account = (
        accounts[0]
        if accounts
        else metric_store.ensure_account(
            ctx.db, ctx.team_id, draft.platform, metric_store.DEFAULT_ACCOUNT, now=ctx.now
        )
    )
    zone = ZoneInfo(ctx.team.tz)
    published = from_db(draft.published_at or draft.updated_at).astimezone(zone)
    scheduled = from_db(draft.scheduled_at).astimezone(zone) if draft.scheduled_at else None
    day = published.date().isoformat()
    title = draft.title or draft.body[:30]
    existing = posts_store.find_id(ctx.db, account["id"], title, day)
    if existing is not None and posts_store.matched_by(ctx.db, existing) == "none":
        return (
            f"作品 {existing}「{title}」之前被确认为不是任何稿件发的，这次的数字只记在稿件上，复盘里不算。"
            f"如果其实就是这篇，先「关联 {existing} {draft.number}」。"
        )
    if existing is not None:  # imported already (same account, title and day) but not tied: this draft's
        posts_store.merge_metrics(ctx.db, existing, values, now=ctx.now)
        posts_store.attach(ctx.db, existing, draft.id, "chat")
        return "已记进这篇作品的数据，复盘和标题库排行会用上。"
    posts_store.upsert(ctx.db, account["id"], title, day, values, now=ctx.now)
    post_id = posts_store.set_details(
        ctx.db,
        account["id"],
        title,
        day,
        # the moment 已发布 was typed is not the moment it went out; a schedule on that day is
        time=f"{scheduled:%H:%M}" if scheduled and scheduled.date() == published.date() else None,
        link=draft.published_url or None,
    )
    posts_store.attach(ctx.db, post_id, draft.id, "chat")
    return "已记进这篇作品的数据，复盘和标题库排行会用上。"


@job(PUBLISH_KIND)
def fire_publish_due(ctx: JobContext):
    db, row, late = ctx.db, ctx.row, ctx.late
    draft = store.get_by_id(db, row["payload"]["draft_id"])
    if draft is None or draft.status != "scheduled":
        return None
    name = platforms.profiles()[draft.platform]["name"]
    return Reply(
        title=f"该发布了：#{draft.number}（{name}）",
        body=f"{draft.title or draft.body[:30]}\n发布后回复「已发布 {draft.number} 链接」。",
        mentions=[Person(draft.author, draft.author_name)],
        buttons=[Button("已发布", f"已发布 {draft.number}", "primary")],
        note="（小编刚才不在线，提醒晚了）" if late else "",
    )
