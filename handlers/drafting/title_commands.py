"""标题 and 标题库: headlines from the team's template library, and the library itself."""

from __future__ import annotations

import re
import statistics
from datetime import timedelta

from bot.context import Context
from bot.errors import UsageError
from bot.models import Reply
from bot.registry import command
from handlers.drafting import compliance
from handlers.drafting.brief import BriefError, parse_brief
from handlers.drafting.slots import seed
from handlers.drafting.titles import GENERIC, SLOTS, all_templates, library, suggest
from handlers.shared import platforms, results
from handlers.shared.vocab import metric_key
from storage import posts as posts_store
from storage import titles as store


@command(
    "标题",
    aliases=("titles", "起标题"),
    group="内容",
    usage="标题 <主题> [数量] [平台] [品牌=… 人群=… 卖点=…]",
    examples=("标题 热可可 5", "标题 热可可 3 小红书 人群=上班族", "titles 冬季新品 5"),
)
def titles_command(ctx: Context) -> Reply:
    """从本群的标题库里套出几个标题，已按平台的字数限制和广告法检查筛过。"""
    words = ctx.args.split()
    n, rest = 5, []
    profile: dict = GENERIC
    for w in words:
        found = platforms.lookup(w) if "=" not in w else None
        if re.fullmatch(r"\d{1,2}", w):
            n = int(w)
        elif found is not None:
            profile = found
        else:
            rest.append(w)
    if not rest:
        raise UsageError("请说标题的主题。")
    if not 1 <= n <= 20:
        raise UsageError("数量应在 1 到 20 之间。", example="标题 热可可 5")
    if profile.get("title") is None:
        raise UsageError(f"{profile['name']}的帖子没有标题。", example="标题 热可可 5 小红书")
    try:
        brief = parse_brief(" ".join(rest))
    except BriefError as exc:
        raise UsageError(str(exc), example="标题 热可可 3 小红书 人群=上班族") from None
    options = suggest(
        brief,
        profile,
        count=n,
        team_templates=store.team_templates(ctx.db, ctx.team_id),
        disabled=store.disabled_keys(ctx.db, ctx.team_id),
        seed_value=seed(brief.topic),
    )
    if not options:
        return Reply(
            title="没有合适的标题",
            body="标题库里的模板都超出了字数限制或没通过检查。可以用「标题库 添加」补充模板。",
            tone="warn",
        )
    names = library()["families"]
    lines = [
        f"{i}. {o['title']}（{names.get(o['family'], o['family'])}·{o['key']}）"
        for i, o in enumerate(options, 1)
    ]
    limit = profile["title"]["max"]
    return Reply(
        title=f"「{brief.topic}」的标题（{profile['name']}，≤{limit} 字）",
        body="\n".join(lines),
        note="已过广告法检查。用「草稿」生成稿件时会自动套用，并记录用了哪个模板。",
    )


@command(
    "标题库",
    aliases=("title-library", "templates"),
    group="内容",
    usage="标题库 [排行 [阅读|播放|点赞]] | 标题库 添加 <带{槽位}的模板> | 标题库 删除 <编号>",
    examples=("标题库", "标题库 添加 {人群}的冬天，需要一杯{产品}", "标题库 删除 num-02", "标题库 排行 阅读"),
)
def library_command(ctx: Context) -> Reply:
    """查看、添加、删除本群的标题模板；「标题库 排行」按已发布稿件的数据给模板排名。

    模板里用 {产品} {品牌} {人群} {场景} {痛点} {数字} {时间} {卖点} 等槽位。
    """
    args = ctx.raw_args.strip()
    m = re.match(r"(添加|add)\s*(.+)$", args, re.IGNORECASE | re.S)
    if m:
        pattern = m.group(2).strip()
        slots = re.findall(r"\{([^{}]+)\}", pattern)
        if not slots:
            raise UsageError(
                "模板里至少要有一个 {槽位}，例如 {产品}。", example="标题库 添加 {人群}的冬天，需要一杯{产品}"
            )
        unknown = [s for s in slots if s not in SLOTS]
        if unknown:
            raise UsageError(
                f"不认识的槽位：{'、'.join(unknown)}。可用：{'、'.join(SLOTS)}。",
                example="标题库 添加 {人群}的冬天，需要一杯{产品}",
            )
        findings = [
            f
            for f in compliance.check_terms(pattern) + compliance.check_title(pattern)
            if f.severity != "low"
        ]
        key = store.add(ctx.db, ctx.team_id, family="team", pattern=pattern, by=ctx.user_id, now=ctx.now)
        note = ""
        if findings:
            note = (
                "注意：模板本身有风险用语："
                + "、".join(f"「{f.text}」" for f in findings)
                + "，生成时会被筛掉。"
            )
        return Reply(title="已加入标题库", fields=[("编号", key), ("模板", pattern)], tone="ok", note=note)
    m = re.match(r"(删除|remove|delete)\s*(\S+)$", args, re.IGNORECASE)
    if m:
        key = m.group(2)
        known = {t["key"] for t in all_templates(store.team_templates(ctx.db, ctx.team_id))}
        if key not in known:
            raise UsageError(
                f"标题库里没有编号「{key}」。发送「标题库」查看编号。", example="标题库 删除 num-02"
            )
        store.disable(ctx.db, ctx.team_id, key, by=ctx.user_id, now=ctx.now)
        return Reply(title=f"已从本群标题库删除 {key}", tone="ok")
    m = re.match(r"(排行|rank)\s*(\S*)$", args, re.IGNORECASE)
    if m:
        if m.group(2):  # a named metric: the numbers typed with 效果
            metric = metric_key(m.group(2)) or "reads"
            rows = store.template_results(ctx.db, ctx.team_id, metric)
            if not rows:
                return Reply(
                    title="还没有可以排名的数据",
                    body="稿件发布后，用「效果 <稿件号> 阅读 1.2万」记下数据，模板就会有成绩。",
                )
            lines = [
                f"{i}. {r['key']}：{r['posts']} 篇，平均 {round(r['average']):,}，最好 {r['best']:,}"
                for i, r in enumerate(rows, 1)
            ]
            return Reply(title=f"标题模板排行（按{m.group(2)}）", body="\n".join(lines))
        return _ranking_from_results(ctx)
    if args:
        raise UsageError(f"「{args}」不是标题库的操作。")
    names = library()["families"]
    disabled = store.disabled_keys(ctx.db, ctx.team_id)
    items = all_templates(store.team_templates(ctx.db, ctx.team_id), disabled)
    lines = [f"- {t['key']}（{names.get(t['family'], '本群')}）：{t['pattern']}" for t in items]
    return Reply(
        title=f"本群标题库（{len(items)} 个模板）",
        body="\n".join(lines),
        note="添加：标题库 添加 模板；删除：标题库 删除 编号；排名：标题库 排行",
    )


RANK_MIN = 3  # posts a template needs before it is ranked


def _ranking_from_results(ctx: Context) -> Reply:
    """Templates and the team's own titles ranked by the results imported for their posts: each post
    against its own account's median, so platforms and account sizes compare. Nothing is typed."""
    since = ctx.now.date() - timedelta(days=365)
    posts = posts_store.of_team(ctx.db, ctx.team_id, start=since)
    scores = results.relative_scores(posts)
    if not scores:
        return Reply(
            title="还没有可以排名的数据",
            body=(
                "把平台「作品数据」导出的表发到群里，小编会把每篇作品的数据对到发出它的稿件上，"
                "模板和标题就会自动有成绩（也可以「效果 <稿件号> 阅读 1.2万」手动记）。"
            ),
        )
    by_template: dict[str, list[float]] = {}
    for p in posts:
        if p["id"] in scores and p.get("title_template"):
            by_template.setdefault(p["title_template"], []).append(scores[p["id"]])
    lines = ["**模板**（每篇作品和它所在账号的中位数比）"]
    ranked_templates = sorted(
        ((statistics.median(v), k, len(v)) for k, v in by_template.items() if len(v) >= RANK_MIN),
        reverse=True,
    )
    clear = results.standing_out({k: v for k, v in by_template.items() if len(v) >= RANK_MIN})
    lines += [
        f"{i}. {k}：{n} 篇，中位数的 {r:.1f} 倍" + ("（差别明显）" if k in clear else "")
        for i, (r, k, n) in enumerate(ranked_templates, 1)
    ]
    if ranked_templates and not clear:
        lines.append("以上差别都还在随机波动之内（每个模板的篇数还少），排名会变，先别据此删模板。")
    few = sorted(k for k, v in by_template.items() if len(v) < RANK_MIN)
    if few:
        lines.append(f"篇数不到 {RANK_MIN} 的不排名：{'、'.join(few)}")
    if not ranked_templates and not few:
        lines.append("导入的作品还没有对上用模板写的稿件。")
    top = sorted(((r, p) for p in posts if (r := scores.get(p["id"])) is not None), key=lambda x: -x[0])[:5]
    lines.append(f"\n**本群自己的标题**（近一年 {len(scores)} 篇里最好的）")
    lines += [f"- 《{p['title'][:28]}》{r:.1f} 倍" for r, p in top]
    shapes = _title_patterns(posts)
    if shapes:
        lines.append("\n**标题形式**")
        lines += shapes
    return Reply(
        title="标题排行（按导入的作品数据）",
        body="\n".join(lines),
        note="倍数 = 作品的播放/阅读 ÷ 同账号作品的中位数。按手记的数据排：标题库 排行 阅读",
    )


def _title_patterns(posts: list[dict]) -> list[str]:
    """Title shapes that beat or trail the rest of an account's posts, where the test says so."""
    out = []
    by_account: dict[int, list[dict]] = {}
    for p in posts:
        by_account.setdefault(p["account_id"], []).append(p)
    for rows in by_account.values():
        metric = results.main_metric(rows)
        if metric is None:
            continue
        found, _ = results.findings(rows, metric)
        name = platforms.profiles()[rows[0]["platform"]]["name"]
        for f in found:
            if f.feature == "title":
                out.append(
                    f"- {name}：{results.subject(f)}中位数是其他作品的 {f.ratio:.1f} 倍（{f.n_with} 篇 vs {f.n_without} 篇）"
                )
    return out
