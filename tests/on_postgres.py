"""Run the suite again with every test database on PostgreSQL (issue 24).

The server is ``XIAOBIAN_TEST_PG`` (``.ci/run`` sets it to the PostgreSQL 15 that development and CI
machines run on 127.0.0.1:5432). Without it, or when the server does not answer, this says clearly
that the PostgreSQL tests were skipped and exits 0: a fresh machine has no PostgreSQL. With
``XIAOBIAN_REQUIRE_PG=1`` an unreachable server fails instead.

Left out: tests whose moments are data and that never open a database (``fixed_dates``), and the
crash drills on real processes (``drill``), which run on SQLite.
"""

from __future__ import annotations

import os
import subprocess
import sys

from suite import pytest_command  # tests/ is on the path when this runs as a script


def main(argv: list[str]) -> int:
    server = os.environ.get("XIAOBIAN_TEST_PG", "").strip()
    required = os.environ.get("XIAOBIAN_REQUIRE_PG") == "1"
    if not server:
        print("PostgreSQL tests SKIPPED: set XIAOBIAN_TEST_PG=postgresql://user@host:5432/db to run them")
        return 1 if required else 0
    try:
        import psycopg

        with psycopg.connect(server, connect_timeout=5) as conn:
            version = conn.execute("SHOW server_version").fetchone()[0]
    except Exception as exc:  # no driver, no server
        print(f"PostgreSQL tests SKIPPED: {server} does not answer ({type(exc).__name__}: {exc})")
        return 1 if required else 0
    print(f"== the suite on PostgreSQL {version}", flush=True)
    env = {**os.environ, "XIAOBIAN_TEST_BACKEND": "postgresql"}
    command = pytest_command("not fixed_dates and not drill", argv)
    return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
