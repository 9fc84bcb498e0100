"""Webhook ingest side by side, in one run, on this machine: the same signed and encrypted Feishu
events against

- reference: lark-oapi's Flask adapter + dispatcher, one SQLite insert per event (.sdk-venv);
- web tier:  xiaobian's app alone (verify, decrypt, record, ack), as a gunicorn web worker runs it;
- serve:     the real `xiaobian serve` command (web tier + its supervised worker process answering
             every event — they all say 「帮助」 — through a fake Feishu API);

each on waitress with 8 threads in its own process(es), a fresh database each time. The targets
take turns (the order rotates each round) over ROUNDS rounds; the table gives each round, then the
median and the spread. The load generator's own CPU is reported (it shares the 2 cores). Then the
idle cost of `xiaobian serve` (parent + worker process, % of one core), and end to end (event →
reply at the API) at a steady rate, serve and split (web process + `xiaobian worker` process).

Run: python bench/ingest.py [SECONDS] [HISTORY] [ROUNDS]
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
            said = proc.stderr.read().decode()[-500:] if proc.stderr is not None else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {said}")
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


def serve_argv(port: int, db: str, api: str) -> list[str]:
    """The real ``xiaobian serve`` (environment in ENV)."""
    if not Path(db).exists():
        prefill(db)
    return [sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--db", db]


def serve_env(api: str) -> dict:
    return {**os.environ, **ENV, "FEISHU_API_BASE": api, "PYTHONPATH": str(ROOT)}


def cpu_seconds(pid: int) -> float:
    """CPU time of a process and its children (by /proc), in seconds."""
    total = 0.0
    pids = [pid]
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            pids += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
    except OSError:
        pass
    for p in pids:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError):
            pass
    return total


def ingest_once(label: str, argv_for, seconds: float, env: dict | None = None) -> dict | None:
    """One round against one target: saturation (ev/s, p50/p99) then 500 ev/s paced (p99)."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        try:
            proc = subprocess.Popen(
                argv_for(port, str(Path(tmp) / "i.db")),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,  # so its worker process goes with it
            )
            wait_port(port, proc)
            if env is not None:  # serve: wait until its worker process answers
                wait_healthy(port)
        except RuntimeError as exc:
            print(f"| {label} | not run: {exc} | | | | |")
            return None
        try:
            saturate(port, events(200, f"warm-{label}", text="帮助"))
            n = int(900 * seconds)
            batch = events(n, f"sat-{label}", text="帮助")
            cpu0, wall0 = time.process_time(), time.perf_counter()
            rate, p50, p99, errors = saturate(port, batch)
            generator = (time.process_time() - cpu0) / (time.perf_counter() - wall0)
            lat = paced(port, events(int(500 * seconds), f"pace-{label}", text="帮助"), 500)
            p99_500 = lat[int(len(lat) * 0.99) - 1]
            return {
                "rate": rate,
                "p50": p50,
                "p99": p99,
                "p99_500": p99_500,
                "errors": errors,
                "generator": generator,
            }
        finally:
            kill_group(proc)


def kill_group(proc: subprocess.Popen) -> None:
    """kill -9 a server started in a session of its own, with its worker process."""
    try:
        os.killpg(proc.pid, 9)
    except ProcessLookupError:
        pass
    proc.wait()


def wait_healthy(port: int, timeout: float = 30) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as resp:
                if json.loads(resp.read()).get("ok"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("serve never became healthy")


def idle_cost(api: str, seconds: float = 30) -> float:
    """% of one core that an idle ``xiaobian serve`` (parent + worker process) spends."""
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            serve_argv(port, str(Path(tmp) / "idle.db"), api),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=serve_env(api),
            start_new_session=True,
        )
        try:
            wait_port(port, proc)
            wait_healthy(port)
            time.sleep(5)
            before = cpu_seconds(proc.pid)
            time.sleep(seconds)
            return (cpu_seconds(proc.pid) - before) / seconds * 100
        finally:
            kill_group(proc)


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
            if layout == "serve":
                proc = subprocess.Popen(
                    serve_argv(port, db, fake.api),
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.PIPE,
                    env=serve_env(fake.api),
                    start_new_session=True,
                )
                procs.append(proc)
                wait_port(port, proc)
                wait_healthy(port)
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
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    print(
        f"Feishu events saying 「帮助」, encrypted and signed; 16 clients saturating, then 500 ev/s paced;"
        f" {seconds:.0f} s each, {rounds} rounds, targets alternating"
    )
    print(f"xiaobian's database starts with {HISTORY:,} handled messages and {HISTORY:,} sent replies\n")
    fake = FakeFeishu()
    targets = []
    if Path(SDK_PYTHON).exists():
        targets.append(
            (
                "reference: lark-oapi adapter + 1 insert",
                lambda port, db: [
                    SDK_PYTHON,
                    str(ROOT / "bench" / "ingest_reference.py"),
                    str(port),
                    db,
                    KEY,
                    TOKEN,
                ],
                None,
            )
        )
    targets.append(
        ("xiaobian web tier", lambda port, db: app_argv(port, db, fake.api, web=True, workers=False), None)
    )
    targets.append(
        ("xiaobian serve (answering)", lambda port, db: serve_argv(port, db, fake.api), serve_env(fake.api))
    )
    results: dict[str, list[dict]] = {label: [] for label, _, _ in targets}
    print(
        "| round | server | acks at saturation | p50 / p99 at saturation | p99 at 500 ev/s | non-200 | generator CPU |"
    )
    print("|---|---|---|---|---|---|---|")
    try:
        for r in range(rounds):
            order = targets[r % len(targets) :] + targets[: r % len(targets)]
            for label, argv_for, env in order:
                row = ingest_once(label, argv_for, seconds, env)
                if row is None:
                    continue
                results[label].append(row)
                print(
                    f"| {r + 1} | {label} | {row['rate']:.0f} ev/s | {row['p50']:.1f} / {row['p99']:.1f} ms"
                    f" | {row['p99_500']:.1f} ms | {row['errors']} | {row['generator'] * 100:.0f} % of a core |",
                    flush=True,
                )
        print(
            "\n| server | acks/s median (min–max) | × reference (median of per-round ratios) | p99 at 500 ev/s median (max) |"
        )
        print("|---|---|---|---|")
        ref = results.get("reference: lark-oapi adapter + 1 insert") or []
        for label, rows in results.items():
            if not rows:
                continue
            rates = [x["rate"] for x in rows]
            p99s = [x["p99_500"] for x in rows]
            ratio = (
                f"{statistics.median(x['rate'] / y['rate'] for x, y in zip(rows, ref, strict=False)):.2f}×"
                if ref
                else "–"
            )
            print(
                f"| {label} | {statistics.median(rates):.0f} ({min(rates):.0f}–{max(rates):.0f}) | {ratio}"
                f" | {statistics.median(p99s):.1f} ms ({max(p99s):.1f}) |"
            )
        idle = [idle_cost(fake.api) for _ in range(2)]
        print(
            f"\nidle xiaobian serve (parent + worker process, 30 s each): {' / '.join(f'{x:.2f}' for x in idle)} % of a core"
        )
    finally:
        fake.close()
    print("\nEnd to end (帮助 → reply card at the fake API) at 100 cmd/s\n")
    print("| layout | answered | p50 | p99 |")
    print("|---|---|---|---|")
    end_to_end("xiaobian serve", "serve", seconds)
    end_to_end("web process + worker process", "split", seconds)


if __name__ == "__main__":
    main()
