"""Moving a team's data between databases (SQLite → PostgreSQL, or back) without losing a row.

``copy_database(src, dst)`` migrates the destination to the same schema version, copies every table
in dependency order (ids kept, so references stay right), moves PostgreSQL's id sequences past the
copied ids, and returns per table the row count and a checksum of the rows as the source has them;
``verify(src, dst)`` recomputes both sides. The checksum is SHA-256 over each row's values in id
order, written as text the same way on both engines.
"""

from __future__ import annotations

import hashlib

from storage.db import dialect, schema_version

BATCH = 500


def tables(db) -> list[str]:
    """The data tables in the order their references need (teams before people before drafts …)."""
    if dialect(db) == "postgresql":
        names = db.table_names()
    else:
        names = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()]
    names = [n for n in names if not n.startswith(("_", "sqlite_"))]
    deps = {n: _references(db, n) & set(names) for n in names}
    ordered: list[str] = []
    while deps:
        ready = sorted(n for n, d in deps.items() if d <= set(ordered) | {n})
        if not ready:  # a cycle: copy the rest as they are (foreign keys are checked at the end)
            ready = sorted(deps)
        ordered += ready
        for n in ready:
            deps.pop(n)
    return ordered


def _references(db, table: str) -> set[str]:
    if dialect(db) == "postgresql":
        rows = db.execute(
            "SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc"
            " JOIN information_schema.constraint_column_usage ccu ON tc.constraint_name = ccu.constraint_name"
            " WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = ? AND tc.table_schema = current_schema()",
            [table],
        ).fetchall()
        return {r[0] for r in rows}
    return {r[2] for r in db.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()}


def columns(db, table: str) -> list[str]:
    if dialect(db) == "postgresql":
        rows = db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = ? ORDER BY ordinal_position",
            [table],
        ).fetchall()
        return [r[0] for r in rows]
    return [r[1] for r in db.execute(f'PRAGMA table_info("{table}")').fetchall()]


def _order(cols: list[str]) -> str:
    return "id" if "id" in cols else ", ".join(f'"{c}"' for c in cols)


def _text(value) -> str:
    return "\x00" if value is None else str(value)


def checksum(db, table: str) -> tuple[int, str]:
    """(rows, SHA-256 of the rows in key order) for one table."""
    cols = columns(db, table)
    digest = hashlib.sha256()
    count = 0
    names = ", ".join(f'"{c}"' for c in cols)
    for row in db.execute(f'SELECT {names} FROM "{table}" ORDER BY {_order(cols)}').fetchall():
        digest.update("\x1f".join(_text(v) for v in row).encode("utf-8"))
        digest.update(b"\x1e")
        count += 1
    return count, digest.hexdigest()


def copy_database(src, dst) -> dict[str, tuple[int, str]]:
    """Copy every row of ``src`` into the empty, migrated ``dst``; the source's count and checksum per
    table. The caller runs it in one write transaction on ``dst`` (all rows or none)."""
    if schema_version(dst) != schema_version(src):
        raise RuntimeError(
            f"结构版本不同：源 {schema_version(src)}，目标 {schema_version(dst)}；请先升级小编"
        )
    order = tables(src)
    for table in order:
        if dst.execute(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
            raise RuntimeError(f"目标库的 {table} 表里已经有数据：copy-db 只往空库里复制")
    result: dict[str, tuple[int, str]] = {}
    for table in order:
        cols = columns(src, table)
        names = ", ".join(f'"{c}"' for c in cols)
        marks = ", ".join("?" for _ in cols)
        rows = src.execute(f'SELECT {names} FROM "{table}" ORDER BY {_order(cols)}').fetchall()
        for i in range(0, len(rows), BATCH):
            for row in rows[i : i + BATCH]:
                dst.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', list(row))
        result[table] = checksum(src, table)
    if dialect(dst) == "postgresql":
        for table in order:
            if "id" in columns(dst, table):
                dst.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                    f' (SELECT COALESCE(MAX(id), 0) + 1 FROM "{table}"), false)'
                )
    return result


def verify(src, dst) -> list[str]:
    """Tables whose count or checksum differ between the two databases (empty: the same data)."""
    return [t for t in tables(src) if checksum(src, t) != checksum(dst, t)]
