"""The one seam between SQLite and PostgreSQL.

``XIAOBIAN_DB`` is a path (or ``sqlite:///path``) for SQLite through sqlite-utils, the embedded
default, or a ``postgresql://`` URL. Every storage function is written once, in the SQL both
engines read (``?`` or ``:name`` parameters, ``INSERT OR IGNORE``, ``ON CONFLICT … DO UPDATE``,
``RETURNING``); :class:`PgDatabase` gives PostgreSQL the small part of sqlite-utils' interface the
storage layer uses (``execute``, ``query``, ``executescript``, ``atomic``, ``conn``) and
translates what differs, in one place:

- parameters: ``?`` → ``%s``, ``:name`` → ``%(name)s`` (and a literal ``%`` doubled);
- ``INSERT OR IGNORE`` → ``INSERT … ON CONFLICT DO NOTHING``; an INSERT into a table with an ``id``
  gets ``RETURNING id`` so that ``cursor.lastrowid`` means what it means in SQLite;
- DDL: ``INTEGER PRIMARY KEY`` → an identity column, ``TEXT`` → ``TEXT COLLATE "C"`` (byte order,
  as SQLite compares the ISO timestamps every table stores), ``REAL`` → ``DOUBLE PRECISION``
  (PostgreSQL's REAL has 4 bytes: an epoch time or a metric would lose digits), ``WITHOUT ROWID``
  dropped.

What cannot be translated — claims that must skip rows another worker holds, noticing commits of
other processes, the errors that mean "lost a race" — asks :attr:`dialect` (``"sqlite"`` or
``"postgresql"``) in the storage module that owns it.

psycopg 3 is the driver (``pip install 'xiaobian[postgres]'``): maintained by PostgreSQL's own
community, binary wheels, and no query layer between us and the SQL we already write for SQLite
(SQLAlchemy Core would add a dependency of 3 MB and a second way to write every query for the same
result); imported only when a PostgreSQL URL is used.
"""

from __future__ import annotations

import contextlib
import re
import threading
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def sqlite_path(url: str) -> str:
    """``sqlite:///data/x.db`` → ``data/x.db``; a plain path stays as it is."""
    if url.startswith("sqlite:///"):
        return url[len("sqlite:///") :] or ":memory:"
    return url


def redacted(url: str) -> str:
    """A database URL fit for a log line: no password."""
    return re.sub(r"(//[^:/@]+):[^@]*@", r"\1:***@", url)


class DatabaseUnavailable(RuntimeError):
    """The database cannot be opened; the message (Chinese, no password) says why and what to check."""

    def __init__(self, url: str, reason: str):
        check = (
            "请确认数据库在运行，地址、端口、用户名、密码和库名都对"
            if is_postgres(url)
            else "请确认文件所在的目录存在、有读写权限"
        )
        super().__init__(
            f"打不开数据库 {redacted(url)}：{_reason_in_chinese(reason)}。{check}（环境变量 XIAOBIAN_DB）。"
        )


_REASONS = (
    (re.compile(r"connection refused", re.I), "连接被拒绝（服务没在运行，或端口不对）"),
    (re.compile(r'database "([^"]+)" does not exist', re.I), r"库 \1 不存在"),
    (re.compile(r"password authentication failed|no password supplied", re.I), "用户名或密码不对"),
    (re.compile(r'role "([^"]+)" does not exist', re.I), r"用户 \1 不存在"),
    (re.compile(r"could not translate host name|name or service not known", re.I), "主机名解析不了"),
    (re.compile(r"timeout expired|timed out", re.I), "连接超时（网络不通，或防火墙/白名单拦住了）"),
    (re.compile(r"unable to open database file", re.I), "文件打不开（目录不存在，或没有权限）"),
)


def _reason_in_chinese(reason: str) -> str:
    first = redacted(reason.strip().splitlines()[0] if reason.strip() else "")
    for pattern, chinese in _REASONS:
        match = pattern.search(reason)
        if match:
            return match.expand(chinese)
    return f"（{first[:160]}）" if first else "原因不明"


# -- SQL translation ---------------------------------------------------------------------------------

_NAMED = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO", re.IGNORECASE)
_INSERT_TABLE = re.compile(r"^\s*INSERT\s+(?:OR\s+\w+\s+)?INTO\s+(\w+)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_ON_CONFLICT = re.compile(r"\bON\s+CONFLICT\b", re.IGNORECASE)


@lru_cache(maxsize=2048)
def translate(sql: str) -> tuple[str, bool, str | None]:
    """(PostgreSQL SQL, whether it is an INSERT OR IGNORE, the table an INSERT writes to)."""
    out = _strings_safe(sql)
    ignore = bool(_OR_IGNORE.match(out))
    if ignore:
        out = _OR_IGNORE.sub("INSERT INTO", out, count=1)
        if not _ON_CONFLICT.search(out):
            m = _RETURNING.search(out)
            out = (
                out[: m.start()] + " ON CONFLICT DO NOTHING " + out[m.start() :]
                if m
                else out.rstrip().rstrip(";") + " ON CONFLICT DO NOTHING"
            )
    table = _INSERT_TABLE.match(out)
    return out, ignore, table.group(1).lower() if table else None


def _strings_safe(sql: str) -> str:
    """``%`` doubled and parameters rewritten outside string literals only."""
    parts = re.split(r"('(?:[^']|'')*')", sql)
    for i in range(0, len(parts), 2):
        piece = parts[i].replace("%", "%%")
        piece = _NAMED.sub(r"%(\1)s", piece)
        parts[i] = piece.replace("?", "%s")
    return "".join(parts)


_DDL = [
    (
        re.compile(r"\bINTEGER\s+PRIMARY\s+KEY\b(?!\s*\()", re.IGNORECASE),
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    (re.compile(r"\bTEXT\b(?!\s+COLLATE)", re.IGNORECASE), 'TEXT COLLATE "C"'),
    (re.compile(r"\)\s*WITHOUT\s+ROWID", re.IGNORECASE), ")"),
    (re.compile(r"\bBLOB\b", re.IGNORECASE), "BYTEA"),
    (
        re.compile(r"\bREAL\b", re.IGNORECASE),
        "DOUBLE PRECISION",
    ),  # SQLite's REAL is 8 bytes; PostgreSQL's is 4
]


def translate_ddl(script: str) -> str:
    for pattern, replacement in _DDL:
        script = pattern.sub(replacement, script)
    return script


# -- the PostgreSQL database ---------------------------------------------------------------------------


class PgCursor:
    """What the storage layer reads from a cursor: rows, ``rowcount``, ``lastrowid``."""

    def __init__(self, cursor, lastrowid: int | None = None, rows: list | None = None):
        self._cursor = cursor
        self.rowcount = cursor.rowcount
        self.lastrowid = lastrowid
        self._rows = rows
        self.description = cursor.description

    def fetchone(self):
        if self._rows is not None:
            return self._rows.pop(0) if self._rows else None
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self):
        if self._rows is not None:
            rows, self._rows = self._rows, []
            return rows
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self):
        return iter(self.fetchall())


class PgConnection:
    """The part of ``sqlite3.Connection`` the engine reads: ``in_transaction``, ``execute``."""

    def __init__(self, db: PgDatabase):
        self._db = db

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        return self._db.raw.info.transaction_status != TransactionStatus.IDLE

    def execute(self, sql: str, params=None):
        return self._db.execute(sql, params)

    @property
    def total_changes(self) -> int:
        return self._db.changes


class PgDatabase:
    """A PostgreSQL connection with the interface of the sqlite-utils database the storage uses."""

    dialect = "postgresql"

    def __init__(self, url: str):
        import psycopg

        self.url = url
        # Client-side binding, as SQLite binds: a parameter takes the type its place needs
        # (``CASE WHEN ? IS NULL``), which server-side binding cannot infer.
        # A managed database behind a firewall drops packets rather than refusing: do not hang.
        conninfo = pg_url(url)
        if "connect_timeout" not in conninfo:
            conninfo += ("&" if "?" in conninfo else "?") + "connect_timeout=10"
        try:
            self.raw = psycopg.connect(conninfo, autocommit=True, cursor_factory=psycopg.ClientCursor)
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(url, str(exc)) from None
        self.conn = PgConnection(self)
        self.write_lock: threading.RLock | None = None
        self.changes = 0  # rows written by this connection (SQLite's total_changes)
        self._has_id: dict[str, bool] = {}
        self._savepoints = 0
        schema = _schema_of(url)
        if schema:
            self.raw.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema}"')
            self.raw.execute(f'SET search_path TO "{schema}"')

    def _table_has_id(self, table: str) -> bool:
        if table not in self._has_id:
            row = self.raw.execute(
                "SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = %s AND column_name = 'id'",
                [table],
            ).fetchone()
            self._has_id[table] = row is not None
        return self._has_id[table]

    def execute(self, sql: str, params=None) -> PgCursor:
        word = sql.lstrip()[:8].upper()
        if word.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOIN", "RELEASE")):
            if word.startswith("BEGIN"):
                sql = "BEGIN"  # BEGIN IMMEDIATE / DEFERRED: PostgreSQL locks rows, not the file
            return PgCursor(self.raw.execute(sql))
        if word.startswith("PRAGMA"):
            raise NotImplementedError(f"a SQLite PRAGMA on PostgreSQL: {sql}")
        if word.startswith(("CREATE", "ALTER")):
            sql = translate_ddl(sql)
        text, _ignore, table = translate(sql)
        returning_id = table is not None and not _RETURNING.search(text) and self._table_has_id(table)
        if returning_id:
            text = text.rstrip().rstrip(";") + " RETURNING id"
        cur = self.raw.execute(text, params if params is not None else None)
        if table is not None or word.startswith(("UPDATE", "DELETE")):
            self.changes += max(cur.rowcount, 0)
        if returning_id:
            rows = cur.fetchall()
            return PgCursor(cur, lastrowid=rows[0][0] if rows else None, rows=[])
        return PgCursor(cur)

    def query(self, sql: str, params=None) -> Iterator[dict]:
        cur = self.execute(sql, params)
        if cur.description is None:
            return iter(())
        names = [d.name for d in cur.description]
        return iter([dict(zip(names, row, strict=True)) for row in cur.fetchall()])

    def executescript(self, script: str) -> None:
        for statement in _statements(translate_ddl(script)):
            self.raw.execute(statement)

    @contextlib.contextmanager
    def atomic(self) -> Iterator[PgDatabase]:
        """A savepoint inside the open transaction, or a transaction of its own."""
        if not self.conn.in_transaction:
            self.raw.execute("BEGIN")
            try:
                yield self
            except BaseException:
                self.raw.execute("ROLLBACK")
                raise
            self.raw.execute("COMMIT")
            return
        self._savepoints += 1
        name = f"sp{self._savepoints}"
        self.raw.execute(f"SAVEPOINT {name}")
        try:
            yield self
        except BaseException:
            self.raw.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.raw.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.raw.execute(f"RELEASE SAVEPOINT {name}")

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.raw.execute("ROLLBACK")

    def close(self) -> None:
        self.raw.close()

    def table_names(self) -> list[str]:
        rows = self.raw.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
        return sorted(r[0] for r in rows)


def _schema_of(url: str) -> str | None:
    """The schema a URL names (``?schema=name``); None for the server's default search path."""
    query = parse_qs(urlsplit(url).query)
    names = query.get("schema")
    if names and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", names[0]):
        return names[0]
    return None


def pg_url(url: str) -> str:
    """The URL psycopg is given: ``schema=`` is ours, not libpq's."""
    parts = urlsplit(url)
    kept = "&".join(p for p in parts.query.split("&") if p and not p.startswith("schema="))
    return parts._replace(query=kept).geturl()


def _statements(script: str) -> list[str]:
    """A script's statements (``--`` comments dropped; no ``;`` inside the literals we write)."""
    script = re.sub(r"--[^\n]*", "", script)
    return [s.strip() for s in script.split(";") if s.strip()]
