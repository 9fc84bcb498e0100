"""The one way times are written to the database: UTC, ISO 8601, microseconds, ``+00:00``.

Strings in that form sort in time order, so SQL can compare them directly.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload


def to_db(dt: datetime) -> str:
    """Format an aware datetime for storage (converted to UTC)."""
    if dt.tzinfo is None:
        raise ValueError("naive datetime: every time in xiaobian carries its zone")
    return dt.astimezone(UTC).isoformat(timespec="microseconds")


@overload
def from_db(value: str) -> datetime: ...
@overload
def from_db(value: None) -> None: ...
def from_db(value: str | None) -> datetime | None:
    """Parse a stored time back into an aware UTC datetime (None for None)."""
    if value is None:
        return None
    return datetime.fromisoformat(value)
