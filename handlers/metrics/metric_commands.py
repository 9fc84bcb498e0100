"""记录, 数据 and 图表: numbers entered in chat, looked up with trends, drawn as a chart."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.context import Context, JobContext
from bot.errors import UsageError
from bot.models import Button, Reply
from bot.registry import command, demo_seeder
from handlers.metrics import analytics, charts
from handlers.shared import days as dates
from handlers.shared import pending, platforms
from handlers.shared.numbers import NUMBER_RE, NumberError, parse_number
from handlers.shared.vocab import (
    ENGAGEMENT,
    MAIN_METRICS,
    aliases_sorted,
    metric_key,
    metrics,
    require_metric,
    show,
    suggest_metric,
    to_stored,
)
from storage import metrics as store
from storage import posts as posts_store


def split_account(ctx: Context, text: str) -> tuple[dict, str, str]:
    """``抖音 …`` / ``抖音:品牌号 …`` / ``品牌号 …`` at the start → (platform profile, account name, rest)."""
    text = text.strip()
    profile, rest = platforms.split_leading(text)
    if profile is not None:
        m = re.match(r"[:/：]\s*(\S+)\s*(.*)$", rest, re.S)
        if m:
            return profile, m.group(1), m.group(2)
        m = re.search(r"账号\s*[=:：]\s*(\S+)", rest)
        if m:
            return profile, m.group(1), (rest[: m.start()] + rest[m.end() :]).strip()
        return profile, store.DEFAULT_ACCOUNT, rest
    first, _, rest = text.partition(" ")
    found = store.find_account(ctx.db, ctx.team_id, first)
    if len(found) == 1:
        return platforms.profiles()[found[0]["platform"]], first, rest
    raise UsageError(f"第一个词应是平台或账号名。可选平台：{platforms.names()}。")


def _pairs(text: str) -> list[tuple[str, str, str]]:
    """``粉丝 1.2万 播放5.3w 点赞：3200`` → [(word, metric key, number text)]."""
    words = "|".join(re.escape(w) for w in aliases_sorted())
    pattern = re.compile(rf"({words})\s*[:：=]?\s*({NUMBER_RE.pattern})", re.IGNORECASE)
    out, pos = [], 0
    for m in pattern.finditer(text):
        if text[pos : m.start()].strip(" ,，、;；"):
            stray = text[pos : m.start()].strip(" ,，、;；")
            raise UsageError(_unknown_metric(stray), example="记录 抖音 粉丝 1.2万 播放 5.3w 点赞 3200")
        key = metric_key(m.group(1))
        if key is None:
            raise UsageError(_unknown_metric(m.group(1)), example="记录 抖音 粉丝 1.2万 播放 5.3w 点赞 3200")
        out.append((m.group(1), key, m.group(2)))
        pos = m.end()
    tail = text[pos:].strip(" ,，、;；")
    if tail:
        raise UsageError(_unknown_metric(tail), example="记录 抖音 粉丝 1.2万 播放 5.3w 点赞 3200")
    return out


def _unknown_metric(stray: str) -> str:
    word = re.split(r"[\s\d]", stray.strip())[0] or stray.strip()
    if metric_key(word):
        return f"「{word}」后面要跟一个数字，例如「{word} 1.2万」。"
    hint = suggest_metric(word)
    if hint:
        return f"不认识「{stray.strip()}」，是不是「{'」「'.join(hint)}」？"
    names = "、".join(m["name"] for m in metrics().values())
    return f"不认识「{stray.strip()}」。能记录的指标：{names}。每个指标后面跟一个数字。"


@command(
    "记录",
    aliases=("record", "录入"),
    group="数据",
    usage="记录 <平台[:账号]> <指标> <数值> … [昨天|11-20|上周五]",
    examples=(
        "记录 抖音 粉丝 1.2万 播放 5.3w 点赞 3200",
        "记录 公众号 阅读 3k 送达 12,034 昨天",
        "记录 抖音:品牌号 粉丝 三千",
    ),
)
def record_command(ctx: Context) -> Reply:
    """记下某个平台账号某一天的数据，默认今天。认得 1.2万、5w、3k、12,034、三千 这样的写法。

    同一天再记一次算更正，原来的记录会保留。一个团队可以有多个同平台账号，用「抖音:账号名」区分。
    """
    if not ctx.args:
        raise UsageError("请写平台和数据。")
    args, confirmed = ctx.args, False
    if args.endswith(" 确认") or args.endswith(" confirm"):  # the 确认 button, or typed: the check is waived
        args, confirmed = args.rsplit(None, 1)[0], True
    today = ctx.now.date()
    profile, account_name, rest = split_account(ctx, args)
    try:
        day, rest = dates.find_day(rest, today)
    except dates.DateError as exc:
        raise UsageError(f"日期「{exc}」不存在。", example="记录 抖音 粉丝 1.2万 11-20") from None
    day = day or today
    if day > today:
        raise UsageError("不能记录将来的数据。", example="记录 抖音 粉丝 1.2万 昨天")
    pairs = _pairs(rest)
    if not pairs:
        raise UsageError("没有看到「指标 数值」。", example="记录 抖音 粉丝 1.2万 播放 5.3w")
    values = []
    for word, key, raw in pairs:
        allowed = metrics()[key]["platforms"]
        if allowed and profile["key"] not in allowed:
            raise UsageError(
                f"{profile['name']}没有「{word}」这个指标。", example="记录 抖音 粉丝 1.2万 播放 5.3w"
            )
        try:
            number, percent = parse_number(raw)
        except NumberError as exc:
            if exc.why:
                raise UsageError(
                    f"「{raw}」{exc.why}，请检查是不是多打了几位。", example="记录 抖音 粉丝 1.2万"
                ) from None
            raise UsageError(f"「{raw}」不是数字。可以写 12034、12,034、1.2万、5w、3k、三千。") from None
        unit = metrics()[key]["unit"]
        if percent and unit != "bp":
            raise UsageError(f"「{word}」是数量，不是百分比。", example="记录 抖音 完播率 32.5%")
        if unit == "bp" and not percent:
            raise UsageError(f"「{word}」是百分比，请带上 %。", example="记录 抖音 完播率 32.5%")
        if number < 0:
            raise UsageError(f"{word}不能是负数：{raw}。")
        if unit == "count" and number != number.to_integral_value():
            raise UsageError(f"{word}应是整数，「{raw}」算出来是 {number}。")
        if unit == "bp" and number > 100:
            raise UsageError(f"{word}不能超过 100%。")
        values.append((key, to_stored(key, number)))
    account = store.ensure_account(ctx.db, ctx.team_id, profile["key"], account_name, now=ctx.now)
    doubts = [] if confirmed else _doubts(ctx, account, day, values)
    if doubts:
        command = f"记录 {args} 确认"
        pending.ask(ctx, pending.CONFIRM_RECORD, command)
        return Reply(
            title="这几个数字和以前差得很多，先确认一下",
            body="\n".join(f"- {d}" for d in doubts),
            buttons=[Button("确认记录", command, "primary")],
            tone="warn",
            note=f"没写错就点「确认记录」或回复「确认」（{pending.MINUTES} 分钟内有效）；写错了就重新记一次。还没保存。",
        )
    pending.settle(ctx, pending.CONFIRM_RECORD)
    parts, corrections = [], []
    for key, value in values:
        before = store.series(ctx.db, account["id"], key, day, day).get(day)
        outcome = store.record(
            ctx.db, account["id"], day, key, value, source="chat", by=ctx.user_id, now=ctx.now
        )
        parts.append(f"{metrics()[key]['name']} {show(key, value)}")
        if outcome == "changed":
            corrections.append(f"{metrics()[key]['name']} 由 {show(key, before)} 改为 {show(key, value)}")
    note = ("更正：" + "；".join(corrections) + "（原记录保留）") if corrections else ""
    return Reply(
        title=f"已记录 {profile['name']}（{account_name}）{day.month}月{day.day}日",
        body=" · ".join(parts),
        tone="ok",
        note=note,
    )


def _accounts_for(ctx: Context, word: str) -> list[dict]:
    if word in ("全部", "all", "所有", ""):
        return store.accounts(ctx.db, ctx.team_id)
    profile, rest = platforms.split_leading(word)
    if profile is not None:
        name = rest.lstrip(":：/").strip()
        found = store.accounts(ctx.db, ctx.team_id, profile["key"])
        return [a for a in found if not name or a["name"] == name]
    return store.find_account(ctx.db, ctx.team_id, word)


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


def _doubts(ctx: Context, account: dict, day: date, values: list[tuple[str, int]]) -> list[str]:
    """What looks like a typo: a value 10× off the last one (totals such as 粉丝) or the recent usual one.

    A small fall in 粉丝 is normal (掉粉), so only a 10× change is asked about.
    """
    doubts = []
    for key, value in values:
        name = metrics()[key]["name"]
        if analytics.is_level(key):
            found = store.latest(
                ctx.db, account["id"], key, on_or_before=day
            )  # a correction: that day's value
            if found is None:
                continue
            (when, before) = found
            said = f"{when.month}月{when.day}日是 {show(key, before)}"
            moved = analytics.jump(value, before)
            if moved == "up":
                doubts.append(f"{name} {show(key, value)}：{said}，一下涨了 {value / before:.0f} 倍")
            elif moved == "down":
                doubts.append(f"{name} {show(key, value)}：{said}，只剩不到十分之一")
            continue
        recent = [
            v
            for v in store.series(
                ctx.db, account["id"], key, day - timedelta(days=30), day - timedelta(days=1)
            ).values()
            if v
        ]
        if len(recent) >= 3 and key != "completion_rate":
            usual = sorted(recent)[len(recent) // 2]
            if analytics.jump(value, usual):
                doubts.append(f"{name} {show(key, value)}：近 30 天通常在 {show(key, usual)} 左右")
    return doubts


@command(
    "确认",
    aliases=("confirm",),
    group="数据",
    usage="确认",
    examples=("确认",),
    hidden=True,
)
def confirm_command(ctx: Context) -> Reply:
    """确认刚才小编问过的那笔数据（10 分钟内有效）。"""
    stored = pending.expect(
        ctx,
        pending.CONFIRM_RECORD,
        nothing=f"现在没有等你确认的数据（确认只保留 {pending.MINUTES} 分钟）。请把数据再记一次。",
    )
    pending.settle(ctx, pending.CONFIRM_RECORD)
    ctx.args = stored.split(None, 1)[1]
    return record_command(ctx)


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
    accounts = _accounts_for(ctx, target)
    if not accounts:
        if target in ("全部", "all", "所有") or platforms.lookup(target.split(":")[0]):
            return Reply(
                title="还没有数据",
                body="先记一笔：记录 抖音 粉丝 1.2万 播放 5.3w，或用 xiaobian import-metrics 导入。",
            )
        raise UsageError(f"没有叫「{target}」的平台或账号。", example="数据 抖音")
    sections = []
    empty = 0  # accounts with nothing in the period
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
            title = f"{label}（{start.month}/{start.day}–{end.month}/{end.day}）还没有数据，下面是前一期"
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
    accounts = _accounts_for(ctx, words[0])
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
    accounts = _accounts_for(ctx, words[0])
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
