"""Send pacing shared by every worker process (PostgreSQL deployments run several).

``reserve(db, key, gap, now)`` books the next free slot for ``key`` — at ``now`` if the key is idle,
else ``gap`` seconds after the last booked one — in one statement, so N workers on N machines
together keep a platform's per-chat or per-app rate. It returns how long to wait before sending.
"""

from __future__ import annotations


def reserve(db, key: str, gap: float, now: float) -> float:
    """Book ``key``'s next send slot; the seconds to wait for it (0 when it is free now)."""
    row = db.execute(
        "INSERT INTO pacing (key, next_at) VALUES (:key, :now + :gap)"
        " ON CONFLICT (key) DO UPDATE SET next_at ="
        " CASE WHEN pacing.next_at > :now THEN pacing.next_at ELSE :now END + :gap"
        " RETURNING next_at",
        {"key": key, "now": now, "gap": gap},
    ).fetchone()
    return max(0.0, float(row[0]) - gap - now)
