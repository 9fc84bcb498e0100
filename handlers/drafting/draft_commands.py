"""草稿 and its workflow: generate, adapt, edit, submit, approve, return, schedule, publish, archive."""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from bot.context import Context
from bot.errors import Denied, NotFound, UsageError
from bot.models import Button, Person, Reply
from bot.registry import command, job
from handlers.drafting import compose as drafting
from handlers.drafting import llm
from handlers.drafting.render import buttons, findings_for, profile_of, render
from handlers.drafting.workflow import ACTION_NAMES, LABELS, PUBLISH_KIND, TRANSITIONS, status_label
from handlers.metrics.vocab import require_metric, show, to_stored
from handlers.reminders import timeparse
from handlers.shared import platforms
from handlers.shared.numbers import NumberError, parse_number
from handlers.shared.scheduling import add_schedule
from storage import drafts as store
from storage import schedules, slots, teams
from storage import titles as title_store
from storage.drafts import Draft
from storage.teams import Team

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


def transition(ctx: Context, draft: Draft, action: str, *, note: str = "", **kwargs) -> dict:
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
    return store.get_by_id(ctx.db, draft.id)


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


def _model_drafts(ctx: Context, brief: drafting.Brief, profiles: list[dict]) -> dict:
    """The prepare step: ask the model (if configured) for each platform; errors are kept, not raised."""
    results = {}
    for profile in profiles:
        try:
            results[profile["key"]] = llm.complete(ctx.config, brief, profile)
        except llm.ModelError as exc:
            results[profile["key"]] = {"error": str(exc)}
    return results


def _prepare_create(ctx: Context):
    if not llm.configured(ctx.config) or not ctx.args or re.fullmatch(r"#?\d+", ctx.args):
        return None
    found, rest = _split_platforms(ctx.args)
    if not found or not rest:
        return None
    try:
        brief = drafting.parse_brief(rest)
    except ValueError:
        return None
    return _model_drafts(ctx, brief, found)


def _prepare_adapt(ctx: Context):
    if not llm.configured(ctx.config):
        return None
    words = ctx.args.split()
    if len(words) < 2:
        return None
    draft = store.get(ctx.db, ctx.team_id, _safe_int(words[0]))
    if draft is None:
        return None
    profiles = [p for p in (platforms.lookup(w) for w in words[1:]) if p]
    return _model_drafts(ctx, _adapt_brief(draft), profiles)


def _safe_int(text: str) -> int:
    m = re.fullmatch(r"#?(\d+)", text)
    return int(m.group(1)) if m else -1


def _from_model(result: dict, brief: drafting.Brief, profile: dict) -> drafting.Draft:
    titles = [t for t in result["titles"] if t]
    body = result["body"]
    extra: dict = {}
    script = result.get("script")
    if profile["form"] == "video" and script and script.get("scenes"):
        scenes = [s for s in script["scenes"] if isinstance(s, dict)]
        extra = {
            "hook": str(script.get("hook", "")),
            "hook_seconds": profile.get("script", {}).get("hook_seconds", 3),
            "scenes": scenes,
            "cta": str(script.get("cta", "")),
        }
    tags = drafting.format_tags(result["tags"] or [brief.topic, *brief.points], profile)
    draft = drafting.Draft(
        platform=profile["key"],
        title=(titles[0] if titles else brief.topic) if profile.get("title") else "",
        title_options=titles if profile.get("title") else [],
        title_template=None,
        body=body,
        tags=tags,
        extra=extra,
        template="model",
        source="model",
    )
    draft.findings = drafting.review(draft, profile)
    return draft


def make_drafts(
    ctx: Context, brief: drafting.Brief, profiles: list[dict], *, parent: Draft | None = None
) -> list[Reply]:
    replies = []
    team_templates = title_store.team_templates(ctx.db, ctx.team_id)
    prepared = ctx.prepared or {}
    for profile in profiles:
        note = ""
        result = prepared.get(profile["key"])
        if result and "error" not in result:
            gen = _from_model(result, brief, profile)
        else:
            gen = drafting.generate(brief, profile, team_templates=team_templates)
            if result and "error" in result:
                note = f"写稿模型暂时不可用（{result['error']}），已用模板生成。"
        extra = dict(gen.extra)
        if gen.title_options:
            extra["title_options"] = gen.title_options
        draft = store.create(
            ctx.db,
            team_id=ctx.team_id,
            platform=profile["key"],
            title=gen.title,
            body=gen.body,
            tags=gen.tags,
            extra=extra,
            brief={**brief.to_dict(), **({"from": parent.number} if parent else {})},
            template=gen.template,
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
        source = "模型" if gen.source == "model" else f"模板 {gen.template}"
        origin = f"，改写自 #{parent.number}" if parent else ""
        replies.append(
            Reply(
                title=f"草稿 #{n}（{profile['name']}{origin}）",
                body=render(draft, findings=gen.findings),
                tone="warn" if any(f.severity == "high" for f in gen.findings) else "ok",
                fields=[("生成方式", source)],
                buttons=[Button("提审", f"提审 {n}", "primary")],
                note=(note + " " if note else "")
                + f"修改：修改 {n} 正文=…；改写到其他平台：改写 {n} 公众号 微博",
            )
        )
    return replies


@command(
    "草稿",
    aliases=("draft",),
    group="内容",
    usage="草稿 <平台…> <主题> [品牌=… 产品=… 卖点=a,b 人群=… 场景=… 活动=… 链接=…] | 草稿 <稿件号>",
    examples=(
        "草稿 小红书 冬季新品热可可 卖点=低糖,现磨 人群=上班族",
        "草稿 抖音 微博 热可可 品牌=暖冬咖啡",
        "草稿 12",
    ),
    prepare=_prepare_create,
)
def draft_command(ctx: Context):
    """按平台的形式写稿：标题（在字数内）、正文、话题标签；视频平台给出开头 3 秒钩子、分镜和口播。

    已经自动做了广告法和平台规则检查。带上稿件号则查看这篇稿件和它的全部记录。
    """
    if not ctx.args:
        raise UsageError("请说平台和主题，或给出稿件号。")
    if re.fullmatch(r"#?\d+", ctx.args):
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
    found, rest = _split_platforms(ctx.args)
    if not found:
        raise UsageError(f"第一个词应是平台。可选：{platforms.names()}。")
    if not rest:
        raise UsageError("请在平台后面写上主题。")
    try:
        brief = drafting.parse_brief(rest)
    except ValueError:
        raise UsageError("没看出主题，请在平台后写主题，再写 键=值。") from None
    return make_drafts(ctx, brief, found)


def _fmt(stored: str, ctx: Context) -> str:
    from handlers.reminders.rules import fmt_when

    return fmt_when(datetime.fromisoformat(stored), ctx.tz, ctx.now)


def _adapt_brief(draft: Draft) -> drafting.Brief:
    brief = drafting.Brief.from_dict(draft.brief)
    material = drafting.key_sentences(draft.body)
    brief.material = material or brief.material
    return brief


@command(
    "改写",
    aliases=("adapt", "一稿多改"),
    group="内容",
    usage="改写 <稿件号> <平台…>",
    examples=("改写 12 公众号 微博 抖音", "adapt 3 xhs"),
    prepare=_prepare_adapt,
)
def adapt(ctx: Context):
    """把一篇稿件改写成其他平台的形式（按原始要点和你改过的正文重写，不是复制粘贴），新稿件会关联原稿。"""
    words = ctx.args.split()
    if len(words) < 2:
        raise UsageError("请给出稿件号和目标平台。")
    source = load(ctx, words[0])
    targets, unknown = [], []
    for w in words[1:]:
        p = platforms.lookup(w)
        if p is None:
            unknown.append(w)
        elif p not in targets:
            targets.append(p)
    if unknown:
        raise UsageError(
            f"不认识的平台：{'、'.join(unknown)}。可选：{platforms.names()}。",
            example="改写 12 公众号 微博 抖音",
        )
    same = [p for p in targets if p["key"] == source.platform]
    targets = [p for p in targets if p["key"] != source.platform]
    if not targets:
        raise UsageError(
            f"#{source.number} 已经是{same[0]['name']}的稿件，请选别的平台。",
            example="改写 12 公众号 微博",
        )
    return make_drafts(ctx, _adapt_brief(source), targets, parent=source)


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
    matches = list(_EDIT_KEYS.finditer(rest))
    if not matches:
        body = rest.strip()
    for i, m in enumerate(matches):
        value = rest[m.end() : matches[i + 1].start() if i + 1 < len(matches) else len(rest)].strip()
        key = m.group(1).lower()
        if key in ("标题", "title"):
            title = value
        elif key in ("正文", "body", "内容"):
            body = value
        else:
            tags = drafting.format_tags(re.split(r"[,，、\s]+", value), profile_of(draft.platform))
    if not body:
        raise UsageError("正文不能为空。")
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
        updated = store.get_by_id(ctx.db, draft.id)
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
    draft = transition(ctx, load(ctx, ctx.args), "submit")
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
    from handlers.reminders.rhythm import slot_times

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
        recorded.append(f"{name} {show(key, stored)}")
    tpl = f"，计入标题模板 {draft.title_template}" if draft.title_template else ""
    return Reply(title=f"#{draft.number} 的效果已记录", body="、".join(recorded) + tpl, tone="ok")


@job(PUBLISH_KIND)
def fire_publish_due(bot, db, team: Team, row: dict, *, due: datetime, now: datetime, late: bool):
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
