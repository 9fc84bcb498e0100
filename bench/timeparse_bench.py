"""Time parser speed: every shared phrase, many rounds. Run: python bench/timeparse_bench.py"""

import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from handlers.shared.time.parse import parse  # noqa: E402

CASES = Path(__file__).resolve().parents[2] / "shared" / "timeparse_cases.json"


def main(rounds: int = 50) -> None:
    cases = json.loads(CASES.read_text(encoding="utf-8"))
    inputs = [(c["text"], datetime.fromisoformat(c["base"]), c["tz"]) for c in cases]
    score = sum(
        parse(t, b, z).to_json() in [c["expected"], *c.get("also_ok", [])]
        for (t, b, z), c in zip(inputs, cases, strict=True)
    )
    per_round = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text, base, tz in inputs:
            parse(text, base, tz)
        per_round.append((time.perf_counter() - start) / len(inputs))
    us = [x * 1e6 for x in per_round]
    print(f"cases: {len(cases)}, agree: {score}")
    print(
        f"per phrase: median {statistics.median(us):.0f} µs, best {min(us):.0f} µs, worst round {max(us):.0f} µs"
    )


def generated(rounds: int = 5) -> None:
    """The generated phrase families of tests/test_timeparse_families.py (thousands, longer phrases)."""
    import random

    from tests.test_timeparse_families import NOWS, _for_now

    rng = random.Random(20261204)
    inputs = [(ph.text, now) for now in NOWS for ph in _for_now(rng, now)]
    per_round = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text, now in inputs:
            parse(text, now, "Asia/Shanghai")
        per_round.append((time.perf_counter() - start) / len(inputs))
    us = sorted(x * 1e6 for x in per_round)
    print(
        f"generated families: {len(inputs)} phrases, per phrase median {statistics.median(us):.0f} µs "
        f"({us[0]:.0f}–{us[-1]:.0f} over {rounds} rounds)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50)
    generated()
