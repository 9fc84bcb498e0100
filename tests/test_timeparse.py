"""The time parser against the shared cases, and phrases of our own."""

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from handlers.shared.time.parse import parse

# Vendored from ../shared/timeparse_cases.json so a clone runs them; refresh by copying the file.
SHARED = Path(__file__).parent / "data" / "timeparse_cases.json"
# Raise this as the parser improves; never lower it.
THRESHOLD = 129


def _cases():
    return json.loads(SHARED.read_text(encoding="utf-8"))


def _agrees(case, got):
    return got == case["expected"] or got in case.get("also_ok", [])


def test_shared_cases_score_at_least_threshold():
    cases = _cases()
    misses = []
    for case in cases:
        got = parse(case["text"], datetime.fromisoformat(case["base"]), case["tz"]).to_json()
        if not _agrees(case, got):
            misses.append(f"{case['id']} {case['text']}: {got} != {case['expected']}")
    score = len(cases) - len(misses)
    assert score >= THRESHOLD, "\n".join(misses)


def test_cli_json_matches_expected_form(cli):
    case = next(c for c in _cases() if c["id"] == "zh-084")
    out = cli("parse-time", case["text"], "--now", case["base"], "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    upcoming = data.pop("next")
    assert data == case["expected"]
    assert upcoming and all(u.startswith("20") for u in upcoming) and len(upcoming) <= 5


def test_cli_plain_output_in_chinese(cli):
    out = cli("parse-time", "每周三下午3点提醒大家交选题", "--now", "2026-11-22T14:00:00+08:00")
    assert "重复：每周三 15:00" in out.stdout and "事项：交选题" in out.stdout and "提醒：大家" in out.stdout


NOW = datetime(2026, 11, 22, 14, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1小时30分钟后提醒我开会", {"kind": "at", "datetime": "2026-11-22T15:30:00+08:00"}),
        ("12/5 上午10点发公众号", {"kind": "at", "datetime": "2026-12-05T10:00:00+08:00"}),
        ("2026-12-01 提醒我续费", {"kind": "at", "date": "2026-12-01"}),
        (
            "每月最后一天提醒大家对账",
            {"kind": "cron", "minute": None, "hour": None, "day": "last", "month": "*", "day_of_week": "*"},
        ),
        ("每隔15分钟看一下评论", {"kind": "interval", "every": {"minutes": 15}, "at": None}),
        (
            "每周一三五 18:00 发抖音",
            {
                "kind": "cron",
                "minute": "0",
                "hour": "18",
                "day": "*",
                "month": "*",
                "day_of_week": "mon,wed,fri",
            },
        ),
        ("下周二晚上八点半直播", {"kind": "at", "datetime": "2026-11-24T20:30:00+08:00"}),
        ("十二月三十一日 晚上10点", {"kind": "at", "datetime": "2026-12-31T22:00:00+08:00"}),
        (
            "remind me tomorrow at 3:30pm to post on weibo",
            {"kind": "at", "datetime": "2026-11-23T15:30:00+08:00"},
        ),
        (
            "remind me every weekday at 9:15am to check comments",
            {"kind": "cron", "minute": "15", "hour": "9", "day": "*", "month": "*", "day_of_week": "mon-fri"},
        ),
        ("ｍｅｅｔ明天　下午３点", {"kind": "at", "datetime": "2026-11-23T15:00:00+08:00"}),
        ("每周三 25点", {"kind": "error", "reason": "invalid"}),
        ("提醒我交稿", {"kind": "error", "reason": "no_time"}),
        ("一会儿提醒我", {"kind": "error", "reason": "vague"}),
        ("周末提醒我拍视频", {"kind": "at", "date": "2026-11-28"}),
        ("下周末上午10点拍视频", {"kind": "at", "datetime": "2026-11-28T10:00:00+08:00"}),
        (
            "每两周一次周三下午2点",
            {"kind": "interval", "every": {"weeks": 2}, "at": "14:00", "first": "2026-11-25T14:00:00+08:00"},
        ),
    ],
)
def test_more_phrases(text, expected):
    assert parse(text, NOW).to_json() == expected


@pytest.mark.parametrize(
    "text, task, people",
    [
        ("提醒我明天上午10点发微博", "发微博", ["我"]),
        ("每周三下午3点提醒大家交选题", "交选题", ["大家"]),
        ("提醒 @张三 周五下班前交稿", "交稿", ["张三"]),
        ("remind me every weekday at 9:15am to check comments", "check comments", ["我"]),
        ("明天下午3点提醒@李四 @王五 开会", "开会", ["李四", "王五"]),
        ("1000元预算明天下午3点讨论", "1000元预算 讨论", []),
        ("明天下午5点前交稿", "交稿", []),
        ("每两周一次周三下午2点开选题会", "开选题会", []),
    ],
)
def test_task_and_people_are_separated(text, task, people):
    reading = parse(text, NOW)
    assert reading.task == task and reading.people == people


def test_time_zone_is_respected():
    tokyo = parse("明天上午10点", NOW, "Asia/Tokyo")
    assert tokyo.to_json() == {"kind": "at", "datetime": "2026-11-23T10:00:00+09:00"}
