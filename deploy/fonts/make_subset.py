"""Rebuild handlers/metrics/data/fonts/XiaobianSans-Regular.otf (run by hand; needs fonttools).

The chart font is a subset of Noto Sans CJK (SIL OFL 1.1) to every character of GB2312 (the 6,763
common simplified characters), ASCII, CJK punctuation and full-width forms: 1.6 MB instead of
16 MB, installed with the package so charts get Chinese labels from a plain ``pip install``.
It is renamed, as the OFL asks of modified fonts.

    pip download --no-deps cvttf-notosanscjk-regular   # a wheel carrying NotoSansCJKtc-Regular.otf
    python deploy/fonts/make_subset.py path/to/NotoSansCJKtc-Regular.otf
"""

from __future__ import annotations

import sys
from pathlib import Path

OUT = (
    Path(__file__).resolve().parents[2]
    / "handlers"
    / "metrics"
    / "data"
    / "fonts"
    / "XiaobianSans-Regular.otf"
)
FAMILY = "Xiaobian Sans"


def characters() -> str:
    chars = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    chars |= {chr(c) for c in (*range(0x20, 0x7F), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0))}
    return "".join(sorted(chars | set("·—…‘’“”《》【】℃％")))


def main(source: str) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.hinting = False
    options.desubroutinize = True
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY if record.nameID != 4 else f"{FAMILY} Regular"
        elif record.nameID == 6:
            record.string = "XiaobianSans-Regular"
    font.save(OUT)
    print(f"{OUT}: {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    main(sys.argv[1])
