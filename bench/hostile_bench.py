"""10,000 hostile requests over real HTTP (waitress on loopback) to every webhook: count the statuses.

The inputs come from the strategies of tests/test_hostile_input.py. Goal: 0 × 5xx.
Run: python bench/hostile_bench.py [N]
"""

import collections
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import strategies as st  # noqa: E402

from bot import config as config_mod  # noqa: E402
from bot.app import HttpServer, create_app  # noqa: E402
from bot.root import build_bot  # noqa: E402
from tests.test_hostile_input import ENV, QUERY_KEYS, ROUTES, bodies, latin1, odd_numbers, text  # noqa: E402

warnings.filterwarnings("ignore")
REQUEST = st.tuples(
    st.sampled_from(ROUTES),
    st.sampled_from(["GET", "POST"]),
    st.dictionaries(st.sampled_from(QUERY_KEYS), text | odd_numbers, max_size=5),
    st.dictionaries(
        st.sampled_from(["X-Lark-Signature", "X-Lark-Request-Timestamp", "X-Lark-Request-Nonce"]),
        latin1 | odd_numbers,
        max_size=3,
    ),
    bodies,
)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory() as tmp:
        bot = build_bot(config_mod.load({"XIAOBIAN_DB": str(Path(tmp) / "h.db"), **ENV}))
        server = HttpServer(create_app(bot), "127.0.0.1", 0, threads=8).start()
        statuses = collections.Counter()
        started = time.perf_counter()
        try:
            for _ in range(n):
                route, method, query, headers, body = REQUEST.example()
                url = f"http://127.0.0.1:{server.port}{route}?{urllib.parse.urlencode(query)}"
                req = urllib.request.Request(url, data=body if method == "POST" else None, method=method)
                for key, value in headers.items():
                    req.add_header(key, value)
                try:
                    with urllib.request.urlopen(req, timeout=10) as resp:
                        statuses[resp.status] += 1
                except urllib.error.HTTPError as exc:
                    statuses[exc.code] += 1
                except (UnicodeEncodeError, ValueError):
                    statuses["not sendable"] += 1
        finally:
            server.stop()
            bot.store.close()
    elapsed = time.perf_counter() - started
    print(f"{n} requests in {elapsed:.0f} s")
    for status, count in sorted(statuses.items(), key=lambda kv: str(kv[0])):
        print(f"  {status}: {count}")
    print(f"5xx: {sum(c for s, c in statuses.items() if isinstance(s, int) and s >= 500)}")


if __name__ == "__main__":
    main()
