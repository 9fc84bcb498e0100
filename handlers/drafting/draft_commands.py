"""草稿 and 改写: a brief or a source text becomes one draft per platform (the model writes when one
is configured; the prepare step runs it, outside the transaction)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from bot.context import Context
from bot.errors import NotFound, UsageError
from bot.models import Button, Reply
from bot.registry import command
from handlers.drafting import llm, writer
from handlers.drafting.access import fmt_time, load
from handlers.drafting.brief import Brief, BriefError, parse_brief
from handlers.drafting.render import buttons, findings_for, profile_of, render
from handlers.drafting.version import SOURCE_LABEL, Version, slots_in
from handlers.shared import platforms, results
from handlers.shared.draft_workflow import status_label
from storage import drafts as store
from storage import posts as posts_store
from storage import titles as title_store
from storage.drafts import Draft


@dataclass
class Plan:
    """What 草稿 or 改写 will write, worked out once: in the prepare step, which hands it to the
    handler through ``ctx.prepared`` with the model's versions; by the handler when no prepare ran."""

    task: writer.Task
    profiles: list[dict]
    parent: Draft | None = None
    versions: list[Version] | None = None  # the model's, written in prepare; None: written in the handler


def _planned(ctx: Context, plan: Callable[[Context], Plan]) -> Plan:
    return ctx.prepared if isinstance(ctx.prepared, Plan) else plan(ctx)


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


def _plan_create(ctx: Context) -> Plan:
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
    return Plan(writer.from_brief(brief), found)


_ADAPT_EXAMPLE = "改写 12 公众号 微博 抖音"


def _plan_adapt(ctx: Context) -> Plan:
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
            return Plan(writer.from_brief(brief), targets, parent)
        if parent.brief.get("source_text") and parent.source == "extract" and parent.version == 1:
            text = parent.brief["source_text"]  # untouched since it was cut from a pasted article
        else:
            text = writer.text_of(parent.title, parent.body, parent.extra)
        return Plan(writer.from_text(text, names=brief.names()), targets, parent)
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
    return Plan(writer.from_text(text), found)


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

    def prepare(ctx: Context) -> Plan | None:
        try:
            planned = plan(ctx)
        except (UsageError, NotFound):
            return None  # the handler plans again and says what is wrong
        if llm.configured(ctx.config):
            planned.versions = _write_all(ctx, planned.task, planned.profiles, use_model=True)
        return planned

    return prepare


def _is_lookup(ctx: Context) -> bool:
    return bool(re.fullmatch(r"#?\d+", ctx.args))


def _prepare_create(ctx: Context):
    return None if _is_lookup(ctx) else _prepare(_plan_create)(ctx)


def make_drafts(ctx: Context, plan: Plan, *, source_text: str = "") -> list[Reply]:
    task, profiles, parent = plan.task, plan.profiles, plan.parent
    if plan.versions is not None:
        versions = plan.versions
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
            + ([("计划发布", fmt_time(draft.scheduled_at, ctx))] if draft.scheduled_at else [])
            + ([("链接", draft.published_url)] if draft.published_url else []),
            buttons=buttons(draft),
        )
    return make_drafts(ctx, _planned(ctx, _plan_create))


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
    plan = _planned(ctx, _plan_adapt)
    source_text = "" if plan.parent or plan.task.source is None else plan.task.source.text
    return make_drafts(ctx, plan, source_text=source_text)
