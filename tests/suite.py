"""Every test run the README asks for, side by side: the suite on SQLite (the crash drills apart),
the date-sensitive tests again at each hard date (``tests/hard_dates.py``), and the suite on
PostgreSQL in two halves (``tests/on_postgres.py``).

The runs share nothing: each is its own pytest process with its own temporary directories, free
loopback ports and, on PostgreSQL, a schema per test. Most of a test's time is spent waiting on
sockets and threads, not on the CPU, so on two cores three runs side by side take little longer
than the longest one. Each run's output is printed whole when it ends, with its time; the exit
code is the worst of them.

    python tests/suite.py            # all three runs
    python tests/suite.py --serial   # one after another (to read a failure on a quiet machine)
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

SKIPPED = "PostgreSQL tests SKIPPED"  # the first words tests/on_postgres.py prints when it cannot run
skipped: list[str] = []  # the titles of runs that skipped rather than passed
LIMIT = 20 * 60  # seconds a run may take before it is stopped and reported (the longest takes about 2 min)
PYTEST = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider"]
RUNS = (
    # the crash drills kill real processes and take the longest: a run of their own, started first
    ("the crash drills on SQLite", [*PYTEST, "-m", "drill"]),
    ("the suite on SQLite", [*PYTEST, "-m", "not drill"]),
    ("the date-sensitive tests at the hard dates", [sys.executable, str(HERE / "hard_dates.py")]),
    ("the protocol tests on PostgreSQL", [sys.executable, str(HERE / "on_postgres.py"), "-m", "date_free"]),
    (
        "the rest of the suite on PostgreSQL",
        [sys.executable, str(HERE / "on_postgres.py"), "-m", "not date_free"],
    ),
)


def pytest_command(marks: str, argv: list[str]) -> list[str]:
    """A pytest command over the tests ``marks`` selects, narrowed by any ``-m`` in ``argv`` (pytest
    itself would keep only the last ``-m``); the other arguments go to pytest as they are."""
    extra = [argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "-m"]
    rest, skip = [], False
    for i, arg in enumerate(argv):
        if skip:
            skip = False
        elif arg == "-m" and i + 1 < len(argv):
            skip = True
        else:
            rest.append(arg)
    selection = " and ".join([f"({marks})", *(f"({m})" for m in extra)]) if extra else marks
    return [*PYTEST, "-m", selection, *rest]


def main(argv: list[str]) -> int:
    serial = "--serial" in argv
    started = time.monotonic()
    running = []
    worst = 0
    for title, command in RUNS:
        out = tempfile.TemporaryFile()
        begun = time.monotonic()
        proc = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=HERE.parent,
            env=os.environ,
            start_new_session=True,  # its own process group: a run that hangs is stopped whole
        )
        running.append((title, proc, out, begun))
        if serial:
            worst = max(worst, _finish(*running.pop()))
    while running:  # print each run as it ends, so its time is its own
        ended = next(
            (run for run in running if run[1].poll() is not None or time.monotonic() - run[3] > LIMIT),
            None,
        )
        if ended is None:
            time.sleep(0.2)
            continue
        running.remove(ended)
        worst = max(worst, _finish(*ended))
    verdict = "passed" if worst == 0 else "did NOT pass"
    if skipped:
        verdict += f" (skipped: {'; '.join(skipped)})"
    print(f"== all runs {verdict} in {time.monotonic() - started:.0f} s")
    return worst


def _finish(title: str, proc: subprocess.Popen, out, begun: float) -> int:
    try:
        code = proc.wait(timeout=max(LIMIT - (time.monotonic() - begun), 0.1))
        verdict = "passed" if code == 0 else f"FAILED (exit {code})"
    except subprocess.TimeoutExpired:  # a hung run is stopped and said, never waited on for ever
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        code, verdict = 124, f"TIMED OUT after {LIMIT} s (stopped; its output so far follows)"
    out.seek(0)
    head = out.read(200)
    out.seek(0)
    if code == 0 and SKIPPED.encode() in head:  # no PostgreSQL here: say so, not "passed"
        verdict = "SKIPPED"
        skipped.append(title)
    sys.stdout.write(f"== {title}: {verdict}")
    sys.stdout.write(f" in {time.monotonic() - begun:.0f} s\n")
    sys.stdout.flush()
    sys.stdout.buffer.write(out.read())
    sys.stdout.flush()
    out.close()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
