"""Send pacing: whatever the order of asks, no window carries more sends than the platform allows.

The oracle counts sends in every window from the send times alone (it shares no code with the
pace). On SQLite the bookings are in memory; with ``XIAOBIAN_TEST_BACKEND=postgresql`` the same
tests book through several connections to one PostgreSQL schema, as several workers would.
"""

from __future__ import annotations

import random

import pytest

from bot.channels.pace import Pace
from storage.db import connect, migrate

pytestmark = pytest.mark.date_free

T0 = 1_764_820_800.125


def _most_in_any_window(times: list[float], window: float) -> int:
    """The largest number of sends inside any closed window [t, t + window] (the cautious reading)."""
    times = sorted(times)
    best, j = 0, 0
    for i, start in enumerate(times):
        while j < len(times) and times[j] <= start + window + 1e-9:
            j += 1
        best = max(best, j - i)
    return best


def _dbs(db_path, n: int):
    dbs = [connect(db_path) for _ in range(n)]
    migrate(dbs[0])
    return dbs


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_deferring_sends_never_exceed_wecom_member_limit(db_path, seed):
    """WeCom drops more than 30 app messages a minute to one member: asks at random moments from
    three workers, each sending only when its wait is zero, stay at 25 or fewer in any minute."""
    rng = random.Random(seed)
    pace = Pace("wecom:member", gap=3.0, burst=5)
    dbs = _dbs(db_path, 3)
    now, sent, deferred = T0, [], 0
    for _ in range(400):
        now += rng.expovariate(1 / 1.2)  # about 50 asks a minute: twice what may go
        wait = pace.take(rng.choice(dbs), "corp:1:zhangsan", max_wait=0.0, now=now)
        if wait == 0:
            sent.append(now)
        else:
            deferred += 1
            assert 0 < wait <= 3.0 + 1e-6  # the next free moment is at most one gap away
    assert _most_in_any_window(sent, 60.0) <= 25 <= 30
    assert deferred > 0 and len(sent) >= (sent[-1] - sent[0]) / 3.0  # the sustained rate is kept, not starved


def test_sleeping_sends_keep_feishu_chat_rate_and_come_in_order(db_path):
    """Forty sends to one chat asked at one moment: each waits its slot, five a second at most."""
    pace = Pace("feishu:chat", gap=0.25)
    dbs = _dbs(db_path, 4)
    at = [T0 + pace.take(dbs[i % 4], "oc_1", now=T0) for i in range(40)]
    assert at == sorted(at)
    assert _most_in_any_window(at, 1.0) <= 5
    assert at[-1] - at[0] == pytest.approx(39 * 0.25, abs=1e-5)  # no slot wasted
    assert pace.take(dbs[0], "oc_2", now=T0) == 0.0  # another chat is free
    assert pace.take(dbs[1], "oc_1", now=T0 + 60) == 0.0  # idle again later


def test_a_burst_goes_at_once_then_the_gap_holds(db_path):
    pace = Pace("feishu:app", gap=0.025, burst=5)
    dbs = _dbs(db_path, 2)
    waits = [pace.take(dbs[i % 2], "cli_1", now=T0) for i in range(12)]
    assert waits[:5] == [0.0] * 5
    assert waits[5:] == pytest.approx([0.025 * k for k in range(1, 8)], abs=1e-5)
    times = [T0 + w for w in waits]
    assert _most_in_any_window(times, 1.0) <= 50 and pace.most_in(1.0) <= 50


def test_a_deferred_ask_books_nothing(db_path):
    """Asking again and again while the key is busy never pushes its next free moment back."""
    pace = Pace("wecom:robot", gap=4.0, burst=1)
    db = _dbs(db_path, 1)[0]
    assert pace.take(db, "k", max_wait=0.0, now=T0) == 0.0
    for k in range(20):
        assert pace.take(db, "k", max_wait=0.0, now=T0 + k * 0.1) == pytest.approx(4.0 - k * 0.1, abs=1e-5)
    assert pace.take(db, "k", max_wait=0.0, now=T0 + 4.0) == 0.0


@pytest.mark.parametrize(
    "gap,burst,window,limit", [(3.0, 5, 60, 25), (4.0, 4, 60, 19), (0.65, 3, 1, 4), (0.65, 3, 60, 95)]
)
def test_the_stated_bound_is_what_an_eager_sender_gets(db_path, gap, burst, window, limit):
    """most_in() (what the channels' comments promise) against a sender that asks every 10 ms
    (every 50 ms over the minute-long windows: a twentieth of every gap, and a fifth of the asks)."""
    pace = Pace("x", gap=gap, burst=burst)
    db = _dbs(db_path, 1)[0]
    step = 0.01 if window < 10 else 0.05
    sent = [
        T0 + k * step
        for k in range(int(3 * window / step))
        if pace.take(db, "k", max_wait=0.0, now=T0 + k * step) == 0
    ]
    assert _most_in_any_window(sent, window) == pace.most_in(window) == limit


def test_workers_booking_at_once_each_get_a_slot_of_their_own(db_path):
    """Four worker threads, each with its own connection, book one chat at the same moment:
    the row lock (PostgreSQL) or the process lock (SQLite) gives every send its own slot."""
    import threading

    pace = Pace("feishu:chat", gap=0.25)
    dbs = _dbs(db_path, 4)
    waits: list[float] = []
    lock = threading.Lock()

    def worker(db):
        for _ in range(25):
            wait = pace.take(db, "oc_busy", now=T0)
            with lock:
                waits.append(wait)

    threads = [threading.Thread(target=worker, args=(db,)) for db in dbs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(round(w / 0.25) for w in waits) == list(range(100))


def test_a_durable_pace_remembers_across_a_restart(db_path):
    """WeCom drops the excess silently, so its per-member pace is kept in the database on SQLite too:
    a process killed after a burst and started again (a new Pace, a new connection) still waits."""
    first = Pace("wecom:member", gap=3.0, burst=5, durable=True)
    db = _dbs(db_path, 1)[0]
    assert [first.take(db, "u", max_wait=0.0, now=T0) for _ in range(5)] == [0.0] * 5
    restarted = Pace("wecom:member", gap=3.0, burst=5, durable=True)
    assert restarted.take(connect(db_path), "u", max_wait=0.0, now=T0 + 1) == pytest.approx(2.0, abs=1e-5)
    forgetful = Pace("wecom:member", gap=3.0, burst=5)  # memory only: what a restart forgot
    if not db_path.startswith("postgresql"):
        assert forgetful.take(db, "u", max_wait=0.0, now=T0 + 1) == 0.0


def test_a_sender_that_wakes_late_books_again_instead_of_going_out_bunched(db_path, monkeypatch):
    """A sender whose sleep overran (a stalled thread) gives its slot up and books a new one, so a
    send never leaves more than LATE after its moment; a punctual sender books once, and a slow
    booking (a database far away) is not lateness."""
    import time as time_mod

    from bot.channels import pace as pace_mod

    real_sleep = time_mod.sleep

    class Counting(Pace):
        def take(self, db, key, *, max_wait=None, now=None):
            self.booked += 1
            if self.round_trip:
                real_sleep(self.round_trip)
            return super().take(db, key, max_wait=max_wait, now=now)

    db = _dbs(db_path, 1)[0]
    overruns = [pace_mod.LATE * 3]

    def overrunning_sleep(seconds):  # the first sleep wakes late
        real_sleep(seconds + (overruns.pop() if overruns else 0.0))

    late = Counting("x", gap=0.05)
    late.booked, late.round_trip = 0, 0.0
    late.take(db, "k")  # the key is busy: the next send has to sleep
    late.booked = 0
    monkeypatch.setattr(pace_mod.time, "sleep", overrunning_sleep)
    late.sleep(db, "k")
    monkeypatch.setattr(pace_mod.time, "sleep", real_sleep)
    assert late.booked == 2

    far = Counting("y", gap=0.05)
    far.booked, far.round_trip = 0, pace_mod.LATE * 2  # every booking takes 0.2 s to answer
    far.sleep(db, "k")
    far.sleep(db, "k")
    assert far.booked == 2  # once each
