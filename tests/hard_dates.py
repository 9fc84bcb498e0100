"""Run the suite again with the test clocks started at dates that break careless code.

The clock seam is ``XIAOBIAN_TEST_NOW`` (read by ``tests.support.default_start``); nothing patches
the system clock. Tests pinned with ``@pytest.mark.now`` name dates in what they expect, so they
are left out here (they ran at their own instant in the main run).

    python tests/hard_dates.py            # every hard date, the whole suite
    python tests/hard_dates.py -k metrics # extra arguments go to pytest
"""

from __future__ import annotations

import os
import subprocess
import sys

from suite import pytest_command  # tests/ is on the path when this runs as a script

HARD_DATES = (
    "2026-12-01T09:00:00+08:00",  # a month's first day (and a Tuesday)
    "2026-12-31T23:59:00+08:00",  # the last minute of a year
    "2028-02-29T10:00:00+08:00",  # a leap day
    "2026-11-30T00:00:00+08:00",  # a Monday at midnight
)


def main(argv: list[str]) -> int:
    worst = 0
    for when in HARD_DATES:
        print(f"== clock at {when}", flush=True)
        env = {**os.environ, "XIAOBIAN_TEST_NOW": when}
        command = pytest_command("not now and not drill and not fixed_dates and not date_free", argv)
        code = subprocess.call(command, env=env)
        worst = max(worst, code)
    return worst


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
