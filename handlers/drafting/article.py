"""A source text read for adaptation: its title, its sentences in order, its facts and its key terms.

A pasted 公众号 article, a 微博 post or a saved draft all read the same way: the first line is the
title when it looks like one (``# …`` or a short line without a full stop), paragraphs are lines,
list items (``- …``, ``1. …``) and their lead-in lines (``活动内容：``) are kept as such, and the
sentences of a paragraph are split at 。！？.

Key terms are the source's own words: names in 「」《》“”, and the longest strings of Chinese
characters that recur, weighted by length and by appearing in the title. (A word segmenter such as
jieba was weighed and left out: unmaintained since 2020, ~1 s and tens of MB to load its dictionary,
and for a single article the words it repeats are the better hashtags.)
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from handlers.drafting import facts as factlib
from handlers.drafting.data_files import load_json
from handlers.shared.time.parse import timelike

_ITEM = re.compile(r"^\s*(?:[-•·*]\s*|\d{1,2}[.、)）]\s*|[一二三四五六七八九十]、\s*)")
# a sentence ends at 。！？ (and ! ?), or at a full stop followed by a space and a capital (English)
_SENTENCE = re.compile(r"(?:[^。！？!?.]|\.(?!\s+[A-Z]))+(?:[。！？!?]+[”」』）)]*|\.(?=\s+[A-Z])|$)")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_COUNTED = re.compile(r"\d+[多余]?(?:个月|[位家条次场名所篇款件杯元年月日号个周天岁])")  # not part of a term
# Measure words (a closed class): after a number they belong to it, not to the word that follows.
_MEASURE = frozenset(factlib.MEASURE_WORDS)
_CLAUSE = re.compile(r"[｜|:：，,—–;；！!？?\s]+")


@dataclass
class Sentence:
    text: str
    para: int
    kind: str  # text | item | header
    facts: list[factlib.Fact] = field(default_factory=list)

    @property
    def spoken(self) -> str:
        """The sentence without its list mark, for a script or a run-in paragraph."""
        return _ITEM.sub("", self.text).strip()


@dataclass
class Source:
    title: str
    sentences: list[Sentence]
    facts: list[factlib.Fact]
    terms: list[str]
    text: str

    @property
    def lead(self) -> Sentence | None:
        """The first sentence that says something (``好消息！`` alone does not)."""
        texts = [s for s in self.sentences if s.kind == "text"]
        return next((s for s in texts if len(s.spoken) >= 8), texts[0] if texts else None)

    def body_text(self) -> str:
        """The source without its title, paragraphs as they were."""
        out: list[str] = []
        last = None
        for s in self.sentences:
            if last is not None and s.para != last:
                out.append("\n")
            out.append(s.text)
            last = s.para
        return "".join(out).strip()


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(load_json("stopwords.json")["words"])


def read(text: str, *, names: tuple[str, ...] = ()) -> Source:
    """Read ``text`` (an article, a post, a draft) into a :class:`Source`."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    lines = [line for line in lines if line.strip()]
    title = ""
    if lines:
        first = lines[0].strip()
        heading = first.startswith("#")
        first = first.lstrip("#").strip()
        if first.startswith(("标题：", "标题:")):
            first, heading = first[3:].strip(), True
        if heading or (len(lines) > 1 and len(first) <= 40 and not re.search(r"[。！？!?]$", first)):
            title, lines = first, lines[1:]
    lines = _without_credits(lines)
    sentences: list[Sentence] = []
    for para, line in enumerate(lines):
        line = line.strip().lstrip("#").strip() if line.lstrip().startswith("#") else line.strip()
        if _ITEM.match(line):
            sentences.append(Sentence(line, para, "item"))
            continue
        if re.search(r"[：:]$", line) and len(line) <= 20:
            sentences.append(Sentence(line, para, "header"))
            continue
        for m in _SENTENCE.finditer(line):
            piece = m.group(0).strip()
            if piece:
                sentences.append(Sentence(piece, para, "text"))
    all_facts = factlib.find(text, names=names)
    for s in sentences:
        have = factlib.squash(s.text)
        s.facts = [f for f in all_facts if factlib.squash(f.text) in have]
    src = Source(title, sentences, all_facts, [], text)
    src.terms = key_terms(src, names=names)
    return src


# A byline or credit (采访：小林｜编辑：阿杰, 图片由受访者提供) and a closing signature (the sender and a
# bare date under a notice) are about the article, not in it: no version says them.
_CREDIT = re.compile(
    r"^(?:(?:采访|编辑|责编|责任编辑|文字?|图片?|摄影|排版|来源|作者|校对|剪辑|出品|策划|撰文)\s*[：:｜|]"
    r"|图片由|本文由|(?:转载|未经授权))"
)
_BARE_DATE = re.compile(r"^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$")


def _without_credits(lines: list[str]) -> list[str]:
    kept = [line for line in lines if not _CREDIT.match(line.strip())]
    if kept and _BARE_DATE.match(kept[-1].strip()):
        kept.pop()
        if kept and len(kept[-1].strip()) <= 12 and not re.search(r"[，。！？：:,.!?]", kept[-1]):
            kept.pop()  # the sender above the date
    return kept


def key_terms(src: Source, *, names: tuple[str, ...] = (), limit: int = 10) -> list[str]:
    """The source's key terms, best first: names it gives, then the longest recurring words."""
    stop = _stopwords()
    text = src.title + "\n" + "\n".join(s.text for s in src.sentences)
    # a run right after a number starts with its measure word (37期读书会): the word is the rest
    runs = [
        m.group(0)[1:]
        if m.start() > 0 and text[m.start() - 1].isdigit() and m.group(0)[0] in _MEASURE
        else m.group(0)
        for m in _CJK_RUN.finditer(_COUNTED.sub(" ", text))
    ]
    counts: Counter[str] = Counter()
    for run in runs:
        for n in range(2, 13):
            for i in range(len(run) - n + 1):
                counts[run[i : i + n]] += 1
    edge = set(load_json("stopwords.json")["edges"])
    end_edge = set(load_json("stopwords.json")["end_edges"])
    candidates = {
        w: c
        for w, c in counts.items()
        if c >= 2
        and w not in stop
        and w[0] not in edge
        and w[-1] not in edge
        and w[-1] not in end_edge
        and not _has_stop(w, stop)
    }
    maximal = {
        w: c
        for w, c in candidates.items()
        if not any(len(o) > len(w) and w in o and oc == c for o, oc in candidates.items())
    }
    scored = sorted(
        maximal,
        key=lambda w: -(maximal[w] * len(w) ** 1.5 * (2 if w in src.title else 1)),
    )
    body = src.title + src.text
    quoted = [
        f.text.strip("《》")
        for f in src.facts
        if f.kind == "name"
        and 2 <= len(f.text.strip("《》")) <= 12
        and not re.search(r"[+\s]", f.text)
        and (_bracketed(f.text, src.text) or body.count(f.text) >= 2 or f.text in src.title)
    ]
    out: list[str] = []
    for w in [*names, *quoted, *scored]:
        w = w.strip()
        if not w or len(w) > 12 or any(w in o for o in out):
            continue
        inside = [o for o in out if o in w]  # a longer term of the source replaces a shorter one
        if inside:
            out[out.index(inside[0])] = w
            out = [o for o in out if o not in inside[1:]]
        else:
            out.append(w)
    return out[:limit]


_BRAND_MODEL = re.compile(r"([\u4e00-\u9fff]{2,4})\s?([A-Z][A-Za-z]*\d[A-Za-z0-9]*)")


def tag_terms(src: Source, limit: int = 10) -> list[str]:
    """Key terms fit to be topics: whole words of the source, never fragments.

    Names first (「」《》, Latin names, a brand with its model: 星河S7), then the key terms that stand
    on their own somewhere in the text (bounded by punctuation, a number or a function word on both
    sides: 「比上一代」 never is), those in the title first; a two-character word only if it recurs.
    A Latin name is a topic when it recurs or is in the title (X200), not when it is a spec (PWM).
    """
    text = src.title + "\n" + src.text
    edges = set(load_json("stopwords.json")["edges"])
    out: list[str] = []

    def add(word: str) -> None:
        word = re.sub(r"\s+", "", word)
        if 2 <= len(word) <= 12 and not word.isdigit() and not any(word in o or o in word for o in out):
            if not _poor_topic(word):
                out.append(word)

    for f in src.facts:  # the source's own topics (#玉林路十年#) come first: the team chose them
        if f.kind == "name" and f.text.startswith("#"):
            add(f.text.strip("#"))
    models = Counter(a + b for a, b in _BRAND_MODEL.findall(text))
    for combo, n in models.items():
        if n >= 2:
            add(combo)
    for f in src.facts:
        name = f.text.strip("《》")
        if f.kind != "name" or name.startswith("#") or re.search(r"[+\s：:，,、]", name) or len(name) > 12:
            continue
        latin = name.isascii()
        quoted = f"“{name}”" in text and f"「{name}」" not in text and f"《{name}》" not in text
        # a Latin name once is a spec, not a topic; a word in “” once is a quotation (“泛红”“一瓶搞定”)
        if (not latin and not quoted) or text.count(name) >= 2 or name in src.title:
            add(name)

    def stands_alone(word: str) -> bool:
        for m in re.finditer(re.escape(word), text):
            before = text[m.start() - 1 : m.start()]
            after = text[m.end() : m.end() + 1]
            if before in _NUMERALS and word[0] in _MEASURE:
                continue  # 一本书, 2,100本书: the measure word is the number's
            counted = (  # 第37期读书会: a word after a counted measure word
                len(word) >= 3 and before in _MEASURE and text[m.start() - 2 : m.start() - 1] in _NUMERALS
            )
            left = counted or not _CJK_LETTER.match(before or " ") or before in edges
            right = not _CJK_LETTER.match(after or " ") or after in edges or after in _POSTPOSITIONS
            if (left and right) or (m.start() < len(src.title) + 1 and (left or right) and len(word) >= 3):
                return True  # in the title one clean side will do (零基础拉花课1月开班)
        return False

    for t in sorted(src.terms, key=lambda t: (t not in src.title, -len(t))):
        if re.search(r"[，,、：:\s]", t) or (len(t) == 2 and t not in src.title and t not in topic_words()):
            continue  # a two-character topic must be a known field word or in the title (家只 is not a word)
        if stands_alone(t):
            add(t)
    # too few: the field words of topic_words.json that the source itself uses (咖啡 in 上海国际咖啡展,
    # 敏感肌, 马拉松), those in the title first, then the most used. A word may sit inside a chosen
    # topic (#上海国际咖啡展 #咖啡), never the other way round, and never twice.
    if len(out) < limit:
        found = [w for w in topic_words() if w in text and not any(o in w for o in out)]
        found.sort(key=lambda w: (w not in src.title, -text.count(w), text.index(w)))
        for w in found:
            if len(out) >= limit:
                break
            if not any(o in w or w == o for o in out):
                out.append(w)
    return out[:limit]


def _poor_topic(word: str) -> bool:
    """A superlative (最难: also an 极限词 on the page) or a time and nothing else (周三晚上, 十年)."""
    if word.startswith("最"):
        return True
    covered = sum(end - start for start, end in timelike.spans(word, english=word.isascii()))
    return covered >= len(word)


@cache
def topic_words() -> tuple[str, ...]:
    """Every field word of ``topic_words.json``, longest first (精华液 before 精华)."""
    fields = load_json("topic_words.json")["fields"]
    return tuple(
        sorted({w for words in fields.values() for w in words if len(w) >= 2}, key=len, reverse=True)
    )


_CJK_LETTER = re.compile(r"[\u4e00-\u9fff]")
_NUMERALS = frozenset("0123456789一二两三四五六七八九十百千万几")
_POSTPOSITIONS = frozenset("里上中下内外间会前后时")  # 直播里, 门店中: the word ends before them


def _has_stop(word: str, stop: frozenset[str]) -> bool:
    """A stop word at either end (``厂如何``) or one that binds a phrase inside (``我们的门店``)."""
    return any(
        word.startswith(s) or word.endswith(s) or (s in _BINDING and s in word)
        for s in stop
        if len(s) < len(word)
    )


_BINDING = frozenset(
    {"我们", "你们", "他们", "大家", "这个", "那个", "可以", "就是", "没有", "怎么", "什么", "如何"}
)


def _bracketed(name: str, text: str) -> bool:
    """A name the source writes in 「」 or 《》 (a product, a book), not a quotation in “”."""
    return name.startswith("《") or f"「{name}」" in text


def clauses(text: str) -> list[str]:
    """``a｜b：c，d`` → [a, b, c, d] (for titles built from the source's own words)."""
    return [c.strip() for c in _CLAUSE.split(text) if c.strip()]
