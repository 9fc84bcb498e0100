"""检查: advertising-law absolute terms, diversion, exaggerated titles and platform length limits.

The word list is data (``data/compliance.json``). Matching runs on a normalised copy of the
text (half-width, lower case, without spaces, emoji or zero-width characters), with a map back
to the offsets of the text as given, so ``最 好`` and ``最😊好`` are found and reported where
they stand. Findings warn; nothing is blocked.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import re
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "compliance.json"
SEVERITY_LABEL = {"high": "高", "medium": "中", "low": "低"}
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
_SENTENCE_ENDS = "。！？!?\n"
_DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}[/.]\d{1,2}|\d{4}-\d{1,2}-\d{1,2}")


@dataclass
class Finding:
    start: int | None
    end: int | None
    text: str
    category: str
    severity: str
    reason: str
    suggestion: str
    where: str = "body"

    def to_json(self) -> dict:
        data = asdict(self)
        data.pop("where")
        return data


@cache
def rules() -> dict:
    """The rule data with every word in its normalised form, and one automaton over all of them."""
    import ahocorasick_rs

    data = json.loads(DATA.read_text(encoding="utf-8"))
    entries: dict[str, list] = {}

    def add(word: str, entry: tuple) -> None:
        for norm in digit_twins(Normalised(word).norm):
            entries.setdefault(norm, []).append(entry)

    _expand_placeholders(data)
    for term in data["terms"]:
        add(term["term"], ("term", term))
    for term in data["diversion"]["terms"]:
        add(term["term"], ("diversion", term))
    for word in data["exemptions"]:
        add(word, ("exempt", None))
    for rule in (*data["exemption_patterns"], *data["claim_patterns"], *data["diversion"]["patterns"]):
        for word in rule.get("needs", ()):  # words a pattern needs: the same pass says which occur
            add(word, ("need", word))
    words = list(entries)
    data["automaton"] = ahocorasick_rs.AhoCorasick(words)
    # Per word, by its index in the automaton: exempt?, the needs it meets, its hits.
    data["word_info"] = [
        (
            any(kind == "exempt" for kind, _ in entries[w]),
            tuple(payload for kind, payload in entries[w] if kind == "need"),
            tuple((kind, payload) for kind, payload in entries[w] if kind in ("term", "diversion")),
        )
        for w in words
    ]
    data["exemption_res"] = [(re.compile(p["pattern"]), p) for p in data["exemption_patterns"]]
    data["claim_res"] = [(re.compile(p["pattern"]), p) for p in data["claim_patterns"]]
    data["diversion_res"] = [(re.compile(p["pattern"]), p) for p in data["diversion"]["patterns"]]
    data["open_superlative_re"] = _open_superlative(data["open_superlative"]["not_before"])
    return data


def _expand_placeholders(data: dict) -> None:
    """Patterns name word classes kept as data: ``{diseases}`` and ``{nicknames}`` (某 + the end of a
    platform's name, 某宝 · 某夕夕 · 某团, minus ordinary words such as 某物)."""
    names = data["diversion"]["platform_names"]
    skip = set(names["not_nicknames"])
    nicknames = {"某" + name[i:].lower() for name in names["names"] for i in range(1, len(name))} - skip
    diseases = data["diseases"]
    classes = {
        "diseases": sorted(diseases["words"], key=len, reverse=True),
        "nicknames": sorted(nicknames, key=len, reverse=True),
    }
    # a class may also match by shape (a condition by how its name ends: 腰痛, 咽炎), needing its endings
    shapes = {"diseases": (diseases.get("shape"), diseases.get("shape_needs", []))}
    for rule in (*data["claim_patterns"], *data["diversion"]["patterns"], *data["exemption_patterns"]):
        for name, words in classes.items():
            slot = "{" + name + "}"
            shape, shape_needs = shapes.get(name, (None, []))
            if slot in rule["pattern"]:
                alternatives = "|".join(map(re.escape, words)) + (f"|{shape}" if shape else "")
                rule["pattern"] = rule["pattern"].replace(slot, alternatives)
            if slot in rule.get("needs", ()):
                rule["needs"] = [w for w in rule["needs"] if w != slot] + words + list(shape_needs)


def _open_superlative(not_before: list[str]) -> re.Pattern:
    """最 and the word after it (up to two characters, not 的/了/是), unless that word is an ordinary
    one (最后, 最近, 最爱): the class every superlative belongs to, listed or not."""
    exempt = "|".join(map(re.escape, sorted(not_before, key=len, reverse=True)))
    return re.compile(f"最(?!{exempt})[\u4e00-\u9fff](?:(?![的了是地得之也和与及或])[\u4e00-\u9fff])?")


# What matching skips, as code point ranges: spaces, decorative punctuation, zero-width and format
# marks, variation selectors, arrows, shapes, dingbats, emoji and their modifiers, tags.
_NOISE_RANGES = (
    *((ord(c), ord(c)) for c in "*·_~|`'\"^\u00a9\u00ae\u2122\u3030\u303d\u3297\u3299\u20e3\ufeff"),
    (0x09, 0x0D),
    (0x1C, 0x20),
    (0x85, 0x85),
    (0xA0, 0xA0),
    (0x1680, 0x1680),
    (0x2000, 0x200F),
    (0x2028, 0x202F),
    (0x205F, 0x2064),
    (0x2190, 0x21FF),
    (0x2300, 0x23FF),
    (0x25A0, 0x27BF),
    (0x2900, 0x297F),
    (0x2B00, 0x2BFF),
    (0x3000, 0x3000),
    (0xFE00, 0xFE0F),
    (0x1F000, 0x1FAFF),
    (0xE0000, 0xE007F),
)


def is_noise(ch: str) -> bool:
    """Characters that matching skips: spaces, emoji, zero-width marks, decorative punctuation."""
    code = ord(ch)
    return any(a <= code <= b for a, b in _NOISE_RANGES)


_CN_DIGITS = dict(zip("〇零一二三四五六七八九", "00123456789", strict=True))
_DIGIT_TWINS = {**_CN_DIGITS, **{d: c for c, d in _CN_DIGITS.items() if c != "〇"}}
# Full-width letters, digits and the few signs words use (．％＋／): folded to ASCII. Full-width
# commas and stops stay: they are everywhere in Chinese text, and the patterns name both forms.
_WIDE = re.compile("[\uff05\uff0b\uff0e\uff0f\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_WIDE_TABLE = {
    c: ord(chr(c - 0xFEE0).lower()) for c in (0xFF05, 0xFF0B, 0xFF0E, 0xFF0F, *range(0xFF10, 0xFF5B))
}


@cache
def _noise() -> re.Pattern:
    return re.compile(_char_class(c for a, b in _NOISE_RANGES for c in range(a, b + 1)))


def digit_twins(word: str, limit: int = 3) -> set[str]:
    """``word`` with its digits written both ways: 第一 → {第一, 第1}. Words with many digits stay as they are."""
    spots = [i for i, ch in enumerate(word) if ch in _DIGIT_TWINS]
    if not spots or len(spots) > limit:
        return {word}
    out = {word}
    for i in spots:
        out |= {w[:i] + _DIGIT_TWINS[w[i]] + w[i + 1 :] for w in out}
    return out


def _char_class(codes) -> str:
    """A regex character class for a set of code points, as ranges."""
    ranges: list[list[int]] = []
    for code in sorted(set(codes)):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    body = "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges
    )
    return f"[{body}]"


class Normalised:
    """The matching form of a text, with a map from its offsets back to the text as given."""

    def __init__(self, text: str):
        self.text = text
        dropped = [m.start() for m in _noise().finditer(text)]
        # The k-th dropped character has (its offset - k) kept characters before it, so a kept
        # character j has as many dropped ones before it as there are such counts ≤ j.
        self._kept_before = [d - k for k, d in enumerate(dropped)]
        norm = _noise().sub("", text) if dropped else text
        lowered = norm.lower()
        if len(lowered) == len(norm):  # a few letters (İ) lower to two characters: keep those as they are
            norm = lowered
        if _WIDE.search(norm):
            norm = norm.translate(_WIDE_TABLE)
        self.norm = norm

    def original(self, j: int) -> int:
        """Offset in the text of the normalised character ``j``."""
        return j + bisect.bisect_right(self._kept_before, j) if self._kept_before else j

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.original(start), self.original(end - 1) + 1


def normalise(text: str) -> tuple[str, list[int]]:
    """The matching form of ``text`` and, for each of its characters, the offset it came from."""
    n = Normalised(text)
    return n.norm, [n.original(j) for j in range(len(n.norm))]


def _may_occur(rule: dict, present: set[str]) -> bool:
    """Whether a pattern can match at all: one of the words it ``needs`` is in the text."""
    needs = rule.get("needs")
    return not needs or any(word in present for word in needs)


def _law(category: str, term: dict | None = None) -> str:
    return (term or {}).get("law") or rules()["categories"][category]["law"]


def platform_rules(platform: str | None) -> dict:
    """What ``platform`` (a profile key) forbids; unknown or no platform → the general rules."""
    table = rules()["platform_rules"]
    return table.get(platform or "default", table["default"])


def _cuts_a_number(norm: str, start: int, end: int) -> bool:
    """Whether a hit begins or ends inside a number: 「第1」 in 第12次, 「100%」 in 1100%. Numbers are
    matched as whole tokens, never as substrings."""
    ends_inside = norm[end - 1 : end].isdigit() and norm[end : end + 1].isdigit()
    starts_inside = (
        norm[start : start + 1].isdigit()
        and start > 0
        and (norm[start - 1].isdigit() or norm[start - 1] == ".")
    )
    return ends_inside or starts_inside


def check_terms(
    text: str, platform: str | None = None, *, where: str = "body", notes: list[str] | None = None
) -> list[Finding]:
    """Law terms, regulated claims and the platform's diversion rules in ``text``.

    One pass of a multi-pattern automaton (Aho-Corasick, all overlapping matches) over the normalised text finds every word; exemptions
    (words and context patterns) cover what a reviewer would let pass; the longest hit wins where
    hits overlap. Offsets are into ``text`` as given. An exemption that says why (``tell``: an
    official designation such as 国家级高新技术企业) adds its reason to ``notes`` when it let a
    term pass.
    """
    data = rules()
    rules_here = platform_rules(platform)
    n = Normalised(text)
    norm = n.norm
    size = len(norm)
    exempt: list[tuple[int, int]] = []  # spans a reviewer lets pass
    told: list[tuple[int, int, str]] = []  # exempt spans whose reason the reply shows
    present: set[str] = set()  # words patterns need that occur
    hits = []  # (start, end, kind, payload)
    info = data["word_info"]
    for index, start, end in data["automaton"].find_matches_as_indexes(norm, overlapping=True):
        exempts, needs, found = info[index]
        if exempts:
            exempt.append((start, end))
        if needs:
            present.update(needs)
        for kind, payload in found:
            hits.append((start, end, kind, payload))
    for pattern, rule in data["exemption_res"]:
        if not _may_occur(rule, present):
            continue
        for m in pattern.finditer(norm):
            start, end = m.start(), m.end()
            if rule.get("sentence"):  # the whole sentence around the words is exempt
                start = max(norm.rfind(c, 0, start) for c in _SENTENCE_ENDS) + 1
                ends = [i for i in (norm.find(c, end) for c in _SENTENCE_ENDS) if i != -1]
                end = min(ends, default=size)
            exempt.append((start, end))
            if rule.get("tell"):
                told.append((start, end, rule["why"]))
    exempt.sort()
    starts = [a for a, _ in exempt]
    reach = list(itertools.accumulate((b for _, b in exempt), max))  # furthest end among spans so far

    def exempted(start: int, end: int) -> bool:
        i = bisect.bisect_right(starts, start)
        return i > 0 and reach[i - 1] >= end

    for pattern, rule in data["claim_res"]:
        if not _may_occur(rule, present):
            continue
        for m in pattern.finditer(norm):
            start = m.start()
            while (
                rule.get("extend_digits")
                and start > 0
                and (norm[start - 1].isdigit() or norm[start - 1] in "十两")
            ):
                start -= 1
            hits.append((start, m.end(), "claim", rule))
    for pattern, rule in data["diversion_res"]:
        if _may_occur(rule, present) and rules_here.get(rule["kind"], "low") != "allow":
            hits += [(m.start(), m.end(), "diversion", rule) for m in pattern.finditer(norm)]
    if "最" in norm:
        hits += [(m.start(), m.end(), "open", None) for m in data["open_superlative_re"].finditer(norm)]

    has_date = bool(_DATE.search(text))
    taken = bytearray(size)
    findings: list[Finding] = []
    said: dict[int, tuple | None] = {}  # per rule: category, severity, suggestion, reason template

    def explain(kind: str, item: dict | None) -> tuple | None:
        rule: dict = data["open_superlative"] if item is None else item
        key = id(rule)
        if key not in said:
            said[key] = _explain(kind, rule, rules_here)
        return said[key]

    # Longest first; the open 最-class last, so a listed term keeps its own severity and advice.
    for start, end, kind, item in sorted(hits, key=lambda h: (h[2] == "open", h[0] - h[1], h[0])):
        if (
            exempted(start, end)
            or any(taken[start:end])
            or ((norm[start].isdigit() or norm[end - 1].isdigit()) and _cuts_a_number(norm, start, end))
        ):
            if notes is not None and kind != "open" and exempted(start, end):
                notes += [why for a, b, why in told if a <= start and end <= b and why not in notes]
            continue
        if kind == "term" and item.get("unless") == "date" and has_date:
            continue
        if kind == "diversion" and item.get("term", "").isascii() and _ascii_inside_word(norm, start, end):
            continue
        told_here = explain(kind, item)
        if told_here is None:  # the platform allows it
            continue
        category, severity, suggestion, reason = told_here
        taken[start:end] = b"\x01" * (end - start)
        a, b = n.span(start, end)
        shown = text[a:b]
        findings.append(
            Finding(a, b, shown, category, severity, reason.format(shown=shown), suggestion, where)
        )
    findings.sort(key=lambda f: -1 if f.start is None else f.start)
    return findings


def _explain(kind: str, item: dict, rules_here: dict) -> tuple | None:
    """Category, severity, suggestion and reason template (``{shown}`` for the words) of a hit's rule;
    None for a diversion the platform allows."""
    if kind == "term":
        label = rules()["categories"][item["category"]]["name"]
        return (
            item["category"],
            item["severity"],
            item["suggestion"],
            f"「{{shown}}」属于{label}：{_law(item['category'], item)}。",
        )
    if kind in ("claim", "open"):
        reason = f"「{{shown}}」是{item['label']}：{_law(item['category'])}。"
        return item["category"], item["severity"], item["suggestion"], reason
    severity = rules_here.get(item["kind"], "low")
    if severity == "allow":
        return None
    data = rules()
    where_said = f"在{rules_here['name']}" if rules_here["name"] else ""
    kind_name = data["diversion"]["kinds"][item["kind"]]
    reason = f"「{{shown}}」是{kind_name}，{where_said}不允许：{rules_here['law']}。"
    return "diversion", severity, data["diversion"]["suggestion"], reason


def _ascii_inside_word(norm: str, start: int, end: int) -> bool:
    before = norm[start - 1 : start]
    after = norm[end : end + 1]
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


def check_title(title: str, platform: str | None = None, *, where: str = "title") -> list[Finding]:
    """Exaggerated-title patterns (标题党) in a title, citing the platform's own rule."""
    data = rules()["title_party"]
    n = Normalised(title)
    law = platform_rules(platform)["title_law"]
    findings = []
    for pat in data["patterns"]:
        for m in re.finditer(pat["pattern"], n.norm):
            a, b = n.span(m.start(), m.end())
            findings.append(
                Finding(
                    a,
                    b,
                    title[a:b],
                    "title_party",
                    "medium",
                    f"标题中的「{title[a:b]}」属于{pat['reason']}：{law}。",
                    data["suggestion"],
                    where,
                )
            )
    return findings


_EMOJI = re.compile("[\u2600-\u27bf\U0001f000-\U0010ffff]")


# Marks that add no length: combining diacritics, zero-width and direction marks, variation selectors.
_UNCOUNTED = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u200b-\u200f\u202a-\u202e\u2060-\u2064\u20d0-\u20ff\ufe00-\ufe0f\ufe20-\ufe2f\ufeff]"
)


def measure(text: str, profile: dict) -> int:
    """Length of ``text`` as the platform counts it (CJK, ASCII and emoji weights from its profile).

    Emoji (U+2600–27BF and U+1F000 up) weigh ``emoji``, ASCII ``ascii``, combining and format
    marks nothing, everything else ``cjk``; counted with C-speed passes, not a Python loop.
    """
    weights = profile.get("count", {})
    emoji = len(_EMOJI.findall(text))
    ascii_count = len(text.encode("ascii", "ignore"))
    uncounted = len(_UNCOUNTED.findall(text))
    cjk = len(text) - emoji - ascii_count - uncounted
    total = (
        emoji * weights.get("emoji", 1) + ascii_count * weights.get("ascii", 1) + cjk * weights.get("cjk", 1)
    )
    return math.ceil(total)


def check_length(profile: dict, *, title: str | None, body: str | None) -> list[Finding]:
    """Title and body against the platform's limits (whole-text findings, no offsets)."""
    findings = []
    name = profile["name"]
    for part, text, label in (("title", title, "标题"), ("body", body, "正文")):
        limits = profile.get(part)
        if text is None or not limits:
            continue
        n = measure(text, profile)
        if limits.get("max") and n > limits["max"]:
            findings.append(
                Finding(
                    None,
                    None,
                    "",
                    "length",
                    "high",
                    f"{name}{label}最多 {limits['max']} {limits.get('unit', '字')}，现在 {n}。",
                    f"删减到 {limits['max']} 字以内",
                    part,
                )
            )
        if limits.get("min") and 0 < n < limits["min"]:
            findings.append(
                Finding(
                    None,
                    None,
                    "",
                    "length",
                    "medium",
                    f"{name}{label}至少 {limits['min']} 字，现在 {n}。",
                    f"补充到 {limits['min']} 字以上",
                    part,
                )
            )
    return findings


def check(
    text: str, platform: dict | None = None, *, title: str | None = None, notes: list[str] | None = None
) -> list[Finding]:
    """Everything: terms in title and body, title patterns, length. ``platform`` is a profile or None.

    Without a separate ``title`` the first line of ``text`` is read as the title for the
    title-party patterns. ``notes`` collects why a term was let pass where the rules say so.
    """
    key = platform["key"] if platform else None
    findings: list[Finding] = []
    if title is not None:
        findings += check_terms(title, key, where="title", notes=notes)
        findings += check_title(title, key)
    else:
        first = text.split("\n", 1)[0]
        findings += check_title(first, key, where="body")
    findings += check_terms(text, key, notes=notes)
    if platform:
        findings += check_length(platform, title=title, body=text)
    findings.sort(key=lambda f: (f.where != "title", f.start if f.start is not None else 1 << 30))
    return findings


def rewrite(text: str, findings: list[Finding]) -> str | None:
    """``text`` with each term replaced by its first plain suggestion (None when nothing applies)."""
    out, changed = text, False
    for f in sorted(
        (f for f in findings if f.start is not None and f.where == "body"), key=lambda f: -(f.start or 0)
    ):
        option = f.suggestion.split("/")[0].strip()
        if not option or any(word in option for word in ("删除", "写明", "改为", "补充")) or "，" in option:
            continue
        out = out[: f.start] + option + out[f.end :]
        changed = True
    return out if changed else None


_SENTENCE_END = re.compile(r"[。！？!?；;\n]+")


def doubts(text: str, findings: list[Finding], limit: int = 5) -> list[str]:
    """The sentences of ``text`` a person should still read: each holds a word where claims live
    (``doubt_cues``: 效果, 治, 退款, 收益, 主页…) and no finding touches it. The rules know only the
    claims someone wrote down; these are where an unknown one would be, so the reply names them
    instead of calling the copy clean."""
    data = rules()
    flagged = [(f.start, f.end) for f in findings if f.start is not None and f.end is not None]
    out: list[str] = []
    start = 0
    for m in [*_SENTENCE_END.finditer(text), None]:
        end = m.end() if m else len(text)
        sentence = text[start:end]
        s_start, s_end = start, end
        start = end
        if not sentence.strip():
            continue
        if not _has_open_cue(sentence, data):
            continue
        if any(a < s_end and b > s_start for a, b in flagged):
            continue
        out.append(sentence.strip().rstrip("。！？!?；;"))
        if len(out) >= limit:
            break
    return out


DOUBT_HEADING = "请人工再看一眼（这些句子说到功效、承诺、收益或导流，规则没认出问题，小编拿不准）："


@cache
def _cue_pattern() -> re.Pattern:
    """``doubt_cues`` and other platforms' names, longest first."""
    data = rules()
    cues = {*data["doubt_cues"]["words"], *(n.lower() for n in data["diversion"]["platform_names"]["names"])}
    return re.compile("|".join(re.escape(c) for c in sorted(cues, key=len, reverse=True)))


def _has_open_cue(sentence: str, data: dict) -> bool:
    """A cue word that no exemption covers (国家级非物质文化遗产 is an official title, not a claim)."""
    norm = normalise(sentence)[0]
    hits = [(m.start(), m.end()) for m in _cue_pattern().finditer(norm)]
    if not hits:
        return False
    covered = [
        (m.start(), m.end())
        for rule in data["exemption_patterns"]
        for m in re.finditer(rule["pattern"], norm)
    ]
    covered += [
        (m.start(), m.end()) for word in data["exemptions"] for m in re.finditer(re.escape(word), norm)
    ]
    return any(not any(a <= s and e <= b for a, b in covered) for s, e in hits)


def summary_lines(findings: list[Finding], limit: int = 12) -> list[str]:
    """Numbered lines for a chat reply."""
    cats = rules()["categories"]
    lines = []
    for i, f in enumerate(findings[:limit], 1):
        where = {"title": "标题", "body": "正文"}[f.where]
        pos = f"{where}第 {f.start + 1} 字" if f.start is not None else where
        head = f"「{f.text}」" if f.text else cats[f.category]["name"]
        lines.append(f"{i}. {head}（{pos}，{cats[f.category]['name']}，风险{SEVERITY_LABEL[f.severity]}）")
        lines.append(f"   {f.reason} 建议：{f.suggestion}")
    if len(findings) > limit:
        lines.append(f"……另有 {len(findings) - limit} 处未列出。")
    return lines
