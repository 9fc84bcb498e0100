"""Demo drafts in every state of the workflow, for ``xiaobian demo``."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.registry import demo_seeder
from handlers.drafting import compose as drafting
from handlers.shared import platforms
from storage import drafts as store
from storage import titles as title_store
from storage.teams import Team


@demo_seeder
def seed_drafts(bot, db, team: Team, now: datetime) -> None:
    briefs = [
        (
            "xiaohongshu",
            "冬季新品热可可 卖点=低糖,现磨,可可含量70% 人群=上班族 场景=冬天的早上 品牌=暖冬咖啡",
            "draft",
        ),
        (
            "wechat",
            "热可可的三种喝法 卖点=现磨,低糖,不加植脂末 人群=咖啡爱好者 品牌=暖冬咖啡 活动=周末第二杯半价",
            "review",
        ),
        ("douyin", "一杯热可可的诞生 卖点=现磨,手作 人群=学生党 场景=下课后 品牌=暖冬咖啡", "approved"),
        (
            "weibo",
            "门店上新 卖点=桂花拿铁,热可可 人群=附近上班族 活动=11月25日至11月30日新品八折",
            "returned",
        ),
        ("wechat", "冬日饮品指南 卖点=低糖,温暖,好搭配 人群=上班族 品牌=暖冬咖啡", "scheduled"),
        ("xiaohongshu", "办公室下午茶 卖点=低卡,好拍照 人群=打工人 场景=下午三点", "published"),
        ("bilibili", "咖啡师的一天 卖点=手冲,拉花 人群=咖啡爱好者", "archived"),
    ]
    people = {"laoban": "老板", "lijingli": "李经理", "xiaowang": "小王"}
    local = now.astimezone(ZoneInfo(team.tz))
    for i, (platform, text, status) in enumerate(briefs):
        profile = platforms.profiles()[platform]
        brief = drafting.parse_brief(text)
        gen = drafting.generate(brief, profile)
        extra = {**gen.extra, "title_options": gen.title_options}
        d = store.create(
            db,
            team_id=team.id,
            platform=platform,
            title=gen.title,
            body=gen.body,
            tags=gen.tags,
            extra=extra,
            brief=brief.to_dict(),
            template=gen.template,
            title_template=gen.title_template,
            source="template",
            author="xiaowang",
            author_name="小王",
            now=now - timedelta(days=7 - i),
        )
        path = {
            "draft": [],
            "review": ["review"],
            "approved": ["review", "approved"],
            "returned": ["review", "returned"],
            "scheduled": ["review", "approved", "scheduled"],
            "published": ["review", "approved", "published"],
            "archived": ["review", "approved", "published", "archived"],
        }[status]
        actions = {
            "review": ("submit", "xiaowang"),
            "approved": ("approve", "lijingli"),
            "returned": ("reject", "lijingli"),
            "scheduled": ("schedule", "xiaowang"),
            "published": ("publish", "xiaowang"),
            "archived": ("archive", "xiaowang"),
        }
        for step in path:
            action, actor = actions[step]
            kwargs = {}
            if step == "scheduled":
                kwargs["scheduled_at"] = datetime.combine(
                    local.date() + timedelta(days=(1 - local.weekday()) % 7 or 7),
                    time(20),
                    ZoneInfo(team.tz),
                )
            if step == "published":
                kwargs["url"] = "https://example.com/demo-post"
            note = "活动时间写清楚，再提审" if step == "returned" else ""
            store.move(
                db, d, step, action=action, by=actor, by_name=people[actor], now=now, note=note, **kwargs
            )
            d = store.get_by_id(db, d.id)
        if status in ("published", "archived"):
            title_store.record_post_metric(db, d.id, "reads", 12000 + 3000 * i, by="xiaowang", now=now)
