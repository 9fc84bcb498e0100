"""``serve``'s worker process: answering runs in a process of its own, so the web threads that ack
the platforms never share an interpreter (and its lock) with handlers, SQLite writes and sends.

The supervisor starts ``xiaobian worker --supervised`` at once and again whenever it exits (after
0.2 s, doubling to 30 s while it keeps dying young; back to 0.2 s after a minute of running). The
child's standard input is a pipe from this process: a byte on it means "a new message is in the
inbox" (the worker wakes at once, without polling the database), and its end — this process died,
even by ``kill -9`` — tells the worker to finish its step, release its lease and exit.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime

log = logging.getLogger(__name__)

FIRST_DELAY = 0.2
LONGEST_DELAY = 30.0
HEALTHY_RUN = 60.0


class WorkerSupervisor:
    """Run ``argv`` (a worker process) for as long as this object is started; restart it when it dies."""

    def __init__(self, argv: list[str], env: dict[str, str] | None = None):
        self.argv = argv
        self.env = env
        self._lock = threading.Lock()
        self._fd: int | None = None
        self._proc: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.restarts = 0
        self.last_exit: dict | None = None

    def start(self) -> WorkerSupervisor:
        self._thread = threading.Thread(target=self._run, name="xiaobian-supervisor", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        delay = FIRST_DELAY
        while not self._stopping.is_set():
            started = time.monotonic()
            try:
                proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, env=self.env)
            except OSError as exc:
                log.error("the worker process could not start: %s", exc)
                self._stopping.wait(delay)
                delay = min(delay * 2, LONGEST_DELAY)
                continue
            assert proc.stdin is not None
            os.set_blocking(proc.stdin.fileno(), False)
            with self._lock:
                self._proc, self._fd = proc, proc.stdin.fileno()
            code = proc.wait()
            with self._lock:
                self._fd = None
            try:
                proc.stdin.close()
            except OSError:
                pass
            if self._stopping.is_set():
                return
            ran = time.monotonic() - started
            delay = FIRST_DELAY if ran >= HEALTHY_RUN else delay
            self.restarts += 1
            self.last_exit = {"code": code, "at": datetime.now(UTC).isoformat(timespec="seconds")}
            log.error(
                "the worker process (pid %s) exited with %s after %.1f s; starting it again in %.1f s",
                proc.pid,
                code,
                ran,
                delay,
            )
            self._stopping.wait(delay)
            delay = min(delay * 2, LONGEST_DELAY)

    def wake(self) -> None:
        """Tell the worker a new message is waiting (one byte on its pipe; a full pipe already says so)."""
        with self._lock:
            if self._fd is None:
                return
            try:
                os.write(self._fd, b"\x01")
            except (BlockingIOError, BrokenPipeError, OSError):
                pass

    def status(self) -> dict:
        proc = self._proc
        return {
            "pid": proc.pid if proc is not None and proc.poll() is None else None,
            "restarts": self.restarts,
            "last_exit": self.last_exit,
        }

    def stop(self, timeout: float = 15.0) -> None:
        """End the worker: close its pipe (it finishes its step and exits), wait, kill if it hangs."""
        self._stopping.set()
        with self._lock:
            proc, self._fd = self._proc, None
        if proc is not None and proc.poll() is None:
            try:
                assert proc.stdin is not None
                proc.stdin.close()
            except OSError:
                pass
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                log.error("the worker process did not stop in %.0f s; killing it", timeout)
                proc.kill()
                proc.wait()
        if self._thread is not None:
            self._thread.join(timeout=2)


def worker_argv(db_path: str, log_level: str) -> list[str]:
    """The command line of ``serve``'s worker process. A database URL (it may hold a password) is not
    put on a command line, where ``ps`` shows it: :func:`worker_env` passes it instead."""
    argv = [sys.executable, "-m", "bot.cli", "--log-level", log_level, "worker", "--supervised"]
    return argv if "://" in db_path else [*argv, "--db", db_path]


def worker_env(db_path: str) -> dict[str, str]:
    """The worker process's environment: this one's, with the database it must use."""
    return {**os.environ, "XIAOBIAN_DB": db_path}
