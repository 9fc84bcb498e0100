"""The engine: the durable inbox → router → outbox path, and the worker pool that drives it."""

from __future__ import annotations

import functools
import json
import logging
import random
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot import push_route, router
from bot.channels import leases
from bot.channels.base import Channel, DeliveryDeferred, DeliveryError, FileUnavailable, OutboxItem
from bot.config import Config
from bot.context import Context, Services
from bot.metrics import Metrics
from bot.models import Message, Person, PushUrl, Reply, chat_key
from bot.registry import ROLE_RANK, Registry
from storage import inbox, kv, outbox, teams
from storage.db import Store, Tx, change_counter, dialect, is_busy, read_then_write_tx, write_tx
from storage.teams import Team
from storage.timeutil import from_db, to_db

if TYPE_CHECKING:
    from bot.dispatcher import Dispatcher

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


WORKERS_HELD = "正在用这个数据库运行工作线程（处理消息、发送回复）。两个进程同时发送会超过平台的发送频率限制，所以这个进程不再启动工作线程。"


STATUS_KEY = "status:workers"
METRICS_KEY = "metrics:workers"


class LostClaim(Exception):
    """The inbox row is no longer this worker's claim."""


def system_clock() -> datetime:
    return datetime.now(UTC)


class Bot:
    """One bot: a database, the registered commands, the channels, and workers.

    Channels call :meth:`receive` in their request path (one INSERT, then they answer the
    platform); workers take messages from the inbox, run the router and write replies to the
    outbox in the same transaction; channels deliver outbox rows with retries.
    """

    def __init__(
        self,
        config: Config,
        *,
        registry: Registry,
        clock: Clock = system_clock,
        max_attempts: int | None = None,
        retry_base: float = 2.0,
        retry_cap: float = 300.0,
        inbox_lease: float = 30.0,
        outbox_lease: float = 60.0,
    ):
        self.config = config
        self.registry = registry
        self.clock = clock
        self.store = Store(config.db_path)
        self.channels: dict[str, Channel] = {}
        self.max_attempts = max_attempts
        self.retry_base = retry_base
        self.retry_cap = retry_cap
        self.inbox_lease = timedelta(seconds=inbox_lease)
        self.outbox_lease = timedelta(seconds=outbox_lease)
        self.services = Services(
            self.registry,
            can_push=self.can_push,
            read_push_url=self.read_push_url,
            fetch_file=self.fetch_file,
        )
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._wake = threading.Condition()  # idle workers wait here; one is woken per piece of work
        self._done = threading.Condition()  # wait_for() waits here; woken after every step
        self._may_work = threading.Event()  # set while this process holds the workers lease
        self.dispatcher: Dispatcher | None = None
        self.metrics = Metrics(self)
        self._holder = leases.holder_id()
        # Called (with no arguments) for every new inbound message, so that workers in another
        # process wake at once (``serve`` writes a byte to its worker process's pipe).
        self.wake_elsewhere: Callable[[], None] | None = None
        # Whether /healthz fails while no process answers (``serve``, which supervises its workers).
        self.require_workers = False
        self.workers_state: dict = {"state": "off"}
        self.health_extras: dict[str, Callable[[], dict]] = {}  # more sections for /healthz
        self.commit_poll_idle = 0.05  # seconds between data_version polls when nothing is happening
        self._last_busy = 0.0  # when a worker last found work (monotonic)
        _ = self.store.db  # open and migrate now, in the constructing thread

    # -- wiring -----------------------------------------------------------------------------
    def add_channel(self, channel: Channel) -> Channel:
        self.channels[channel.name] = channel
        channel.bind(self)
        return channel

    def now(self) -> datetime:
        return self.clock()

    @property
    def db(self):
        return self.store.db

    def _notify(self, workers: int = 1) -> None:
        """Wake ``workers`` idle workers (one per new piece of work: a worker that finds work wakes
        the next, so a burst ramps up without every ack waking the whole pool), and every waiter."""
        with self._wake:
            self._wake.notify(workers)
        with self._done:
            self._done.notify_all()

    def wake(self) -> None:
        """Something may be waiting (a new message recorded by another process)."""
        self._notify()

    # -- the request path -------------------------------------------------------------------
    def receive(self, message: Message) -> tuple[int, bool]:
        """Record an inbound message durably; return ``(inbox_id, is_new)``.

        This is all a channel does before acknowledging the platform. A re-delivery of a
        message already recorded changes nothing and returns ``is_new=False``.
        """
        payload = json.dumps(message.to_dict(), ensure_ascii=False)
        # One autocommit INSERT: SQLite takes and drops its write lock inside the C call, so the lock
        # is never held across a hand-over of Python's GIL (a mutex of ours here would be: slower).
        inbox_id, is_new = inbox.record(
            self.db,
            platform=message.platform,
            message_key=message.message_id,
            channel=message.channel,
            chat_key=message.chat_key,
            payload=payload,
            now=self.now(),
        )
        if is_new:
            self.metrics.received.labels(message.channel).inc()
            self._notify()
            if self.wake_elsewhere is not None:
                self.wake_elsewhere()
        else:
            self.metrics.deduped.labels(message.channel).inc()
        return inbox_id, is_new

    def can_push(self, team: Team) -> bool:
        """Whether a scheduled message to ``team`` has somewhere to go (a console team always waits for its console)."""
        return (
            team.platform == "console"
            or push_route.resolve(self.channels.values(), self.db, team) is not None
        )

    def fetch_file(self, message: Message, file: dict) -> bytes:
        """The bytes of a file sent in a message, from the channel it came through."""
        channel = self.channels.get(message.channel)
        if channel is None:
            raise FileUnavailable("收到文件的通道现在没有运行，请稍后再发一次。")
        return channel.fetch_file(message, file)

    def read_push_url(self, url: str) -> PushUrl | None:
        """The push channel a webhook URL belongs to (each channel reads its own), or None."""
        for channel in self.channels.values():
            found = channel.read_push_url(url)
            if found is not None:
                return found
        return None

    def push(self, team: Team, reply: Reply, *, kind: str = "push", db=None) -> int:
        """Queue a proactive message (reminder, report) to a team; returns the outbox id."""
        db = db or self.db
        route = push_route.resolve(self.channels.values(), db, team)
        if route is not None:
            name, target = route.channel, route.target
        else:
            # No channel serves this team now. A console team's rows wait for its console;
            # a platform team's rows have nowhere to go and are dead-lettered with the reason.
            name = f"console:{team.chat_id}" if team.platform == "console" else team.platform
            target = {"platform": team.platform, "tenant": team.tenant, "chat_id": team.chat_id}
        outbox_id = outbox.enqueue(
            db,
            channel=name,
            chat_key=chat_key(team.platform, team.tenant, team.chat_id),
            target=json.dumps(target, ensure_ascii=False),
            reply=json.dumps(reply.to_dict(), ensure_ascii=False),
            now=self.now(),
            team_id=team.id,
            kind=kind,
        )
        if route is None and team.platform != "console":
            error = "no push route: bind a group robot (推送 绑定) or run the long connection"
            outbox.mark_dead(db, outbox_id, now=self.now(), error=error)
            log.error("push to team %s (%s) has no route: %s", team.id, team.platform, error)
        self._notify()
        return outbox_id

    # -- handling ---------------------------------------------------------------------------
    def handle_next(self) -> bool:
        """Claim one inbox message and handle it; False when none was waiting."""
        row = inbox.claim_next(self.db, now=self.now(), lease=self.inbox_lease)
        if row is None:
            return False
        with self.metrics.handler.time():
            self._handle(row)
        self._notify()
        return True

    def _role_of(self, db, team: Team, message: Message, person: dict) -> str:
        """The speaker's role; a bootstrap admin (``XIAOBIAN_ADMINS``) is recorded as admin."""
        if self.config.is_admin(message.platform, message.sender.user_id) and person["role"] != "admin":
            teams.set_role(db, team.id, person["user_id"], "admin", by="XIAOBIAN_ADMINS", now=self.now())
            return "admin"
        return person["role"] if person["role"] in ROLE_RANK else "member"

    def _handle(self, row: dict) -> None:
        db = self.db
        now = self.now()
        message = Message.from_dict(json.loads(row["payload"]))
        if row["attempts"] > inbox.MAX_ATTEMPTS:
            log.error("inbox #%s given up after %s attempts", row["id"], row["attempts"])
            with write_tx(db):
                reply = Reply(
                    title="出错了",
                    body=f"这条消息多次处理失败，已放弃并记录（编号 #{row['id']}）。请换个说法再试，或告诉管理员这个编号。",
                    tone="error",
                )
                self._enqueue_reply(db, message, reply, inbox_id=row["id"], team_id=None, now=now)
                inbox.finish(db, row["id"], "failed", now=now, error="gave up after repeated crashes")
            return
        with write_tx(db):
            team = teams.ensure_team(
                db,
                message.platform,
                message.tenant,
                message.chat_id,
                now=now,
                chat_type=message.chat_type,
                name=message.chat_name,
                tz=self.config.tz,
            )
            if message.chat_type == "group" and not message.addressed:
                inbox.finish(db, row["id"], "ignored", now=now)
                return
            person = teams.touch_person(db, team.id, message.sender.user_id, message.sender.name, now=now)
            role = self._role_of(db, team, message, person)
        ctx = Context(
            message=message,
            team=team,
            person=person,
            role=role,
            db=db,
            config=self.config,
            now=now.astimezone(ZoneInfo(team.tz)),
            inbox_id=row["id"],
            services=self.services,
        )
        early = router.plan(self.registry, ctx)
        if early is None and ctx.command is not None and ctx.command.prepare is not None:
            inbox.extend_lease(db, row["id"], until=self.now() + max(self.inbox_lease, timedelta(minutes=3)))
            router.prepare(ctx)  # slow work (a model call), outside the write transaction
        # The handler runs in a transaction that holds no write lock until its first write (most
        # commands only read until they queue their answer); a lost race for the lock runs it again
        # under the lock. The claim is closed by compare-and-swap: a worker whose lease ran out and
        # was taken over writes nothing.
        for tx in (read_then_write_tx, write_tx):
            try:
                with tx(db) as open_tx:
                    replies, error = (early, None) if early is not None else router.execute(ctx)
                    if isinstance(open_tx, Tx):
                        open_tx.lock()  # this process's writers queue here, not in SQLite's busy handler
                    for reply in replies:
                        self._enqueue_reply(db, message, reply, inbox_id=row["id"], team_id=team.id, now=now)
                    if not inbox.finish_claimed(db, row["id"], row["attempts"], "done", now=now, error=error):
                        raise LostClaim(row["id"])
                    if ctx.redacted_text is not None:  # the message carried a credential: keep a masked copy
                        message.text = ctx.redacted_text
                        inbox.replace_payload(
                            db, row["id"], json.dumps(message.to_dict(), ensure_ascii=False)
                        )
                return
            except LostClaim:
                log.warning(
                    "inbox #%s was taken over by another worker; this one's answer is dropped", row["id"]
                )
                return
            except Exception as exc:
                if tx is write_tx or not is_busy(exc):
                    raise

    def _enqueue_reply(self, db, message: Message, reply: Reply, *, inbox_id: int, team_id, now) -> int:
        target = {
            "platform": message.platform,
            "tenant": message.tenant,
            "chat_id": message.chat_id,
            "chat_type": message.chat_type,
            "message_id": message.message_id,
            "sender": message.sender.user_id,
            "context": message.reply_context,
        }
        return outbox.enqueue(
            db,
            channel=message.channel,
            chat_key=message.chat_key,
            target=json.dumps(target, ensure_ascii=False),
            reply=json.dumps(reply.to_dict(), ensure_ascii=False),
            now=now,
            inbox_id=inbox_id,
            team_id=team_id,
        )

    # -- delivering -------------------------------------------------------------------------
    def deliver_next(self) -> bool:
        """Claim one due outbox row of a running channel and send it; False when none was due."""
        row = outbox.claim_due(self.db, channels=list(self.channels), now=self.now(), lease=self.outbox_lease)
        if row is None:
            return False
        self._deliver(row)
        self._notify()
        return True

    def backoff(self, attempts: int) -> float:
        """Seconds to wait before attempt ``attempts + 1``: exponential, capped, with jitter."""
        delay = min(self.retry_cap, self.retry_base * (2 ** (attempts - 1)))
        return delay * (0.8 + 0.4 * random.random())

    def _deliver(self, row: dict) -> None:
        db = self.db
        channel = self.channels[row["channel"]]
        item = OutboxItem(
            id=row["id"],
            channel=row["channel"],
            target=json.loads(row["target"]),
            reply=Reply.from_dict(json.loads(row["reply"])),
            kind=row["kind"],
            attempts=row["attempts"],
            team_id=row["team_id"],
            inbox_id=row["inbox_id"],
            created_at=row["created_at"],
        )
        started = time.perf_counter()
        try:
            channel.deliver(item)
        except DeliveryDeferred as exc:
            outbox.defer(db, row["id"], at=self.now() + timedelta(seconds=exc.retry_after), reason=str(exc))
        except DeliveryError as exc:
            self._failed(row, str(exc), exc.retryable, exc.retry_after, rate_limited=exc.rate_limited)
        except Exception as exc:  # a bug or an unexpected network error: retry, keep the reason
            log.exception("channel %s failed on outbox #%s", row["channel"], row["id"])
            self._failed(row, f"{type(exc).__name__}: {exc}", True, None)
        else:
            outbox.mark_sent(db, row["id"], now=self.now())
            self.metrics.sent.labels(row["channel"]).inc()
        finally:
            self.metrics.delivery.labels(row["channel"]).observe(time.perf_counter() - started)

    def retry_window(self, kind: str) -> float:
        """Seconds a row of ``kind`` keeps being retried after it was written."""
        return self.config.reply_retry_window if kind == "reply" else self.config.push_retry_window

    def _failed(
        self, row: dict, error: str, retryable: bool, retry_after: float | None, *, rate_limited: bool = False
    ) -> None:
        """A failed send: retried with capped backoff until its kind's window closes, then dead.

        A platform's rate limit is waited out without counting an attempt."""
        now = self.now()
        window = self.retry_window(row["kind"])
        age = (now - from_db(row["created_at"])).total_seconds()
        too_many = self.max_attempts is not None and row["attempts"] >= self.max_attempts and not rate_limited
        if not retryable or age >= window or too_many:
            self._dead(row, error, now)
            return
        delay = retry_after if retry_after is not None else self.backoff(row["attempts"])
        delay = min(delay, max(window - age, 0.0))  # the last try falls at the window's end
        if rate_limited:
            self.metrics.rate_limited.labels(row["channel"]).inc()
            outbox.defer(self.db, row["id"], at=now + timedelta(seconds=delay), reason=error)
            log.info("outbox #%s rate limited, waiting %.1fs: %s", row["id"], delay, error)
            return
        outbox.mark_retry(self.db, row["id"], at=now + timedelta(seconds=delay), error=error)
        self.metrics.retried.labels(row["channel"]).inc()
        log.warning(
            "outbox #%s attempt %s failed, retry in %.1fs: %s", row["id"], row["attempts"], delay, error
        )

    def _dead(self, row: dict, error: str, now: datetime) -> None:
        """Give up on a row; a scheduled push that never arrived is told to an admin of its team, once."""
        outbox.mark_dead(self.db, row["id"], now=now, error=error)
        self.metrics.dead.labels(row["channel"], row["kind"]).inc()
        log.error(
            "outbox #%s (%s) dead after %s attempts: %s", row["id"], row["kind"], row["attempts"], error
        )
        if row["kind"] != "push" or row["team_id"] is None:
            return
        team = teams.get_team(self.db, row["team_id"])
        if team is None:
            return
        title = Reply.from_dict(json.loads(row["reply"])).title or "定时消息"
        created = from_db(row["created_at"]).astimezone(ZoneInfo(team.tz)).strftime("%m-%d %H:%M")
        notice = Reply(
            title="有一条定时消息没有送达",
            body=(
                f"{created} 发往本群的「{title}」重试到期仍未送达（{error[:80]}）。"
                f"管理员可以在服务器上运行 xiaobian outbox --dead 查看，xiaobian outbox retry {row['id']} 重发。"
            ),
            tone="warn",
            mentions=[
                Person(p["user_id"], p.get("name") or p["user_id"])
                for p in teams.people_with_role(self.db, team.id, ("admin",))[:3]
            ],
        )
        try:
            self.push(team, notice, kind="notice")
        except Exception:
            log.exception("could not queue the notice for dead outbox #%s", row["id"])

    # -- running ----------------------------------------------------------------------------
    def work_once(self) -> bool:
        """Handle one message or deliver one reply; False when there was nothing to do."""
        return self.handle_next() or self.deliver_next()

    def drain(self, limit: int = 10_000) -> int:
        """Do all work that is due now, in this thread; return how many steps were taken."""
        steps = 0
        while steps < limit and self.work_once():
            steps += 1
        return steps

    def _worker_loop(self, first: bool = True) -> None:
        # Only the first worker wakes by itself each second (for retries that come due); the others
        # sleep until work wakes them, so an idle pool costs one claim pair a second.
        longest = 1.0 if first else 30.0
        while not self._stopping.is_set():
            if not self._may_work.is_set():  # the lease is not (or no longer) ours
                self._may_work.wait(0.5)
                continue
            try:
                busy = self.work_once()
            except Exception:
                log.exception("worker step failed")
                busy = False
            if busy:
                self._last_busy = time.monotonic()
            else:
                self._idle_wait(longest)

    def _idle_wait(self, longest: float = 1.0) -> None:
        """Sleep until there may be work (a wake-up from this process, the commit watcher or the
        supervising ``serve``), or ``longest`` seconds (retries that come due)."""
        with self._wake:
            if self._stopping.is_set():  # stop() set it before it woke the waiters: do not sleep past it
                return
            self._wake.wait(timeout=longest)

    def _watch_commits(self, fast: float = 0.005) -> None:
        """One thread per process notices commits by other processes (SQLite's ``data_version``
        changes; a web process and a worker process share the file) and wakes the workers. It polls
        every 5 ms while the workers have had work in the last second (a burst is coming in) and
        every ``commit_poll_idle`` seconds (0.05) otherwise, so an idle process costs next to nothing;
        this process's own idle writes (lease renewals, status) wake one empty claim, not a fast
        poll. Under ``serve`` new messages arrive as a byte on the worker process's pipe instead and
        the idle poll is 1 s (it only catches other writers: ``xiaobian outbox retry``, a separate
        web tier)."""
        db = self.db
        seen: str | None = None
        while not self._stopping.is_set():
            version: str | None
            try:
                version = change_counter(db)
            except Exception:
                version = seen
            if seen is not None and version != seen:
                self._notify()
            seen = version
            busy = time.monotonic() - self._last_busy < 1.0
            self._stopping.wait(fast if busy else self.commit_poll_idle)

    def _dispatcher_loop(self) -> None:
        dispatcher = self.dispatcher
        if dispatcher is None:
            return
        while not self._stopping.is_set():
            try:
                dispatcher.tick()
            except Exception:
                log.exception("dispatcher tick failed")
            self._stopping.wait(1.0)

    def _spawn(self, target: Callable[[], None], name: str) -> None:
        t = threading.Thread(target=target, name=name, daemon=True)
        t.start()
        self._threads.append(t)

    def start(
        self,
        workers: int | None = None,
        *,
        dispatcher: bool = True,
        channels: bool = True,
        wait_for_lease: bool = False,
    ) -> None:
        """Start the worker pool, the dispatcher and (unless ``channels`` is False) the channels' connections.

        On SQLite one process per database runs workers: the platforms' per-chat send limits are
        kept in this process, so a second worker process would send twice as fast as they allow.
        (On PostgreSQL every process runs one, see :meth:`_take_lease`.) The pool runs while this
        process holds the ``workers`` lease. A holder that is dead
        (same host, process gone) is taken over at once; a live one on this host is watched and
        taken over the moment it stops; one on another host is waited out. With ``wait_for_lease``
        (``serve``, ``worker``) this call returns at once and the pool, the dispatcher and the
        channels start when the lease is ours; without it (the console) a live holder raises
        ``LeaseHeld`` here, saying which process holds it."""
        self._stopping.clear()
        count = self.config.workers if workers is None else workers
        if not count:
            if dispatcher and self.dispatcher is not None:
                self._spawn(self._dispatcher_loop, "xiaobian-dispatcher")
            if channels:
                for channel in self.channels.values():
                    channel.start(self)
            return
        if wait_for_lease:
            self._spawn(
                lambda: self._lease_loop(count, dispatcher=dispatcher, channels=channels),
                "xiaobian-workers-lease",
            )
            return
        self._take_lease()  # raises LeaseHeld, naming the live holder
        self._run_pool(count, dispatcher=dispatcher)
        if channels:
            for channel in self.channels.values():
                channel.start(self)
        self._spawn(
            lambda: self._lease_loop(count, dispatcher=dispatcher, channels=False, started=True),
            "xiaobian-workers-lease",
        )

    def _run_pool(self, count: int, *, dispatcher: bool) -> None:
        """The lease is ours: start the workers, the commit watcher and the dispatcher."""
        self.workers_state = {"state": "running", "workers": count, "since": to_db(self.now())}
        self._may_work.set()
        for i in range(count):
            self._spawn(functools.partial(self._worker_loop, i == 0), f"xiaobian-worker-{i}")
        self._spawn(self._watch_commits, "xiaobian-commit-watch")
        if dispatcher and self.dispatcher is not None:
            self._spawn(self._dispatcher_loop, "xiaobian-dispatcher")

    def _take_lease(self) -> bool:
        """Take or renew the workers lease; True when it was just taken over from another holder
        (whose claims are then released: that process is dead or its lease ran out).

        On PostgreSQL every process runs its pool: claims skip rows another worker holds, send
        pacing is shared in the database, and a dead worker's claims come back when their own
        lease runs out; there is no single holder to take over from."""
        if dialect(self.db) == "postgresql":
            return False
        previous = leases.acquire(self.db, "workers", self._holder, self.now(), why=WORKERS_HELD)
        if previous is None:
            return False
        now = self.now()
        with write_tx(self.db):
            stuck_in = inbox.release_claims(self.db, now=now)
            stuck_out = outbox.release_claims(self.db, now=now)
        log.warning(
            "took the workers lease over from %s; %s message(s) and %s send(s) it held are taken up again",
            leases.Holder.decode(previous).describe(),
            stuck_in,
            stuck_out,
        )
        return True

    def _lease_loop(self, count: int, *, dispatcher: bool, channels: bool, started: bool = False) -> None:
        """Hold the workers lease: take it (or wait for it), start the pool once it is ours, renew it,
        and pause the pool if it is ever lost (this process stalled past the lease)."""
        pending = list(self.channels.values()) if channels else []
        self._spawn(self._publish_status, "xiaobian-status")
        if started:
            self._stopping.wait(leases.LEASE_SECONDS / 3)
        while not self._stopping.is_set():
            try:
                self._take_lease()
            except leases.LeaseHeld as exc:
                if self._may_work.is_set():
                    log.error("the workers lease was lost to %s; pausing this pool", exc.holder.describe())
                    self._may_work.clear()
                if self.workers_state.get("state") != "waiting":
                    log.warning("waiting for the workers lease: %s", exc)
                    self.workers_state = {
                        "state": "waiting",
                        "waiting_for": exc.holder.describe(),
                        "since": to_db(self.now()),
                        "reason": str(exc),
                    }
                self._stopping.wait(0.2 if exc.same_host else 2.0)
                continue
            except Exception:
                log.exception("the workers lease could not be taken or renewed")
                self._stopping.wait(1.0)
                continue
            if not started:
                started = True
                self._run_pool(count, dispatcher=dispatcher)
            elif not self._may_work.is_set():  # the lease is ours again after a pause
                self.workers_state = {"state": "running", "workers": count, "since": to_db(self.now())}
                self._may_work.set()
                self._notify(count)
            pending = self._start_channels(pending)
            self._stopping.wait(leases.LEASE_SECONDS / 3 if not pending else 5.0)

    def _start_channels(self, channels: list[Channel]) -> list[Channel]:
        """Start each channel's connection; return those that could not start yet (a long connection
        whose own lease another live process holds), to be tried again."""
        left = []
        for channel in channels:
            try:
                channel.start(self)
            except leases.LeaseHeld as exc:
                log.warning("channel %s waits: %s", channel.name, exc)
                left.append(channel)
            except Exception:
                log.exception("channel %s did not start; trying again", channel.name)
                left.append(channel)
        return left

    def stop(self, timeout: float = 10.0) -> None:
        """Stop cleanly: each worker finishes its current step; unstarted work stays queued."""
        self._stopping.set()
        self._may_work.clear()
        with self._wake:
            self._wake.notify_all()
        try:
            leases.release(self.db, "workers", self._holder, self.now())
        except Exception:
            log.exception("the workers lease was not released")
        for channel in self.channels.values():
            try:
                channel.stop()
            except Exception:
                log.exception("channel %s did not stop cleanly", channel.name)
        deadline = time.monotonic() + timeout
        for t in self._threads:
            if t is not threading.current_thread():
                t.join(max(0.0, deadline - time.monotonic()))
        self._threads = []
        self.workers_state = {"state": "off"}

    def close(self) -> None:
        self.stop()
        self.store.close()

    def wait_for(self, inbox_id: int, timeout: float = 10.0) -> list[dict]:
        """Wait until a message is handled and its replies are sent or dead; return the outbox rows."""
        deadline = time.monotonic() + timeout
        while True:
            row = inbox.get(self.db, inbox_id)
            rows = outbox.for_inbox(self.db, inbox_id)
            if (
                row
                and row["status"] in ("done", "ignored", "failed")
                and all(r["status"] in ("sent", "dead") for r in rows)
            ):
                return rows
            if time.monotonic() > deadline:
                raise TimeoutError(f"inbox #{inbox_id} not finished in {timeout}s")
            with self._done:
                self._done.wait(timeout=0.05)

    def health(self) -> dict:
        """What /healthz shows. Unhealthy when the database cannot be written (a full disk, a lock
        held for ever) or a long connection is down; replies that died are counted, not fatal."""
        db = self.db
        now = self.now()
        data: dict = {"database": "ok"}
        try:
            with write_tx(db):  # a real write: reads keep working on a full disk, writes do not
                kv.put(db, "health:probe", to_db(now), expires_at=now + timedelta(days=1))
        except Exception as exc:
            data["database"] = f"write failed: {type(exc).__name__}: {exc}"[:200]
        try:
            data.update(
                inbox_depth=inbox.depth(db),
                outbox_depth=outbox.depth(db),
                dead_replies_24h=outbox.dead_since(db, now - timedelta(hours=24)),
            )
        except Exception as exc:
            data["database"] = f"read failed: {type(exc).__name__}"
        published = self.published_status()
        channels = self.channel_statuses(published)
        workers = dict(self.workers_state)
        if workers["state"] == "off":  # the pool runs in another process (serve's worker, xiaobian worker)
            try:
                holder = leases.holder_of(db, "workers", now)
            except Exception:
                holder = None
            if published is not None:
                workers = published["workers"]
                workers["process"] = published["process"]
            else:
                workers = {"state": "starting"}  # no worker process has said anything yet
            if holder is not None and leases.is_dead(holder):
                holder = None
            workers["lease_holder"] = holder.describe() if holder is not None else None
            if dialect(db) == "postgresql":  # no single holder: a fresh heartbeat of a running pool
                answering = published is not None and workers.get("state") == "running"
                if published is None:
                    workers["state"] = "down"
            else:
                if holder is None and workers.get("state") == "running":
                    workers["state"] = "down"  # its last word, but no live process holds the lease
                answering = holder is not None
        else:
            answering = workers["state"] == "running"
        data["workers"] = workers
        # a long connection that is down or has stopped answering pings makes the bot deaf, and so
        # does a serve whose workers are down
        data["ok"] = (
            data["database"] == "ok"
            and all(c.get("healthy", True) for c in channels.values())
            and (answering or not self.require_workers)
        )
        data["channels"] = channels
        for name, extra in self.health_extras.items():
            data[name] = extra()
        return data

    def published_status(self) -> dict | None:
        """What the worker process last said of itself (when this process runs no pool), or None."""
        if self.workers_state["state"] != "off":
            return None
        try:
            if dialect(self.db) == "postgresql":  # each live worker process's heartbeat: a running one first
                beats = [
                    json.loads(v) for v in kv.fresh_with_prefix(self.db, STATUS_KEY + ":", now=self.now())
                ]
                beats.sort(key=lambda b: b["workers"].get("state") != "running")
                return beats[0] if beats else None
            snapshot = kv.get(self.db, STATUS_KEY, now=self.now())
        except Exception:
            return None
        return json.loads(snapshot) if snapshot is not None else None

    def channel_statuses(self, published: dict | None = None) -> dict[str, dict]:
        """Each channel's status; a connection run by the worker process as that process last said."""
        statuses = {name: ch.status() for name, ch in self.channels.items()}
        if published is not None:
            statuses.update(published["channels"])
        return statuses

    def _publish_status(self) -> None:
        """A worker process tells the web processes how its pool and its long connections are (for
        /healthz), and its counters (for /metrics), in the kv table: the state on every change and
        every minute while nothing changes (whether the process still lives, /healthz asks the
        lease, not this row); the counters every 5 s while they change."""
        last, written = None, 0.0
        last_counters, counted = b"", 0.0
        while not self._stopping.wait(1.0):
            try:
                if time.monotonic() - counted >= 5.0:
                    counters = self.metrics.render_worker_families()
                    counted = time.monotonic()
                    if counters != last_counters:
                        kv.put(
                            self.db,
                            METRICS_KEY,
                            counters.decode(),
                            expires_at=self.now() + timedelta(minutes=10),
                        )
                        last_counters = counters
                state = {
                    "process": leases.Holder.decode(self._holder).describe(),
                    "workers": self.workers_state,
                    "channels": {n: c.status() for n, c in self.channels.items() if c.has_connection()},
                }
                shared = dialect(self.db) == "postgresql"
                if state != last or time.monotonic() - written >= (5.0 if shared else 60.0):
                    now = self.now()
                    if shared:  # one row per process, a heartbeat: several processes answer at once
                        key, ttl = f"{STATUS_KEY}:{self._holder}", timedelta(seconds=15)
                    else:
                        key, ttl = STATUS_KEY, timedelta(seconds=180)
                    kv.put(self.db, key, json.dumps(state, ensure_ascii=False), expires_at=now + ttl)
                    last, written = state, time.monotonic()
            except Exception:
                log.exception("worker status not published")
