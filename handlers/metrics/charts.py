"""Line charts as PNG files with Chinese labels, drawn with matplotlib (imported lazily, on the first chart).

The font ships with the package: ``data/fonts/XiaobianSans-Regular.otf``, a 1.6 MB subset of Noto
Sans CJK (SIL OFL 1.1) to GB2312, so a plain ``pip install`` draws Chinese. A character outside
GB2312 (a rare one in an account name) falls back to an installed CJK font when there is one.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from datetime import date
from pathlib import Path

from bot.models import Attachment
from handlers.shared.vocab import metrics

log = logging.getLogger(__name__)
_lock = threading.Lock()  # pyplot is not thread-safe
BUNDLED = Path(__file__).parent / "data" / "fonts" / "XiaobianSans-Regular.otf"
CJK_FONTS = (
    "Xiaobian Sans",
    "Noto Sans CJK SC",
    "Noto Sans CJK JP",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "AR PL UMing CN",
)


def media_dir(config) -> Path:
    db = config.db_path
    # beside a SQLite file; with a database URL (PostgreSQL) there is no file: the working directory
    beside = (
        Path.cwd()
        if "://" in db and not db.startswith("sqlite:")
        else Path(db.removeprefix("sqlite:///")).resolve().parent
    )
    base = config.get("XIAOBIAN_MEDIA_DIR") or str(beside / "media")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _cjk_fonts(font_manager) -> list[str]:
    """The CJK fonts to draw with, the bundled one first (registered with matplotlib once)."""
    names = {f.name for f in font_manager.fontManager.ttflist}
    if "Xiaobian Sans" not in names and BUNDLED.exists():
        font_manager.fontManager.addfont(str(BUNDLED))
        names.add("Xiaobian Sans")
    return [n for n in CJK_FONTS if n in names]


def _use_cjk_fonts(font_manager, plt) -> list[str]:
    """Draw with the CJK fonts found (the bundled one first); the fonts, empty when there is none."""
    fonts = _cjk_fonts(font_manager)
    if fonts:
        plt.rcParams["font.sans-serif"] = [*fonts, "DejaVu Sans"]
        plt.rcParams["font.family"] = "sans-serif"
        plt.rcParams["axes.unicode_minus"] = False
    return fonts


def line_chart(title: str, data: dict[date, int], metric: str, config) -> tuple[Attachment | None, str]:
    """Draw ``data`` and return the PNG as an attachment, with a note for the reply."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import numpy as np
        from matplotlib import font_manager
        from matplotlib import pyplot as plt
    except ImportError:
        return None, "服务器没有安装绘图组件 matplotlib，先看文字走势。"
    days = sorted(data)
    unit = metrics()[metric]["unit"]
    scale = 100 if unit in ("fen", "bp") else 1
    values = [data[d] / scale for d in days]
    with _lock:
        fonts = _use_cjk_fonts(font_manager, plt)
        if fonts:
            shown = title
        else:
            shown = f"{metric} ({days[0]:%m-%d} to {days[-1]:%m-%d})"
        # phone-sized: 3:2 at 2× density, big type
        fig, ax = plt.subplots(figsize=(6, 4), dpi=160)
        x = np.array(days, dtype="datetime64[D]")  # matplotlib's date axis reads datetime64 natively
        ax.plot(x, values, color="#2f6fde", linewidth=2.2)
        ax.fill_between(x, values, min(values), color="#2f6fde", alpha=0.08)
        ax.set_title(shown, fontsize=13)
        ax.tick_params(labelsize=10)
        ax.yaxis.set_major_formatter(lambda v, _pos: _short(v))
        from matplotlib.dates import DayLocator

        ax.xaxis.set_major_locator(DayLocator(interval=max(1, ((days[-1] - days[0]).days + 5) // 6)))
        ax.xaxis.set_major_formatter(lambda v, _pos: _day(v))
        ax.grid(alpha=0.3)
        ax.annotate(
            _short(values[-1]),
            (days[-1], values[-1]),
            textcoords="offset points",
            xytext=(0, 6),
            ha="right",
            fontsize=10,
            color="#2f6fde",
        )
        fig.autofmt_xdate()
        fig.tight_layout()
        digest = hashlib.sha1(f"{title}{days[0]}{days[-1]}{values}".encode()).hexdigest()[:12]
        path = media_dir(config) / f"chart-{digest}.png"
        fig.savefig(path)
        plt.close(fig)
        cleanup(config)
    note = "" if fonts else "（没有找到中文字体，图中标签用英文。）"
    return Attachment(name=path.name, media_type="image/png", path=str(path)), note


def _short(value: float) -> str:
    """Axis numbers the Chinese way: 12,000 → 1.2万."""
    if abs(value) >= 100_000_000:
        return f"{value / 100_000_000:.3f}".rstrip("0").rstrip(".") + "亿"
    if abs(value) >= 10_000:
        return f"{value / 10_000:.3f}".rstrip("0").rstrip(".") + "万"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _day(value: float) -> str:
    from matplotlib.dates import num2date

    d = num2date(value)
    return f"{d.month}月{d.day}日"


def cleanup(config, keep: int = 200) -> None:
    """Keep only the newest ``keep`` chart files."""
    files = sorted(media_dir(config).glob("chart-*.png"), key=os.path.getmtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)


def bar_chart(
    title: str, labels: list[str], values: list[float], counts: list[int], config, *, faint_below: int = 0
) -> tuple[Attachment | None, str]:
    """Bars with their sample size on top (「12 条」); bars with fewer than ``faint_below`` posts are
    drawn faint, so that a tall bar of two posts does not read as a finding."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import font_manager
        from matplotlib import pyplot as plt
    except ImportError:
        return None, "服务器没有安装绘图组件 matplotlib，先看文字。"
    digest = hashlib.sha1(f"{title}{labels}{values}{counts}{faint_below}".encode()).hexdigest()[:12]
    path = media_dir(config) / f"chart-{digest}.png"
    if path.exists():  # the same numbers drawn before: the same picture
        return Attachment(name=path.name, media_type="image/png", path=str(path)), ""
    with _lock:
        fonts = _use_cjk_fonts(font_manager, plt)
        fig, ax = plt.subplots(figsize=(6, 4), dpi=160)
        colours = ["#2f6fde" if n >= faint_below else "#b9cdf3" for n in counts]
        bars = ax.bar(labels, values, color=colours)
        for bar, n in zip(bars, counts, strict=True):
            ax.annotate(
                f"{n} 条",
                (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                textcoords="offset points",
                xytext=(0, 3),
                ha="center",
                fontsize=9,
            )
        ax.set_title(title if fonts else "median by hour", fontsize=13)
        ax.tick_params(labelsize=10)
        ax.yaxis.set_major_formatter(lambda v, _pos: _short(v))
        ax.grid(axis="y", alpha=0.3)
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
        cleanup(config)
    note = "" if fonts else "（没有找到中文字体，图中标签用英文。）"
    return Attachment(name=path.name, media_type="image/png", path=str(path)), note
