"""Send pacing for the channels: at most ``burst`` sends at once per key, then one every ``gap``.

On SQLite one worker process sends, so the bookings live in this process's memory. On PostgreSQL
every process runs workers, so they live in the shared database (:mod:`storage.pacing`) and N
workers on N machines together stay inside a platform's limit. Both keep the same algorithm (the
generic cell rate algorithm): in any window of ``w`` seconds at most ``burst + w / gap`` sends go.
The shared bookings compare each machine's own clock: keep the machines on NTP, and the gaps carry
a margin.
"""

from __future__ import annotations

import hashlib
import threading
import time

from storage import pacing
from storage.db import dialect

LATE = 0.1  # seconds after its booked moment that a send may still leave
RETAKES = 5  # bookings a sleeping sender makes before it goes anyway (the platform's 429 is handled)


def url_key(url: str) -> str:
    """A pacing key for a webhook URL: the URL carries its credential, which is never stored."""
    return hashlib.sha256(url.encode()).hexdigest()[:24]


class Pace:
    """One platform limit, e.g. ``Pace("wecom:member", gap=3.0, burst=5)`` for 25 a minute."""

    def __init__(self, name: str, *, gap: float, burst: int = 1, durable: bool = False):
        """``durable``: book in the database on SQLite too, so that a process killed and restarted
        within the window still counts what it sent (for limits whose excess is dropped silently)."""
        self.name, self.gap, self.burst, self.durable = name, gap, burst, durable
        self._next: dict[str, float] = {}
        self._lock = threading.Lock()

    def most_in(self, window: float) -> int:
        """The most sends this pace lets through in any ``window`` seconds."""
        return 1 + int((window + (self.burst - 1) * self.gap) / self.gap + 1e-9)

    def take(self, db, key: str, *, max_wait: float | None = None, now: float | None = None) -> float:
        """Book a send for ``key``; the seconds to wait before it. A wait beyond ``max_wait`` is
        returned without booking (the caller defers the send and asks again later)."""
        now = time.time() if now is None else now
        full_key = f"{self.name}:{key}"
        if self.durable or dialect(db) == "postgresql":
            return pacing.reserve(db, full_key, self.gap, now, burst=self.burst, max_wait=max_wait)
        tau = (self.burst - 1) * self.gap
        with self._lock:
            idle_at = max(self._next.get(full_key, now), now)
            wait = idle_at - tau - now
            wait = wait if wait >= pacing.SLACK else 0.0
            if max_wait is None or wait <= max_wait:
                self._next[full_key] = idle_at + self.gap
                if len(self._next) > 10_000:  # keys idle again carry nothing: forget them
                    self._next = {k: v for k, v in self._next.items() if v > now}
            return wait

    def sleep(self, db, key: str) -> None:
        """Book a send for ``key`` and wait for its moment.

        A sender that wakes more than :data:`LATE` after its moment (a thread stalled while it
        slept, on a busy machine) books again instead of going out bunched with the sends booked
        after it: what arrives in any window stays within the pace plus ``LATE / gap``. A slot
        given up is only a send fewer, never one too many. The booking's own round trip does not
        count as lateness: a database far away delays every sender alike, and must not make each
        send book five times."""
        for _ in range(RETAKES):
            asked = time.time()
            wait = self.take(db, key, now=asked)
            answered = time.time()
            moment = max(asked + wait, answered)
            if moment > answered:
                time.sleep(moment - answered)
            if time.time() - moment <= LATE:
                return
