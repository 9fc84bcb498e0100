"""Numbers as people type them in chat: ``1.2万``, ``5w``, ``3k``, ``12,034``, ``三千``, ``两万五``, ``3.5%``."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from bot.textnorm import fold

DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "俩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL = {"十": 10, "百": 100, "千": 1000}
BIG = {"万": 10_000, "亿": 100_000_000}
SUFFIX = {
    "k": 1000,
    "K": 1000,
    "千": 1000,
    "w": 10_000,
    "W": 10_000,
    "万": 10_000,
    "亿": 100_000_000,
    "m": 1_000_000,
    "M": 1_000_000,
}
CN_CHARS = "零〇一二两三四五六七八九十百千万亿"
NUMBER_RE = re.compile(
    rf"[-+]?(?:\d{{1,3}}(?:,\d{{3}})+|\d+)(?:\.\d+)?\s*(?:[kKwWmM](?![a-zA-Z])|千|万|亿)?(?:\s*[%％])?"
    rf"|[{CN_CHARS}]+(?:点[{CN_CHARS[:12]}]+)?[%％]?"
)


LARGEST = Decimal(10) ** 12  # 1 万亿: beyond any account's count; stops typos and overflow


class NumberError(ValueError):
    """Not a number we can use. ``why`` says what is wrong in Chinese when it is more than the form."""

    def __init__(self, text: str, why: str = ""):
        super().__init__(text)
        self.why = why


def _cn_section(text: str) -> int:
    total, digit = 0, None
    for ch in text:
        if ch in DIGITS:
            digit = DIGITS[ch]
        elif ch in SMALL:
            total += (digit if digit is not None else 1) * SMALL[ch]
            digit = None
        else:
            raise NumberError(text)
    if digit is not None:
        # 两万五 / 三千五: a trailing digit after a unit is one step below it
        last = text[-2] if len(text) >= 2 else ""
        step = {"十": 1, "百": 10, "千": 100}.get(last, 1)
        total += digit * step
    return total


def cn_number(text: str) -> Decimal:
    """``三千`` → 3000; ``两万五`` → 25000; ``一亿两千万`` → 120000000; ``三点五`` → 3.5."""
    if "点" in text:
        whole, _, frac = text.partition("点")
        digits = "".join(str(DIGITS[c]) for c in frac)
        return cn_number(whole) + Decimal(f"0.{digits}")
    total = Decimal(0)
    rest = text
    for unit in ("亿", "万"):
        if unit in rest:
            head, _, rest = rest.partition(unit)
            total += (Decimal(_cn_section(head)) if head else Decimal(1)) * BIG[unit]
            if rest and len(rest) == 1 and rest in DIGITS:
                # 两万五 = 25000, 一亿二 = 1.2 亿
                return total + Decimal(DIGITS[rest]) * BIG[unit] / 10
    if rest:
        total += Decimal(_cn_section(rest))
    return total


def parse_number(text: str) -> tuple[Decimal, bool]:
    """Parse one number; returns ``(value, is_percent)``. Raises :class:`NumberError`."""
    s = fold(text).strip().replace(" ", "")
    if not s:
        raise NumberError(text)
    percent = s.endswith("%")
    s = s.rstrip("%")
    if s and all(c in CN_CHARS or c == "点" for c in s):
        try:
            return cn_number(s), percent
        except (KeyError, NumberError):
            raise NumberError(text) from None
    m = re.fullmatch(r"([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)([kKwWmM]|千|万|亿)?", s)
    if not m:
        raise NumberError(text)
    try:
        value = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        raise NumberError(text) from None
    if m.group(2):
        value *= SUFFIX[m.group(2)]
    if abs(value) > LARGEST:
        raise NumberError(text, "数字大得不合常理")
    return value, percent
