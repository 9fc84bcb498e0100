"""Feishu's long connection, spoken directly: endpoint, WebSocket, protobuf frames, acks.

One thread holds the connection and does, in order:

1. ``POST {base}/callback/ws/endpoint`` with the app's id and secret, with a timeout, for the
   WebSocket URL and the server's ClientConfig (reconnect count, interval and jitter, ping
   interval). ``code`` 1 or 1000040343 means "busy, later"; any other error is logged as what
   it is (a wrong secret, say) and retried at the reconnect interval, never a silent stop.
2. Connect; a refused upgrade's ``handshake-*`` headers say why (514 + 1000040350: the app has
   too many connections).
3. Ping at once and every PingInterval; a pong may carry a new ClientConfig, which is applied.
   No pong for two intervals: the connection is reported unhealthy and replaced.
4. Data frames (``type`` event or card): fragments are joined by ``message_id`` (5 s TTL), the
   whole payload goes to ``on_payload`` (which only records it), and the frame is acked at once
   with ``{"code":200}`` (plus the base64 answer for a card callback) or ``{"code":500}``.
   The work happens later, in the workers; the ack never waits for it.
5. On a drop: reconnect after a random share of ReconnectNonce, then every ReconnectInterval,
   ReconnectCount times (-1: for ever).

:meth:`stop` closes the connection and ends the thread; :meth:`status` is the health signal.
"""

from __future__ import annotations

import base64
import json
import logging
import random
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlparse

from bot.channels.feishu.frames import CONTROL, DATA, Frame, FrameError

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection

log = logging.getLogger(__name__)

ENDPOINT_PATH = "/callback/ws/endpoint"
BUSY_CODES = {1, 1000040343}
TOO_MANY_CONNECTIONS = 1000040350
FRAGMENT_TTL = 5.0
DEFAULT_CONFIG = {"ReconnectCount": -1, "ReconnectInterval": 120, "ReconnectNonce": 30, "PingInterval": 120}


class EndpointError(Exception):
    def __init__(self, message: str, *, busy: bool):
        super().__init__(message)
        self.busy = busy


class LongConnection:
    """A Feishu long connection for one app. ``on_payload(kind, payload)`` records one event or
    card callback (``kind`` is ``event`` or ``card``) and returns the answer for a card (or None);
    it must not do the work itself."""

    def __init__(
        self,
        base: str,
        app_id: str,
        app_secret: str,
        on_payload: Callable[[str, dict], dict | None],
        *,
        http_timeout: float = 10.0,
        open_timeout: float = 10.0,
    ):
        self.base = base.rstrip("/")
        self.app_id, self._secret = app_id, app_secret
        self.on_payload = on_payload
        self.http_timeout, self.open_timeout = http_timeout, open_timeout
        self.retry_base = 1.0  # seconds before the first retry of a failed endpoint request
        self.config: dict[str, float] = dict(DEFAULT_CONFIG)
        self.connected = threading.Event()
        self.state = "stopped"
        self.error: str | None = None
        self.connections = 0
        self.frames_in = 0
        self.last_pong: float | None = None
        self._stop = threading.Event()
        self._conn: ClientConnection | None = None
        self._thread: threading.Thread | None = None
        self._fragments: dict[str, tuple[float, list[bytes | None]]] = {}

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> None:
        self._stop.clear()
        self.state = "connecting"
        self._thread = threading.Thread(target=self._run, name="xiaobian-feishu-ws", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._stop.set()
        conn = self._conn
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass
        if self._thread is not None:
            self._thread.join(timeout)
        self.state = "stopped"

    def status(self) -> dict:
        interval = float(self.config["PingInterval"])
        pong_age = None if self.last_pong is None else round(time.monotonic() - self.last_pong, 1)
        healthy = self.connected.is_set() and (pong_age is None or pong_age <= 2 * interval)
        return {
            "state": self.state,
            "connected": self.connected.is_set(),
            "healthy": healthy,
            "error": self.error,
            "last_pong_seconds_ago": pong_age,
            "connections": self.connections,
        }

    # -- the loop --------------------------------------------------------------------------------
    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            endpoint_failed = False
            try:
                url = self._endpoint()
                self._session(url)
            except EndpointError as exc:
                endpoint_failed = True
                self.error = str(exc)
                (log.warning if exc.busy else log.error)("feishu long connection: %s", exc)
            except Exception as exc:  # network, handshake, protocol: all mean "reconnect"
                if self._stop.is_set():
                    break
                self.error = _describe(exc)
                log.warning("feishu long connection dropped: %s", self.error)
            finally:
                if self.connected.is_set():
                    failures = 0  # a connection that was up starts the reconnect schedule afresh
                self.connected.clear()
                self._conn = None
            if self._stop.is_set():
                break
            failures += 1
            count = int(self.config["ReconnectCount"])
            if 0 <= count < failures:
                self.state = "failed"
                log.error("feishu long connection: gave up after %d attempts (ReconnectCount)", count)
                return
            self.state = "reconnecting"
            interval = float(self.config["ReconnectInterval"])
            if endpoint_failed:  # the server has not told us its schedule: back off from 1 s
                delay = min(interval, self.retry_base * 2 ** (failures - 1)) * (0.5 + 0.5 * random.random())
            elif failures == 1:
                delay = random.random() * float(self.config["ReconnectNonce"])
            else:
                delay = interval * (0.9 + 0.2 * random.random())
            self._stop.wait(delay)
        self.state = "stopped"

    def _endpoint(self) -> str:
        body = json.dumps({"AppID": self.app_id, "AppSecret": self._secret}).encode()
        request = urllib.request.Request(
            self.base + ENDPOINT_PATH,
            data=body,
            headers={"Content-Type": "application/json", "locale": "zh"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.http_timeout) as response:
                answer = json.loads(response.read())
        except urllib.error.HTTPError as exc:
            raise EndpointError(f"endpoint HTTP {exc.code}", busy=True) from None
        except (OSError, ValueError) as exc:
            raise EndpointError(f"endpoint unreachable: {type(exc).__name__}", busy=True) from None
        if not isinstance(answer, dict):
            raise EndpointError("endpoint answered something that is not an object", busy=True)
        code = answer.get("code")
        if code != 0:
            busy = code in BUSY_CODES
            raise EndpointError(f"endpoint refused: code {code} {answer.get('msg', '')}".strip(), busy=busy)
        data = answer.get("data") or {}
        self._configure(data.get("ClientConfig"))
        url = data.get("URL")
        if not isinstance(url, str) or not url.startswith(("ws://", "wss://")):
            raise EndpointError("endpoint gave no WebSocket URL", busy=True)
        return url

    def _configure(self, conf) -> None:
        if not isinstance(conf, dict):
            return
        for key in DEFAULT_CONFIG:
            value = conf.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                if key == "PingInterval" and value <= 0:
                    continue
                self.config[key] = value

    def _session(self, url: str) -> None:
        from websockets.sync.client import connect

        query = parse_qs(urlparse(url).query)
        service = int((query.get("service_id") or ["0"])[0] or 0)
        with connect(
            url,
            open_timeout=self.open_timeout,
            close_timeout=2,
            ping_interval=None,  # the protocol's own ping below is the keepalive
            max_size=16 * 1024 * 1024,
            proxy=None,
        ) as conn:
            self._conn = conn
            if self._stop.is_set():
                return
            self.connections += 1
            self.state, self.error = "connected", None
            self.last_pong = time.monotonic()
            self.connected.set()
            log.info("feishu long connection up (connection %d)", self.connections)
            next_ping = 0.0
            while not self._stop.is_set():
                now = time.monotonic()
                if now >= next_ping:
                    interval = float(self.config["PingInterval"])
                    if now - self.last_pong > 2 * interval:
                        raise ConnectionError(f"no pong for {now - self.last_pong:.0f} s")
                    conn.send(Frame(service=service, method=CONTROL, headers=[("type", "ping")]).encode())
                    next_ping = now + interval
                try:
                    raw = conn.recv(timeout=max(0.0, next_ping - time.monotonic()))
                except TimeoutError:
                    continue
                if isinstance(raw, bytes):
                    self._on_frame(conn, raw)

    def _on_frame(self, conn, raw: bytes) -> None:
        try:
            frame = Frame.decode(raw)
        except FrameError as exc:
            log.warning("feishu long connection: unreadable frame (%s)", exc)
            return
        self.frames_in += 1
        kind = frame.header("type", "")
        if frame.method == CONTROL:
            if kind == "pong":
                self.last_pong = time.monotonic()
                if frame.payload:
                    try:
                        self._configure(json.loads(frame.payload))
                    except ValueError:
                        pass
            return
        if frame.method != DATA:
            return
        payload = self._assemble(frame)
        if payload is None:
            return  # more fragments to come: the whole message is acked once complete
        started = time.monotonic()
        answer: dict = {"code": 200}
        try:
            data = json.loads(payload)
            if not isinstance(data, dict):
                raise ValueError("not an object")
            if kind in ("event", "card"):
                result = self.on_payload(kind, data)
                if result:
                    answer["data"] = base64.b64encode(
                        json.dumps(result, ensure_ascii=False).encode()
                    ).decode()
            else:
                log.warning("feishu long connection: a data frame of unknown type %r, acked", kind)
        except ValueError:
            log.warning("feishu long connection: a payload that is not JSON, acked and skipped")
        except Exception:
            log.exception("feishu long connection: could not record a %s; Feishu will push it again", kind)
            answer = {"code": 500}
        frame.headers.append(("biz_rt", str(int((time.monotonic() - started) * 1000))))
        frame.payload = json.dumps(answer).encode()
        conn.send(frame.encode())

    def _assemble(self, frame: Frame) -> bytes | None:
        try:
            total = int(frame.header("sum", "1") or 1)
            seq = int(frame.header("seq", "0") or 0)
        except ValueError:
            total, seq = 1, 0
        if total <= 1:
            return frame.payload or b""
        now = time.monotonic()
        for key in [k for k, (t, _) in self._fragments.items() if now - t > FRAGMENT_TTL]:
            del self._fragments[key]
        message_id = frame.header("message_id") or ""
        fresh: list[bytes | None] = [None] * total
        created, parts = self._fragments.get(message_id, (now, fresh))
        if len(parts) != total or not 0 <= seq < total:
            log.warning("feishu long connection: fragment %s/%s of %s does not fit", seq, total, message_id)
            return None
        parts[seq] = frame.payload or b""
        if any(p is None for p in parts):
            self._fragments[message_id] = (created, parts)
            return None
        self._fragments.pop(message_id, None)
        return b"".join(p for p in parts if p is not None)


def _describe(exc: Exception) -> str:
    """Why a connection failed, with Feishu's handshake headers when the upgrade was refused."""
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is not None and headers.get("handshake-status"):
        status, auth = headers.get("handshake-status"), headers.get("handshake-autherrcode", "")
        if status == "514" and auth == str(TOO_MANY_CONNECTIONS):
            return "Feishu refused the connection: the app has too many long connections (another copy?)"
        return f"Feishu refused the connection: {status} {headers.get('handshake-msg', '')}".strip()
    return f"{type(exc).__name__}: {exc}"[:200]
