"""Facts in a text that an adaptation must keep word for word: numbers, prices, dates, times,
addresses, product names, links, phone numbers and e-mail addresses.

``find(text)`` lists them in order of appearance, overlapping matches merged into the longest;
``missing(facts, text)`` says which of them a version does not contain. Comparison ignores spaces,
full-width forms and thousands separators (``5,000册`` = ``5000 册``), nothing else: ``18元`` and
``十八元`` are different facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from bot.textnorm import fold

KIND_LABEL = {
    "link": "链接",
    "email": "邮箱",
    "phone": "电话",
    "address": "地址",
    "place": "地点",
    "date": "日期",
    "time": "时间",
    "money": "价格",
    "deal": "优惠",
    "percent": "比例",
    "number": "数字",
    "name": "名称",
}

_CJK = "\u4e00-\u9fff"
# Characters that follow a number without belonging to it (3的, 2和3, 5到8).
_PARTICLES = "的了和与或及在是为到至也都就而但从起把被让给向对比"
# Measure words (量词) and the units written like them: after a number they belong to it.
MEASURE_WORDS = "期届本款位家条次场名所篇件杯元年月日号个周天岁万亿千百瓶格档层节罐张份批台部项处种套盒包袋箱斤米克吨秒帧轮队组座栋间辆双对"
_NUM = r"\d+(?:[,，]\d{3})*(?:\.\d+)?"
_RANGE = r"(?:\s*(?:-|—|~|～|至|到)\s*"
_DAY = r"(?:\d{4}年)?\d{1,2}月\d{1,2}[日号](?:\s*[（(]?(?:周|星期)[一二三四五六日天][）)]?)?"
_CLOCK = r"(?:[01]?\d|2[0-4])[:：][0-5]\d"
_HOUR = r"(?:(?:上午|下午|晚上|早上|中午|凌晨)\s*)?\d{1,2}点(?:半|\d{1,2}分)?"
_UNITS = (
    "万人次|人次|个月|个工作日|平方毫米|平方米|平米|公里|小时|分钟|千克|公斤|毫升|毫米|厘米|英寸|尼特|万像素|像素|毫安时|"
    "克|米|帧|秒|瓦|吨|"
    "位|个|家|人|场|条|次|册|本|所|篇|天|周|年|岁|件|杯|款|名|座|台|元|块|份|间|期|届|号线|万|亿|倍|分"
)
_LEAD = r"(?:(?<=[在于到至：:\s，,。、；;（(])|^)"
_CITY = rf"(?:[{_CJK}]{{2,4}}(?:省|自治区|市))?(?:[{_CJK}]{{2,5}}(?:市|区|县|州|镇))*"
_STREET = rf"[{_CJK}A-Za-z0-9]{{1,10}}?(?:路|街|大道|大街|道|巷|弄|胡同)\d+号"
_VENUE_END = "中心|酒店|广场|大厦|会展馆|体育馆|博物馆|美术馆|剧院|大剧院|礼堂|书店|商场|园区|产业园|校区"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("link", re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+[A-Za-z0-9/=_\-#]")),
    ("email", re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")),
    (
        "phone",
        re.compile(
            r"(?<![\d-])(?:400|800)[- ]?\d{3}[- ]?\d{4}(?!\d)|(?<![\d-])0\d{2,3}-\d{7,8}(?!\d)"
            r"|(?<![\d-])0\d{2,3}-\d{3,4}[\s-]\d{4}(?!\d)|(?<!\d)1[3-9]\d{9}(?!\d)"
        ),
    ),
    ("number", re.compile(r"(?<![\d.])\d{3,4}(?: \d{3,4}){2,3}(?![\d.])")),  # meeting and account numbers
    ("address", re.compile(rf"{_LEAD}{_CITY}{_STREET}[^，。；,;！!？?\n（(]{{0,24}}")),
    (
        "place",
        re.compile(
            rf"(?:(?<=[在于])|(?<=地点[：:])|(?<=场地[：:])|(?<=地址[：:]))"
            rf"(?:(?![你我他她或和的])[{_CJK}A-Za-z0-9]){{2,14}}?(?:{_VENUE_END})[A-Z0-9]*(?:号?馆|厅|层|楼|室)?"
        ),
    ),
    (
        "date",
        re.compile(
            rf"{_DAY}(?:\s*{_CLOCK}(?:\s*[-—~～至到]\s*{_CLOCK})?)?(?:{_RANGE}(?:{_DAY}|\d{{1,2}}[日号])))?"
            rf"|\d{{4}}年(?:\d{{1,2}}月)?(?:{_RANGE}\d{{4}}年))?|\d{{4}}[-/.]\d{{1,2}}[-/.]\d{{1,2}}"
            rf"|\d{{1,2}}月(?:每周[一二三四五六日天]|每天|每晚|底|初|中旬|上旬|下旬)?"
            r"|每(?:周|星期)[一二三四五六日天](?:[至到-](?:周|星期)?[一二三四五六日天])?"
        ),
    ),
    ("time", re.compile(rf"{_CLOCK}(?:\s*[-—~～至到]\s*{_CLOCK})?|{_HOUR}(?:{_RANGE}{_HOUR}))?")),
    (
        "deal",
        re.compile(
            rf"满{_NUM}元?减{_NUM}元?|买\d+送\d+|第[二三2-3]\S?(?:杯|件|份)?半价|\d(?:\.\d)?折|免费\S{{0,2}}\d+小时"
        ),
    ),
    (
        "money",
        re.compile(
            rf"[¥￥]\s?{_NUM}(?:{_RANGE}[¥￥]?{_NUM}))?|{_NUM}(?:{_RANGE}{_NUM}))?\s?(?:万|千)?(?:元|块钱|块)(?:/(?:月|年|人|份|杯|个|位|天|小时))?"
        ),
    ),
    ("percent", re.compile(rf"{_NUM}(?:{_RANGE}{_NUM}))?\s?%|百分之[零一二三四五六七八九十百点\d]+")),
    (
        "number",
        re.compile(
            rf"(?:第|前|后|近|约|超过)?{_NUM}(?:{_RANGE}{_NUM}))?\s?(?:多|余)?(?:(?:万|亿)(?:多|余)?(?:{_UNITS})|{_UNITS})"
            rf"|(?<![\dA-Za-z.])[A-Za-z]+\s?\d+(?:\.\d+)+(?![\d.])"  # versions: MES 5.0
        ),
    ),
    (
        "name",
        re.compile(r"《[^》\n]{1,30}》|「([^」\n]{1,30})」|“([^”\n，。！？]{2,20})”|\"([^\"\n，。]{2,20})\""),
    ),
    # A plain number keeps the measure word after it (5瓶, 20格, 3所): the number alone would be
    # "kept" by any other 5 in a version. Measure words are a closed class of the language.
    (
        "number",
        re.compile(rf"(?<![A-Za-z0-9.])\d+(?:[.,，·/\-]\d+)*[{MEASURE_WORDS}]"),
    ),
    # A product named before its price in brackets: 黑糖麻薯包（每个12元）.
    (
        "name",
        re.compile(
            rf"(?:(?<=[：:，,、和与及或\s（(])|^)[{_CJK}A-Za-z0-9]{{2,10}}"
            r"(?=[（(](?:每[个份杯盒只件位瓶]|单价|售价|原价|仅|只要)?\s*(?:[¥￥]\s*\d|\d+(?:\.\d+)?\s*(?:元|块)))"
        ),
    ),
    # Names written in Latin letters (La Marzocco Linea PB, Giesen W15A, eSIM, USB-C): in Chinese copy a
    # Latin word is a brand, a product or a standard, and a version must keep it or say it left it out.
    (
        "name",
        re.compile(
            r"(?<![A-Za-z0-9@./:_%-])(?=[a-z]*[A-Z0-9])[A-Za-z][A-Za-z0-9]*(?:[ \-][A-Z0-9][A-Za-z0-9]*)*"
            r"(?![A-Za-z0-9@./:_%-])"
        ),
    ),
    # Recall first: every token that holds a digit is a fact, with what is glued to it (6.78, 1-120Hz,
    # 12-20K·13, v2.3.1, X200, 1/1.3, 4500mAh), whatever the patterns above know. A Chinese unit after
    # it (英寸, 尼特) is not part of the token, so the number itself must be kept or listed.
    # A thousands comma stays inside (1,000多张); a Chinese character right after it comes along unless it
    # is a particle (3滴, 2支, 5条 — whatever the measure word), so another 3 elsewhere cannot stand for it.
    (
        "number",
        re.compile(
            r"(?<![A-Za-z0-9.])(?:\d(?:\d|,(?=\d{3}(?!\d))|[.·/\-](?=\d))*+(?![A-Za-z0-9%+·.\-:：])"
            rf"(?:[多余]?(?:{_UNITS}|(?![{_PARTICLES}])[{_CJK}]))?"
            r"|[A-Za-z+]*\d(?:[A-Za-z0-9]|,(?=\d{3}(?!\d))|[.·/:+\-](?=[A-Za-z0-9]))*%?)"
        ),
    ),
    # A topic written in the source (#玉林路十年#, #冬日限定) is the team's own tag: a fact.
    ("name", re.compile(rf"#[{_CJK}A-Za-z0-9_·]{{1,24}}#?")),
]


@dataclass(frozen=True)
class Fact:
    kind: str
    text: str
    start: int = 0

    @property
    def label(self) -> str:
        return KIND_LABEL.get(self.kind, self.kind)

    def to_json(self) -> dict:
        return {"kind": self.kind, "text": self.text}


@lru_cache(maxsize=8192)
def squash(text: str) -> str:
    """The form facts are compared in: half-width, no spaces, no thousands separators."""
    folded = fold(text)
    folded = re.sub(r"(?<=\d)[,，](?=\d{3})", "", folded)
    return re.sub(r"\s+", "", folded).replace("：", ":")


def find(text: str, *, names: tuple[str, ...] = ()) -> list[Fact]:
    """Facts of ``text`` in order; ``names`` (a brand, a product) count as facts where they occur."""
    return list(_find(text, tuple(names)))


@lru_cache(maxsize=4096)
def _find(text: str, names: tuple[str, ...]) -> tuple[Fact, ...]:
    spans: list[tuple[int, int, str, str]] = []
    for kind, pattern in PATTERNS:
        for m in pattern.finditer(text):
            if kind == "name" and m.lastindex:
                group = next(i for i in range(1, 4) if m.group(i))
                start, end = m.span(group)
            else:
                start, end = m.span()
            value = text[start:end].strip()
            if len(value) < 2 and kind not in ("money", "number"):
                continue
            if (start == 0 or text[start - 1] == "\n") and re.match(r"\d{1,2}[.、)）]\s*\D", text[start:]):
                continue  # a list item's number (1. 全场…), not a fact
            start += len(text[start:end]) - len(text[start:end].lstrip())
            spans.append((start, start + len(value), kind, value))
    for name in names:
        name = name.strip()
        if len(name) >= 2:
            for m in re.finditer(re.escape(name), text):
                spans.append((m.start(), m.end(), "name", name))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    merged: list[tuple[int, int, str, str]] = []
    for span in spans:
        if merged and span[0] < merged[-1][1]:
            if span[1] <= merged[-1][1]:
                continue  # inside a longer fact
            continue  # overlapping: the earlier, longer one stands
        merged.append(span)
    out, seen = [], set()
    for start, _end, kind, value in merged:
        key = squash(value)
        if key not in seen:
            seen.add(key)
            out.append(Fact(kind, value, start))
    return tuple(out)


def contains(have: str, fact: str) -> bool:
    """``fact`` (squashed) in ``have`` (squashed) as a whole: ``12元`` is not in ``112元``."""
    return fact in have and _whole(fact).search(have) is not None


@lru_cache(maxsize=8192)
def _whole(fact: str) -> re.Pattern:
    # 1万 is not in 2.1万; a comma left between digits after squashing is a separator, not thousands
    lead = r"(?<!\d)(?<!\d\.)" if fact[:1].isdigit() else ""
    tail = r"(?![\d.])" if fact[-1:].isdigit() else ""
    return re.compile(lead + re.escape(fact) + tail)


def missing(facts: list[Fact], text: str) -> list[Fact]:
    """The facts ``text`` does not contain (compared squashed, numbers as whole numbers)."""
    have = squash(text)
    return [f for f in facts if not contains(have, squash(f.text))]


def listing(facts: list[Fact], limit: int = 12) -> str:
    """``价格「26元」、日期「12月8日」…`` for a message."""
    shown = [f"{f.label}「{f.text}」" for f in facts[:limit]]
    more = f" 等 {len(facts)} 项" if len(facts) > limit else ""
    return "、".join(shown) + more
