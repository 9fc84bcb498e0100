"""One holder at a time for a long connection: a lease row in the kv table, renewed while held.

Feishu and WeCom hand each event to one random connection when several are open, so a second
running copy (a laptop) would silently steal messages. A copy that finds a live lease held by
someone else refuses to connect and says why.
"""

from __future__ import annotations

import os
import socket
import uuid
from datetime import datetime, timedelta

from storage import kv
from storage.db import write_tx

LEASE_SECONDS = 45


class LeaseHeld(RuntimeError):
    pass


def holder_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def acquire(db, name: str, holder: str, now: datetime, *, why: str | None = None) -> None:
    """Take or renew the lease; raise :class:`LeaseHeld` (in Chinese) when another holder has it.

    ``why`` says what holding it protects (defaults to the long-connection explanation)."""
    key = f"lease:{name}"
    with write_tx(db):
        current = kv.get(db, key, now=now)
        if current is not None and current != holder:
            reason = why or (
                f"正在使用 {name} 的长连接。平台会把消息随机分给多个连接，所以这个进程不再连接。"
            )
            raise LeaseHeld(
                f"另一个小编进程（{current}）{reason}"
                f"请只运行一个实例；如果那个进程已经停了，{LEASE_SECONDS} 秒后再试。"
            )
        kv.put(db, key, holder, expires_at=now + timedelta(seconds=LEASE_SECONDS))


def release(db, name: str, holder: str, now: datetime) -> None:
    key = f"lease:{name}"
    with write_tx(db):
        if kv.get(db, key, now=now) == holder:
            kv.delete(db, key)
