"""The one scheduler: due rows of ``schedules`` are claimed, fired through the outbox, and advanced.

A handler module declares what a kind of row does with ``@job("kind")``: given the row and
the fire time it returns the replies to send, or None. The dispatcher claims a row with a
compare-and-swap on its ``next_fire_at`` in the same transaction that writes the outbox rows,
so two dispatchers never both send, and a crash never loses or doubles a fire.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot import timerules
from bot.context import JobContext
from bot.models import as_replies
from storage import inbox, kv, outbox, schedules, teams
from storage.db import write_tx

log = logging.getLogger(__name__)


RETENTION = timedelta(days=30)  # handled messages and sent replies are kept this long (dedupe needs ≥ 8 h)
HOUSEKEEPING_EVERY = timedelta(hours=1)


class Dispatcher:
    def __init__(self, bot):
        self.bot = bot
        self._last_housekeeping: datetime | None = None

    def housekeeping(self, now: datetime, batch: int = 100) -> dict:
        """Drop old handled messages, old sent replies and expired cache values, ``batch`` rows per
        short transaction, so the write lock is never held for long whatever the history."""
        db = self.bot.db
        done = {"outbox": 0, "inbox": 0}
        for name, prune in (("outbox", outbox.prune), ("inbox", inbox.prune)):
            while True:
                with write_tx(db):
                    n = prune(db, before=now - RETENTION, limit=batch)
                done[name] += n
                if n < batch:
                    break
        with write_tx(db):
            done["kv"] = kv.prune(db, now=now)
        self._last_housekeeping = now
        if any(done.values()):
            log.info("housekeeping removed %s", done)
        return done

    def tick(self) -> int:
        """Fire every row due now; return how many fires were sent."""
        fired = 0
        now = self.bot.now()
        if self._last_housekeeping is None or now - self._last_housekeeping >= HOUSEKEEPING_EVERY:
            self.housekeeping(now)
        for row in schedules.due(self.bot.db, now=now, limit=500):
            if self.fire(row, now):
                fired += 1
        return fired

    def fire(self, row: dict, now: datetime) -> bool:
        db = self.bot.db
        job = self.bot.registry.jobs.get(row["kind"])
        if job is None:
            log.error("schedule #%s has unknown kind %r", row["id"], row["kind"])
            return False
        team = teams.get_team(db, row["team_id"])
        if team is None:  # nothing to say it to: stop firing it
            log.error("schedule #%s belongs to no team (#%s); cancelled", row["id"], row["team_id"])
            with write_tx(db):
                schedules.set_status(db, row["id"], "cancelled")
            return False
        extra = {}
        prepare = self.bot.registry.job_prepares.get(row["kind"])
        if prepare is not None:
            try:
                extra["prepared"] = prepare(JobContext.of(self.bot, team, now, row=row))
            except Exception as exc:
                log.exception("prepare of %s #%s failed", row["kind"], row["id"])
                extra["prepared"] = {"error": f"{type(exc).__name__}: {exc}"}
        with write_tx(db):
            fresh = schedules.get(db, row["id"])
            if fresh is None or fresh["status"] != "active" or fresh["next_fire_at"] != row["next_fire_at"]:
                return False  # someone else fired it, or it changed
            due = schedules.next_fire_time(fresh)
            if due is None:
                return False  # active rows always have a fire time; one without has nothing to fire
            following = timerules.next_after(fresh["rule"], fresh["tz"], now)
            late = (now - due).total_seconds() > schedules.LATE_AFTER_SECONDS
            try:
                ctx = JobContext.of(self.bot, team, now, row=fresh, due=due, late=late, **extra)
                replies = as_replies(job(ctx))
            except Exception:
                log.exception("job %s #%s failed", row["kind"], row["id"])
                replies = []
            if not schedules.advance(db, fresh, following, now=now):
                return False
            for reply in replies:
                self.bot.push(team, reply, kind=row["kind"], db=db)
        log.info("fired %s #%s (due %s%s)", row["kind"], row["id"], due.isoformat(), ", late" if late else "")
        return True
