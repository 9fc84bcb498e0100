import os

import pytest

from tests.support import FakeClock, TestBot

os.environ.setdefault("XIAOBIAN_LOG_LEVEL", "WARNING")


@pytest.fixture
def db_path(tmp_path):
    return str(tmp_path / "xiaobian.db")


@pytest.fixture
def testbot(db_path):
    """A running bot on a fresh database; ``test:boss`` is a bootstrap admin."""
    tb = TestBot(db_path)
    yield tb
    tb.close()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def clockbot(db_path, clock):
    """A bot driven by hand (no worker threads) on a fake clock."""
    tb = TestBot(db_path, clock=clock, threads=0)
    yield tb
    tb.close()
