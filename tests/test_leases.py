"""The lease knows a dead holder: a process that is gone, a reused PID, a zombie; one on another host is waited out."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime

import pytest

from bot.channels import leases
from storage.db import Store

pytestmark = pytest.mark.date_free


def _holder(pid: int, **changes) -> leases.Holder:
    me = leases.Holder.decode(leases.holder_id())
    data = {**json.loads(me.encode()), "pid": pid, "started": leases.process_start(pid) or "", **changes}
    return leases.Holder.decode(json.dumps(data))


def test_a_live_process_on_this_host_holds_and_an_exited_one_is_dead():
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        alive = _holder(proc.pid)
        assert not leases.is_dead(alive) and leases.on_this_host(alive)
    finally:
        proc.kill()
        proc.wait()
    assert leases.is_dead(alive)


def test_a_zombie_is_dead_and_a_reused_pid_is_not_its_holder():
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # exited, not yet reaped
        with open(f"/proc/{proc.pid}/stat") as f:
            if f.read().rsplit(")", 1)[-1].split()[0] == "Z":
                break
        time.sleep(0.01)
    try:
        assert leases.process_start(proc.pid) is None
        assert leases.is_dead(_holder(proc.pid, started="1"))
    finally:
        proc.wait()
    younger = _holder(leases.os.getpid(), started="1")  # this PID, but a process that started earlier
    assert leases.is_dead(younger)


@pytest.mark.skipif(not leases._boot_id(), reason="needs /proc (Linux)")
def test_a_holder_on_another_host_is_waited_out_and_named(tmp_path):
    store = Store(str(tmp_path / "x.db"))
    other = _holder(4242, host=socket.gethostname() + "-b")
    now = datetime.now(UTC)
    leases.acquire(store.db, "workers", other.encode(), now)
    with pytest.raises(leases.LeaseHeld, match="-b 上的进程 4242") as held:
        leases.acquire(store.db, "workers", leases.holder_id(), now)
    assert held.value.same_host is False and "租约到期" in str(held.value)
    later = datetime.fromtimestamp(now.timestamp() + leases.LEASE_SECONDS + 1, UTC)
    assert leases.acquire(store.db, "workers", leases.holder_id(), later) == other.encode()
    store.close()
