"""The drafting capability's data files (``handlers/drafting/data/*.json``), read once each."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@cache
def load_json(name: str) -> dict:
    """``data/<name>`` parsed; cached, so callers must not change what they get."""
    return json.loads((DATA / name).read_text(encoding="utf-8"))
