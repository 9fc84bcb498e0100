"""「什么时候发更好」 from the team's own posts, offered where a time is chosen (档期, 定时).

Only a stated pattern (see :func:`handlers.shared.results.best_hour`) becomes advice; otherwise the
hint says how much data there is, or nothing when there is none.
"""

from __future__ import annotations

from datetime import date, timedelta

from handlers.shared import platforms, results, vocab
from storage import posts as posts_store

WINDOW_DAYS = 90


def hint(db, team_id: int, platform: str, today: date, *, chosen_hour: int | None = None) -> str | None:
    """One line in Chinese, or None when the team has no timed posts on ``platform``."""
    posts = [
        p
        for p in posts_store.of_team(
            db, team_id, platform=platform, start=today - timedelta(days=WINDOW_DAYS)
        )
        if p.get("published_time")
    ]
    if not posts:
        return None
    name = platforms.profiles()[platform]["name"]
    by_account: dict[int, list[dict]] = {}
    for p in posts:
        by_account.setdefault(p["account_id"], []).append(p)
    rows = max(by_account.values(), key=len)  # the account with the most timed posts speaks
    metric = results.main_metric(rows)
    best = results.best_hour(rows, metric) if metric else None
    if best is None or metric is None:
        return f"过去 {WINDOW_DAYS} 天{name}有发布时间的作品 {len(rows)} 条，还看不出哪个时段更好。"
    hour, other, ratio, n1, n2 = best
    line = (
        f"过去 {WINDOW_DAYS} 天你们{name} {hour}:00 发的作品{vocab.metrics()[metric]['name']}中位数是 {other}:00 的"
        f" {ratio:.1f} 倍（{hour} 点 {n1} 条，{other} 点 {n2} 条）"
    )
    if chosen_hour is not None and chosen_hour != int(hour):
        line += f"；可以考虑放在 {hour}:00 前后"
    return line + "。"
