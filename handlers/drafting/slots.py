"""Template slots: ``{品牌}`` and friends filled from a brief, and a stable seed for choosing templates."""

from __future__ import annotations

import hashlib
import re

_SLOT = re.compile(r"\{([^{}]+)\}")


def seed(*parts: str) -> int:
    return int(hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:8], 16)


def fill(pattern: str, values: dict[str, str]) -> str | None:
    """Fill a pattern's slots; None when a slot has no value."""
    missing = [s for s in _SLOT.findall(pattern) if not values.get(s)]
    if missing:
        return None
    return _SLOT.sub(lambda m: values[m.group(1)], pattern)
