"""Opening the SQLite file, per-thread connections, transactions and migrations.

The functions of the other ``storage`` modules never open a transaction: they run in the one their
caller holds (``tests/test_architecture.py`` checks it). Who holds which:

==========================================  ==============================================  ==========================
Block                                       Transaction                                     Opened by
==========================================  ==============================================  ==========================
recording a message (the ack)               one INSERT, autocommit                          ``Bot.receive``
the chat's team and the speaker's role      :func:`write_tx`                                ``Bot._handle``
a command: execute, queue replies, close    :func:`read_then_write_tx`, again in            ``Bot._handle``
the claim                                   :func:`write_tx` after a lost race
the command's own writes                    a savepoint in the above                        ``router.execute``
its slow part (model call, chart)           none: before the transaction                    ``router.prepare``
a scheduled job: check, fire, reschedule    :func:`write_tx`                                ``Dispatcher.fire``
its slow part                               none: before the transaction                    the job's ``prepare``
housekeeping                                :func:`write_tx` per batch of 100 rows          ``Dispatcher.housekeeping``
claiming and marking outbox rows            one statement each, autocommit                  the send loop in ``Bot``
taking and renewing a lease                 :func:`write_tx`                                ``bot.channels.leases``
a rehearsed import (提示 without 确认)       a savepoint rolled back                         ``handlers.metrics.importer``
copy-db                                     one :func:`write_tx` on the target              ``xiaobian copy-db``
==========================================  ==============================================  ==========================
"""

from __future__ import annotations

import contextlib
import importlib
import pkgutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import cast

import sqlite_utils

from storage import backend

BUSY_TIMEOUT_MS = 10_000
# PostgreSQL's "lost a race" errors: serialization failure, deadlock, lock not available.
_PG_BUSY = {"40001", "40P01", "55P03"}


def utcnow_iso() -> str:
    """The current UTC time as an ISO 8601 string with offset, the form every table stores."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


class Database(sqlite_utils.Database):
    """A sqlite-utils database that may carry its process's write mutex (see :func:`serialized`)."""

    write_lock: threading.RLock | None = None


def connect(path: str) -> Database:
    """Open ``path`` in autocommit mode with WAL journaling, a busy timeout and foreign keys on;
    a ``postgresql://`` URL opens PostgreSQL instead (see :mod:`storage.backend`).

    The connection may be used from the thread that opened it only; use :class:`Store`
    to share one file between threads.
    """
    if backend.is_postgres(path):
        return cast(Database, backend.PgDatabase(path))
    path = backend.sqlite_path(path)
    # Autocommit: a lone statement commits as it runs; several go in an explicit BEGIN IMMEDIATE
    # (write_tx). Python's implicit transactions would hold the write lock until a second call commits.
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
    except sqlite3.OperationalError as exc:
        raise backend.DatabaseUnavailable(path, str(exc)) from None
    db = Database(conn, execute_plugins=False)
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    if path != ":memory:":
        db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    db.execute("PRAGMA foreign_keys = ON")
    return db


@contextlib.contextmanager
def serialized(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Hold this process's write lock (shared by the connections of one :class:`Store`) for a
    block of writes outside a transaction.

    Threads of one process then queue for SQLite's single writer on a mutex, handed over at
    once, instead of in SQLite's busy handler, which sleeps 1, 2, 5, 10… ms between tries.
    Other processes still meet at SQLite's own lock.
    """
    lock = getattr(db, "write_lock", None)
    if lock is None or db.conn.in_transaction:
        yield db
        return
    with lock:
        yield db


class Tx:
    """An open transaction of :func:`read_then_write_tx`: ``lock()`` before its last writes."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._held = None
        self._changes = db.conn.total_changes

    def lock(self) -> None:
        """Queue for this process's write lock, unless the transaction has written already: then it
        holds SQLite's lock, and waiting for a thread that waits for SQLite would deadlock."""
        lock = getattr(self.db, "write_lock", None)
        if lock is None or self._held is not None or self.db.conn.total_changes != self._changes:
            return
        if lock.acquire(timeout=1.0):  # a write that changed no row also holds SQLite's lock: never wait long
            self._held = lock

    def release(self) -> None:
        if self._held is not None:
            self._held.release()
            self._held = None


@contextlib.contextmanager
def _transaction(db: sqlite_utils.Database, begin: str, tx: Tx | None = None) -> Iterator:
    if db.conn.in_transaction:  # nested: a savepoint inside the open transaction
        with db.atomic():
            yield tx or db
        return
    try:
        db.conn.execute(begin)
        try:
            yield tx or db
        except BaseException:
            db.rollback()
            raise
        else:
            try:
                db.conn.execute("COMMIT")
            except BaseException:
                db.rollback()
                raise
    finally:
        if tx is not None:
            tx.release()


@contextlib.contextmanager
def write_tx(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """Run a block in one write transaction (``BEGIN IMMEDIATE``), committed at the end.

    Nested use becomes a savepoint. Taking the write lock at the start avoids the
    read-then-upgrade deadlock that a deferred transaction can hit under WAL.
    """
    with serialized(db), _transaction(db, "BEGIN IMMEDIATE") as same:
        yield same


def read_then_write_tx(db: sqlite_utils.Database):
    """One transaction that starts as a read (``BEGIN``) and takes the write lock only at its first
    write, so the Python work before that holds no lock; it yields a :class:`Tx` whose ``lock()``
    takes this process's write lock before the final writes (released after the commit). If another
    connection committed in between, SQLite refuses the upgrade (``sqlite3.OperationalError``): the
    caller runs the block again, in :func:`write_tx`."""
    return _transaction(db, "BEGIN", Tx(db))


def is_busy(exc: BaseException) -> bool:
    """Whether an error is a lost race (SQLite's "locked/busy", PostgreSQL's serialization failure
    or deadlock), not a real fault."""
    if getattr(exc, "sqlstate", None) in _PG_BUSY:
        return True
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in str(exc) or "busy" in str(exc))


def dialect(db) -> str:
    """``"sqlite"`` or ``"postgresql"``: for the few statements the two write differently."""
    return getattr(db, "dialect", "sqlite")


def change_counter(db) -> str:
    """A value that changes when any connection commits a write (to wake waiting workers):
    SQLite's ``data_version``, PostgreSQL's WAL insert position."""
    if dialect(db) == "postgresql":
        return str(db.execute("SELECT pg_current_wal_insert_lsn()::text").fetchone()[0])
    return str(db.execute("PRAGMA data_version").fetchone()[0])


def inserted_id(cursor) -> int:
    """The row id an INSERT just gave its row."""
    row_id = cursor.lastrowid
    if row_id is None:
        raise sqlite3.InterfaceError("the statement inserted no row")
    return row_id


class Store:
    """One database file, one connection per thread, migrated once on first use."""

    def __init__(self, path: str):
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._all: list[Database] = []
        self._migrated = False
        self._write_lock = threading.RLock()  # see serialized()

    @property
    def db(self) -> Database:
        """The calling thread's connection (opened on first use)."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = connect(self.path)
            db.write_lock = self._write_lock
            with self._lock:
                self._all.append(db)
                if not self._migrated:
                    migrate(db)
                    self._migrated = True
            self._local.db = db
        return db

    def close(self) -> None:
        """Close every connection this store opened."""
        with self._lock:
            for db in self._all:
                with contextlib.suppress(Exception):
                    db.close()
            self._all.clear()
        self._local = threading.local()


def _migration_modules() -> list[tuple[int, str, Callable[[sqlite_utils.Database], None]]]:
    """Each numbered migration's number, name and ``up`` function, in order."""
    from storage import migrations

    found = []
    for info in pkgutil.iter_modules(migrations.__path__):
        number, _, name = info.name.partition("_")
        if number.isdigit():
            module = importlib.import_module(f"storage.migrations.{info.name}")
            found.append((int(number), name, module.up))
    return sorted(found, key=lambda m: m[0])


def migrate(db: sqlite_utils.Database) -> list[int]:
    """Apply every numbered migration not yet recorded in ``_migrations``; return those applied.

    Each migration runs in its own write transaction together with its record, so two
    processes starting at once apply it once.
    """
    db.execute(
        "CREATE TABLE IF NOT EXISTS _migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    modules = _migration_modules()
    newest = schema_version(db)
    known = modules[-1][0] if modules else 0
    if newest > known:
        raise SchemaTooNew(
            f"数据库的结构版本是 {newest}，这个版本的小编只认识到 {known}：请先升级小编再启动（不要用旧版本打开新数据）。"
        )
    applied = []
    for number, name, up in modules:
        with write_tx(db):
            if dialect(db) == "postgresql":  # two processes starting at once migrate one after the other
                db.execute("SELECT pg_advisory_xact_lock(724613)")
            if db.execute("SELECT 1 FROM _migrations WHERE id = ?", [number]).fetchone():
                continue
            up(db)
            db.execute(
                "INSERT INTO _migrations (id, name, applied_at) VALUES (?, ?, ?)",
                [number, name, utcnow_iso()],
            )
            applied.append(number)
    return applied


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer xiaobian than this one."""


def schema_version(db: sqlite_utils.Database) -> int:
    """The highest migration number applied, 0 for a fresh file."""
    row = db.execute("SELECT max(id) FROM _migrations").fetchone()
    return row[0] or 0
