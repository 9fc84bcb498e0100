"""Feishu's long-connection server on loopback, as lark-oapi 1.7.5 speaks to it.

- ``POST /callback/ws/endpoint`` (served by :class:`tests.fakes.feishu.FakeFeishu`, which hands
  the body to :meth:`FakeFeishuWs.endpoint`) checks the app's id and secret and answers the
  WebSocket URL (``device_id``, ``service_id``) and a ClientConfig.
- The WebSocket speaks binary protobuf frames: it answers each ping with a pong (carrying the
  ClientConfig when asked), pushes events and card callbacks (split into fragments when asked),
  records every ack, and re-pushes what is not acked within ``ack_timeout`` seconds, as Feishu
  does (also after a reconnect). It can drop connections, refuse upgrades with the handshake
  headers Feishu sends, stay silent on pings, and answer the endpoint with errors or slowly.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

from bot.channels.feishu.frames import CONTROL, DATA, Frame


@dataclass
class Pushed:
    message_id: str
    kind: str  # event | card
    payload: bytes
    fragments: int
    deliveries: int = 0
    last_sent: float = 0.0
    acks: list[Frame] = field(default_factory=list)


class FakeFeishuWs:
    def __init__(self, app_id: str, app_secret: str, *, ack_timeout: float = 3.0, config: dict | None = None):
        from websockets.sync.server import serve as ws_serve

        self.app_id, self.app_secret = app_id, app_secret
        self.ack_timeout = ack_timeout
        self.config = config or {
            "ReconnectCount": -1,
            "ReconnectInterval": 1,
            "ReconnectNonce": 0,
            "PingInterval": 120,
        }
        self.endpoint_requests: list[dict] = []
        self.endpoint_errors: list[int] = []  # codes to answer the next endpoint requests with
        self.endpoint_delay = 0.0
        self.refuse_next: list[dict] = []  # handshake headers for refused upgrades
        self.pong_config: dict | None = None  # a ClientConfig sent with the next pongs
        self.silent = False  # no pongs
        self.pings: list[Frame] = []
        self.frames: list[Frame] = []  # everything the client sent
        self.pushed: dict[str, Pushed] = {}
        self.connections: list = []
        # Feishu hands each event to one of the app's connections, not to all: the newest here
        # (what the single-connection tests read), or one at random when ``spread`` is set.
        self.spread = False
        self.delivered_on: dict[str, list[int]] = {}  # message_id → the connections (by order opened)
        self._opened_index: dict[int, int] = {}
        self.opened = 0
        self.service_id = 7
        self.lock = threading.Lock()
        self._seq = 0
        self._closed = threading.Event()
        self.server = ws_serve(self._handle, "127.0.0.1", 0, process_request=self._upgrade)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        threading.Thread(target=self._repush, daemon=True).start()

    # -- HTTP endpoint -----------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}/ws"

    def endpoint(self, body: dict) -> dict:
        with self.lock:
            self.endpoint_requests.append(body)
            error = self.endpoint_errors.pop(0) if self.endpoint_errors else None
        if self.endpoint_delay:
            time.sleep(self.endpoint_delay)
        if error is not None:
            return {"code": error, "msg": "system busy" if error == 1 else "error"}
        if body.get("AppID") != self.app_id or body.get("AppSecret") != self.app_secret:
            return {"code": 10003, "msg": "invalid app_id or app_secret"}
        device = secrets.token_hex(4)
        return {
            "code": 0,
            "data": {
                "URL": f"{self.url}?device_id={device}&service_id={self.service_id}&access_key=k&ticket=t",
                "ClientConfig": dict(self.config),
            },
        }

    def _upgrade(self, conn, request):
        query = parse_qs(urlparse(request.path).query)
        with self.lock:
            refusal = self.refuse_next.pop(0) if self.refuse_next else None
        if refusal is not None or "device_id" not in query:
            response = conn.respond(403, "refused\n")  # the reason is in the handshake-* headers
            for key, value in (refusal or {"handshake-status": "403", "handshake-msg": "forbidden"}).items():
                response.headers[key] = value
            return response
        return None

    # -- WebSocket ---------------------------------------------------------------------------------
    def _handle(self, conn) -> None:
        with self.lock:
            self.connections.append(conn)
            self.opened += 1
            self._opened_index[id(conn)] = self.opened
        try:
            for raw in conn:
                if isinstance(raw, str):
                    continue
                frame = Frame.decode(raw)
                with self.lock:
                    self.frames.append(frame)
                if frame.method == CONTROL and frame.header("type") == "ping":
                    with self.lock:
                        self.pings.append(frame)
                    if not self.silent:
                        pong = Frame(service=frame.service, method=CONTROL, headers=[("type", "pong")])
                        if self.pong_config is not None:
                            pong.payload = json.dumps(self.pong_config).encode()
                        conn.send(pong.encode())
                elif frame.method == DATA:
                    pushed = self.pushed.get(frame.header("message_id", ""))
                    if pushed is not None:
                        with self.lock:
                            pushed.acks.append(frame)
        except Exception:
            pass
        finally:
            with self.lock:
                if conn in self.connections:
                    self.connections.remove(conn)

    def _send_frames(self, pushed: Pushed, *, only: int | None = None) -> bool:
        with self.lock:
            conns = list(self.connections)
        if not conns:
            return False
        conn = secrets.choice(conns) if self.spread else conns[-1]
        size = -(-len(pushed.payload) // pushed.fragments)
        with self.lock:
            self._seq += 1
            seq_id = self._seq
            pushed.deliveries += 1
            pushed.last_sent = time.monotonic()
            self.delivered_on.setdefault(pushed.message_id, []).append(self._opened_index.get(id(conn), 0))
        try:
            for i in range(pushed.fragments):
                if only is not None and i != only:
                    continue
                frame = Frame(
                    seq_id=seq_id,
                    log_id=seq_id * 10,
                    service=self.service_id,
                    method=DATA,
                    headers=[
                        ("type", pushed.kind),
                        ("message_id", pushed.message_id),
                        ("sum", str(pushed.fragments)),
                        ("seq", str(i)),
                        ("trace_id", f"trace-{seq_id}"),
                    ],
                    payload=pushed.payload[i * size : (i + 1) * size],
                )
                conn.send(frame.encode())
        except Exception:
            return False
        return True

    def push(self, payload: dict, *, kind: str = "event", fragments: int = 1, only: int | None = None) -> str:
        """Push an event (or a card callback, ``kind="card"``) to the newest connection."""
        message_id = secrets.token_hex(8)
        pushed = Pushed(message_id, kind, json.dumps(payload, ensure_ascii=False).encode(), fragments)
        with self.lock:
            self.pushed[message_id] = pushed
        self._send_frames(pushed, only=only)
        return message_id

    def _repush(self) -> None:
        while not self._closed.wait(0.1):
            now = time.monotonic()
            with self.lock:
                due = [
                    p for p in self.pushed.values() if not p.acks and now - p.last_sent >= self.ack_timeout
                ]
            for pushed in due:
                self._send_frames(pushed)

    # -- control -----------------------------------------------------------------------------------
    def acks(self, message_id: str) -> list[Frame]:
        with self.lock:
            return list(self.pushed[message_id].acks)

    def ack_body(self, message_id: str) -> dict:
        return json.loads(self.acks(message_id)[0].payload)

    def drop(self) -> None:
        with self.lock:
            conns, self.connections = self.connections, []
        for c in conns:
            c.close()

    def close(self) -> None:
        self._closed.set()
        self.drop()
        self.server.shutdown()
