"""The demo team's season of per-post results (``data/demo_season.json``): posts with their times,
links and totals, half of them tied to the drafts that made them (published, then archived), with planted effects
so that 复盘, 标题库 排行 and the best-time hints have something true to find on the first run."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.context import JobContext
from bot.registry import demo_seeder
from storage import drafts as drafts_store
from storage import metrics as metrics_store
from storage import posts as posts_store

DATA = Path(__file__).parent / "data" / "demo_season.json"


def plan() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


@demo_seeder
def seed_season(ctx: JobContext) -> None:
    """120 days of posts on three platforms (see the data file for the planted effects)."""
    db, team, now = ctx.db, ctx.team, ctx.now
    season = plan()
    rng = random.Random(20261204)
    zone = ZoneInfo(team.tz)
    today = now.astimezone(zone).date()
    for spec in season["accounts"]:
        account = metrics_store.ensure_account(
            db, team.id, spec["platform"], metrics_store.DEFAULT_ACCOUNT, now=now
        )
        for back in range(season["days"], 0, -spec["every_days"]):
            day = today - timedelta(days=back)
            title = rng.choice(season["titles"])
            hour = rng.choice(spec["hours"])
            value = spec["base"] * rng.lognormvariate(0, spec["spread"])
            value *= spec["effects"].get("hour", {}).get(str(hour), 1.0)
            value *= spec["effects"].get("shape", {}).get(title["shape"], 1.0)
            totals = {spec["metric"]: round(value)} | {k: round(value * r) for k, r in spec["also"].items()}
            text = title["text"] if rng.random() < 0.5 else f"{title['text']}（{day.month}月{day.day}日）"
            posts_store.upsert(db, account["id"], text, day.isoformat(), totals, now=now)
            link = f"https://demo.example/{spec['platform']}/{day.isoformat()}"
            post_id = posts_store.set_details(
                db,
                account["id"],
                text,
                day.isoformat(),
                time=f"{hour:02d}:{rng.randrange(0, 50):02d}",
                link=link,
            )
            if rng.random() < season["drafted_share"]:
                at = datetime(day.year, day.month, day.day, hour, tzinfo=zone)
                draft = drafts_store.create(
                    db,
                    team_id=team.id,
                    platform=spec["platform"],
                    title=text,
                    body=f"{text}（演示稿件）",
                    tags=[],
                    extra={},
                    brief={"topic": text},
                    template="demo",
                    title_template=title["template"],
                    source="demo",
                    author="xiaowang",
                    author_name="小王",
                    now=at - timedelta(days=1),
                )
                drafts_store.move(
                    db, draft, "published", action="publish", by="xiaowang", by_name="小王", now=at, url=link
                )
                # filed away, as a team does after a season: the 草稿箱 stays on the work in hand
                drafts_store.move(
                    db,
                    drafts_store.reread(db, draft.id),
                    "archived",
                    action="archive",
                    by="xiaowang",
                    by_name="小王",
                    now=at + timedelta(days=7),
                )
                posts_store.attach(db, post_id, draft.id, "link")
