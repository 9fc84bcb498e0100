"""Adaptation without a model: each platform's version made of the source's own sentences.

Sentences are chosen, never written: the lead sentence, then the sentences that carry the most
facts not yet covered (per character), until every fact is in or the platform's hard limit is
reached, then the sentences richest in key terms until the form's usual length. What did not fit
is listed, not hidden. The forms:

- ``post`` (微博): two topics, 【title】, the chosen sentences run together;
- ``note`` (小红书): a title that fits, the chosen sentences in their paragraphs, topics at the end;
- ``video`` (抖音, 视频号, B站): a hook (the title, spoken), up to six scenes of the chosen sentences
  with the facts of each as on-screen text, links and numbers to dial shown, not read out;
- ``article`` / ``answer`` (公众号, 头条号, 知乎…): the whole text, a title that fits, a digest
  made of whole sentences.
"""

from __future__ import annotations

import re

from handlers.drafting import compliance, titles
from handlers.drafting.article import Sentence, Source, clauses
from handlers.drafting.data_files import load_json
from handlers.drafting.facts import find as find_facts
from handlers.drafting.facts import missing, squash
from handlers.drafting.version import Version, format_tags, review


def _targets(profile: dict) -> dict:
    return load_json("adapt_targets.json")["forms"][profile["form"]]


def _len(text: str, profile: dict) -> float:
    return compliance.measure(text, profile)


def choose(src: Source, profile: dict, *, soft: int, hard: int) -> list[Sentence]:
    """The sentences of this version, in source order (see the module docstring)."""
    pool = [s for s in src.sentences if s.kind != "header"]
    chosen: list[Sentence] = []
    used = 0.0

    def take(s: Sentence) -> bool:
        nonlocal used
        cost = _len(s.text, profile) + 1
        if used + cost > hard:
            return False
        chosen.append(s)
        used += cost
        return True

    if src.lead is not None:
        take(src.lead)
    covered = {squash(f.text) for s in chosen for f in s.facts}
    while True:
        best, best_gain = None, 0.0
        for s in pool:
            if s in chosen:
                continue
            new = [f for f in s.facts if squash(f.text) not in covered]
            if not new:
                continue
            gain = len(new) / (_len(s.spoken, profile) + 8)
            if gain > best_gain:
                best, best_gain = s, gain
        if best is None:
            break
        if take(best):
            covered |= {squash(f.text) for f in best.facts}
        else:
            pool.remove(best)
    terms = src.terms
    rest = sorted(
        (s for s in pool if s not in chosen),
        key=lambda s: -sum(s.text.count(t) for t in terms) / (len(s.text) + 10),
    )
    for s in rest:
        if used >= soft:
            break
        if sum(s.text.count(t) for t in terms) == 0:
            continue
        take(s)
    order = {id(s): i for i, s in enumerate(src.sentences)}
    return sorted(chosen, key=lambda s: order[id(s)])


def _headers_for(src: Source, chosen: list[Sentence]) -> dict[int, str]:
    """The lead-in line (``活动内容：``) of each chosen list item's paragraph group, by its index."""
    out: dict[int, str] = {}
    last_header = None
    chosen_ids = {id(s) for s in chosen}
    for s in src.sentences:
        if s.kind == "header":
            last_header = s
        elif s.kind == "text":
            last_header = None
        elif id(s) in chosen_ids and last_header is not None:
            out[id(s)] = last_header.text
            last_header = None
    return out


def _paragraphs(src: Source, chosen: list[Sentence]) -> str:
    headers = _headers_for(src, chosen)
    lines: list[str] = []
    last_para = None
    for s in chosen:
        if id(s) in headers:
            lines.append(headers[id(s)])
            lines.append(s.text)
        elif s.kind == "item" or last_para is None or s.para != last_para:
            lines.append(s.text)
        else:
            lines[-1] += s.text
        last_para = s.para
    return "\n".join(lines)


def title_options(src: Source, profile: dict, count: int = 3) -> list[str]:
    """Titles made of the source's own words that fit the platform and pass the check.

    In order: the whole title; the title cut at a clause boundary (longest first); its other
    clauses and the lead's, those with a fact first. A clause that is only a date or a number is
    not a title.
    """
    if not profile.get("title"):
        return []
    head = src.title
    cuts = [head[: m.start()] for m in _TITLE_BREAK.finditer(head) if m.start() > 0]
    parts = [*clauses(head)]
    if src.lead is not None:
        parts += clauses(src.lead.spoken)
    parts.sort(key=lambda c: (-len(find_facts(c)), -len(c)))
    out: list[str] = []
    for c in [head, *sorted(cuts, key=len, reverse=True), *parts]:
        c = c.strip(" ：:，,。｜|")
        if not c or c in out or len(c) < 6 or any(squash(f.text) == squash(c) for f in find_facts(c)):
            continue
        if titles.fits(c, profile) and titles.clean(c):
            out.append(c)
    if not out and head:
        cut = head
        while cut and compliance.measure(cut, profile) > profile["title"]["max"]:
            cut = cut[:-1]
        if titles.fits(cut, profile):
            out.append(cut)
    return out[:count]


_TITLE_BREAK = re.compile(r"[｜|，,；;！!？?]|[:：—–]")


def tags_for(src: Source, profile: dict) -> list[str]:
    return format_tags(src.terms[: _targets(profile).get("tags", 5)], profile)


def _scenes(src: Source, chosen: list[Sentence], limit: int, per_scene: int) -> list[dict]:
    spoken = [s for s in chosen if s.spoken]
    groups: list[list[Sentence]] = []
    for s in spoken:
        if groups and (
            len(groups) >= limit or sum(len(x.spoken) for x in groups[-1]) + len(s.spoken) <= per_scene
        ):
            groups[-1].append(s)
        else:
            groups.append([s])
    scenes = []
    for group in groups:
        shown = [f.text for s in group for f in s.facts]
        said = "".join(_ended(_speakable(s.spoken)) for s in group)
        picture = ("字幕：" + "｜".join(shown)) if shown else "出镜口播"
        scenes.append({"画面": picture, "口播": said or "（见字幕）"})
    return scenes


def _ended(text: str) -> str:
    return text if re.search(r"[。！？!?；;，,）)”」]$", text) else text + "。"


def _speakable(text: str) -> str:
    """A sentence as said aloud: links and addresses in e-mail form are shown on screen instead."""
    return re.sub(r"[:：]?\s*(?:https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)", "（见字幕）", text)


def adapt(src: Source, profile: dict) -> Version:
    """The platform's version of ``src`` (see the module docstring)."""
    target = _targets(profile)
    form = profile["form"]
    hard = (profile.get("body") or {}).get("max") or 1000
    hard = min(hard, target.get("hard", hard))
    options = title_options(src, profile)
    title = options[0] if options else ""
    tags = tags_for(src, profile)
    extra: dict = {}
    if form in ("article", "answer"):
        body = src.body_text()
        if _len(body, profile) > hard:
            body = _paragraphs(src, choose(src, profile, soft=hard, hard=hard))
        lead = src.lead.text if src.lead else ""
        if profile.get("digest"):
            extra["digest"] = _digest(src, profile["digest"]["max"])
        else:
            extra["summary"] = lead
    elif form == "video":
        seconds = profile.get("script", {}).get("hook_seconds", 3)
        hook = src.title or (src.lead.spoken if src.lead else "")
        budget = hard - 60
        while True:  # on-screen text repeats the facts: shrink the budget until the script fits
            chosen = choose(src, profile, soft=min(target["soft"], budget), hard=budget)
            scenes = _scenes(src, chosen, target["scenes"], target["per_scene"])
            has_contact = any(
                f.kind in ("link", "phone", "email", "address") for s in chosen for f in s.facts
            )
            cta = "详细信息看字幕和简介，关注我们" if has_contact else "关注我们，评论区聊聊"
            lines = [f"【开头 {seconds} 秒】{hook}"]
            lines += [f"【镜头 {i}】画面：{s['画面']}；口播：{s['口播']}" for i, s in enumerate(scenes, 1)]
            lines.append(f"【结尾】{cta}")
            body = "\n".join(lines)
            over = _len(body, profile) - hard
            if over <= 0 or budget <= 0:
                break
            budget -= over // 2 + 10
        extra = {"hook": hook, "hook_seconds": seconds, "scenes": scenes, "cta": cta}
        links = [f.text for s in chosen for f in s.facts if f.kind == "link"]
        extra["caption"] = " ".join([title or hook, *links, *tags]).strip()
        extra["summary"] = src.lead.text if src.lead else hook
    else:
        head = "".join(tags[:2]) if form == "post" else ""
        top = f"【{src.title}】" if form == "post" and src.title else ""
        budget = hard - _len(head + top, profile) - 2
        while True:  # lead-in lines of list items are not in the budget: shrink it until the body fits
            chosen = choose(src, profile, soft=min(target["soft"], budget), hard=budget)
            body = head + top + _paragraphs(src, chosen)
            over = _len(body, profile) - hard
            if over <= 0 or budget <= 0:
                break
            budget -= over + 4
        extra["summary"] = src.lead.text if src.lead else ""
    version = Version(
        platform=profile["key"],
        title=title if profile.get("title") else "",
        title_options=options,
        body=body,
        tags=tags,
        extra=extra,
        source="extract",
    )
    version.findings = review(version, profile)
    settle_facts(version, src.facts)
    return version


def _digest(src: Source, limit: int) -> str:
    """Whole sentences of the opening paragraph that fit ``limit``; the lead's clauses if it alone is longer."""
    lead = src.lead
    if lead is None:
        return ""
    out = ""
    for s in src.sentences:
        if s.kind != "text" or s.para != lead.para:
            continue
        if len(out) + len(s.text) > limit:
            break
        out += s.text
    if not out:
        for piece in re.split(r"(?<=[，,；;])", lead.text):
            if len(out) + len(piece) > limit:
                break
            out += piece
    return out.rstrip("，,；;")


def settle_facts(version: Version, facts: list) -> None:
    """Split ``facts`` into the ones this version keeps and the ones it leaves out."""
    dropped = missing(facts, version.full_text())
    version.dropped_facts = dropped
    version.kept_facts = [f for f in facts if f not in dropped]
