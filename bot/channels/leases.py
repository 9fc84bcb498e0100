"""One holder at a time: a lease row in the kv table, renewed while held.

Used where two copies must not both run: on SQLite, the worker pool of one database (the platforms'
send limits are paced in that process's memory) and the Feishu long connection (Feishu hands each
event to one of the open connections, so a second copy — a laptop with a file of its own — would
silently take some); on both engines, the WeCom AI-bot long connection (WeCom keeps one per bot and
tells the older one to go). On PostgreSQL pacing is shared in the database and every instance
records into one inbox, so workers and Feishu connections run on every machine.

A holder is written as JSON naming its host, boot, PID namespace, PID and the process's start time.
On the same host (same boot, same PID namespace) a holder whose process is gone — or whose PID now
belongs to a younger process — is dead, and its lease is taken at once: a crash never keeps the bot
down. A holder on another host cannot be checked; it is waited out (its lease lasts
:data:`LEASE_SECONDS` after its last renewal).
"""

from __future__ import annotations

import json
import os
import socket
import uuid
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from functools import cache

from storage import kv
from storage.db import write_tx

# Renewed every third of it. Short, because a holder that cannot be checked is waited out: a
# container restarted in a new PID namespace (same host name, its old PIDs invisible) takes over
# its own previous incarnation's lease within this time; on one host outside containers a dead
# holder is seen at once.
LEASE_SECONDS = 15


class LeaseHeld(RuntimeError):
    """Another live holder has the lease; the message (in Chinese) names it. ``holder`` is that
    holder and ``same_host`` whether it runs on this machine (so it can be watched closely)."""

    def __init__(self, message: str, holder: Holder, *, same_host: bool):
        super().__init__(message)
        self.holder = holder
        self.same_host = same_host


@dataclass(frozen=True)
class Holder:
    """Who holds a lease: enough to tell, on the same machine, whether that process still runs."""

    host: str
    pid: int
    started: str  # the process's start time in clock ticks since boot ("" where it cannot be read)
    boot: str  # this boot's id ("" where unknown)
    pidns: str  # the PID namespace (containers on one host share a boot but not their PIDs)
    nonce: str

    def encode(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def decode(cls, text: str) -> Holder:
        """A stored holder; a value from an older version (``host:pid:nonce``) or anything unreadable
        becomes a holder that can only be waited out."""
        try:
            data = json.loads(text)
            return cls(
                host=str(data["host"]),
                pid=int(data["pid"]),
                started=str(data.get("started", "")),
                boot=str(data.get("boot", "")),
                pidns=str(data.get("pidns", "")),
                nonce=str(data.get("nonce", "")),
            )
        except (ValueError, TypeError, KeyError):
            return cls(host=text, pid=0, started="", boot="", pidns="", nonce="")

    def describe(self) -> str:
        return f"{self.host} 上的进程 {self.pid}" if self.pid else self.host


def _read(path: str) -> str:
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


@cache
def _boot_id() -> str:
    return _read("/proc/sys/kernel/random/boot_id")


@cache
def _pid_namespace() -> str:
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def process_start(pid: int) -> str | None:
    """The start time of process ``pid`` (clock ticks since boot) as text; "" where /proc cannot tell;
    None when there is no such process, or only its zombie."""
    stat = _read(f"/proc/{pid}/stat")
    if stat:
        # the command name (field 2) may hold spaces and parentheses: count fields after the last ")"
        fields = stat.rsplit(")", 1)[-1].split()
        if fields and fields[0] in ("Z", "X"):  # a zombie nobody has reaped yet is gone all the same
            return None
        return fields[19] if len(fields) > 19 else ""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return ""
    return ""


def holder_id() -> str:
    """This process as a lease holder (a fresh nonce per call: two holders in one process differ)."""
    pid = os.getpid()
    return Holder(
        host=socket.gethostname(),
        pid=pid,
        started=process_start(pid) or "",
        boot=_boot_id(),
        pidns=_pid_namespace(),
        nonce=uuid.uuid4().hex[:6],
    ).encode()


def on_this_host(holder: Holder) -> bool:
    """Whether ``holder`` ran on this machine, in this boot and this PID namespace (so its PID can be checked)."""
    return (
        holder.pid > 0
        and holder.host == socket.gethostname()
        and holder.boot == _boot_id()
        and holder.pidns == _pid_namespace()
    )


def is_dead(holder: Holder) -> bool:
    """True only when we can tell for sure: same host, and its process is gone or its PID was reused.
    Same host name after a reboot (another boot id) counts as dead too."""
    if holder.pid <= 0 or holder.host != socket.gethostname():
        return False
    if holder.boot and _boot_id() and holder.boot != _boot_id():
        return True
    if holder.pidns != _pid_namespace():
        return False
    started = process_start(holder.pid)
    if started is None:
        return True
    return bool(holder.started and started and started != holder.started)


def acquire(db, name: str, holder: str, now: datetime, *, why: str | None = None) -> str | None:
    """Take or renew the lease. Returns the previous holder when this call took the lease over from
    someone else (a dead process, or one whose lease ran out), else None.

    Raises :class:`LeaseHeld` (in Chinese) when another holder is alive or cannot be checked and its
    lease has not run out. ``why`` says what holding it protects (defaults to the long-connection
    explanation)."""
    key = f"lease:{name}"
    with write_tx(db):
        current = kv.get_any(db, key)
        previous: str | None = None
        if current is not None and current[0] != holder:
            value, expires_at = current
            other = Holder.decode(value)
            expired = expires_at is not None and expires_at <= now
            if not expired and not is_dead(other):
                same = on_this_host(other)
                reason = why or (
                    f"正在使用 {name} 的长连接。平台会把消息随机分给多个连接，所以这个进程不再连接。"
                )
                wait = "请只运行一个实例；" + (
                    "它停下后这里会马上接手。"
                    if same
                    else f"它停下后，这里会等它的租约到期（最后一次续约后 {LEASE_SECONDS} 秒）再自动接手。"
                )
                raise LeaseHeld(
                    f"另一个小编进程（{other.describe()}）{reason}{wait}",
                    other,
                    same_host=same,
                )
            previous = value
        kv.put(db, key, holder, expires_at=now + timedelta(seconds=LEASE_SECONDS))
        return previous


def holder_of(db, name: str, now: datetime) -> Holder | None:
    """The live holder of a lease (not expired), or None."""
    value = kv.get(db, f"lease:{name}", now=now)
    return Holder.decode(value) if value is not None else None


def release(db, name: str, holder: str, now: datetime) -> None:
    key = f"lease:{name}"
    with write_tx(db):
        if kv.get(db, key, now=now) == holder:
            kv.delete(db, key)
