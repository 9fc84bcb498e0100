"""The words of time: numerals, weekdays, parts of the day, festivals, vague words."""

from __future__ import annotations

import json
import re
from pathlib import Path

from handlers.shared.numbers import DIGITS

# Festivals are data: handlers/shared/data/festivals.json (fixed dates and lunar ones).
_FESTIVALS = json.loads((Path(__file__).parents[2] / "data" / "festivals.json").read_text(encoding="utf-8"))

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
WEEKDAY_ZH = "一二三四五六日"
CN_DIGITS = DIGITS
N = r"(?:\d{1,4}|[零〇一二两三四五六七八九十百]{1,5})"
WD = r"[一二三四五六七日天1-7]"
WEEKWORD = r"(?:周|星期|礼拜)"

# Parts of the day: the hour a bare part of day stands for, and how an hour in it reads.
PARTS = {
    "凌晨": ("early", 5),
    "清晨": ("morning", 6),
    "早上": ("morning", 8),
    "早晨": ("morning", 8),
    "一早": ("morning", 8),
    "上午": ("morning", 9),
    "早": ("morning", 8),
    "中午": ("noon", 12),
    "午饭前": ("noon", 11),
    "午后": ("afternoon", 14),
    "下午": ("afternoon", 15),
    "下班前": ("afternoon", 17),
    "下班后": ("evening", 18),
    "傍晚": ("evening", 18),
    "晚上": ("evening", 20),
    "晚": ("evening", 20),
    "夜里": ("night", 22),
    "夜晚": ("night", 22),
    "半夜": ("night", 0),
}
# Parts of the day that name no hour on their own: with no clock, the reading is a date.
HOLIDAYS = {k: tuple(v) for k, v in _FESTIVALS["fixed"].items()}
# Festivals of the lunar calendar: (lunar month, lunar day), turned into dates with ``lunardate``.
LUNAR = {k: tuple(v) for k, v in _FESTIVALS["lunar"].items()}
VAGUE_ZH = (
    "待会儿",
    "待会",
    "一会儿",
    "一会",
    "晚点",
    "晚些",
    "稍后",
    "过两天",
    "过几天",
    "改天",
    "回头",
    "过一阵",
    "有空",
    "找时间",
)
VAGUE_EN = ("later", "soon", "sometime", "some time", "in a bit", "in a while")


def cn_int(text: str) -> int:
    """``12``, ``十二``, ``二十三``, ``两``, ``一三五`` (digit by digit) → int."""
    text = text.strip()
    if text.isdigit():
        return int(text)
    if "百" in text:
        head, _, tail = text.partition("百")
        return (cn_int(head) if head else 1) * 100 + (cn_int(tail.lstrip("零〇")) if tail else 0)
    if "十" in text:
        head, _, tail = text.partition("十")
        return (CN_DIGITS[head] if head else 1) * 10 + (CN_DIGITS[tail] if tail else 0)
    value = 0
    for ch in text:
        if ch not in CN_DIGITS:
            raise ValueError(text)
        value = value * 10 + CN_DIGITS[ch]
    return value


def ordinal(n: int) -> str:
    """1 → ``1st``, 2 → ``2nd``, 3 → ``3rd``, 4 → ``4th`` (APScheduler's cron day form)."""
    return {1: "1st", 2: "2nd", 3: "3rd"}.get(n, f"{n}th")


def weekday_index(ch: str) -> int:
    """``一``…``日``/``天``/``1``…``7`` → 0 (Monday) … 6 (Sunday)."""
    if ch in "日天7":
        return 6
    if ch.isdigit():
        return int(ch) - 1
    return WEEKDAY_ZH.index(ch)


# Festival names as the unread-word guard sees them (a leftover one after an explicit date is the task's).
FESTIVAL_WORDS = frozenset(
    [
        *HOLIDAYS,
        *LUNAR,
        "春节",
        "元宵",
        "端午",
        "七夕",
        "中秋",
        "重阳",
        "清明",
        "国庆",
        "劳动节",
        "五一",
        "元旦",
        "情人节",
        "妇女节",
        "儿童节",
        "圣诞",
        "平安夜",
        "双十一",
        "双11",
        "双十二",
        "双12",
        "618",
        "520",
    ]
)

# Words that say something about time. Left over after every pass has read what it knows, one of
# these means part of the time was not understood: the bot asks instead of saving a guess.
UNREAD_ZH = re.compile(
    r"每(?:[周月年天日季隔晚早]|个|逢)|隔周|每隔|最后[一1]|倒数第|第[一二三四五六七八九十\d]+个(?:周|星期|礼拜|工作日)"
    r"|(?:前|后)[一二两三四五六七八九十\d]+(?:天|周|个月)|节后|节前|假后|前夕|之前|以前|之后|以后|为止|截[至止]"
    r"|(?:到|至)\s*(?:下?周|星期|礼拜|\d|[一二三四五六七八九十]+月|月底|年底|下个?月)"
    r"|除了|除外|不含|提前|季度(?:末|初|最后|第)|月底|月初|月末|年底|年初|当天|当日|或者|或是|还是"
    r"|(?<![公众账编型信单序字])(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*号"
    r"|(?:周|星期|礼拜)[一二三四五六日天1-7]|\d{1,2}\s*月\s*\d{1,2}|\d{1,2}/\d{1,2}"
    r"|工作日|节假日|春节|元宵|端午|七夕|中秋|重阳|清明|国庆|劳动节|五一|元旦|情人节|妇女节|儿童节|圣诞|平安夜"
    r"|双十一|双11|双十二|双12|618|520"
)
UNREAD_EN = re.compile(
    r"\b(?:until|till|through|before|except|every other|biweekly|fortnight|quarter|or (?:on )?"
    r"(?:mon|tue|wed|thu|fri|sat|sun)\w*|last (?:working|business|weekday|day of))\b"
)
