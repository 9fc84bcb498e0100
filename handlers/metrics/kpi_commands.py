"""目标 and 汇总: KPI targets and an honest feasibility check against the account's own history."""

from __future__ import annotations

import math
import re
from datetime import date, timedelta

from bot.context import Context, JobContext
from bot.errors import Denied, NotFound, UsageError
from bot.models import Reply
from bot.registry import command, demo_seeder
from handlers.metrics import analytics
from handlers.metrics.accounts import split_account
from handlers.shared import platforms
from handlers.shared.numbers import NumberError, parse_number
from handlers.shared.time import parse as timeparse
from handlers.shared.vocab import metrics, require_metric, show, to_stored
from storage import metrics as store
from storage.metrics import Target

TONES = {
    "done": "ok",
    "realistic": "ok",
    "stretch": "info",
    "hard": "warn",
    "unrealistic": "warn",
    "no_history": "info",
    "overdue": "warn",
}


def _deadline(text: str, ctx: Context) -> date:
    t = re.sub(r"^(截止|截至|到|deadline)\s*", "", text.strip()).rstrip("前")
    if t in ("年底", "年末", "今年底"):
        return date(ctx.now.year, 12, 31)
    reading = timeparse.parse(t, ctx.now, ctx.tz)
    if reading.kind == "at" and reading.day is not None:
        return reading.day
    if reading.kind == "at" and reading.when is not None:
        return reading.when.astimezone(ctx.tz).date()
    raise UsageError(
        f"截止日期「{text.strip()}」没看懂，或已经过去了。", example="目标 公众号 粉丝 20000 截止 12月31日"
    )


def _fmt_rate(key: str, per_day: float | None) -> str:
    if per_day is None:
        return "—"
    sign = "+" if per_day >= 0 else "-"
    return f"{sign}{show(key, abs(round(per_day)))}"


def describe(db, target: Target, today: date) -> tuple[str, str]:
    """A target's block of lines for 汇总, and its tone."""
    f = analytics.feasibility(db, target, today)
    key = target.metric
    name = metrics()[key]["name"]
    platform = platforms.profiles()[target.platform]["name"]
    deadline = target.deadline
    what = {
        "level": f"{name}达到 {show(key, f.goal)}",
        "growth": f"{name}增长 {show(key, target.target)}",
        "total": f"{name}累计 {show(key, f.goal)}",
    }[target.mode]
    lines = [
        f"**#{target.id} {platform}·{target.account_name}：{what}（{deadline.month}月{deadline.day}日截止，"
        f"还有 {max(f.days_left, 0)} 天）**"
    ]
    if f.current is None:
        lines.append(f"当前没有{name}数据。")
    else:
        base = target.base if target.mode == "growth" else 0
        progress = (f.current - base) / (f.goal - base) * 100 if f.goal != base else 100.0
        lines.append(
            f"当前 {show(key, f.current)}，进度 {progress:.1f}%，还差 {show(key, max(f.remaining, 0))}"
        )
    s = f.stats
    if f.verdict == "done":
        lines.append("判断：已达成 ✅")
        return "\n".join(lines), TONES[f.verdict]
    if f.verdict == "overdue":
        lines.append(f"判断：已过截止日，差 {show(key, f.remaining)} 未完成。")
        return "\n".join(lines), TONES[f.verdict]
    per = "日均净增" if analytics.is_level(key) else "日均"
    recent = f"近30天{per} {_fmt_rate(key, s.mean30)}" if s and s.mean30 is not None else "近30天没有数据"
    lines.append(f"需要{per} {_fmt_rate(key, f.required)}；{recent}")
    if f.projection is not None:
        lines.append(f"按近30天的节奏，到期约 {show(key, round(f.projection))}")
    if f.verdict == "no_history" or s is None:
        have = s.days if s else 0
        lines.append(
            f"判断：历史数据不足（只有 {have} 天，至少要 {analytics.MIN_HISTORY_DAYS} 天）。先坚持记录，两周后再看。"
        )
        return "\n".join(lines), TONES[f.verdict]
    lines.append(
        f"过去 180 天（{s.days} 天有数据）：中位数 {_fmt_rate(key, s.median)}，p75 {_fmt_rate(key, s.p75)}，"
        f"最好的一天 {_fmt_rate(key, s.best)}"
    )
    ratio = f.required / s.best if s.best > 0 and f.required is not None else math.inf
    verdict_line = {
        "realistic": "判断：现实——需要的节奏不超过历史 p75。",
        "stretch": "判断：有挑战——要比大多数日子做得好，但没超过历史最好。",
        "hard": f"判断：很难——每天都要超过历史最好的一天（{ratio:.1f} 倍）。",
        "unrealistic": "判断：不现实——"
        + (f"需要的节奏是历史最好一天的 {ratio:.1f} 倍。" if s.best > 0 else "历史上从没有过正增长的一天。"),
    }[f.verdict]
    lines.append(verdict_line)
    lines += _in_posts(db, target, today, f)
    if f.verdict in ("hard", "unrealistic", "stretch"):
        have = f.current or 0
        p75_goal = have + max(s.p75, 0) * f.days_left
        change = [f"把目标调到约 {show(key, round(p75_goal))}（按 p75 节奏）"]
        if s.p75 > 0:
            need_days = math.ceil(f.remaining / s.p75)
            change.append(
                f"或把截止日推到约 {_add_days(target, need_days, f)}（按 p75 节奏要 {need_days} 天）"
            )
        if s.mean30 is not None:
            change.append(
                f"或投入资源（活动、投放、更好的内容）把{per}从近30天的 {_fmt_rate(key, s.mean30)} "
                f"提到 {_fmt_rate(key, f.required)} 以上"
            )
        lines.append("要达成：" + "；".join(change) + "。")
    return "\n".join(lines), TONES[f.verdict]


def _in_posts(db, target: Target, today: date, f: analytics.Feasibility) -> list[str]:
    """The target in what the team can do: posts a week, at its own per-post yield and its slots."""
    y = analytics.post_yield(db, target, today)
    if y is None or f.days_left <= 0 or f.remaining <= 0:
        return []
    key = target.metric
    name = metrics()[key]["name"]
    deadline = target.deadline
    weeks = f.days_left / 7
    sample = f"（近 {analytics.YIELD_DAYS} 天 {y.posts} 条作品，{name}共 {show(key, y.gain)}；自然增长也算在里面，是粗算）"
    if y.per_post <= 0:
        return [
            f"按作品算：近 {analytics.YIELD_DAYS} 天每条作品平均没有带来{name}增长，多发不会自己达成目标。{sample}"
        ]
    at_pace = round(y.per_post * y.per_week * weeks)
    need = f.remaining / y.per_post / weeks
    slots = f"现在的档期每周 {y.slots_per_week} 个" if y.slots_per_week else "现在还没有设档期"
    verdict = "现在的节奏够了" if need <= y.per_week else f"要达成需要每周约 {math.ceil(need)} 条，{slots}"
    return [
        f"按作品算：每条作品平均带来 {show(key, round(y.per_post))} {name}、每周 {y.per_week:.1f} 条的节奏，"
        f"到 {deadline.month} 月 {deadline.day} 日约 +{show(key, at_pace)}；{verdict}。{sample}"
    ]


def _add_days(target: Target, days: int, f: analytics.Feasibility) -> str:
    deadline = target.deadline
    today = deadline - timedelta(days=f.days_left)
    when = today + timedelta(days=days)
    return f"{when.year}年{when.month}月{when.day}日"


@command(
    "目标",
    aliases=("target", "kpi目标"),
    group="数据",
    usage="目标 [<平台[:账号]> <指标> <数值|+增量> 截止 <日期>] | 目标 删除 <编号>",
    examples=(
        "目标 公众号 粉丝 20000 截止 12月31日",
        "目标 抖音 粉丝 +5000 截止 年底",
        "目标 公众号 阅读 100万 截止 12月31日",
        "目标",
    ),
)
def target_command(ctx: Context) -> Reply:
    """设定 KPI 目标（经理），或查看本群的目标。

    粉丝这类累计数可以写目标值（20000）或增量（+5000）；阅读、播放这类每天的量按从今天起的累计算。
    设好后用「汇总」看进度和可行性。
    """
    if not ctx.args:
        rows = store.targets(ctx.db, ctx.team_id)
        if not rows:
            return Reply(title="本群还没有目标", body="经理可以设：目标 公众号 粉丝 20000 截止 12月31日")
        lines = [
            f"- #{t.id} {platforms.profiles()[t.platform]['name']}·{t.account_name} "
            f"{metrics()[t.metric]['name']} {'+' if t.mode == 'growth' else ''}{show(t.metric, t.target)}"
            f"，{t.deadline} 截止"
            for t in rows
        ]
        return Reply(title=f"本群目标（{len(rows)} 个）", body="\n".join(lines), note="进度和可行性：汇总")
    if not ctx.has_role("manager"):
        raise Denied("设定或删除目标需要经理或管理员。你可以用「目标」查看、用「汇总」看进度。")
    m = re.fullmatch(r"(?:删除|取消|delete)\s*#?(\d+)", ctx.args)
    if m:
        if not store.drop_target(ctx.db, ctx.team_id, int(m.group(1))):
            raise NotFound(f"本群没有编号 #{m.group(1)} 的目标。发送「目标」查看。")
        return Reply(title=f"已删除目标 #{m.group(1)}", tone="ok")
    profile, account_name, rest = split_account(ctx, ctx.args)
    m = re.match(r"(\S+?)\s*([+＋]?)\s*([\d.,，万千wWkK亿一二两三四五六七八九十百]+)\s*(.*)$", rest.strip())
    if not m:
        raise UsageError("请写指标、目标值和截止日期。", example="目标 公众号 粉丝 20000 截止 12月31日")
    word, plus, number, tail = m.groups()
    key = require_metric(word, "目标 公众号 粉丝 20000 截止 12月31日")
    if metrics()[key]["kind"] == "rate":
        raise UsageError("比率类指标暂不支持目标。", example="目标 抖音 播放 100万 截止 12月31日")
    allowed = metrics()[key]["platforms"]
    if allowed and profile["key"] not in allowed:
        raise UsageError(
            f"{profile['name']}没有「{metrics()[key]['name']}」这个指标，不能设目标。",
            example=f"目标 {profile['name']} 粉丝 20000 截止 12月31日",
        )
    try:
        value, _ = parse_number(number)
    except NumberError:
        raise UsageError(f"「{number}」不是数字。", example="目标 公众号 粉丝 2万 截止 12月31日") from None
    if value <= 0:
        raise UsageError("目标要大于 0。")
    if not tail.strip():
        raise UsageError("请写截止日期。", example="目标 公众号 粉丝 20000 截止 12月31日")
    deadline = _deadline(tail, ctx)
    today = ctx.now.date()
    if deadline <= today:
        raise UsageError("截止日期要在今天之后。", example="目标 公众号 粉丝 20000 截止 12月31日")
    account = store.ensure_account(ctx.db, ctx.team_id, profile["key"], account_name, now=ctx.now)
    level = analytics.is_level(key)
    mode = ("growth" if plus else "level") if level else "total"
    stored = to_stored(key, value)
    base = 0
    if mode == "growth":
        found = store.latest(ctx.db, account["id"], key, on_or_before=today)
        if found is None:
            raise UsageError(
                f"还没有{metrics()[key]['name']}的数据，增量目标需要一个起点。先「记录」当前值。",
                example=f"记录 {profile['name']} {metrics()[key]['name']} 1.2万",
            )
        base = found[1]
    if mode == "level":
        found = store.latest(ctx.db, account["id"], key, on_or_before=today)
        if found is not None and found[1] >= stored:
            raise UsageError(
                f"{metrics()[key]['name']}现在已经是 {show(key, found[1])}（{found[0].month}月{found[0].day}日），"
                f"达到了 {show(key, stored)}。要设更高的目标，或用「+」设增量目标。",
                example=f"目标 {profile['name']} {metrics()[key]['name']} +5000 截止 12月31日",
            )
    replaced = [
        t for t in store.targets(ctx.db, ctx.team_id) if t.account_id == account["id"] and t.metric == key
    ]
    tid = store.add_target(
        ctx.db,
        team_id=ctx.team_id,
        account_id=account["id"],
        metric=key,
        mode=mode,
        target=stored,
        base=base,
        start_day=today,
        deadline=deadline,
        by=ctx.user_id,
        now=ctx.now,
    )
    target = next(t for t in store.targets(ctx.db, ctx.team_id) if t.id == tid)
    block, tone = describe(ctx.db, target, today)
    note = ""
    if replaced:
        old = replaced[0]
        what = f"+{show(key, old.target)}" if old.mode == "growth" else show(key, old.target)
        note = f"它替换了原来的目标 #{old.id}（{metrics()[key]['name']} {what}，{old.deadline.month}月{old.deadline.day}日截止）。"
    return Reply(title=f"目标 #{tid} 已设定", body=block, tone=tone, note=note)


@command(
    "汇总",
    aliases=("kpi", "summary", "进度"),
    group="数据",
    role="manager",
    usage="汇总",
    examples=("汇总", "kpi"),
)
def kpi_command(ctx: Context) -> list[Reply]:
    """给经理看的 KPI 汇总：每个目标的进度、需要的节奏、到期预测和可行性判断。

    可行性按账号自己过去 180 天的中位数、p75 和最好的一天来判断，并说明要达成需要改变什么；
    需要的节奏会和近 30 天的实际节奏对比。
    """
    rows = store.targets(ctx.db, ctx.team_id)
    if not rows:
        return [Reply(title="还没有目标", body="设一个：目标 公众号 粉丝 20000 截止 12月31日")]
    today = ctx.now.date()
    blocks, tones = [], []
    for t in rows:
        block, tone = describe(ctx.db, t, today)
        blocks.append(block)
        tones.append(tone)
    tone = "warn" if "warn" in tones else "ok"
    return [
        Reply(
            title=f"KPI 汇总（{today.month}月{today.day}日）",
            body="\n\n".join(blocks),
            tone=tone,
            note="可行性以本账号自己的历史为基准：≤p75 现实，≤最好一天 有挑战，>1.5 倍最好一天 不现实。",
        )
    ]


@demo_seeder
def seed_targets(ctx: JobContext) -> None:
    """Targets of each verdict on the demo accounts (seeded after the metrics)."""
    db, team, now = ctx.db, ctx.team, ctx.now
    today = now.date()
    plans = [  # account, metric, mode, required pace per day from the account's stats, days
        ("wechat", store.DEFAULT_ACCOUNT, "followers", "level", lambda s: s.median, 30),  # realistic
        (
            "douyin",
            store.DEFAULT_ACCOUNT,
            "followers",
            "level",
            lambda s: (s.p75 + s.best) / 2,
            40,
        ),  # stretch
        ("douyin", "门店号", "followers", "level", lambda s: s.best * 1.3, 30),  # hard
        ("xiaohongshu", store.DEFAULT_ACCOUNT, "followers", "level", lambda s: s.best * 8, 20),  # unrealistic
        ("douyin", store.DEFAULT_ACCOUNT, "plays", "total", lambda s: s.median, 30),  # a flow total
    ]
    for platform, name, metric, mode, pace, days in plans:
        account = store.ensure_account(db, team.id, platform, name, now=now)
        stats = analytics.trailing(db, account["id"], metric, today)
        if stats is None:
            continue
        current = analytics.current_value(db, account["id"], metric, mode, today, today) or 0
        target = int(current + max(pace(stats), 1) * days)
        store.add_target(
            db,
            team_id=team.id,
            account_id=account["id"],
            metric=metric,
            mode=mode,
            target=target,
            base=0,
            start_day=today,
            deadline=today + timedelta(days=days),
            by="laoban",
            now=now,
        )
    # a new account with one week of numbers: not enough history to judge
    account = store.ensure_account(db, team.id, "channels", store.DEFAULT_ACCOUNT, now=now)
    for back in range(7, 0, -1):
        store.record(
            db,
            account["id"],
            today - timedelta(days=back),
            "followers",
            500 + 20 * (7 - back),
            source="demo",
            by="demo",
            now=now,
        )
    store.add_target(
        db,
        team_id=team.id,
        account_id=account["id"],
        metric="followers",
        mode="level",
        target=2000,
        base=0,
        start_day=today,
        deadline=today + timedelta(days=30),
        by="laoban",
        now=now,
    )
