"""复盘 and 关联: the team's own results, read back into what to do next.

复盘 ranks the period's posts against each account's own median, states only the patterns that
survive the test in :mod:`handlers.metrics.review` (each with its sample sizes), counts the slots
that went empty, and ends with one suggestion per platform. 关联 confirms which draft an exported
post came from when the import could not be sure.
"""

from __future__ import annotations

import re
import statistics
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.context import Context, JobContext
from bot.errors import UsageError
from bot.models import Attachment, Reply
from bot.registry import command, job
from handlers.metrics import charts
from handlers.shared import platforms, results
from handlers.shared.time import days as dates
from handlers.shared.vocab import metrics, show
from storage import drafts as drafts_store
from storage import posts as posts_store
from storage import slots as slots_store
from storage.teams import Team
from storage.timeutil import from_db

HISTORY_DAYS = 180  # patterns are looked for over this much of an account's history


def _prepare_review(ctx: Context) -> Reply | None:
    """The whole 复盘 reads and draws (charts): done before the command's transaction. A wrong
    argument is left to the command, which answers it."""
    try:
        return _review(ctx)
    except UsageError:
        return None


@command(
    "复盘",
    aliases=("review", "回顾"),
    group="数据",
    usage="复盘 [平台] [本月|上月|本周|上周|近N天]",
    examples=("复盘 本月", "复盘 抖音 上月", "复盘 小红书 近30天"),
    prepare=_prepare_review,
)
def review_command(ctx: Context) -> Reply:
    """复盘一段时间的作品：每篇和账号自己的中位数比，好的作品有什么共同点（带样本数，数据不够就直说），哪些档期空了，每个平台给一条建议。"""
    return ctx.prepared if isinstance(ctx.prepared, Reply) else _review(ctx)


def _review(ctx: Context) -> Reply:
    words = ctx.args.split()
    profile = None
    if words:
        profile, rest = platforms.split_leading(words[0])
        if profile is not None:
            words = ([rest.strip()] if rest.strip() else []) + words[1:]
    today = ctx.now.date()
    span = dates.period(" ".join(words) or "近30天", today)
    if span is None:
        raise UsageError(f"「{' '.join(words)}」不是时间段。", example="复盘 抖音 本月")
    start, end, label = span.start, span.end, span.label
    return build_review(ctx.db, ctx.team, ctx.now, start, end, label, platform=profile, config=ctx.config)


def build_review(
    db,
    team: Team,
    now: datetime,
    start: date,
    end: date,
    label: str,
    *,
    platform: dict | None = None,
    config=None,
) -> Reply:
    """The 复盘 of [start, end] for a team (every platform, or one): what the command answers and
    the weekly push sends. ``now`` is local to the team."""
    profile = platform
    today = now.date()
    history = posts_store.of_team(
        db,
        team.id,
        platform=profile["key"] if profile else None,
        start=end - timedelta(days=HISTORY_DAYS - 1),
        end=end,
    )
    by_account: dict[int, list[dict]] = {}
    for post in history:
        by_account.setdefault(post["account_id"], []).append(post)
    sections: list[str] = []
    suggestions: list[str] = []
    reviewed: list[list[dict]] = []
    for posts in by_account.values():
        in_period = [p for p in posts if start.isoformat() <= p["published_at"] <= end.isoformat()]
        if not in_period:
            continue
        section, suggestion = _account_review(db, team, now, posts, in_period, start, min(end, today))
        sections.append(section)
        suggestions.append(suggestion)
        reviewed.append(posts)
    # one chart (a new one costs about 0.1 s to draw): the account with the most timed posts
    charted: list[Attachment] = []
    if config is not None and reviewed:
        busiest = max(reviewed, key=lambda rows: sum(1 for p in rows if p.get("published_time")))
        chart = _hour_chart(busiest, config)
        if chart is not None:
            charted.append(chart)
    where = profile["name"] if profile else "各平台"
    if not sections:
        return Reply(
            title=f"{label}{where}没有可复盘的作品数据",
            body=(
                "复盘看的是按作品导出的数据（每篇作品的播放、阅读……）。把创作者中心「作品数据」导出的表"
                "发到群里（或 xiaobian import-metrics），小编会把数据对到发出它的稿件上。"
            ),
        )
    return Reply(
        title=f"{label}复盘（{start.month}/{start.day}–{end.month}/{end.day}，{where}）",
        body="\n\n".join(sections) + "\n\n**建议**\n" + "\n".join(f"- {s}" for s in suggestions),
        attachments=charted,
        note=(
            f"规律只看过去 {HISTORY_DAYS} 天、每边至少 {results.MIN_GROUP} 条的比较，经过多重比较校正"
            f"（在没有规律的数据里说出任何一条「规律」的概率不超过 {results.FAMILY_ALPHA:.0%}）；括号里是样本数。"
        ),
    )


def _account_review(
    db, team: Team, now: datetime, posts: list[dict], in_period: list[dict], start: date, until: date
) -> tuple[str, str]:
    platform = posts[0]["platform"]
    pname = platforms.profiles()[platform]["name"]
    head = f"**{pname} · {posts[0]['account']}**"
    metric = results.main_metric(posts)
    if metric is None:
        return (
            head + "\n导出的表里没有播放、阅读、曝光或点赞，没法比较。",
            f"{pname}：导出时带上播放或阅读列。",
        )
    mname = metrics()[metric]["name"]
    ranked, median = results.ranked(in_period, metric, posts)
    lines = [
        head,
        f"这段时间 {len(in_period)} 条作品；账号过去 {len(posts)} 条的{mname}中位数 {show(metric, int(median or 0))}。",
    ]
    if ranked:
        top = ranked[:3]
        lines.append(
            "最好的："
            + "；".join(
                f"《{p['title'][:20]}》{mname} {show(metric, p['metrics'][metric])}（中位数的 {r:.1f} 倍）"
                for p, r in top
            )
        )
        if len(ranked) > 3:
            low = ranked[-2:] if len(ranked) >= 5 else ranked[-1:]
            lines.append("最弱的：" + "；".join(f"《{p['title'][:20]}》（{r:.1f} 倍）" for p, r in low))
    found, tests = results.findings(posts, metric)
    timed = sum(1 for p in posts if p.get("published_time"))
    if len(posts) < results.MIN_POSTS:
        lines.append(
            f"共同点：数据还不够——过去 {HISTORY_DAYS} 天只有 {len(posts)} 条作品，至少 {results.MIN_POSTS} 条才看规律。"
        )
    elif not found:
        lines.append(
            f"共同点：比较了 {tests} 组（发布时段、星期、标题形式、长度），没有站得住的规律（{len(posts)} 条作品"
            + (f"，其中有发布时间、参与时段比较的 {timed} 条" if timed < len(posts) else "")
            + "）。"
        )
    else:
        for f in found[:3]:
            word = "高" if f.ratio > 1 else "低"
            lines.append(
                f"共同点：{results.subject(f)}{mname}中位数是其他作品的 {f.ratio:.1f} 倍（{word}；{f.n_with} 条 vs {f.n_without} 条）"
            )
    empty = _empty_slots(db, team, now, platform, posts, start, until)
    if empty:
        lines.append(
            f"空档：{len(empty)} 个档期没有发（{'、'.join(f'{d.month}/{d.day}' for d in empty[:6])}{'…' if len(empty) > 6 else ''}）。"
        )
    return "\n".join(lines), _suggestion(pname, mname, posts, metric, found, empty)


def _hour_chart(posts: list[dict], config):
    """Median reach by hour of publishing over the account's history, each bar with its sample;
    None when fewer than MIN_POSTS posts carry a time."""
    metric = results.main_metric(posts)
    timed = [p for p in posts if p.get("published_time") and metric and metric in p["metrics"]]
    if metric is None or len(timed) < results.MIN_POSTS:
        return None
    by_hour: dict[int, list[float]] = {}
    for p in timed:
        by_hour.setdefault(int(p["published_time"][:2]), []).append(float(p["metrics"][metric]))
    hours = sorted(by_hour)
    name = f"{platforms.profiles()[posts[0]['platform']]['name']}·{posts[0]['account']}"
    attachment, _note = charts.bar_chart(
        f"{name} 各时段{metrics()[metric]['name']}中位数（过去 {HISTORY_DAYS} 天）",
        [f"{h}点" for h in hours],
        [statistics.median(by_hour[h]) for h in hours],
        [len(by_hour[h]) for h in hours],
        config,
        faint_below=results.MIN_GROUP,
    )
    return attachment


def _suggestion(
    pname: str, mname: str, posts: list[dict], metric: str, found: list, empty: list[date]
) -> str:
    good = [f for f in found if f.ratio > 1]
    hour = next((f for f in good if f.feature == "hour"), None)
    if hour is not None:
        best = results.best_hour(posts, metric)
        if best is not None:
            h, other, ratio, n1, n2 = best
            return f"{pname}：档期尽量放在 {h}:00 前后——{h} 点发的作品{mname}中位数是 {other} 点的 {ratio:.1f} 倍（{n1} 条 vs {n2} 条）。"
    if good:
        f = good[0]
        return f"{pname}：多发{results.subject(f)}——{mname}中位数是其他作品的 {f.ratio:.1f} 倍（{f.n_with} 条 vs {f.n_without} 条）。"
    if empty:
        return f"{pname}：先把空着的 {len(empty)} 个档期补上，节奏稳定了数据才好比。"
    if len(posts) < results.MIN_POSTS:
        return f"{pname}：数据还不够，再积累 {results.MIN_POSTS - len(posts)} 条作品的导出数据再看。"
    return f"{pname}：没有站得住的规律，保持节奏；下次导出后再复盘。"


def _empty_slots(
    db, team: Team, now: datetime, platform: str, posts: list[dict], start: date, until: date
) -> list[date]:
    """Days in [start, until] that a slot of this platform named and on which nothing went out."""
    slots = [s for s in slots_store.list_for_team(db, team.id) if s["platform"] == platform]
    if not slots:
        return []
    zone = ZoneInfo(team.tz)
    sent = {p["published_at"] for p in posts}
    sent |= {
        from_db(d.published_at).astimezone(zone).date().isoformat()
        for d in drafts_store.published_or_scheduled(db, team.id, platform)
        if d.published_at
    }
    moment = now.strftime("%Y-%m-%d %H:%M")
    out, day = [], start
    while day <= until:
        due = [s for s in slots if day.weekday() in s["days"] and f"{day.isoformat()} {s['at']}" <= moment]
        if due and day.isoformat() not in sent:
            out.append(day)
        day += timedelta(days=1)
    return out


@command(
    "关联",
    aliases=("link",),
    group="数据",
    usage="关联 <作品编号> <稿件编号|无>",
    examples=("关联 37 12", "关联 37 无"),
)
def link_command(ctx: Context) -> Reply:
    """确认导入的某篇作品是哪份稿件发出去的（导入时对不准的，小编会列出来问）；「无」表示不是任何稿件。"""
    m = re.fullmatch(r"(?:作品\s*)?#?(\d+)\s+(?:稿件\s*)?(?:#?(\d+)|(无|不是|none))", ctx.args.strip(), re.I)
    if not m:
        raise UsageError("请写作品编号和稿件编号。", example="关联 37 12")
    post = posts_store.get(ctx.db, int(m.group(1)))
    if post is None or post["team_id"] != ctx.team_id:
        raise UsageError(f"本群没有编号为 {m.group(1)} 的作品（编号见导入时的提问）。", example="关联 37 12")
    if m.group(3):
        posts_store.attach(ctx.db, post["id"], None, "none")  # later imports leave it untied
        return Reply(title=f"好的：作品 {post['id']}「{post['title']}」不算任何稿件的数据。")
    draft = drafts_store.get(ctx.db, ctx.team_id, int(m.group(2)))
    if draft is None:
        raise UsageError(f"没有稿件 #{m.group(2)}。", example="关联 37 12")
    if draft.platform != post["platform"]:
        raise UsageError(
            f"稿件 #{draft.number} 是{platforms.profiles()[draft.platform]['name']}的，作品 {post['id']} 是"
            f"{platforms.profiles()[post['platform']]['name']}的，对不上。",
            example="关联 37 12",
        )
    holder = posts_store.attached_draft_ids(ctx.db, ctx.team_id).get(draft.id)
    if holder is not None and holder != post["id"]:
        raise UsageError(
            f"稿件 #{draft.number} 已经对上了作品 {holder}。先「关联 {holder} 无」再关联。",
            example=f"关联 {holder} 无",
        )
    posts_store.attach(ctx.db, post["id"], draft.id, "chat")
    shown = "，".join(
        f"{metrics()[k]['name']} {show(k, v)}" for k, v in post["metrics"].items() if k in metrics()
    )
    return Reply(
        title=f"已关联：作品 {post['id']} ← 稿件 #{draft.number}「{draft.title}」",
        body=f"{post['published_at']} 发布；{shown or '暂无数据'}。复盘和标题库排行会用上它。",
    )


@job("weekly_review")
def fire_weekly_review(ctx: JobContext) -> Reply:
    """订阅 复盘: last week's 复盘 (Monday to Sunday), pushed to the group."""
    team, db, now = ctx.team, ctx.db, ctx.now
    local = now.astimezone(ZoneInfo(team.tz))
    monday = local.date() - timedelta(days=local.weekday() + 7)
    return build_review(db, team, local, monday, monday + timedelta(days=6), "上周", config=ctx.config)
