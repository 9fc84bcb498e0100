import os
import uuid
from datetime import datetime

import pytest

from tests.support import FakeClock, TestBot, default_start

os.environ.setdefault("XIAOBIAN_LOG_LEVEL", "WARNING")


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "now(iso): pin the test clock to this instant (the test's expectations name dates); "
        "otherwise the clock starts at XIAOBIAN_TEST_NOW or the default",
    )
    config.addinivalue_line(
        "markers",
        "drill: a crash drill on real processes and the real clock (left out of the hard-date reruns)",
    )
    config.addinivalue_line(
        "markers",
        "fixed_dates: the moments are data in the test, no clock is read (left out of the hard-date reruns)",
    )
    config.addinivalue_line(
        "markers",
        "date_free: the module tests a protocol, a parser of bytes or the code's shape, where no"
        " answer depends on the day (left out of the hard-date reruns; unmarked modules are rerun)",
    )


@pytest.fixture(autouse=True)
def _pinned_now(request, monkeypatch):
    """A test marked ``@pytest.mark.now(iso)`` has every clock it makes start there."""
    marker = request.node.get_closest_marker("now")
    if marker is not None:
        monkeypatch.setenv("XIAOBIAN_TEST_NOW", marker.args[0])


@pytest.fixture
def start(_pinned_now) -> datetime:
    """The instant this test's clocks start at."""
    return default_start()


@pytest.fixture
def db_path(tmp_path):
    """A fresh database: a SQLite file, or — when ``XIAOBIAN_TEST_BACKEND=postgresql`` and
    ``XIAOBIAN_TEST_PG`` names a server — a schema of its own on that PostgreSQL, dropped after."""
    if os.environ.get("XIAOBIAN_TEST_BACKEND") != "postgresql":
        yield str(tmp_path / "xiaobian.db")
        return
    server = os.environ.get("XIAOBIAN_TEST_PG")
    if not server:
        pytest.skip("XIAOBIAN_TEST_BACKEND=postgresql needs XIAOBIAN_TEST_PG=postgresql://… (a server)")
    schema = "t_" + uuid.uuid4().hex[:16]
    yield f"{server}{'&' if '?' in server else '?'}schema={schema}"
    import psycopg

    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture
def clock(start):
    return FakeClock(start)


@pytest.fixture
def testbot(db_path, clock):
    """A bot with worker threads on a fresh database and a fake clock; ``test:boss`` is a bootstrap admin."""
    tb = TestBot(db_path, clock=clock)
    yield tb
    tb.close()


@pytest.fixture
def clockbot(db_path, clock):
    """A bot driven by hand (no worker threads) on a fake clock."""
    tb = TestBot(db_path, clock=clock, threads=0)
    yield tb
    tb.close()


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``xiaobian ARGS`` in this process, as a person would type it: ``cli("chat", stdin="帮助\\n")``.

    Returns an object with ``returncode``, ``stdout`` and ``stderr``. ``env`` adds environment
    variables for that one call.
    """
    import io
    import logging
    from types import SimpleNamespace

    from bot import cli as cli_module

    def run(*args: str, stdin: str = "", env: dict | None = None):
        capsys.readouterr()
        with monkeypatch.context() as m:
            for key, value in (env or {}).items():
                m.setenv(key, value)
            m.setattr("sys.stdin", io.StringIO(stdin))
            root = logging.getLogger()
            handlers = list(root.handlers)
            try:
                code = cli_module.main(list(args))
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            finally:
                root.handlers[:] = handlers  # the CLI's basicConfig must not leak into the next test
        out = capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out.out, stderr=out.err)

    return run
