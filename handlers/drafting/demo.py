"""Demo drafts in every state of the workflow, for ``xiaobian demo``."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.context import JobContext
from bot.registry import demo_seeder
from handlers.drafting import writer
from handlers.drafting.data_files import load_json
from handlers.shared import platforms
from storage import drafts as store
from storage import titles as title_store


@demo_seeder
def seed_drafts(ctx: JobContext) -> None:
    db, team, now = ctx.db, ctx.team, ctx.now
    people = {"laoban": "老板", "lijingli": "李经理", "xiaowang": "小王"}
    local = now.astimezone(ZoneInfo(team.tz))
    for i, post in enumerate(load_json("demo_posts.json")["posts"]):
        platform, status = post["platform"], post["status"]
        profile = platforms.profiles()[platform]
        task = writer.from_text(post["text"], names=("暖冬咖啡",))
        gen = writer.offline(task, profile)
        extra = {**gen.extra, "title_options": gen.title_options}
        d = store.create(
            db,
            team_id=team.id,
            platform=platform,
            title=gen.title,
            body=gen.body,
            tags=gen.tags,
            extra=extra,
            brief={
                "topic": task.topic,
                "fields": {"品牌": "暖冬咖啡"},
                "points": [],
                "source_text": post["text"],
            },
            template=gen.source,
            title_template=None,
            source=gen.source,
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
            kwargs: dict[str, Any] = {}
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
            d = store.reread(db, d.id)
        if status in ("published", "archived"):
            title_store.record_post_metric(db, d.id, "reads", 12000 + 3000 * i, by="xiaowang", now=now)
