"""What the parser returns: a reading of a phrase, or the reason it could not read one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


class ParseError(Exception):
    """No reading. ``choices`` are (what was said, what it might mean) pairs for asking back."""

    def __init__(self, reason: str, detail: str = "", choices: list[tuple[str, str]] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.detail = detail
        self.choices = choices or []


@dataclass
class Reading:
    """What a phrase says about time, plus the task and the people it is for."""

    kind: str  # at | cron | interval | workday | error
    when: datetime | None = None  # kind=at with a time
    day: date | None = None  # kind=at without a time
    cron: dict | None = None
    every: dict | None = None
    at: str | None = None  # interval: "HH:MM"
    first: datetime | None = None  # interval anchored on a weekday
    reason: str | None = None
    detail: str = ""
    part: str | None = None  # the part of day named without a clock (下午, 下班前)
    part_hour: int | None = None
    guessed_hour: bool = False  # a bare hour read as am/pm by convention
    task: str = ""
    people: list[str] = field(default_factory=list)  # "我", "大家", or names
    spans: list[tuple[int, int]] = field(default_factory=list)
    options: list[str] = field(default_factory=list)  # kind=error: the phrase reworded each way it might mean
    nth: int | None = (
        None  # kind=workday / nth_weekday: the n-th (−1: last, −2: the one before) of each month
    )
    workdays: bool = False  # a Monday–Friday cron said as 工作日: official working days are meant
    offset_from_now: bool = False  # 半小时后: a span from now rather than a clock time
    starts: date | None = None  # a repeating rule's first day (下周一到周五)
    until: date | None = None  # a repeating rule's last day, inclusive (12月5日前每天 → 12-04)

    def to_json(self) -> dict:
        """The form of ``timeparse_cases.json``'s ``expected``."""
        if self.kind == "error":
            return {"kind": "error", "reason": self.reason}
        if self.kind == "at":
            if self.when is not None:
                return {"kind": "at", "datetime": self.when.isoformat()}
            return {"kind": "at", "date": self.day.isoformat() if self.day else None}
        if self.kind in ("workday", "nth_weekday"):
            return {"kind": self.kind, "nth": self.nth, **(self.cron or {})}
        if self.kind == "cron":
            bounds = {k: v.isoformat() for k, v in (("starts", self.starts), ("until", self.until)) if v}
            return {"kind": "cron", **(self.cron or {}), **bounds}
        data = {"kind": "interval", "every": self.every, "at": self.at}
        if self.first is not None:
            data["first"] = self.first.isoformat()
        return data
