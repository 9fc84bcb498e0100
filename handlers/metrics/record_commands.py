"""记录 and 确认: numbers typed in chat, with the mistyped-number check (analytics.jump) asked back
before anything is saved."""

from __future__ import annotations

import re
from datetime import date, timedelta

from bot.context import Context
from bot.errors import UsageError
from bot.models import Button, Reply
from bot.registry import command
from handlers.metrics import analytics
from handlers.metrics.accounts import split_account
from handlers.shared import pending
from handlers.shared.numbers import NUMBER_RE, NumberError, parse_number
from handlers.shared.time import days as dates
from handlers.shared.vocab import (
    aliases_sorted,
    metric_key,
    metrics,
    show,
    suggest_metric,
    to_stored,
)
from storage import metrics as store


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
