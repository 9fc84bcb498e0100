"""What looks like time, whatever the parser knows: the guard that no time word ends up in a task.

The parser reads the phrases it has passes for and leaves the rest as the task. This module does not
share its vocabulary: it marks *time-like* spans from the shape of time talk — a number (Arabic,
Chinese) with a time unit, a weekday, a part of the day, 下/这/本 + a calendar unit, 每/隔/第/最后/
倒数 + a unit, a festival's name, a clock or a date written with digits, and in English number words,
weekdays, months and the relative words. After a reading, every character is either used by the
reading or part of the task; a time-like span left in the task means the reading did not account
for it, and the phrase is asked about instead of saved.

It errs on the side of asking: 「交第3期」 is not time-like (a 期 is not a calendar unit), but
「第3周的稿子」 is, and a person who meant it as a task word is asked to say the time differently.
"""

from __future__ import annotations

import re

_N = r"(?:\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百千半几]+)"
_UNIT = r"(?:个?半?\s*(?:小时|钟头|钟|分钟|分|秒|点|时|刻|号|日|天|周|星期|礼拜|个?月|年|季度|工作日|晚|宿))"
_DAY_PART = (
    r"早上|上午|中午|下午|晚上|凌晨|傍晚|夜里|夜间|半夜|清晨|早晨|午后|晚间|深夜|今晚|午夜|白天|黄昏|早间"
)
_ZH = re.compile(
    "|".join(
        [
            rf"{_N}\s*{_UNIT}",  # 3点, 15号, 两周, 一个半小时, 十二月
            r"(?:周|星期|礼拜)\s*[一二三四五六日天末1-7]",
            r"(?:今|明|后|昨|前|大后|大前)(?:天|晚|早|儿个|日)|今早|明早",
            r"(?:上上|下下|上|下|这|本|次|来|去|今|明|后|前)\s*(?:一)?\s*个?\s*(?:周|星期|礼拜|月|年|季度|季)",
            rf"(?:{_DAY_PART})(?!茶)",  # 订下午茶 is a task; 下午茶时间 is a (vague) time
            r"(?:下午茶|早茶)(?:时间|的?时候|时段)",
            rf"(?:每|隔|每隔)\s*(?:{_N})?\s*个?\s*(?:天|日|周|星期|礼拜|月|年|季度|工作日|小时|分钟|早|晚|逢)",
            rf"第\s*{_N}\s*个?\s*(?:周|星期|礼拜|工作日|天|日|月|季度|年)",
            rf"(?:最后|倒数(?:第\s*{_N})?)\s*(?:一|1)?\s*个?\s*(?:天|日|周|星期|礼拜|工作日|月|季度)",
            r"(?:月|年|季度?|周)(?:初|底|末|中)|周末|周中|节前|节后|假前|假后",
            r"\d{1,2}\s*[:：]\s*\d{2}",
            r"\d{1,4}\s*[/.-]\s*\d{1,2}(?:\s*[/.-]\s*\d{1,2})?",
            r"工作日|节假日|法定假",
        ]
    )
)

_EN_NUM = (
    r"(?:\d+(?:\.\d+)?|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|sixty|ninety|half|couple|few|several)"
)
_EN_UNIT = r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|fortnights?|months?|years?|quarters?|seconds?)"
_WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?"
_MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_EN = re.compile(
    "|".join(
        [
            rf"\b{_EN_NUM}\s*(?:and\s+an?\s+half\s+|and\s+{_EN_NUM}\s+)?{_EN_UNIT}\b",
            rf"\b{_EN_NUM}\s*(?:am|pm|a\.m\.|p\.m\.|o'?clock)\b",
            rf"\b{_WEEKDAY}\b",
            rf"\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b",
            r"\b(?:january|february|april|august|september|october|november|december)\b",
            r"\b(?:today|tonight|tomorrow|yesterday|noon|midday|midnight|weekend|weekday|weekdays)\b",
            r"\b(?:this|next|last|every|each|other|coming|following)\s+"
            rf"(?:{_EN_UNIT}|{_WEEKDAY}|morning|afternoon|evening|night|weekday|weekend|business day|working day)\b",
            r"\b(?:first|second|third|fourth|fifth|last|\d+(?:st|nd|rd|th))\s+(?:\w+\s+)?of\s+(?:the|every|each|next|this)\b",
            r"\b(?:in the )?(?:morning|afternoon|evening)\b",
            # an adverb of repetition; after an article or a possessive it names a thing (the daily tip)
            r"(?<!\bthe )(?<!\bour )(?<!\bmy )(?<!\byour )(?<!\bthis )(?<!\bnext )(?<!\ba )"
            r"\b(?:daily|nightly|biweekly|fortnightly|monthly|quarterly|yearly|annually)\b",
            r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b",
            r"\b\d{1,2}(?:st|nd|rd|th)\b|\b(?:first|second|third|fifteenth|twentieth|thirtieth)\s+of\b",
            r"\b(?:before|after|until|till|through|by)\s+(?:the\s+)?(?:end|start|beginning|middle)\b",
        ]
    ),
    re.IGNORECASE,
)
# a character that changes the time right before it: 周五前, 三天内 (not 前台, 后面, 起床: the words
# that start with them are passed over)
_ZH_MODIFIER = "前后内"
_NOT_MODIFIED = "天面边台端线排进往去来期续半床身"


# Festivals by their shape, not by the parser's list: any word ending in 节 (春节, 女神节, 年货节 — but
# not 细节, 环节, 章节, 节目, 一节课), the festivals and solar terms named without 节, the shopping days
# written as numbers (618, 双11), and the English holidays. A name the parser does not know is then
# asked about instead of saved inside the task (「除夕晚上8点」 read as tonight).
_NOT_FESTIVAL_BEFORE = (
    "环细章情关季音礼调小拘脱枝气使贞结骨时晚名盘末一二三四五六七八九十几每这那上下本第前后两半"
)
_NOT_FESTIVAL_AFTER = "目约省奏点课拍制能俭食选"
_FESTIVAL = re.compile(
    "|".join(
        [
            rf"[\u4e00-\u9fff]{{0,3}}(?<![{_NOT_FESTIVAL_BEFORE}])(?<=[\u4e00-\u9fff])节(?![{_NOT_FESTIVAL_AFTER}])",
            r"除夕|大年(?:三十|初[一二三四五六七八九十])|小年|腊八|元宵|端午|中秋|重阳|七夕|清明|元旦|平安夜|跨年",
            r"[立春夏秋冬]至|立[春夏秋冬]|[春秋]分|[大小][寒暑雪]|谷雨|惊蛰|白露|霜降|处暑|芒种|雨水|小满|寒露",
            r"双(?:十[一二]?|1[12]|旦|节)|(?<!\d)(?:618|520|1111|1212)(?!\d)",
            r"(?i:\b(?:christmas|xmas|easter|halloween|thanksgiving|valentine'?s?|new\s+year'?s?"
            r"|black\s+friday|cyber\s+monday|(?:mother|father|labou?r|independence|boxing|memorial)'?s?\s+day"
            r"|\w+'s\s+eve|eve)\b)",
        ]
    )
)


# day names that, once the reading has its own day, are the task's words (「周日发周末推文」)
_DAY_NOUNS = re.compile(r"^(?:周末|weekend|weekends)$", re.IGNORECASE)


def spans(text: str, *, english: bool, festivals: bool = True) -> list[tuple[int, int]]:
    """The time-like spans of ``text`` (start, end), left to right, not overlapping."""
    found = [(m.start(), m.end()) for m in (_EN if english else _ZH).finditer(text) if m.group(0).strip()]
    if not festivals:  # the reading has its own day: day nouns are the task's
        found = [(s, e) for s, e in found if not _DAY_NOUNS.match(text[s:e].strip())]
    if festivals:
        found += [(m.start(), m.end()) for m in _FESTIVAL.finditer(text)]
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, end in found:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def left_in_task(text: str, used: list[bool], *, english: bool, dated: bool) -> str | None:
    """The words of a time-like span the reading did not use (so it would end up in the task), or None.

    ``used`` marks the characters the reading took. Once the reading has its own day, a festival's
    name or 周末 is the task's (「12月12日上午10点双十二复盘」, 「周日发周末推文」). On the Chinese side a lone 前/后/内/起/至/到 right after what
    the reading used changes that time (「周五前」), so it counts too.
    """
    rest = "".join(" " if u else c for c, u in zip(text, used, strict=True))
    for start, end in spans(rest, english=english, festivals=not dated):
        if rest[start:end].strip():
            return _quote(text, used, start, end)
    if not english:
        for i, ch in enumerate(rest):
            after = rest[i + 1] if i + 1 < len(rest) else ""
            if ch in _ZH_MODIFIER and i > 0 and used[i - 1] and (not after or after not in _NOT_MODIFIED):
                return _quote(text, used, i, i + 1)
    return None


def _quote(text: str, used: list[bool], start: int, end: int) -> str:
    """The words to quote back: the span as the person wrote it, widened over the unread characters
    around it (「下个月第一个」), not into the reading's own words or the 提醒 that starts the task."""
    while (
        start > 0
        and not used[start - 1]
        and not text[start - 1].isspace()
        and not text.endswith("提醒", 0, start)
        and end - start < 10
    ):
        start -= 1
    while (
        end < len(text)
        and not used[end]
        and not text[end].isspace()
        and not text.startswith("提醒", end)
        and end - start < 10
    ):
        end += 1
    return text[start:end].strip(" ,，。.")
