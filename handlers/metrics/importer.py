"""Importing creator-centre CSV exports: Chinese headers, several date forms, 万 and separators.

Re-importing a file changes nothing (identical values are recognised); a dry run reports what
would happen without writing; every skipped row or cell is reported with its reason.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from handlers.metrics.vocab import metric_key, metrics, show, to_stored
from handlers.shared import platforms
from handlers.shared.numbers import NumberError, parse_number
from storage import metrics as store
from storage import posts
from storage.db import write_tx

DATE_HEADERS = ("日期", "时间", "统计日期", "数据日期", "date", "day", "日期时间")
PLATFORM_HEADERS = ("平台", "platform")
ACCOUNT_HEADERS = ("账号", "账号名称", "账号名", "account")
# A per-post export: one row per post, with its title and when it was published.
TITLE_HEADERS = (
    "标题",
    "作品名称",
    "作品标题",
    "笔记标题",
    "文章标题",
    "内容标题",
    "视频标题",
    "作品",
    "title",
)
PUBLISHED_HEADERS = ("发布时间", "发表时间", "发布日期", "群发时间", "创建时间", "publish_time", "published")
_UNIT = re.compile(r"[（(][^）)]*[）)]|\s+")


@dataclass
class ImportReport:
    rows: int = 0
    new: int = 0
    changed: int = 0
    same: int = 0
    skipped: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    per_post: bool = False
    doubts: list[str] = field(
        default_factory=list
    )  # values 10× off the day before: likely typos  # a per-post export: counts are posts, totals are each post's lifetime

    def text(self) -> str:
        what = "篇作品" if self.per_post else "个数值"
        lines = [
            ("预演（没有写入）：" if self.dry_run else "导入完成：")
            + f"读了 {self.rows} 行；新增 {self.new} {what}，更正 {self.changed} {what}，未变 {self.same} {what}。"
        ]
        if self.per_post:
            lines.append("这是按作品导出的累计数据：记在每篇作品上，不计入每日数据。用「作品 平台」查看。")
        if self.columns:
            lines.append(
                "识别的列：" + "，".join(f"{h}→{metrics()[k]['name']}" for h, k in self.columns.items())
            )
        if self.ignored_columns:
            lines.append("忽略的列：" + "，".join(self.ignored_columns))
        if self.doubts:
            lines.append(f"请核对 {len(self.doubts)} 处（和前一天差了十倍以上，可能是多打或少打了位数）：")
            lines += [f"  - {d}" for d in self.doubts[:20]]
        if self.skipped:
            lines.append(f"跳过 {len(self.skipped)} 处：")
            lines += [f"  - {s}" for s in self.skipped[:50]]
            if len(self.skipped) > 50:
                lines.append(f"  ……另有 {len(self.skipped) - 50} 处")
        return "\n".join(lines)


class ImportFailed(ValueError):
    """The file cannot be imported at all (the message says why, in Chinese)."""


def decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed("文件编码无法识别（支持 UTF-8、GBK）。")


def read_rows(raw: bytes) -> list[list[str]]:
    """The rows of an export as text cells: .xlsx (the first sheet) or CSV in UTF-8/GBK with any delimiter."""
    if raw[:2] == b"PK":  # a zip: an Excel workbook
        return _xlsx_rows(raw)
    text = decode(raw)
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_rows(raw: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or password-protected workbook
        raise ImportFailed(
            f"打不开这个 Excel 文件（{type(exc).__name__}）。请另存为 .xlsx 或 CSV 再试。"
        ) from None
    sheet = book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        cells = []
        for v in values:
            if v is None:
                cells.append("")
            elif hasattr(v, "date") and callable(v.date):  # datetime → the day
                cells.append(v.date().isoformat())
            elif isinstance(v, float) and v.is_integer():
                cells.append(str(int(v)))
            else:
                cells.append(str(v))
        rows.append(cells)
    book.close()
    return rows


def header_metric(header: str) -> str | None:
    """The metric a column header names: ``播放量(次)`` → plays, ``新增粉丝数`` → new_followers."""
    h = _UNIT.sub("", header).strip()
    for candidate in (h, h.rstrip("数量"), re.sub(r"[数量]$", "", h), h.replace("总", "")):
        key = metric_key(candidate)
        if key:
            return key
    return None


def parse_date(text: str, today: date) -> date:
    t = text.strip()
    for fmt in (
        "%Y-%m-%d",
        "%Y/%m/%d",
        "%Y.%m.%d",
        "%Y%m%d",
        "%Y年%m月%d日",
        "%Y-%m-%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ):
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    m = re.fullmatch(r"(\d{1,2})[-/月](\d{1,2})日?", t)
    if m:
        d = date(today.year, int(m.group(1)), int(m.group(2)))
        return d if d <= today else date(today.year - 1, d.month, d.day)
    raise ValueError(t)


def import_csv(
    db,
    team_id: int,
    raw: bytes,
    *,
    today: date,
    now: datetime,
    platform: str | None = None,
    account: str | None = None,
    dry_run: bool = False,
    by: str = "csv",
) -> ImportReport:
    """Import a CSV or .xlsx export into a team's metrics; return the report."""
    rows = [r for r in read_rows(raw) if any(c.strip() for c in r)]
    if not rows:
        raise ImportFailed("文件是空的。")
    header = [h.strip() for h in rows[0]]
    report = ImportReport(dry_run=dry_run)
    title_col = next((i for i, h in enumerate(header) if _UNIT.sub("", h).lower() in TITLE_HEADERS), None)
    published_col = next(
        (i for i, h in enumerate(header) if _UNIT.sub("", h).lower() in PUBLISHED_HEADERS), None
    )
    if title_col is not None and published_col is not None:
        return _import_posts(
            db,
            team_id,
            rows,
            header,
            title_col,
            published_col,
            report,
            today=today,
            now=now,
            platform=platform,
            account=account,
        )
    date_col = next((i for i, h in enumerate(header) if _UNIT.sub("", h).lower() in DATE_HEADERS), None)
    if date_col is None:
        raise ImportFailed(f"找不到日期列（表头里要有「日期」）。现有表头：{'、'.join(header)}")
    platform_col = next((i for i, h in enumerate(header) if h.lower() in PLATFORM_HEADERS), None)
    account_col = next((i for i, h in enumerate(header) if h.lower() in ACCOUNT_HEADERS), None)
    metric_cols: dict[int, str] = {}
    for i, h in enumerate(header):
        if i in (date_col, platform_col, account_col):
            continue
        key = header_metric(h)
        if key:
            metric_cols[i] = key
            report.columns[h] = key
        elif h:
            report.ignored_columns.append(h)
    if not metric_cols:
        raise ImportFailed("没有认出任何指标列（如 粉丝、阅读、播放量、点赞）。")
    fixed_profile = platforms.lookup(platform) if platform else None
    if platform and fixed_profile is None:
        raise ImportFailed(f"不认识的平台：{platform}。可选：{platforms.names()}")
    if fixed_profile is None and platform_col is None:
        raise ImportFailed("请用 --platform 指定平台，或在表里加一列「平台」。")

    class _DryRun(Exception):
        pass

    try:
        with write_tx(db):
            accounts: dict[tuple[str, str], dict] = {}
            for n, row in enumerate(rows[1:], start=2):
                report.rows += 1
                cells = row + [""] * (len(header) - len(row))
                try:
                    day = parse_date(cells[date_col], today)
                except ValueError:
                    report.skipped.append(f"第 {n} 行：日期「{cells[date_col]}」看不懂")
                    continue
                if day > today:
                    report.skipped.append(f"第 {n} 行：日期 {day} 在将来")
                    continue
                said = cells[platform_col].strip() if platform_col is not None else ""
                profile = fixed_profile or platforms.lookup(said)
                if profile is None:
                    report.skipped.append(f"第 {n} 行：平台「{said}」不认识")
                    continue
                name = (
                    account
                    or (cells[account_col].strip() if account_col is not None else "")
                    or store.DEFAULT_ACCOUNT
                )
                acc = accounts.get((profile["key"], name))
                if acc is None:
                    acc = accounts[(profile["key"], name)] = store.ensure_account(
                        db, team_id, profile["key"], name, now=now
                    )
                for i, key in metric_cols.items():
                    number = _cell_number(cells[i], f"第 {n} 行「{header[i]}」", report)
                    if number is None:
                        continue
                    value, percent = number
                    if value < 0 and metrics()[key]["kind"] != "flow":
                        report.skipped.append(f"第 {n} 行「{header[i]}」：不能是负数")
                        continue
                    if metrics()[key]["unit"] == "bp" and not percent and value <= 1:
                        value *= 100  # 0.325 written as a fraction
                    stored = to_stored(key, value)
                    if metrics()[key]["kind"] == "level":  # a total 10× off the one before: say so
                        before = store.latest(db, acc["id"], key, on_or_before=day - timedelta(days=1))
                        if before and before[1] and (stored > before[1] * 10 or stored * 10 <= before[1]):
                            report.doubts.append(
                                f"第 {n} 行「{header[i]}」：{show(key, stored)}，{before[0].month}月{before[0].day}日是 "
                                f"{show(key, before[1])}，差了十倍以上"
                            )
                    outcome = store.record(db, acc["id"], day, key, stored, source="csv", by=by, now=now)
                    setattr(report, outcome, getattr(report, outcome) + 1)
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


EMPTY_CELLS = ("", "-", "--", "—", "N/A", "null")


def _cell_number(cell: str, where: str, report: ImportReport):
    """A cell's ``(value, is_percent)``; None for an empty cell, or (noted in the report) for a non-number."""
    cell = cell.strip()
    if cell in EMPTY_CELLS:
        return None
    try:
        return parse_number(cell)
    except NumberError:
        report.skipped.append(f"{where}：「{cell}」不是数字")
        return None


def _import_posts(
    db, team_id, rows, header, title_col, published_col, report, *, today, now, platform, account
) -> ImportReport:
    """A per-post export: each post's lifetime totals, stored per post and never added to daily data."""
    profile = platforms.lookup(platform) if platform else None
    if profile is None:
        raise ImportFailed("这是按作品导出的表，请指定平台（--platform，或在聊天里「导入 抖音」）。")
    metric_cols = {}
    for i, h in enumerate(header):
        if i in (title_col, published_col):
            continue
        key = header_metric(h)
        if key and metrics()[key]["kind"] != "rate":
            metric_cols[i] = key
            report.columns[h] = key
        elif h:
            report.ignored_columns.append(h)
    if not metric_cols:
        raise ImportFailed("按作品导出的表里没有认出任何指标列（如 播放量、阅读、点赞）。")
    report.per_post = True

    class _DryRun(Exception):
        pass

    try:
        with write_tx(db):
            acc = store.ensure_account(db, team_id, profile["key"], account or store.DEFAULT_ACCOUNT, now=now)
            for n, row in enumerate(rows[1:], start=2):
                report.rows += 1
                cells = row + [""] * (len(header) - len(row))
                title = cells[title_col].strip()
                try:
                    day = parse_date(cells[published_col].strip()[:10].replace("/", "-"), today)
                except ValueError:
                    report.skipped.append(f"第 {n} 行：发布时间「{cells[published_col]}」看不懂")
                    continue
                if not title:
                    report.skipped.append(f"第 {n} 行：没有标题")
                    continue
                if day > today:
                    report.skipped.append(f"第 {n} 行：发布时间 {day} 在将来")
                    continue
                values = {}
                for i, key in metric_cols.items():
                    number = _cell_number(cells[i], f"第 {n} 行「{header[i]}」", report)
                    if number is not None:
                        values[key] = to_stored(key, number[0])
                outcome = posts.upsert(db, acc["id"], title, day.isoformat(), values, now=now)
                setattr(report, outcome, getattr(report, outcome) + 1)
            if report.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report
