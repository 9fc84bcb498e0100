"""How a draft reads in chat: its text, its check findings, its history and the buttons for its next step."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.models import Button
from handlers.drafting import compliance
from handlers.drafting.facts import Fact, listing
from handlers.shared import platforms
from handlers.shared.draft_workflow import ACTION_NAMES
from storage.drafts import Draft


def profile_of(key: str) -> dict:
    return platforms.profiles()[key]


def render(
    draft: Draft, *, with_history: list[dict] | None = None, findings=None, tz: ZoneInfo | None = None
) -> str:
    profile = profile_of(draft.platform)
    lines = []
    if draft.title:
        lines.append(f"**标题**：{draft.title}")
        others = [t for t in draft.extra.get("title_options", []) if t != draft.title]
        if others:
            lines.append("备选：" + "；".join(others))
    if draft.extra.get("digest"):
        lines.append(f"**摘要**：{draft.extra['digest']}")
    lines.append("")
    lines.append(draft.body)
    if draft.extra.get("caption"):
        lines.append(f"\n**文案**：{draft.extra['caption']}")
    if draft.tags and profile["form"] != "post":
        lines.append("\n" + " ".join(draft.tags))
    dropped = draft.extra.get("dropped_facts") or []
    if dropped:
        shown = listing([Fact(f["kind"], f["text"]) for f in dropped])
        lines.append(f"\n**原文里这些信息没写进这一版**：{shown}")
    elif draft.extra.get("kept_facts"):
        lines.append(
            f"\n原文里的 {len(draft.extra['kept_facts'])} 项信息（数字、日期、地址、名称、链接等）都原样保留了。"
        )
    if findings is not None:
        lines.append("")
        body_findings = [f for f in findings if f.where == "body"]
        unsure = compliance.doubts(draft.body, body_findings, limit=3)
        if findings:
            lines.append(f"**检查：发现 {len(findings)} 处可能的问题**")
            lines += compliance.summary_lines(findings, limit=6)
        elif unsure:
            lines.append("**检查**：没有发现已知的广告法或平台规则问题，但有几句拿不准。")
        else:
            lines.append("**检查**：没有发现广告法或平台规则问题。")
        if unsure:
            lines.append(compliance.DOUBT_HEADING)
            lines += [f"· 「{sentence}」" for sentence in unsure]
    if with_history:
        lines.append("\n**记录**")
        for e in with_history:
            at = datetime.fromisoformat(e["at"]).astimezone(tz or ZoneInfo("Asia/Shanghai"))
            note = e["note"]
            if note and e["action"] not in ("edit", "adapt"):
                note = f"：{note}"
            elif note:
                note = f" {note}"
            lines.append(
                f"- {at:%m-%d %H:%M} {e['actor_name'] or e['actor']} {ACTION_NAMES.get(e['action'], e['action'])}{note}"
            )
    return "\n".join(lines).strip()


def findings_for(draft: Draft) -> list[compliance.Finding]:
    profile = profile_of(draft.platform)
    text = draft.body + ("\n" + " ".join(draft.tags) if draft.tags and profile["form"] != "post" else "")
    return compliance.check(text, profile, title=draft.title if profile.get("title") else None)


def buttons(draft: Draft) -> list[Button]:
    n = draft.number
    if draft.status in ("draft", "returned"):
        return [Button("提审", f"提审 {n}", "primary")]
    if draft.status == "review":
        return [Button("通过", f"通过 {n}", "primary"), Button("退回", f"退回 {n}", "danger")]
    if draft.status in ("approved", "scheduled"):
        return [Button("已发布", f"已发布 {n}", "primary")]
    return []
