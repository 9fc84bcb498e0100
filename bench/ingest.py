"""Webhook ingest side by side, in one run, on this machine: the same signed and encrypted Feishu
events against

- reference: lark-oapi's Flask adapter + dispatcher, one SQLite insert per event (.sdk-venv);
- web tier:  xiaobian's app alone (verify, decrypt, record, ack), as a gunicorn web worker runs it;
- serve:     the whole `xiaobian serve` (web tier + workers answering through a fake Feishu API);

each on waitress with 8 threads in its own process. Then end to end (event → reply at the API)
at a steady rate, single process (serve) and split (web process + `xiaobian worker` process).

Run: python bench/ingest.py [SECONDS] [HISTORY]
(HISTORY: handled inbox and sent outbox rows put in xiaobian's database first, e.g. 1000000)
Needs .sdk-venv with lark-oapi, flask and waitress:
  .sdk-venv/bin/pip install -r tests/sdk/requirements.txt flask waitress
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.channels.feishu.crypto import encrypt, request_signature  # noqa: E402
from tests.fakes.feishu import FakeFeishu  # noqa: E402

SDK_PYTHON = os.environ.get("XIAOBIAN_SDK_PYTHON") or str(ROOT / ".sdk-venv" / "bin" / "python")
KEY, TOKEN = "encrypt-key", "verify-token"
ENV = {
    "FEISHU_APP_ID": "cli_test",
    "FEISHU_APP_SECRET": "feishu-secret",
    "FEISHU_MODE": "webhook",
    "FEISHU_VERIFICATION_TOKEN": TOKEN,
    "FEISHU_ENCRYPT_KEY": KEY,
    "XIAOBIAN_LOG_LEVEL": "ERROR",
}
APP = """
import logging, sys, time
sys.path.insert(0, {root!r})
logging.basicConfig(level=logging.ERROR)
from bot import config
from bot.app import HttpServer, create_app
from bot.root import build_bot
bot = build_bot(config.load({env!r}))
if {web}:
    HttpServer(create_app(bot), "127.0.0.1", {port}, threads=8).start()
if {workers}:
    bot.start()
time.sleep(3600)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def events(n: int, prefix: str, text: str = "我是谁") -> list[tuple[bytes, dict]]:
    out = []
    for i in range(n):
        payload = FakeFeishu.message_event(text, message_id=f"{prefix}-{i}", chat_id=f"oc_{i % 50}")
        raw = json.dumps(
            {"encrypt": encrypt(json.dumps(payload, ensure_ascii=False), KEY, os.urandom(16))}
        ).encode()
        ts, nonce = str(int(time.time())), f"n{i}"
        headers = {
            "Content-Type": "application/json",
            "X-Lark-Request-Timestamp": ts,
            "X-Lark-Request-Nonce": nonce,
            "X-Lark-Signature": request_signature(ts, nonce, KEY, raw),
        }
        out.append((raw, headers))
    return out


def wait_port(port: int, proc, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {proc.stderr.read().decode()[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start")


def post(conn: http.client.HTTPConnection, body: bytes, headers: dict) -> int:
    """One event; a timeout or a dropped connection counts as status 0 (and the connection is renewed)."""
    try:
        conn.request("POST", "/feishu/events", body=body, headers=headers)
        resp = conn.getresponse()
        resp.read()
        return resp.status
    except (OSError, http.client.HTTPException):
        conn.close()
        return 0


def saturate(port: int, batch: list, concurrency: int = 16) -> tuple[float, float, float, int]:
    """All events as fast as ``concurrency`` keep-alive clients can send them: (ev/s, p50 ms, p99 ms, errors)."""
    lat, errors, lock = [], [0], threading.Lock()
    chunks = [batch[i::concurrency] for i in range(concurrency)]

    def client(chunk):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for body, headers in chunk:
            t = time.perf_counter()
            status = post(conn, body, headers)
            with lock:
                lat.append((time.perf_counter() - t) * 1000)
                errors[0] += status != 200
        conn.close()

    threads = [threading.Thread(target=client, args=(c,)) for c in chunks]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    lat.sort()
    return len(batch) / elapsed, statistics.median(lat), lat[int(len(lat) * 0.99) - 1], errors[0]


def paced(port: int, batch: list, rate: float, sent_at: dict | None = None) -> list[float]:
    """Send at a steady ``rate`` per second from a pool of clients; return ack latencies (ms)."""
    lat, lock, pool = [], threading.Lock(), 32
    slots = [batch[i::pool] for i in range(pool)]
    start = time.perf_counter() + 0.2

    def client(k, chunk):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for j, (body, headers) in enumerate(chunk):
            due = start + (j * pool + k) / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            t = time.perf_counter()
            if sent_at is not None:
                sent_at[json.loads(headers.get("X-Id", "null") or "null")] = t
            post(conn, body, headers)
            with lock:
                lat.append((time.perf_counter() - t) * 1000)
        conn.close()

    threads = [threading.Thread(target=client, args=(k, c)) for k, c in enumerate(slots)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(lat) or [float("nan")]


def start(argv: list[str], port: int):
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wait_port(port, proc)
    return proc


HISTORY = 0


def prefill(db: str) -> None:
    """Give xiaobian's database HISTORY handled messages and sent replies before it starts."""
    if not HISTORY:
        return
    sys.path.insert(0, str(ROOT / "bench"))
    from growth import fill

    from storage.db import Store

    store = Store(db)
    fill(store.db, HISTORY, 0)
    store.db.execute("ANALYZE")
    store.close()


def app_argv(port: int, db: str, api: str, *, web: bool, workers: bool) -> list[str]:
    if not Path(db).exists():
        prefill(db)
    env = {**ENV, "XIAOBIAN_DB": db, "FEISHU_API_BASE": api}
    return [sys.executable, "-c", APP.format(root=str(ROOT), env=env, web=web, workers=workers, port=port)]


def ingest_row(label: str, argv_for, seconds: float) -> float | None:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            proc = start(argv_for(port, str(Path(tmp) / "i.db")), port)
        except RuntimeError as exc:
            print(f"| {label} | not run: {exc} | | | |")
            return None
        try:
            saturate(port, events(200, f"warm-{label}"))
            n = int(900 * seconds)
            rate, p50, p99, errors = saturate(port, events(n, f"sat-{label}"))
            lat = paced(port, events(int(500 * seconds), f"pace-{label}"), 500)
            p99_500 = lat[int(len(lat) * 0.99) - 1]
            print(f"| {label} | {rate:.0f} ev/s | {p50:.1f} / {p99:.1f} ms | {p99_500:.1f} ms | {errors} |")
            return rate
        finally:
            proc.kill()
            proc.wait()


def end_to_end(label: str, layout: str, seconds: float, rate: float = 100) -> None:
    fake = FakeFeishu()
    arrived: dict[str, float] = {}
    stop = threading.Event()

    def watch():
        seen = 0
        while not stop.is_set():
            while seen < len(fake.messages):
                arrived[fake.messages[seen].get("reply_to")] = time.perf_counter()
                seen += 1
            time.sleep(0.0005)

    threading.Thread(target=watch, daemon=True).start()
    port = free_port()
    procs = []
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "e.db")
        try:
            if layout == "single":
                procs.append(start(app_argv(port, db, fake.api, web=True, workers=True), port))
            else:
                procs.append(start(app_argv(port, db, fake.api, web=True, workers=False), port))
                procs.append(
                    subprocess.Popen(
                        app_argv(0, db, fake.api, web=False, workers=True),
                        stdout=subprocess.DEVNULL,
                        stderr=subprocess.PIPE,
                    )
                )
                time.sleep(2)
            n = int(rate * seconds)
            batch = events(n, f"e2e-{layout}", text="帮助")
            sent: dict[str, float] = {}
            lock = threading.Lock()
            pool = 16
            start_at = time.perf_counter() + 0.2

            def client(k):
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                for j in range(k, n, pool):
                    due = start_at + j / rate
                    if (d := due - time.perf_counter()) > 0:
                        time.sleep(d)
                    with lock:
                        sent[f"e2e-{layout}-{j}"] = time.perf_counter()
                    post(conn, *batch[j])
                conn.close()

            threads = [threading.Thread(target=client, args=(k,)) for k in range(pool)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            deadline = time.monotonic() + 30
            while len(arrived) < n and time.monotonic() < deadline:
                time.sleep(0.05)
            lat = sorted((arrived[m] - sent[m]) * 1000 for m in sent if m in arrived)
            print(
                f"| {label} | {len(lat)}/{n} | {statistics.median(lat):.0f} ms | {lat[int(len(lat) * 0.99) - 1]:.0f} ms |"
            )
        finally:
            stop.set()
            for p in procs:
                p.kill()
                p.wait()
            fake.close()


def main() -> None:
    global HISTORY
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 10
    HISTORY = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    print(
        f"Feishu events, encrypted and signed; 16 clients saturating, then 500 ev/s paced; {seconds:.0f} s each"
    )
    print(f"xiaobian's database starts with {HISTORY:,} handled messages and {HISTORY:,} sent replies\n")
    print("| server | acks at saturation | p50 / p99 at saturation | p99 at 500 ev/s | non-200 |")
    print("|---|---|---|---|---|")
    fake = FakeFeishu()
    try:
        ref = None
        if Path(SDK_PYTHON).exists():
            ref = ingest_row(
                "reference: lark-oapi adapter + 1 insert",
                lambda port, db: [
                    SDK_PYTHON,
                    str(ROOT / "bench" / "ingest_reference.py"),
                    str(port),
                    db,
                    KEY,
                    TOKEN,
                ],
                seconds,
            )
        web = ingest_row(
            "xiaobian web tier",
            lambda port, db: app_argv(port, db, fake.api, web=True, workers=False),
            seconds,
        )
        serve = ingest_row(
            "xiaobian serve", lambda port, db: app_argv(port, db, fake.api, web=True, workers=True), seconds
        )
        if ref and web and serve:
            print(f"\nweb tier / reference = {web / ref:.2f}×; serve / reference = {serve / ref:.2f}×")
    finally:
        fake.close()
    print("\nEnd to end (帮助 → reply card at the fake API) at 100 cmd/s\n")
    print("| layout | answered | p50 | p99 |")
    print("|---|---|---|---|")
    end_to_end("single process (serve)", "single", seconds)
    end_to_end("web process + worker process", "split", seconds)


if __name__ == "__main__":
    main()
