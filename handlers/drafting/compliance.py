"""检查: advertising-law absolute terms, diversion, exaggerated titles and platform length limits.

The word list is data (``data/compliance.json``). Matching runs on a normalised copy of the
text (half-width, lower case, without spaces, emoji or zero-width characters), with a map back
to the offsets of the text as given, so ``最 好`` and ``最😊好`` are found and reported where
they stand. Findings warn; nothing is blocked.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from bot.textnorm import fold_char

DATA = Path(__file__).parent / "data" / "compliance.json"
SEVERITY_LABEL = {"high": "高", "medium": "中", "low": "低"}
SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}
_DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]|\d{1,2}[/.]\d{1,2}|\d{4}-\d{1,2}-\d{1,2}")
_NOISE_PUNCT = set("*·_~|`'\"^")


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
    data = json.loads(DATA.read_text(encoding="utf-8"))
    terms = []
    for t in data["terms"]:
        norm, _ = normalise(t["term"])
        terms.append({**t, "norm": norm})
    # longer terms first, so 史上最低价 wins over 最低价 over 最低
    terms.sort(key=lambda t: -len(t["norm"]))
    data["terms"] = terms
    data["exemption_norms"] = sorted({normalise(e)[0] for e in data["exemptions"]}, key=len, reverse=True)
    data["diversion"]["norm_terms"] = [
        {**t, "norm": normalise(t["term"])[0]} for t in data["diversion"]["terms"]
    ]
    return data


def is_noise(ch: str) -> bool:
    if ch.isspace() or ch in _NOISE_PUNCT:
        return True
    code = ord(ch)
    if 0x200B <= code <= 0x200F or code in (0xFEFF, 0xFE0F, 0xFE0E, 0x20E3):
        return True
    if 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x1F1E6 <= code <= 0x1F1FF:
        return True
    return unicodedata.category(ch) in ("So", "Sk", "Cf")


def normalise(text: str) -> tuple[str, list[int]]:
    """The matching form of ``text`` and, for each of its characters, the offset it came from."""
    out, index = [], []
    for i, ch in enumerate(text):
        if is_noise(ch):
            continue
        out.append(fold_char(ch).lower())
        index.append(i)
    return "".join(out), index


def _span(index: list[int], start: int, end: int) -> tuple[int, int]:
    return index[start], index[end - 1] + 1


def _exempt_reach(norm: str) -> list[int]:
    """For each position p: the furthest end of an exemption starting at or before p.

    A hit [s, e) lies inside some exemption exactly when ``reach[s] >= e``.
    """
    reach = [0] * (len(norm) + 1)
    for ex in rules()["exemption_norms"]:
        start = norm.find(ex)
        while start != -1:
            reach[start] = max(reach[start], start + len(ex))
            start = norm.find(ex, start + 1)
    best = 0
    for i, value in enumerate(reach):
        best = max(best, value)
        reach[i] = best
    return reach


def _reason(category: str, term: str) -> str:
    cat = rules()["categories"][category]
    return f"「{term}」属于{cat['name']}：{cat['law']}。"


def check_terms(text: str, platform: str | None = None, *, where: str = "body") -> list[Finding]:
    """Absolute terms and diversion in ``text``; offsets are into ``text`` as given."""
    data = rules()
    norm, index = normalise(text)
    reach = _exempt_reach(norm)
    taken = bytearray(len(norm))  # positions already reported
    findings: list[Finding] = []
    has_date = bool(_DATE.search(text))

    def free(start, end):
        return not any(taken[start:end])

    def add(start, end, category, severity, reason, suggestion):
        taken[start:end] = b"\x01" * (end - start)
        a, b = _span(index, start, end)
        findings.append(Finding(a, b, text[a:b], category, severity, reason, suggestion, where))

    for term in data["terms"]:
        if term.get("unless") == "date" and has_date:
            continue
        needle = term["norm"]
        start = norm.find(needle)
        while start != -1:
            end = start + len(needle)
            if reach[start] < end and free(start, end):
                add(
                    start,
                    end,
                    term["category"],
                    term["severity"],
                    _reason(term["category"], term["term"]),
                    term["suggestion"],
                )
            start = norm.find(needle, start + 1)

    div = data["diversion"]
    severity = div["severity"].get(platform or "", div["severity"]["default"])
    for term in div["norm_terms"]:
        if platform and platform in term["skip_platforms"]:
            continue
        for m in re.finditer(re.escape(term["norm"]), norm):
            if term["norm"].isascii() and _ascii_inside_word(norm, m.start(), m.end()):
                continue
            if free(m.start(), m.end()):
                add(
                    m.start(),
                    m.end(),
                    "diversion",
                    severity,
                    f"「{term['term']}」是站外导流用语：{data['categories']['diversion']['law']}。",
                    div["suggestion"],
                )
    for pat in div["patterns"]:
        for m in re.finditer(pat["pattern"], norm):
            add(
                m.start(),
                m.end(),
                "diversion",
                severity,
                f"文中有{pat['label']}：{data['categories']['diversion']['law']}。",
                div["suggestion"],
            )
    return findings


def _ascii_inside_word(norm: str, start: int, end: int) -> bool:
    before = norm[start - 1 : start]
    after = norm[end : end + 1]
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())


def check_title(title: str, *, where: str = "title") -> list[Finding]:
    """Exaggerated-title patterns (标题党) in a title."""
    data = rules()["title_party"]
    norm, index = normalise(title)
    findings = []
    for pat in data["patterns"]:
        for m in re.finditer(pat["pattern"], norm):
            a, b = _span(index, m.start(), m.end())
            findings.append(
                Finding(
                    a,
                    b,
                    title[a:b],
                    "title_party",
                    "medium",
                    f"标题中的「{title[a:b]}」属于{pat['reason']}：{rules()['categories']['title_party']['law']}。",
                    data["suggestion"],
                    where,
                )
            )
    return findings


def measure(text: str, profile: dict) -> int:
    """Length of ``text`` as the platform counts it (CJK, ASCII and emoji weights from its profile)."""
    weights = profile.get("count", {})
    total = 0.0
    for ch in text:
        code = ord(ch)
        if code >= 0x1F000 or 0x2600 <= code <= 0x27BF:
            total += weights.get("emoji", 1)
        elif ch.isascii():
            total += weights.get("ascii", 1)
        elif unicodedata.category(ch) in ("Mn", "Cf") or code == 0xFE0F:
            continue
        else:
            total += weights.get("cjk", 1)
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
                    f"{name}{label}最多 {limits['max']} {limits.get('unit', '字')}，现在 {n}（{limits.get('source', '')}）。",
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


def check(text: str, platform: dict | None = None, *, title: str | None = None) -> list[Finding]:
    """Everything: terms in title and body, title patterns, length. ``platform`` is a profile or None.

    Without a separate ``title`` the first line of ``text`` is read as the title for the
    title-party patterns.
    """
    key = platform["key"] if platform else None
    findings: list[Finding] = []
    if title is not None:
        findings += check_terms(title, key, where="title")
        findings += check_title(title)
    else:
        first = text.split("\n", 1)[0]
        findings += check_title(first, where="body")
    findings += check_terms(text, key)
    if platform:
        findings += check_length(platform, title=title, body=text)
    findings.sort(key=lambda f: (f.where != "title", f.start if f.start is not None else 1 << 30))
    return findings


def rewrite(text: str, findings: list[Finding]) -> str | None:
    """``text`` with each term replaced by its first plain suggestion (None when nothing applies)."""
    out, changed = text, False
    for f in sorted(
        (f for f in findings if f.start is not None and f.where == "body"), key=lambda f: -f.start
    ):
        option = f.suggestion.split("/")[0].strip()
        if not option or any(word in option for word in ("删除", "写明", "改为", "补充")) or "，" in option:
            continue
        out = out[: f.start] + option + out[f.end :]
        changed = True
    return out if changed else None


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
