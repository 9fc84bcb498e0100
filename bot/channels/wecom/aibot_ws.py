"""WeCom AI bot, long-connection mode: no public URL needed.

One thread holds the WebSocket: it subscribes with the bot id and secret, sends a heartbeat
every ``heartbeat`` seconds, records each ``aibot_msg_callback`` in the inbox and reconnects
with exponential backoff and jitter when the connection drops. Replies answer the callback's
``req_id`` with ``aibot_respond_msg``; pushes use ``aibot_send_msg``. A lease in SQLite keeps
a second copy from connecting (WeCom would split the messages between them).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import uuid
from datetime import UTC, datetime

from bot.channels import leases
from bot.channels.base import Channel, DeliveryError, OutboxItem
from bot.channels.wecom.aibot import fetch_media, normalise
from bot.channels.wecom.render import markdown
from bot.models import Message
from storage.teams import Team

log = logging.getLogger(__name__)
DEFAULT_URL = "wss://openws.work.weixin.qq.com"
RESPOND_WINDOW = (
    600  # seconds a callback's req_id is answered directly; later replies are sent as new messages
)


class WeComWsChannel(Channel):
    name = "wecom_ws"
    platform = "wecom"

    def fetch_file(self, message: Message, file: dict) -> bytes:
        """A file sent over the long connection: its url and its own aeskey (no callback key here)."""
        return fetch_media(file, None)

    def __init__(
        self,
        config,
        *,
        heartbeat: float = 30.0,
        backoff_base: float = 1.0,
        backoff_cap: float = 60.0,
        ack_timeout: float = 5.0,
    ):
        self.url = config.get("WECOM_BOT_WS_URL") or DEFAULT_URL
        self.bot_id = config.get("WECOM_BOT_ID")
        self.secret = config.get("WECOM_BOT_SECRET")
        self.heartbeat = heartbeat
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self.ack_timeout = ack_timeout
        self.holder = leases.holder_id()
        self.connected = threading.Event()
        self.connections = 0
        self._stop = threading.Event()
        self._conn = None
        self._send_lock = threading.Lock()
        self._acks: dict[str, tuple[threading.Event, dict]] = {}
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self, bot) -> None:
        leases.acquire(bot.db, f"wecom_ws:{self.bot_id}", self.holder, bot.now())
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="xiaobian-wecom-ws", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        conn = self._conn
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass
        if self._thread is not None:
            self._thread.join(timeout=5)
        try:
            leases.release(self.bot.db, f"wecom_ws:{self.bot_id}", self.holder, self.bot.now())
        except Exception:
            log.exception("could not release the wecom_ws lease")

    def _run(self) -> None:
        from websockets.exceptions import WebSocketException
        from websockets.sync.client import connect

        failures = 0
        while not self._stop.is_set():
            try:
                with connect(self.url, open_timeout=10, close_timeout=2, max_size=4 * 1024 * 1024) as conn:
                    self._conn = conn
                    self._subscribe(conn)
                    self.connections += 1
                    failures = 0
                    self.connected.set()
                    log.info("wecom long connection up (%s)", self.url)
                    self._read(conn)
            except (OSError, WebSocketException, TimeoutError, SubscribeError) as exc:
                log.warning("wecom long connection dropped: %s", exc)
            finally:
                self.connected.clear()
                self._conn = None
            if self._stop.is_set():
                break
            failures += 1
            delay = min(self.backoff_cap, self.backoff_base * 2 ** min(failures - 1, 10))
            self._stop.wait(delay * (0.5 + random.random()))

    def _subscribe(self, conn) -> None:
        req_id = uuid.uuid4().hex
        conn.send(
            json.dumps(
                {
                    "cmd": "aibot_subscribe",
                    "headers": {"req_id": req_id},
                    "body": {"bot_id": self.bot_id, "secret": self.secret},
                }
            )
        )
        frame = json.loads(conn.recv(timeout=10))
        if frame.get("errcode", 0) != 0:
            raise SubscribeError(f"subscribe refused: {frame.get('errcode')} {frame.get('errmsg', '')}")

    def _read(self, conn) -> None:
        while not self._stop.is_set():
            try:
                raw = conn.recv(timeout=self.heartbeat)
            except TimeoutError:
                self._send(conn, {"cmd": "ping", "headers": {"req_id": uuid.uuid4().hex}})
                leases.acquire(self.bot.db, f"wecom_ws:{self.bot_id}", self.holder, self.bot.now())
                continue
            try:
                frame = json.loads(raw)
            except (TypeError, ValueError):
                log.warning("wecom long connection: a frame that is not JSON")
                continue
            self._on_frame(frame)

    def _on_frame(self, frame: dict) -> None:
        cmd = frame.get("cmd", "")
        req_id = frame.get("headers", {}).get("req_id", "")
        if cmd == "aibot_msg_callback":
            message = normalise(frame.get("body", {}), self.name, datetime.now(UTC))
            if message is None:
                self._respond_text(req_id, "小编目前只读文字消息，请把要求用文字发给我。")
                return
            message.reply_context = {"req_id": req_id, "received": datetime.now(UTC).isoformat()}
            self.bot.receive(message)
            return
        if cmd in ("aibot_event_callback", "pong", "ping"):
            return
        waiter = self._acks.get(req_id)
        if waiter is not None:
            waiter[1].update(frame)
            waiter[0].set()

    def _send(self, conn, frame: dict) -> None:
        with self._send_lock:
            conn.send(json.dumps(frame, ensure_ascii=False))

    def _respond_text(self, req_id: str, text: str) -> None:
        conn = self._conn
        if conn is not None:
            self._send(
                conn,
                {
                    "cmd": "aibot_respond_msg",
                    "headers": {"req_id": req_id},
                    "body": {"msgtype": "markdown", "markdown": {"content": text}},
                },
            )

    def _request(self, frame: dict) -> dict:
        """Send a frame and wait for the frame that answers its req_id."""
        conn = self._conn
        if conn is None or not self.connected.is_set():
            raise DeliveryError("long connection is not up", retry_after=5)
        req_id = frame["headers"]["req_id"]
        event, answer = threading.Event(), {}
        self._acks[req_id] = (event, answer)
        try:
            self._send(conn, frame)
            if not event.wait(self.ack_timeout):
                raise DeliveryError("no answer from WeCom in time")
            return answer
        except OSError as exc:
            raise DeliveryError(f"send failed: {type(exc).__name__}") from None
        finally:
            self._acks.pop(req_id, None)

    # -- delivery ------------------------------------------------------------------------------
    def deliver(self, item: OutboxItem) -> None:
        content = markdown(item.reply)
        body = {"msgtype": "markdown", "markdown": {"content": content}}
        context = item.target.get("context", {})
        fresh = False
        if item.kind == "reply" and context.get("req_id"):
            received = datetime.fromisoformat(context["received"])
            fresh = (datetime.now(UTC) - received).total_seconds() < RESPOND_WINDOW
        if fresh:
            answer = self._request(
                {"cmd": "aibot_respond_msg", "headers": {"req_id": context["req_id"]}, "body": body}
            )
            if answer.get("errcode", 0) == 0:
                return
            log.warning("aibot_respond_msg refused (%s); sending as a new message", answer.get("errcode"))
        chat_id = item.target["chat_id"]
        send_body = dict(body)
        if chat_id.startswith("single:"):
            send_body.update({"chatid": chat_id[len("single:") :], "chat_type": 1})
        else:
            send_body.update({"chatid": chat_id, "chat_type": 2})
        answer = self._request(
            {"cmd": "aibot_send_msg", "headers": {"req_id": uuid.uuid4().hex}, "body": send_body}
        )
        code = answer.get("errcode", 0)
        if code == 45009:
            raise DeliveryError("45009 rate limited", retry_after=30)
        if code:
            raise DeliveryError(f"{code} {answer.get('errmsg', '')}")

    def handles_push(self, team: Team) -> bool:
        return team.platform == "wecom" and team.tenant == ""

    def status(self) -> dict:
        return {"on": True, "mode": "long-connection", "connected": self.connected.is_set()}


class SubscribeError(Exception):
    pass
