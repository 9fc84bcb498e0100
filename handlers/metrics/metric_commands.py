"""Looking numbers up: 数据 (latest, or a period against the one before), 作品, 图表; the demo seeder."""

from __future__ import annotations

from datetime import date, timedelta

from bot.context import Context, JobContext
from bot.errors import UsageError
from bot.models import Reply
from bot.registry import command, demo_seeder
from handlers.metrics import analytics, charts
from handlers.metrics.accounts import accounts_for
from handlers.shared import platforms
from handlers.shared.time import days as dates
from handlers.shared.vocab import (
    ENGAGEMENT,
    MAIN_METRICS,
    metrics,
    require_metric,
    show,
)
from storage import metrics as store
from storage import posts as posts_store


def _latest_block(ctx: Context, account: dict, today: date) -> list[str]:
    lines = []
    last = store.last_day(ctx.db, account["id"])
    have = store.metrics_of(ctx.db, account["id"])
    for key in [m for m in MAIN_METRICS if m in have]:
        found = store.latest(ctx.db, account["id"], key, on_or_before=today)
        if not found:
            continue
        day, value = found
        prev_day = store.series(ctx.db, account["id"], key, day - timedelta(days=1), day - timedelta(days=1))
        week = store.series(ctx.db, account["id"], key, day - timedelta(days=7), day - timedelta(days=7))
        trend = [
            store.series(ctx.db, account["id"], key, day - timedelta(days=13), day).get(
                day - timedelta(days=i)
            )
            for i in range(13, -1, -1)
        ]
        fmt = lambda v, k=key: show(k, v)  # noqa: E731
        d = analytics.change_text(value, prev_day.get(day - timedelta(days=1)), fmt)
        w = analytics.change_text(value, week.get(day - timedelta(days=7)), fmt)
        stamp = "" if day == last else f"（{day.month}/{day.day}）"
        lines.append(
            f"- {metrics()[key]['name']} {show(key, value)}{stamp}  日 {d} · 周 {w}  {analytics.sparkline(trend)}"
        )
    return lines


def _rates(ctx: Context, account: dict, start: date, end: date) -> list[str]:
    total = lambda k: analytics.period_total(ctx.db, account["id"], k, start, end)  # noqa: E731
    lines = []
    # both sides of a rate cover the same days: only days that have reads and 送达 both count
    reads_by_day = store.series(ctx.db, account["id"], "reads", start, end)
    delivered_by_day = store.series(ctx.db, account["id"], "delivered", start, end)
    both = sorted(set(reads_by_day) & set(delivered_by_day))
    reads, delivered = sum(reads_by_day[d] for d in both), sum(delivered_by_day[d] for d in both)
    if reads and delivered:
        span = (
            f"{both[0].month}/{both[0].day}–{both[-1].month}/{both[-1].day} 共 {len(both)} 天"
            if len(both) > 1
            else f"{both[0].month}/{both[0].day}"
        )
        lines.append(
            f"- 打开率 {reads / delivered * 100:.2f}%（阅读 {show('reads', reads)} ÷ 送达 {show('delivered', delivered)}，"
            f"按两项都有数据的 {span}）"
        )
    base_key = "reads" if reads else ("plays" if total("plays") else None)
    base = reads or total("plays")
    interactions = sum(v for v in (total(k) for k in ENGAGEMENT) if v)
    if base and interactions and base_key is not None:
        lines.append(
            f"- 互动率 {interactions / base * 100:.2f}%（点赞+评论+转发+收藏{'+在看' if total('wows') else ''} "
            f"{show('likes', interactions)} ÷ {metrics()[base_key]['name']} {show(base_key, base)}）"
        )
    return lines


def _period_block(
    ctx: Context, account: dict, start: date, end: date, prev_start: date, prev_end: date
) -> list[str]:
    lines = []
    have = store.metrics_of(ctx.db, account["id"])
    for key in [m for m in MAIN_METRICS if m in have]:
        now_total = analytics.period_total(ctx.db, account["id"], key, start, end)
        if now_total is None:
            continue
        before = analytics.period_total(ctx.db, account["id"], key, prev_start, prev_end)
        fmt = lambda v, k=key: show(k, v)  # noqa: E731
        label = "净增" if analytics.is_level(key) else "合计"
        if key == "completion_rate":
            continue
        lines.append(
            f"- {metrics()[key]['name']}{label} {show(key, now_total)}  对比前期 {analytics.change_text(now_total, before, fmt)}"
        )
    return lines


@command(
    "数据",
    aliases=("metrics", "stats", "看数据"),
    group="数据",
    usage="数据 <平台[:账号]|账号|全部> [今天|昨天|本周|上周|本月|上月|近N天]",
    examples=("数据 抖音", "数据 全部 本月", "数据 公众号 近30天"),
)
def metrics_command(ctx: Context) -> Reply:
    """看最新数据、较前一天和上周的变化、近两周走势；加上时间段则对比前一个同样长的时段。

    比率会写明分母：打开率 = 阅读 ÷ 送达，互动率 = 互动 ÷ 阅读（或播放）。
    """
    words = ctx.args.split()
    target = words[0] if words else "全部"
    period_word = " ".join(words[1:])
    today = ctx.now.date()
    span = dates.period(period_word, today) if period_word else None
    if period_word and span is None:
        raise UsageError(
            f"「{period_word}」不是时间段。可选：今天、昨天、本周、上周、本月、上月、近N天。",
            example="数据 抖音 近30天",
        )
    accounts = accounts_for(ctx, target)
    if not accounts:
        if target in ("全部", "all", "所有") or platforms.lookup(target.split(":")[0]):
            return Reply(
                title="还没有数据",
                body="先记一笔：记录 抖音 粉丝 1.2万 播放 5.3w，或用 xiaobian import-metrics 导入。",
            )
        raise UsageError(f"没有叫「{target}」的平台或账号。", example="数据 抖音")
    sections = []
    empty = 0  # accounts with nothing in the period
    shown_earlier = 0  # of those, accounts whose period before is shown instead
    for account in accounts:
        name = f"**{platforms.profiles()[account['platform']]['name']} · {account['name']}**"
        if span:
            start, end, label = span.start, span.end, span.label
            compared = span.previous()
            lines = _period_block(ctx, account, start, end, compared.start, compared.end) + _rates(
                ctx, account, start, end
            )
            covered = store.days_with_data(ctx.db, account["id"], start, end)
            if not lines:
                # nothing yet in this period: say so, and show the one before it
                shown = span.earlier()
                p0, p1 = shown.start, shown.end
                before = shown.previous()
                earlier = _period_block(ctx, account, p0, p1, before.start, before.end) + _rates(
                    ctx, account, p0, p1
                )
                lines = [f"- {label}还没有数据"]
                empty += 1
                if earlier:
                    shown_earlier += 1
                    lines += [f"前一期（{p0.month}/{p0.day}–{p1.month}/{p1.day}）："] + earlier
            elif covered < (end - start).days + 1:
                lines.append(f"- 本期 {(end - start).days + 1} 天里有 {covered} 天有数据")
        else:
            last = store.last_day(ctx.db, account["id"])
            if last is not None:
                name += f"（截至 {last.month}月{last.day}日）"
            lines = _latest_block(ctx, account, today) + _rates(
                ctx, account, today - timedelta(days=6), today
            )
            if not lines:
                lines = ["- 还没有数据"]
        sections.append("\n".join([name, *lines]))
    if span:
        start, end, label = span.start, span.end, span.label
        p0, p1 = span.previous()[:2]
        title = f"{label}数据（{start.month}/{start.day}–{end.month}/{end.day}，对比 {p0.month}/{p0.day}–{p1.month}/{p1.day}）"
        if empty == len(accounts):
            title = f"{label}（{start.month}/{start.day}–{end.month}/{end.day}）还没有数据" + (
                "，下面是前一期" if shown_earlier else "，前一期也没有可以显示的数据"
            )
    else:
        title = "最新数据"
    return Reply(
        title=title,
        body="\n\n".join(sections),
        note="走势为近 14 天；日=较前一天，周=较 7 天前。" if not span else "",
    )


@command(
    "作品",
    aliases=("posts",),
    group="数据",
    usage="作品 <平台[:账号]> [近N天|本月|上月]",
    examples=("作品 抖音", "作品 小红书 近30天"),
)
def posts_command(ctx: Context) -> Reply:
    """看按作品导出的数据：这段时间发布的作品和它们到导入时为止的累计数据（不是这段时间的活动量）。"""
    words = ctx.args.split()
    if not words:
        raise UsageError("请写平台。", example="作品 抖音")
    accounts = accounts_for(ctx, words[0])
    if not accounts:
        raise UsageError(f"没有叫「{words[0]}」的平台或账号的数据。", example="作品 抖音")
    today = ctx.now.date()
    span = dates.period(" ".join(words[1:]) or "近30天", today)
    if span is None:
        raise UsageError(f"「{' '.join(words[1:])}」不是时间段。", example="作品 抖音 近30天")
    start, end, label = span.start, span.end, span.label
    sections = []
    for account in accounts:
        rows = posts_store.published_between(ctx.db, account["id"], start, end)
        if not rows:
            continue
        main = next((k for k in ("plays", "reads", "likes") if any(k in r["metrics"] for r in rows)), None)
        if main:
            rows.sort(key=lambda r: r["metrics"].get(main, 0), reverse=True)
        name = f"**{platforms.profiles()[account['platform']]['name']} · {account['name']}**"
        lines = [name]
        for r in rows[:10]:
            shown = " · ".join(
                f"{metrics()[k]['name']} {show(k, r['metrics'][k])}"
                for k in MAIN_METRICS
                if k in r["metrics"]
            )
            lines.append(f"- {r['published_at'][5:]} 《{r['title'][:24]}》 {shown}")
        if len(rows) > 10:
            lines.append(f"……另有 {len(rows) - 10} 篇")
        sections.append("\n".join(lines))
    if not sections:
        return Reply(
            title=f"{label}发布的作品没有数据",
            body="把创作者中心「作品数据」导出的表发给小编（或 xiaobian import-metrics）即可。",
        )
    return Reply(
        title=f"{label}发布的作品（{start.month}/{start.day}–{end.month}/{end.day}）",
        body="\n\n".join(sections),
        note="数字是每篇作品到导入时为止的累计，和「数据」里按天的活动量分开算。",
    )


@command(
    "图表",
    aliases=("chart", "趋势图"),
    group="数据",
    usage="图表 <平台[:账号]> <指标> [近N天]",
    examples=("图表 抖音 粉丝 近90天", "图表 公众号 阅读 近30天"),
)
def chart_command(ctx: Context) -> Reply:
    """画一张某个指标的走势图（能发图片的平台发图片，控制台保存成文件）。"""
    words = ctx.args.split()
    if len(words) < 2:
        raise UsageError("请写平台和指标。")
    accounts = accounts_for(ctx, words[0])
    if not accounts:
        raise UsageError(f"没有叫「{words[0]}」的平台或账号的数据。", example="图表 抖音 粉丝 近90天")
    key = require_metric(words[1], "图表 抖音 粉丝 近90天")
    today = ctx.now.date()
    span = dates.period(" ".join(words[2:]) or "近90天", today)
    if span is None:
        raise UsageError(f"「{' '.join(words[2:])}」不是时间段。", example="图表 抖音 粉丝 近90天")
    start, end, label = span.start, span.end, span.label
    account = accounts[0]
    data = store.series(ctx.db, account["id"], key, start, end)
    if not data:
        return Reply(
            title="这段时间没有数据", body=f"{label}没有「{metrics()[key]['name']}」的记录。", tone="warn"
        )
    title = f"{platforms.profiles()[account['platform']]['name']}·{account['name']} {metrics()[key]['name']}（{label}）"
    attachment, note = charts.line_chart(title, data, key, ctx.config)
    days = sorted(data)
    values = [data[d] for d in days]
    body = (
        f"{analytics.sparkline(values)}\n最低 {show(key, min(values))} · 最高 {show(key, max(values))} · "
        f"最新 {show(key, values[-1])}（{days[-1].month}/{days[-1].day}）"
    )
    return Reply(title=title, body=body, attachments=[attachment] if attachment else [], note=note)


@demo_seeder
def seed_metrics(ctx: JobContext) -> None:
    """90 days of plausible numbers for three platforms and a second 抖音 account."""
    db, team, now = ctx.db, ctx.team, ctx.now
    import random

    rng = random.Random(20261122)
    today = now.date()
    plans = [
        (
            "wechat",
            store.DEFAULT_ACCOUNT,
            8000,
            18,
            {
                "reads": (900, 400),
                "delivered": (8000, 300),
                "likes": (30, 15),
                "wows": (12, 8),
                "shares": (20, 12),
            },
        ),
        (
            "douyin",
            store.DEFAULT_ACCOUNT,
            12000,
            60,
            {"plays": (20000, 15000), "likes": (600, 400), "comments": (60, 40), "shares": (40, 30)},
        ),
        ("douyin", "门店号", 2100, 8, {"plays": (3000, 2000), "likes": (90, 60)}),
        (
            "xiaohongshu",
            store.DEFAULT_ACCOUNT,
            3500,
            15,
            {"reads": (2500, 1500), "likes": (150, 100), "favorites": (80, 50), "comments": (20, 15)},
        ),
    ]
    for platform, name, followers, growth, flows in plans:
        account = store.ensure_account(db, team.id, platform, name, now=now)
        level = followers
        for back in range(90, 0, -1):
            day = today - timedelta(days=back)
            gained = max(-5, int(rng.gauss(growth, growth * 0.8)))
            level += gained
            store.record(db, account["id"], day, "followers", level, source="demo", by="demo", now=now)
            for key, (mean, spread) in flows.items():
                value = max(0, int(rng.gauss(mean, spread / 2)))
                store.record(db, account["id"], day, key, value, source="demo", by="demo", now=now)
