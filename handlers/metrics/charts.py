"""Line charts as PNG files, drawn with matplotlib when it is installed (the ``charts`` extra).

matplotlib is imported lazily, on the first chart. Chinese labels are used when a CJK font
is installed (the deploy image installs Noto Sans CJK); otherwise the labels fall back to
English words so the picture never shows boxes.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from datetime import date
from pathlib import Path

from bot.models import Attachment
from handlers.metrics.vocab import metrics

log = logging.getLogger(__name__)
_lock = threading.Lock()  # pyplot is not thread-safe
CJK_FONTS = (
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
    base = config.get("XIAOBIAN_MEDIA_DIR") or str(Path(config.db_path).resolve().parent / "media")
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _cjk_font(font_manager) -> str | None:
    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((n for n in CJK_FONTS if n in names), None)


def line_chart(title: str, data: dict[date, int], metric: str, config) -> tuple[Attachment | None, str]:
    """Draw ``data`` and return the PNG as an attachment, with a note for the reply."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        from matplotlib import font_manager
        from matplotlib import pyplot as plt
    except ImportError:
        return None, "服务器没有安装绘图组件（pip install 'xiaobian[charts]'），先看文字走势。"
    days = sorted(data)
    unit = metrics()[metric]["unit"]
    scale = 100 if unit in ("fen", "bp") else 1
    values = [data[d] / scale for d in days]
    with _lock:
        font = _cjk_font(font_manager)
        if font:
            plt.rcParams["font.sans-serif"] = [font]
            plt.rcParams["axes.unicode_minus"] = False
            shown = title
        else:
            shown = f"{metric} ({days[0]:%m-%d} to {days[-1]:%m-%d})"
        fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
        ax.plot(days, values, color="#2f6fde", linewidth=2)
        ax.fill_between(days, values, min(values), color="#2f6fde", alpha=0.08)
        ax.set_title(shown)
        ax.grid(alpha=0.3)
        fig.autofmt_xdate()
        fig.tight_layout()
        digest = hashlib.sha1(f"{title}{days[0]}{days[-1]}{values}".encode()).hexdigest()[:12]
        path = media_dir(config) / f"chart-{digest}.png"
        fig.savefig(path)
        plt.close(fig)
        cleanup(config)
    note = "" if font else "（没有找到中文字体，图中标签用英文。）"
    return Attachment(name=path.name, media_type="image/png", path=str(path)), note


def cleanup(config, keep: int = 200) -> None:
    """Keep only the newest ``keep`` chart files."""
    files = sorted(media_dir(config).glob("chart-*.png"), key=os.path.getmtime, reverse=True)
    for old in files[keep:]:
        old.unlink(missing_ok=True)
