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
from functools import cache

from handlers.drafting import compliance, compress, titles
from handlers.drafting.article import Sentence, Source, clauses, tag_terms
from handlers.drafting.data_files import load_json
from handlers.drafting.facts import find as find_facts
from handlers.drafting.facts import missing, squash
from handlers.drafting.form import CONTACT_KINDS, script_text, shape
from handlers.drafting.form import rate as form_rate
from handlers.drafting.form import seconds as form_seconds
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
    head = _plain_title(src.title) if profile["form"] in ("note", "video") else src.title
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
        if not _sayable(c):
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


_ADDRESS_LIKE = re.compile(r"https?|//|www\.|@|\.(?:com|cn|net|org)\b", re.IGNORECASE)


def _sayable(words: str) -> bool:
    """Fit for a title or a hook: no link, e-mail or contact, nor a piece of one (「//a.example.com/x」,
    「咨询微信 nuandon」)."""
    if _ADDRESS_LIKE.search(words) or any(
        f.kind in ("link", "email", *CONTACT_KINDS) for f in find_facts(words)
    ):
        return False
    return not (_may_divert(words) and any(f.category == "diversion" for f in compliance.check_terms(words)))


_TITLE_BREAK = re.compile(r"[｜|，,；;！!？?]|[:：—–]")


def tags_for(src: Source, profile: dict) -> list[str]:
    """The version's topics: the source's own key terms that stand as words (never fragments)."""
    topics = shape(profile).get("topics") or _targets(profile).get("tags", 5)
    most = topics if isinstance(topics, int) else topics[1]
    return format_tags(tag_terms(src, limit=most), profile) if most else []


def _ended(text: str) -> str:
    return text if re.search(r"[。！？!?；;，,）)”」]$", text) else text + "。"


def _speakable(text: str) -> str:
    """A sentence as said aloud: links and addresses in e-mail form are shown on screen instead."""
    return re.sub(r"[:：]?\s*(?:https?://\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)", "（见字幕）", text)


def adapt(src: Source, profile: dict) -> Version:
    """The platform's version of ``src`` in the platform's shape (see the module docstring)."""
    form = profile["form"]
    options = title_options(src, profile)
    title = options[0] if options else ""
    tags = tags_for(src, profile)
    if form in ("article", "answer"):
        body, extra = _article(src, profile)
    elif form == "video":
        body, extra = _video(src, profile, title, tags)
    elif form == "post":
        body, extra = _post(src, profile, tags)
    else:
        body, extra = _note(src, profile, tags)
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
    rule = _rule_note(profile, src)
    if rule and version.dropped_facts:
        version.notes.append(rule)
    return version


def _article(src: Source, profile: dict) -> tuple[str, dict]:
    """公众号 and the like: the article whole, its headings on their own lines, a digest."""
    target = _targets(profile)
    hard = min((profile.get("body") or {}).get("max") or 20000, target.get("hard", 20000))
    body = src.body_text()
    if _len(body, profile) > hard:
        body = _paragraphs(src, choose(src, profile, soft=hard, hard=hard))
    extra: dict = {}
    if profile.get("digest"):
        limit = min(profile["digest"]["max"], shape(profile).get("digest_max", profile["digest"]["max"]))
        extra["digest"] = _digest(src, limit)
    else:
        extra["summary"] = src.lead.text if src.lead else ""
    return body, extra


class _Allowed:
    """What a version for this platform may carry: links and contacts go where its rules say, and a
    clause that sends readers to another platform to buy (「在美团和饿了么同步上线」 on 抖音) is left out
    where the platform forbids it — the facts it held are then listed as left out."""

    def __init__(self, profile: dict):
        sh = shape(profile)
        self.profile = profile
        self.no_links = sh.get("links") == "drop"
        self.no_contacts = sh.get("contacts") == "drop"
        self._seen: dict[str, bool] = {}

    def __call__(self, fact) -> bool:
        return not (
            (self.no_links and fact.kind == "link") or (self.no_contacts and fact.kind in CONTACT_KINDS)
        )

    def clause(self, text: str) -> bool:
        if not (self.no_links or self.no_contacts):
            return True
        if not _may_divert(text):
            return True
        if text not in self._seen:  # a version tries the same sentences many times
            self._seen[text] = not any(
                f.category == "diversion" and f.severity == "high"
                for f in compliance.check_terms(text, self.profile["key"])
            )
        return self._seen[text]


@cache
def _diversion_words() -> re.Pattern:
    """Every word a diversion rule needs or lists (and long digit runs, for phone numbers): text
    without any of them cannot divert, and skips the check."""
    data = compliance.rules()["diversion"]
    words = {t["term"] for t in data["terms"]}
    for rule in data["patterns"]:
        words.update(rule.get("needs") or [])
    alternatives = sorted((re.escape(w) for w in words if w), key=len, reverse=True)
    return re.compile("|".join(alternatives) + r"|\d{7}", re.IGNORECASE)


def _may_divert(text: str) -> bool:
    """Read as the check reads (normalised: 加 微 信 is 加微信), so the shortcut never skips a hit."""
    return _diversion_words().search(compliance.normalise(text)[0]) is not None


def _rule_note(profile: dict, src: Source) -> str | None:
    """Why a version leaves out the source's links or contacts (the platform forbids them), if it does."""
    ok = _Allowed(profile)
    gone = [f for f in src.facts if not ok(f)]
    if not gone:
        return None
    what = "、".join(sorted({"链接" if f.kind == "link" else "联系方式" for f in gone}))
    return f"{profile['name']}不允许在正文放站外{what}，这一版没有写进去（见下面没写进这一版的信息）。"


def _facts_in(piece: str, facts: list) -> list:
    """Which of ``facts`` (a sentence's, found once) a piece of that sentence holds."""
    have = squash(piece)
    return [f for f in facts if squash(f.text) in have]


def _short(s: Sentence, ok: _Allowed) -> str:
    """A chosen sentence, compressed, without the clauses that hold what the platform forbids."""
    text = compress.sentence(s.spoken)
    if not re.search(r"[。！？!?；;…”」）).]$", text):
        text += "。"  # a line of the source (活动时间：…) becomes a sentence of the teaser
    if all(ok(f) for f in s.facts) and ok.clause(text):
        return text
    kept = [c for c in compress.clauses(text) if all(ok(f) for f in _facts_in(c, s.facts)) and ok.clause(c)]
    return ("，".join(kept) + "。") if kept else ""


def _run_in(pieces) -> str:
    """Sentences run together as Chinese runs them, with a space after an English full stop."""
    out = ""
    for piece in pieces:
        if out and piece and re.search(r"[.!?]$", out) and piece[:1].isascii():
            out += " "
        out += piece
    return out


def _key_score(s: Sentence, kinds: tuple[str, ...]) -> int:
    return sum(1 for f in s.facts if f.kind in kinds)


def _post(src: Source, profile: dict, tags: list[str]) -> tuple[str, dict]:
    """微博: #话题#, 【title】, a teaser of 1–3 sentences with the key facts, the link to the full text."""
    sh = shape(profile)
    low, high = sh["length"]
    kinds = tuple(sh["key_kinds"])
    ok = _Allowed(profile)
    head = "".join(tags[: sh["topics"]])
    title = _plain_title(src.title)
    top = f"【{title}】" if title else ""
    links = [f.text for f in src.facts if f.kind == "link"]
    tail = f"{sh['link_label']}{links[0]}" if links else ""
    budget = high - _len(head + top + tail, profile)
    pool = [s for s in src.sentences if s.kind != "header" and s.spoken]
    picked: list[Sentence] = []
    places: dict[int, float] = {}
    # then, for each kind of key fact not yet said (when, where, how much), the sentence that says
    # the most of that kind, shortest first; the lead opens the teaser unless it says no fact and
    # the key facts need every sentence the teaser has
    groups = [k for k in (("date", "time"), ("place", "address"), ("money", "deal")) if set(k) & set(kinds)]
    present = [g for g in groups if any(f.kind in g for f in src.facts)]
    if src.lead is not None and (src.lead.facts or len(present) < sh["sentences"][1]):
        picked.append(src.lead)
    # parallel items (two jobs, three ticket tiers) are named together in one line, never one of them
    items = _items_line(src, ok)
    if items is not None and len(picked) < sh["sentences"][1]:
        line, members = items
        trial = _run_in(_short(x, ok) for x in _in_order(src, picked, places)) + line.text
        if _len(trial, profile) <= budget * 0.8:
            places[id(line)] = src.sentences.index(members[0]) - 0.5
            picked.append(line)
            pool = [s for s in pool if s not in members]
    # the facts behind the title's promise (「一块更亮的屏，一颗更大的电池」: 4500尼特, 6000mAh) come
    # right after the lead: the sentence with facts that shares the most two-character words with it
    claim = _title_claim(src, title, [s for s in pool if s not in picked])
    if claim is not None and len(picked) < sh["sentences"][1]:
        trial = _run_in(_short(x, ok) for x in _in_order(src, [*picked, claim], places))
        if _len(trial, profile) <= budget * 0.7:
            picked.append(claim)
    for group in groups:
        if len(picked) >= sh["sentences"][1]:
            break
        if any(f.kind in group for s in picked for f in s.facts):
            continue

        def worth(s: Sentence, g: tuple[str, ...] = group) -> tuple[float, int]:
            """The most facts of the kind, then the most of the source's key terms, then the shortest."""
            return (-_key_score(s, g) - 0.5 * sum(t in s.text for t in src.terms[:5]), len(s.spoken))

        ranked = sorted((s for s in pool if s not in picked and _key_score(s, group)), key=worth)
        for s in ranked:
            trial = _run_in(_short(x, ok) for x in _in_order(src, [*picked, s], places))
            if _len(trial, profile) <= budget:
                picked.append(s)
                break
    # a teaser shorter than the usual length takes the sentences with the most facts, up to 3
    for s in sorted((s for s in pool if s not in picked and s.facts), key=lambda s: -len(s.facts)):
        current = _run_in(_short(x, ok) for x in _in_order(src, picked, places))
        if _len(head + top + current + tail, profile) >= low or len(picked) >= sh["sentences"][1]:
            break
        if _len(current + _short(s, ok), profile) <= budget:
            picked.append(s)
    teaser = _run_in(_short(x, ok) for x in _in_order(src, picked, places))
    while _len(teaser, profile) > budget and len(picked) > 1:
        picked.pop()
        teaser = _run_in(_short(x, ok) for x in _in_order(src, picked, places))
    if _len(teaser, profile) > budget:  # one long lead: its clauses until the budget
        cut = ""
        for c in compress.clauses(teaser):
            if _len(cut + c, profile) + 1 > budget:
                break
            cut += c + "，"
        teaser = cut.rstrip("，") + "。"
    body = head + top + teaser + tail
    return body, {"summary": teaser}


def _title_claim(src: Source, title: str, pool: list[Sentence]) -> Sentence | None:
    """The sentence with facts that shares the most two-character words with the title (at least 3)."""
    pairs = {
        title[i : i + 2]
        for i in range(len(title) - 1)
        if re.fullmatch(r"[\u4e00-\u9fff]{2}", title[i : i + 2])
    }
    best, best_n = None, 2
    for s in pool:
        if not s.facts or s is src.lead:
            continue
        n = sum(p in s.text for p in pairs)
        if n > best_n:
            best, best_n = s, n
    return best


def _plain_title(title: str) -> str:
    """A title without its 【标签】 and # marks (【新品发布】星河 S7 → 星河 S7)."""
    return re.sub(r"【[^】]{0,8}】|^#+\s*", "", title).strip()


def _in_order(src: Source, chosen: list[Sentence], places: dict[int, float] | None = None) -> list[Sentence]:
    """``chosen`` in source order; ``places`` puts a line made here (the items line) where it belongs."""
    order: dict[int, float] = {id(s): i for i, s in enumerate(src.sentences)}
    order.update(places or {})
    return sorted(chosen, key=lambda s: order[id(s)])


# A run of parallel items, each a head with an optional bracket and a colon: 门店店长（2名）：…
_ITEM_HEAD = re.compile(r"^([\u4e00-\u9fffA-Za-z0-9·]{2,12})(?:[（(]([^）)]{1,12})[）)])?[：:](?=\s*\S)")
_LABELS = ("时间", "地点", "地址", "方式", "方面", "电话", "日期", "费用", "对象", "要求", "内容", "说明")
# what an item costs or pays, strongest first: a named price or pay, then a sum of money
_PAY = (
    re.compile(r"薪资|月薪|年薪|底薪|售价|价格|单价|票价|[¥￥]|\d[\d.,]*\s*元"),
    re.compile(r"\d[\d.,\-~]*\s*[Kk](?![A-Za-z])"),
)


def _items_line(src: Source, ok: _Allowed) -> tuple[Sentence, list[Sentence]] | None:
    """Two or more parallel items (岗位, 套餐, 票档) as one line for a teaser: each head with what its
    bracket says and the clause with its pay or price — 「门店店长（2名，薪资 9-13K·14薪）、新媒体运营
    （1名，薪资 8-12K）」 — led by the sentence that announces them (这次开放两个岗位：). With the items
    it stands for, so a teaser names every item instead of one."""
    runs: list[list[tuple[int, Sentence, re.Match]]] = []
    for i, s in enumerate(src.sentences):
        m = _ITEM_HEAD.match(s.spoken)
        if not m or s.kind == "header" or m.group(1).endswith(_LABELS):
            continue
        if runs and runs[-1][-1][0] == i - 1:
            runs[-1].append((i, s, m))
        else:
            runs.append([(i, s, m)])
    run = max(runs, key=len, default=[])
    if len(run) < 2:
        return None
    parts = []
    for _, s, m in run:
        inner = [m.group(2)] if m.group(2) else []
        said = compress.clauses(s.spoken[m.end() :])
        pay = next((c for p in _PAY for c in said if p.search(c) and ok.clause(c)), None)
        if pay:
            inner.append(pay.strip())
        if not inner:
            return None  # labels, not items
        parts.append(f"{m.group(1)}（{'，'.join(inner)}）")
    line = "、".join(parts) + "。"
    first = run[0][0]
    before = src.sentences[first - 1] if first > 0 else None
    if before is not None and before.spoken.endswith(("：", ":")) and not before.facts:
        line = before.spoken.rstrip(":") + line
    facts = [f for _, s, _ in run for f in s.facts if squash(f.text) in squash(line)]
    return Sentence(line, run[0][1].para, "text", facts), [s for _, s, _ in run]


def _note(src: Source, profile: dict, tags: list[str]) -> tuple[str, dict]:
    """小红书: short opening paragraphs, the selling points or specs one per line with a marker, topics."""
    sh = shape(profile)
    low, high = sh["length"]
    ok = _Allowed(profile)
    marker = sh["list_marker"]
    lead = src.lead
    opening: list[str] = []
    if lead is not None:
        opening = _lines(_short(lead, ok), sh["paragraph_max"], profile)
    # the list: each paragraph that carries facts offers one line — the fact-bearing clauses of one
    # of its sentences (one with a price, date or place, else the most facts), as many as fit a line
    # with its marker; the paragraphs with the most facts first, at most the shape's number of lines,
    # shown in the order of the source; then a line for a place, price or date nothing said yet
    key_kinds = ("money", "deal", "date", "time", "place", "address")
    width = sh["paragraph_max"] - _len(marker, profile)
    offers: dict[int, str] = {}
    best_of: dict[int, tuple] = {}
    every_line: list[tuple[int, int, str, list]] = []  # (paragraph, sentence index, line, facts)
    for s in src.sentences:
        if s is lead or not s.facts or s.kind == "header":
            continue
        line = ""
        whole = compress.sentence(s.spoken)
        diverts = not ok.clause(whole)  # then each clause is checked on its own
        for c in compress.clauses(whole):
            facts_here = _facts_in(c, s.facts)
            if not facts_here or not all(ok(f) for f in facts_here) or (diverts and not ok.clause(c)):
                continue
            trial = f"{line}，{c}" if line else c
            if _len(trial, profile) <= width:
                line = trial
        if not line:
            continue
        facts_in = _facts_in(line, s.facts)
        every_line.append((s.para, len(every_line), line, facts_in))
        score = (any(f.kind in key_kinds for f in facts_in), len(facts_in))
        if s.para not in best_of or score > best_of[s.para]:
            best_of[s.para] = score
            offers[s.para] = line
    budget = high - _len(" ".join(tags), profile) - 4
    lines = list(opening)
    used = sum(_len(x, profile) + 1 for x in lines)
    ranked = sorted(offers.items(), key=lambda kv: (tuple(-x for x in best_of[kv[0]]), kv[0]))
    picked: list[int] = []
    for para, line in ranked:
        cost = _len(marker + line, profile) + 1
        if len(picked) >= sh["list"][1] or used + cost > budget:
            continue
        picked.append(para)
        used += cost
    chosen = [(p, offers[p]) for p in picked]
    for group in (("place", "address"), ("money", "deal"), ("date", "time")):
        said = squash(" ".join([*lines, *(x for _, x in chosen)]))
        if any(f.kind in group and squash(f.text) in said for f in src.facts):
            continue
        extra_line = next(
            (
                e
                for e in every_line
                if e[2] not in (x for _, x in chosen) and any(f.kind in group for f in e[3])
            ),
            None,
        )
        if extra_line and used + _len(marker + extra_line[2], profile) + 1 <= budget:
            chosen.append((extra_line[0], extra_line[2]))
            used += _len(marker + extra_line[2], profile) + 1
    listed = [marker + line for _, line in sorted(chosen, key=lambda x: x[0])]
    # short sources: the sentences the list does not already say, as short paragraphs after the
    # opening, until the usual length
    if used < low:
        said = squash("".join(lines + listed))
        for s in src.sentences:
            if used >= low:
                break
            if s is lead or s.kind == "header" or not s.spoken:
                continue
            text = _short(s, ok)
            if not text or (s.facts and all(squash(f.text) in said for f in s.facts if ok(f))):
                continue
            for piece in _lines(text, sh["paragraph_max"], profile):
                if used + _len(piece, profile) + 1 > budget:
                    break
                lines.append(piece)
                used += _len(piece, profile) + 1
                said += squash(piece)
    if listed:
        lines += ["", *listed]
    body = "\n".join(lines).strip()
    return body, {"summary": _short(lead, ok) if lead else ""}  # what the platform allows, as the body


# after a clause's punctuation; a comma inside a number (1,000) is not a clause end
_CLAUSE_END = re.compile(r"(?<=[，。！？；;!?])|(?<=,)(?!\d{3}(?!\d))")


def _lines(text: str, limit: int, profile: dict) -> list[str]:
    """A paragraph cut at clause ends into lines of at most ``limit`` (a phone screen's width)."""
    out: list[str] = []
    cur = ""
    for piece in _CLAUSE_END.split(text):
        if cur and _len(cur + piece, profile) > limit:
            out.append(cur)
            cur = ""
        cur += piece
    if cur:
        out.append(cur)
    return out


def _video(src: Source, profile: dict, title: str, tags: list[str]) -> tuple[str, dict]:
    """抖音 / 视频号 / B站: a hook said in ≤ 3 s, 4–8 shots of one idea, ≤ 2 short subtitles each,
    a voice-over timed at the stated rate, a closing line; a caption with the tags (and the link
    where the platform allows it)."""
    sh = shape(profile)
    ok = _Allowed(profile)
    per_second = form_rate()
    lo_shots, hi_shots = sh["shots"]
    max_seconds = sh["duration"][1] - 2
    hook = _hook(src, sh["hook_seconds"] * per_second)
    cta = sh["cta"]
    spent = form_seconds(hook) + form_seconds(cta)
    # one idea per shot: each paragraph offers its best sentence (the most facts per second, cut to a
    # shot's length); the lead's paragraph first, then those with a price, date or place, then the
    # ones with the most facts not yet said, until the time or the shots run out
    pool = [s for s in src.sentences if s.kind != "header" and s.spoken]
    offers: dict[int, tuple[Sentence, str]] = {}
    for s in pool:
        said = _spoken_cut(_speakable(_short(s, ok)), sh["shot_seconds"][1] * per_second)
        if not said or form_seconds(said) < sh["shot_seconds"][0]:
            continue
        if s.facts and not _said_facts(s, said):  # its facts were all the platform's to drop (a link)
            continue
        best = offers.get(s.para)
        if best is None or _said_facts(s, said) > _said_facts(best[0], best[1]):
            offers[s.para] = (s, said)
    key_kinds = ("money", "deal", "date", "time", "place", "address")
    lead_para = src.lead.para if src.lead is not None else None

    def rank(item: tuple[Sentence, str]) -> tuple:
        s, said = item
        keys = sum(f.kind in key_kinds for f in s.facts if squash(f.text) in squash(said))
        return (s.para != lead_para, keys == 0, -_said_facts(s, said), s.para)

    shots: list[tuple[Sentence, str]] = []
    for s, said in sorted(offers.values(), key=rank):
        if len(shots) >= hi_shots:
            break
        if spent + form_seconds(said) > max_seconds:
            continue
        shots.append((s, said))
        spent += form_seconds(said)
    # a short source has fewer paragraphs than shots: its other sentences, one idea each
    if len(shots) < lo_shots:
        for s in sorted(pool, key=lambda s: (-len(s.facts), pool.index(s))):
            if len(shots) >= lo_shots:
                break
            if any(s is x for x, _ in shots):
                continue
            said = _spoken_cut(_speakable(_short(s, ok)), sh["shot_seconds"][1] * per_second)
            if not said or form_seconds(said) < 2 or spent + form_seconds(said) > max_seconds:
                continue
            if s.facts and not _said_facts(s, said):
                continue
            shots.append((s, said))
            spent += form_seconds(said)
    shots = sorted(shots, key=lambda x: pool.index(x[0]))
    scenes = []
    for s, said in shots:
        subtitles = _subtitles(s, said, sh, ok)
        kinds = [f.kind for f in s.facts if f.text in subtitles] or [""]
        picture = sh["pictures"].get(kinds[0], sh["pictures"][""])
        scenes.append({"画面": picture, "字幕": subtitles, "口播": said, "秒": form_seconds(said)})
    seconds_total = max(form_seconds(hook), 1) + sum(x["秒"] for x in scenes) + form_seconds(cta)
    body = script_text(hook, sh["hook_seconds"], scenes, cta)
    links = [f.text for f in src.facts if f.kind == "link" and ok(f)]
    caption = " ".join([title or hook, *links, *tags]).strip()
    extra = {
        "hook": hook,
        "hook_seconds": sh["hook_seconds"],
        "scenes": scenes,
        "cta": cta,
        "caption": caption,
        "summary": (_short(src.lead, ok) if src.lead else "") or hook,
        "seconds": seconds_total,
    }
    return body, extra


def _said_facts(s: Sentence, said: str) -> int:
    have = squash(said)
    return sum(1 for f in s.facts if squash(f.text) in have)


def _hook(src: Source, max_chars: float) -> str:
    """A line said in the first seconds: a clause of the title or the lead short enough to say."""
    title = _plain_title(src.title)
    pieces = [p.strip() for p in re.split(r"[：:｜|，,！!？?—]", title) if p.strip()]
    joined = ""  # the title's clauses from the start, as many as can be said in time (星河 S7：一块更亮的屏)
    for p in pieces:
        trial = f"{joined}，{p}" if joined else p
        if form_seconds(trial) * form_rate() > max_chars:
            break
        joined = trial
    if joined and form_seconds(joined) >= 2 and _sayable(joined):
        return joined
    candidates = pieces + (compress.clauses(compress.sentence(src.lead.spoken)) if src.lead else [])
    for c in candidates:
        c = c.strip("：:｜|—- ")
        if (
            4 <= form_seconds(c) * form_rate() <= max_chars
            and not re.fullmatch(r"[\d\s.:：月日年点号]+", c)
            and _sayable(c)
        ):
            return c
    for head in (_plain_title(src.title), *candidates):
        if not _sayable(head):  # judged whole: a cut link or number no longer looks like one
            continue
        cut = (_spoken_cut(head, max_chars) or head[: int(max_chars)]).strip("：:｜|—- ")
        if cut:
            return cut
    return ""  # nothing sayable: the form check reports the missing hook


def _spoken_cut(text: str, max_chars: float) -> str:
    """``text`` cut at its last clause end that fits ``max_chars`` of speech."""
    if form_seconds(text) * form_rate() <= max_chars:
        return text
    out = ""
    for piece in _CLAUSE_END.split(text):
        if form_seconds(out + piece) * form_rate() > max_chars:
            break
        out += piece
    return out.rstrip("，,；;") + ("。" if out and not out.endswith(("。", "！", "？")) else "")


def _subtitles(s: Sentence, said: str, sh: dict, ok) -> list[str]:
    """At most two on-screen items for a shot: its facts that are short enough, key kinds first."""
    order = {"money": 0, "deal": 0, "date": 1, "time": 1, "place": 2, "address": 2, "number": 3, "percent": 3}
    facts = sorted((f for f in s.facts if ok(f) and f.kind != "link"), key=lambda f: order.get(f.kind, 4))
    out: list[str] = []
    for f in facts:
        text = f.text.strip("「」《》")
        if len(text) <= sh["screen_chars"] and text not in out and squash(f.text) in squash(said):
            out.append(text)
        if len(out) >= sh["screen_items"]:
            break
    return out


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
    gone = {id(f) for f in dropped}
    version.kept_facts = [f for f in facts if id(f) not in gone]
