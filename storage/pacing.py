"""Send pacing shared by every worker process (PostgreSQL deployments run several).

Each key (a chat, a member, an app, a robot) holds one number: its *theoretical arrival time*, the
moment the key will be idle again (the generic cell rate algorithm). :func:`reserve` books a send in
one statement, so N workers on N machines together keep a platform's rate.
"""

from __future__ import annotations

_NEVER = 1e18  # "no limit" for max_wait, as a number both engines compare
# Epoch seconds as doubles carry about 2e-7 s of rounding: a wait below a millisecond is none.
SLACK = 0.001


def reserve(db, key: str, gap: float, now: float, *, burst: int = 1, max_wait: float | None = None) -> float:
    """Book ``key``'s next send and return how many seconds to wait before making it.

    At most ``burst`` sends go at once, then one every ``gap`` seconds. When the wait would exceed
    ``max_wait`` nothing is booked and the (larger) wait is returned, so a caller that defers instead
    of sleeping does not push the key's later sends back: the send is booked exactly when the
    returned wait is at most ``max_wait``. ``now`` is epoch seconds (every process's clock).
    """
    tau = (burst - 1) * gap
    params = {
        "key": key,
        "now": now,
        "gap": gap,
        "tau": tau,
        "max_wait": (_NEVER if max_wait is None else max_wait) + SLACK,
    }
    later = "CASE WHEN pacing.next_at > :now THEN pacing.next_at ELSE :now END"
    row = db.execute(
        "INSERT INTO pacing (key, next_at) VALUES (:key, :now + :gap)"
        f" ON CONFLICT (key) DO UPDATE SET next_at = {later} + :gap"
        f" WHERE {later} - :tau - :now <= :max_wait"
        " RETURNING next_at",
        params,
    ).fetchone()
    if row is not None:
        return _rounded(float(row[0]) - gap - tau - now)
    held = db.execute("SELECT next_at FROM pacing WHERE key = ?", [key]).fetchone()
    return _rounded(float(held[0]) - tau - now) if held is not None else 0.0


def _rounded(wait: float) -> float:
    return wait if wait >= SLACK else 0.0
