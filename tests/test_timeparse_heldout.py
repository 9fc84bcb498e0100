"""Held-out reminder phrases (``tests/data/timeparse_heldout_2026_12.json``), written before the guard
that refuses a reading which leaves time words in the task. Each phrase is read and turned into the
rule the bot would save, exactly as 「提醒」 does; its first reminder and its task are compared with
what a person meant. A phrase that is saved wrong — a wrong time, or time words left in the task — is
silently wrong: never allowed. Asking back is allowed where the case says so.
"""

from __future__ import annotations

import collections
import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot import timerules
from bot.errors import UsageError
from handlers.reminders.rules import rule_from_reading
from handlers.shared.time import parse as timeparse

DATA = json.loads((Path(__file__).parent / "data" / "timeparse_heldout_2026_12.json").read_text("utf-8"))
# The second batch, written before the generated families and their fixes; said at the same moment.
SECOND = json.loads((Path(__file__).parent / "data" / "timeparse_heldout_2026_12b.json").read_text("utf-8"))
assert SECOND["now"] == DATA["now"]
CASES = DATA["cases"] + SECOND["cases"]
# The third batch (session 9), said on a Friday at 16:00; ``first`` may list the readings that are
# right, and a one-off must not be saved as a repeating rule (nor the other way round).
THIRD = json.loads((Path(__file__).parent / "data" / "timeparse_heldout_2026_12c.json").read_text("utf-8"))
# The fourth batch, written after the change made against the third, to see what the third could no
# longer tell; scored untuned, then fixed against (see its "about").
FOURTH = json.loads((Path(__file__).parent / "data" / "timeparse_heldout_2026_12d.json").read_text("utf-8"))
TZ = ZoneInfo("Asia/Shanghai")
# Where the bot saves by a convention its confirmation states, and the case (written before) expected
# otherwise: (what it saves, the convention). Counted apart, never as right.
CONVENTIONS = {
    "周末下午提醒剪视频": (
        "2026-12-05T15:00",
        "周末 is Saturday; the confirmation shows 12月5日（周六）and 按 15:00",
    ),
    "周三前提醒我交选题": (
        "2026-12-09T17:00",
        "周X前 is 17:00 that day (下班前), and the confirmation says 没有说几点，按 17:00 提醒",
    ),
    "remind me in two weeks to renew the domain": (
        "2026-12-18T09:00",
        "a day without a clock is 09:00, and the confirmation says 没有说几点，按 09:00 提醒",
    ),
}


def outcome(case: dict, said_at: str = DATA["now"]) -> tuple[str, str]:
    """("right" | "asked" | "convention" | "wrong", what happened)."""
    now = datetime.fromisoformat(said_at)
    reading = timeparse.parse(case["text"], now, TZ)
    if reading.kind == "error":
        return "asked", f"{reading.reason}: {reading.detail}"
    try:
        rule, _ = rule_from_reading(reading, now, TZ)
    except UsageError as exc:
        return "asked", exc.reason
    first = timerules.first_fire(rule, "Asia/Shanghai", now)
    got = first.astimezone(TZ).strftime("%Y-%m-%dT%H:%M") if first is not None else None
    said = f"saved {got}, task 「{reading.task}」"
    if case["text"] in CONVENTIONS and CONVENTIONS[case["text"]][0] == got:
        return "convention", f"{said} ({CONVENTIONS[case['text']][1]})"
    meant = case["first"] if isinstance(case["first"], list) else [case["first"]]
    if case["first"] is None or got not in meant:
        return "wrong", said
    if reading.task != case.get("task", reading.task):
        return "wrong", said
    repeats = any(w in case["text"].lower() for w in ("每", "every", "daily", "weekday"))
    if (rule["kind"] != "at") != repeats:
        return "wrong", f"{said} ({'once only' if repeats else 'saved as a repeating rule'})"
    return "right", said


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_heldout_phrase_is_right_or_asked_never_silently_wrong(case):
    kind, said = outcome(case)
    assert kind != "wrong", f"silently wrong: {said}"
    if kind == "asked":
        assert case["first"] is None or case.get("refuse_ok"), f"asked back, but it should be read: {said}"


@pytest.mark.parametrize("case", THIRD["cases"], ids=[c["text"] for c in THIRD["cases"]])
def test_third_batch_is_right_or_asked_never_silently_wrong(case):
    kind, said = outcome(case, THIRD["now"])
    assert kind != "wrong", f"silently wrong: {said}"
    if kind == "asked":
        assert case["first"] is None or case.get("refuse_ok"), f"asked back, but it should be read: {said}"


@pytest.mark.parametrize("case", FOURTH["cases"], ids=[c["text"] for c in FOURTH["cases"]])
def test_fourth_batch_is_right_or_asked_never_silently_wrong(case):
    kind, said = outcome(case, FOURTH["now"])
    assert kind != "wrong", f"silently wrong: {said}"
    if kind == "asked":
        assert case["first"] is None or case.get("refuse_ok"), f"asked back, but it should be read: {said}"


def test_third_batch_score():
    """Untuned on 292489f: 59 right, 14 asked, 3 silently wrong of 76. Now: 67 right, 9 asked (each
    where asking is allowed), 0 wrong."""
    counts = collections.Counter(outcome(case, THIRD["now"])[0] for case in THIRD["cases"])
    print(f"\nthird batch: {dict(counts)} of {len(THIRD['cases'])}")
    assert len(THIRD["cases"]) >= 60 and counts["wrong"] == 0
    assert counts["right"] >= 0.8 * len(THIRD["cases"])


def test_heldout_score():
    """The whole set at once: how many are read right, asked back, silently wrong (printed with -s)."""
    counts = {"right": 0, "asked": 0, "convention": 0, "wrong": 0}
    for case in CASES:
        counts[outcome(case)[0]] += 1
    print(f"\nheld-out time phrases: {counts} of {len(CASES)}")
    assert len(CASES) >= 60
    assert counts["wrong"] == 0
    assert counts["right"] + counts["asked"] + counts["convention"] == len(CASES)


@pytest.mark.parametrize(
    "text, said_at, first",
    [
        ("每月1号和15号上午10点提醒对账", "2026-12-01T10:00:00+08:00", "2026-12-15T10:00"),
        ("每天上午10点提醒看数据", "2026-12-01T10:00:00+08:00", "2026-12-02T10:00"),
        ("每月第一个工作日上午10点提醒交计划", "2026-11-02T10:00:00+08:00", "2026-12-01T10:00"),
    ],
)
def test_the_next_time_is_strictly_after_the_moment_it_was_said(text, said_at, first):
    now = datetime.fromisoformat(said_at)
    rule, _ = rule_from_reading(timeparse.parse(text, now, TZ), now, TZ)
    assert timerules.first_fire(rule, "Asia/Shanghai", now).astimezone(TZ).strftime("%Y-%m-%dT%H:%M") == first


@pytest.mark.parametrize(
    "text",
    [
        "每周一上午9点提醒交下个月第一周的计划",  # 下个月第一周 is the task's words, or a second time?
        "明天上午10点和下午3点提醒发帖",
        "周五下午3点提醒交下周二的稿子",
        "remind me tomorrow at 9am and next friday to post",
        "12月8号上午10点提醒第三周的复盘",
    ],
)
def test_a_time_word_left_in_the_task_blocks_the_save(text):
    reading = timeparse.parse(text, datetime.fromisoformat(DATA["now"]), TZ)
    assert reading.kind == "error" and reading.reason == "unread"
    assert "「" in reading.detail  # the words it did not read, quoted back


# Generated phrases: a time the parser reads, then a task that carries a time-like fragment. The
# fragments are written here, not taken from the parser or its guard: whatever the parser makes of
# the phrase, the fragment must never be saved inside the task.
_TIMES = (
    "明天上午10点",
    "下周三下午3点",
    "12月20日晚上8点",
    "每周一上午9点",
    "后天中午12点",
    "每天早上8点半",
)
_FRAGMENTS = (
    "第二个周五",
    "下个月",
    "三天后",
    "每隔两周",
    "月底前",
    "周六",
    "晚上9点",
    "12月31号",
    "十点半",
    "两个小时内",
    "国庆节",
    "最后一个工作日",
    "倒数第二天",
    "下下周",
    "上午",
    "1月5日",
    "每年",
    "8:30",
)
_TASKS = ("交{}的选题", "把{}的海报发出来", "确认{}直播", "{}交稿")


def test_generated_tasks_with_time_words_are_never_saved_with_them():
    import itertools
    import random

    rng = random.Random(20261204)
    now = datetime.fromisoformat(DATA["now"])
    phrases = [
        (f"{t}提醒{task.format(f)}", f) for t, f, task in itertools.product(_TIMES, _FRAGMENTS, _TASKS)
    ]
    rng.shuffle(phrases)
    saved_with_fragment = []
    for text, fragment in phrases:
        reading = timeparse.parse(text, now, TZ)
        if fragment == "国庆节" and reading.kind != "error":
            # the documented exception: every time here has its own day (a date, a weekday, a
            # repetition), and then a festival's name is a topic
            continue
        if reading.kind != "error" and fragment in (reading.task or ""):
            saved_with_fragment.append((text, reading.task))
    assert len(phrases) == 432
    assert saved_with_fragment == []


def test_generated_tasks_without_time_words_are_saved_whole():
    now = datetime.fromisoformat(DATA["now"])
    for t in _TIMES:
        for task in ("交选题", "把海报发出来", "确认直播嘉宾", "回复后台留言"):
            reading = timeparse.parse(f"{t}提醒大家{task}", now, TZ)
            assert reading.kind != "error", (t, task, reading.detail)
            assert reading.task == task


@pytest.mark.parametrize(
    "text, first, task",
    [
        # found while writing the third batch: the festival was taken as the day and cut out of the
        # task, though 明天 already said the day
        ("明天上午9点提醒发中秋节海报", "2026-12-05T09:00", "发中秋节海报"),
        ("每周五下午3点提醒准备音乐节物料", "2026-12-04T15:00", "准备音乐节物料"),
        ("除夕晚上8点提醒发拜年视频", "2027-02-05T20:00", "发拜年视频"),
        ("提醒我除夕晚上8点发视频", "2027-02-05T20:00", "发视频"),
        ("明天起每天中午12点提醒回私信", "2026-12-05T12:00", "回私信"),
        ("从下周一开始每天晚上9点提醒打卡", "2026-12-07T21:00", "打卡"),
        ("remind me on Christmas Eve at 7pm to post the greeting", "2026-12-24T19:00", "post the greeting"),
        ("remind me on the 20th at 3pm to pay the agency", "2026-12-20T15:00", "pay the agency"),
    ],
)
def test_festivals_and_first_days_are_read_or_left_in_the_task_whole(text, first, task):
    kind, said = outcome({"text": text, "first": first, "task": task}, "2026-12-04T10:00:00+08:00")
    assert kind == "right", said


@pytest.mark.parametrize(
    "text", ["下午5点提醒发除夕海报", "8点提醒发春节海报", "提醒下午5点提醒发除夕海报", "下午5点发除夕海报"]
)
def test_a_festival_after_the_reminder_verb_is_asked_about(text):
    reading = timeparse.parse(text, datetime.fromisoformat("2026-12-04T10:00:00+08:00"), TZ)
    assert reading.kind == "error", (reading.kind, reading.task)


def test_a_morning_hour_already_past_today_is_offered_as_tonight():
    now = datetime.fromisoformat("2026-12-04T16:00:00+08:00")
    reading = timeparse.parse("今天8点提醒发晚报", now, TZ)
    assert reading.kind == "error" and "今晚8点" in reading.detail
    (option,) = reading.options
    chosen = timeparse.parse(option, now, TZ)
    assert chosen.when == datetime(2026, 12, 4, 20, 0, tzinfo=TZ) and chosen.task == "发晚报"
    assert timeparse.parse("今天上午8点提醒发早报", now, TZ).reason == "past"  # said 上午: past, not guessed


def test_a_festival_apart_from_the_time_is_asked_about_in_chat(testbot):
    """Typed as people type it, with the command word: the festival may be the poster's topic."""
    for said in ("提醒 下午5点发除夕海报", "提醒下午5点提醒发除夕海报"):
        reply = testbot.ask(said)
        assert "「除夕」是提醒的日子" in reply and "好的，到时提醒" not in reply, reply
    assert "好的，到时提醒" in testbot.ask("提醒我除夕晚上8点发拜年视频")
