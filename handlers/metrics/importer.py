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

from handlers.metrics import analytics
from handlers.shared import platforms
from handlers.shared.numbers import NumberError, parse_number
from handlers.shared.vocab import metric_key, metrics, show, to_stored
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
LINK_HEADERS = ("链接", "作品链接", "文章链接", "笔记链接", "视频链接", "原文链接", "作品地址", "url", "link")
_CLOCK = re.compile(r"(?<!\d)([01]?\d|2[0-3])[:：]([0-5]\d)")
_AFTERNOON = re.compile(r"下午|晚上|傍晚|pm|p\.m\.", re.IGNORECASE)
_MORNING = re.compile(r"凌晨|早上|上午|am|a\.m\.", re.IGNORECASE)
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
    tied: dict[str, int] = field(default_factory=dict)  # posts tied to their drafts: by link / by title
    questions: list[str] = field(default_factory=list)  # posts that may be a draft's: asked, not tied
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
        if self.tied:
            how = {"link": "按链接", "title": "按标题和日期"}
            lines.append(
                f"对上了稿件：{sum(self.tied.values())} 篇（"
                + "，".join(f"{how[k]} {n}" for k, n in self.tied.items())
                + "），数据记到了这些稿件上。"
            )
        if self.questions:
            lines.append(f"有 {len(self.questions)} 篇作品可能是某份稿件发出去的，我不确定，请确认：")
            lines += [f"  - {q}" for q in self.questions[:20]]
            if len(self.questions) > 20:
                lines.append(f"  ……另有 {len(self.questions) - 20} 篇，确认完上面的再导入一次，小编会接着问")
            lines.append(
                "导入后小编会编号再问。"
                if self.dry_run
                else "是的回复「关联 作品编号 稿件编号」；都不是就不用管。"
            )
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


def published_day_text(cell: str) -> str:
    """The day part of a 发布时间 cell: what comes before the time (「2026/1/5 20:00」 → 「2026-1-5」)."""
    head = re.split(r"[\sT]|(?<=日)", cell.strip(), maxsplit=1)[0]
    return head.replace("/", "-")


def time_of_day(cell: str) -> str | None:
    """The time of day in a 发布时间 cell as ``HH:MM`` (24-hour), or None when it has none.

    Dates never carry a colon, so the clock is the ``H:MM`` in the cell; 下午/晚上/PM move an hour
    under 12 to the afternoon, 凌晨/上午/AM take 12 to midnight. A cell that says both is not read."""
    m = _CLOCK.search(cell)
    if m is None:
        return None
    hour, minute = int(m.group(1)), m.group(2)
    later, earlier = _AFTERNOON.search(cell), _MORNING.search(cell)
    if later and earlier:
        return None
    if later and hour < 12:
        hour += 12
    elif earlier and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute}"


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
                        if before and analytics.jump(stored, before[1]):
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
    link_col = next((i for i, h in enumerate(header) if _UNIT.sub("", h).lower() in LINK_HEADERS), None)
    for i, h in enumerate(header):
        if i in (title_col, published_col, link_col):
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
            imported: list[int] = []
            for n, row in enumerate(rows[1:], start=2):
                report.rows += 1
                cells = row + [""] * (len(header) - len(row))
                title = cells[title_col].strip()
                try:
                    day = parse_date(published_day_text(cells[published_col]), today)
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
                clock = time_of_day(cells[published_col])
                link = cells[link_col].strip() if link_col is not None else ""
                imported.append(
                    posts.set_details(
                        db,
                        acc["id"],
                        title,
                        day.isoformat(),
                        time=clock,
                        link=link or None,
                    )
                )
            _tie_to_drafts(db, team_id, profile["key"], imported, report)
            if report.dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _tie_to_drafts(db, team_id: int, platform: str, post_ids: list[int], report: ImportReport) -> None:
    """Tie the imported posts to the drafts that made them where that is certain; ask about the rest."""
    from zoneinfo import ZoneInfo

    from handlers.shared.matching import match
    from storage import drafts as drafts_store
    from storage import teams
    from storage.timeutil import from_db

    team = teams.get_team(db, team_id)
    zone = ZoneInfo(team.tz if team else "Asia/Shanghai")

    def local_day(stored: str) -> date:
        return from_db(stored).astimezone(zone).date()

    fresh = [  # not tied yet, and not said in the chat to be no draft's (关联 … 无)
        p
        for p in (posts.get(db, i) for i in dict.fromkeys(post_ids))
        if p and p["draft_id"] is None and p["matched_by"] != "none"
    ]
    if not fresh:
        return
    candidates = [
        {
            "id": d.id,
            "number": d.number,
            "title": d.title,
            "link": d.published_url,
            "days": sorted({local_day(t) for t in (d.published_at, d.scheduled_at) if t}),
        }
        for d in drafts_store.published_or_scheduled(db, team_id, platform)
    ]
    if not candidates:
        return
    found = match(
        [
            {
                "id": p["id"],
                "title": p["title"],
                "day": date.fromisoformat(p["published_at"]),
                "link": p["link"],
            }
            for p in fresh
        ],
        candidates,
        taken=set(posts.attached_draft_ids(db, team_id)),
    )
    for post_id, draft_id, how in found.sure:
        posts.attach(db, post_id, draft_id, how)
        report.tied[how] = report.tied.get(how, 0) + 1
    by_id = {p["id"]: p for p in fresh}
    for post_id, options in found.doubtful:
        post = by_id[post_id]
        named = (
            f"「{post['title']}」" if report.dry_run else f"作品 {post_id}「{post['title']}」"
        )  # ids are not kept by a rehearsal
        report.questions.append(
            f"{named}（{post['published_at'][5:]}）→ "
            + "；或 ".join(f"稿件 #{c.number}「{c.title}」（{c.why}）" for c in options[:3])
        )
