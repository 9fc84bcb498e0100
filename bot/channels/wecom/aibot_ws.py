"""WeCom AI bot, long-connection mode: no public URL needed. Frames as the official SDKs send them.

One thread holds the WebSocket (``wss://openws.work.weixin.qq.com``): it subscribes with the bot
id and secret, sends ``ping`` every ``heartbeat`` seconds (two unanswered pings: the connection
is dead and is replaced), records each callback in the inbox and reconnects with backoff and
jitter when the connection drops.

- A message (``aibot_msg_callback``) is answered on its ``req_id`` with ``aibot_respond_msg``,
  ``msgtype: stream``: one frame with ``finish: true`` when the answer is ready, and, if it is
  not ready after ``stream_after`` seconds, first a ``finish: false`` frame saying the bot is
  working. A reply with buttons goes as ``stream_with_template_card`` (a button_interaction
  card whose keys are the commands). Frames for one req_id go one at a time, each after the
  previous one's ack.
- A button press (``template_card_event``) runs the button's command; the outcome replaces the
  card with ``aibot_respond_update_msg`` within 5 s of the press.
- ``enter_chat`` gets the greeting with ``aibot_respond_welcome_msg`` within 5 s.
- Pushes and late answers: ``aibot_send_msg {chatid, msgtype: markdown | template_card}``;
  images are uploaded with ``aibot_upload_media_init/chunk/finish`` and sent as ``image``.
- ``disconnected_event``: another copy took the connection. This one stops, says so in the log
  and in ``/healthz``, and does not fight back.

A lease in SQLite keeps a second copy on the same database from connecting at all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import random
import secrets
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.channels import leases
from bot.channels.base import Channel, DeliveryError, OutboxItem
from bot.channels.wecom.aibot import fetch_media, normalise
from bot.channels.wecom.render import markdown, outcome_card, plain, split_bytes, template_card
from bot.models import Message, Person, Reply
from bot.push_route import PushScope

if TYPE_CHECKING:
    from websockets.sync.client import ClientConnection


def _object(data: dict, key: str) -> dict:
    """``data[key]`` when it is a JSON object, else an empty one (frames are not trusted)."""
    value = data.get(key)
    return value if isinstance(value, dict) else {}


log = logging.getLogger(__name__)
DEFAULT_URL = "wss://openws.work.weixin.qq.com"
RESPOND_WINDOW = 330  # seconds a callback's req_id takes stream answers (WeCom waits about 6 minutes)
EVENT_WINDOW = 4.5  # welcome messages and card updates must go within 5 s of their event
STREAM_LIMIT = 20_000  # bytes of markdown in one stream frame (the limit is 20,480)
CHUNK = 512 * 1024  # media upload chunk (at most 100 of them)
WORKING = "小编正在处理，请稍等…"


def req_id(prefix: str) -> str:
    """``{cmd}_{ms}_{random}``, the form the official SDKs use (their acks are matched on the prefix)."""
    return f"{prefix}_{int(time.time() * 1000)}_{secrets.token_hex(4)}"


class WeComWsChannel(Channel):
    name = "wecom_ws"
    platform = "wecom"

    def __init__(
        self,
        config,
        *,
        heartbeat: float = 30.0,
        backoff_base: float = 1.0,
        backoff_cap: float = 30.0,
        ack_timeout: float = 5.0,
        stream_after: float = 2.0,
    ):
        self.url = config.get("WECOM_BOT_WS_URL") or DEFAULT_URL
        self.bot_id = config.get("WECOM_BOT_ID")
        self._secret = config.get("WECOM_BOT_SECRET")
        self.heartbeat = heartbeat
        self.backoff_base, self.backoff_cap = backoff_base, backoff_cap
        self.ack_timeout = ack_timeout
        self.stream_after = stream_after
        self.holder = leases.holder_id()
        self.connected = threading.Event()
        self.connections = 0
        self.kicked: str | None = None
        self.error: str | None = None
        self._stop = threading.Event()
        self._conn: ClientConnection | None = None
        self._send_lock = threading.Lock()
        self._acks: dict[str, tuple[threading.Event, dict]] = {}
        self._req_locks: dict[str, threading.Lock] = {}
        self._streams: dict[str, int] = {}  # req_id -> answers already finished on it
        self._missed_pings = 0
        self._thread: threading.Thread | None = None

    def fetch_file(self, message: Message, file: dict) -> bytes:
        """A file sent over the long connection: its url and its own aeskey (no callback key here)."""
        return fetch_media(file, None)

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self, bot) -> None:
        leases.acquire(bot.db, self._lease, self.holder, bot.now())
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="xiaobian-wecom-ws", daemon=True)
        self._thread.start()

    @property
    def _lease(self) -> str:
        return f"wecom_ws:{self.bot_id}"

    def stop(self) -> None:
        self._stop.set()
        self._close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._release()

    def _release(self) -> None:
        try:
            leases.release(self.bot.db, self._lease, self.holder, self.bot.now())
        except Exception:
            log.exception("could not release the wecom_ws lease")

    def _close(self) -> None:
        conn = self._conn
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    def _run(self) -> None:
        from websockets.sync.client import connect

        failures = 0
        while not self._stop.is_set():
            try:
                with connect(
                    self.url, open_timeout=10, close_timeout=2, max_size=4 * 1024 * 1024, ping_interval=None
                ) as conn:
                    self._conn = conn
                    self._subscribe(conn)
                    self.connections += 1
                    failures, self.error, self._missed_pings = 0, None, 0
                    self.connected.set()
                    log.info("wecom long connection up (%s)", self.url)
                    self._read(conn)
            except Exception as exc:  # network, handshake, refused subscription: reconnect
                if not self._stop.is_set():
                    self.error = f"{type(exc).__name__}: {exc}"[:200]
                    log.warning("wecom long connection dropped: %s", self.error)
            finally:
                self.connected.clear()
                self._conn = None
                self._fail_waiters()
            if self._stop.is_set():
                break
            failures += 1
            delay = min(self.backoff_cap, self.backoff_base * 2 ** min(failures - 1, 10))
            self._stop.wait(delay * (0.5 + random.random() / 2))

    def _subscribe(self, conn) -> None:
        rid = req_id("aibot_subscribe")
        conn.send(
            json.dumps(
                {
                    "cmd": "aibot_subscribe",
                    "headers": {"req_id": rid},
                    "body": {"bot_id": self.bot_id, "secret": self._secret},
                }
            )
        )
        deadline = time.monotonic() + 10
        while True:
            frame = json.loads(conn.recv(timeout=max(0.1, deadline - time.monotonic())))
            if frame.get("headers", {}).get("req_id") == rid:
                break
        if frame.get("errcode", 0) != 0:
            raise SubscribeError(f"subscribe refused: {frame.get('errcode')} {frame.get('errmsg', '')}")

    def _read(self, conn) -> None:
        # The ping is due ``heartbeat`` seconds after the last one, read afresh on every turn so that
        # a heartbeat changed on a live connection takes effect at once.
        last_ping = time.monotonic()
        next_renew = time.monotonic() + leases.LEASE_SECONDS / 3
        while not self._stop.is_set():
            if time.monotonic() >= next_renew:  # the lease outlives a renewal by two thirds of it
                leases.acquire(self.bot.db, self._lease, self.holder, self.bot.now())
                next_renew = time.monotonic() + leases.LEASE_SECONDS / 3
            next_ping = last_ping + self.heartbeat
            try:
                raw = conn.recv(
                    timeout=max(0.0, min(next_ping, next_renew, time.monotonic() + 1.0) - time.monotonic())
                )
            except TimeoutError:
                if time.monotonic() < last_ping + self.heartbeat:
                    continue  # time to renew the lease or to look at the heartbeat again, not to ping
                if self._missed_pings >= 2:
                    raise ConnectionError("two heartbeats unanswered") from None
                self._missed_pings += 1
                self._send(conn, {"cmd": "ping", "headers": {"req_id": req_id("ping")}})
                last_ping = time.monotonic()
                continue
            try:
                frame = json.loads(raw)
                if not isinstance(frame, dict):
                    raise ValueError("not an object")
            except (TypeError, ValueError):
                log.warning("wecom long connection: a frame that is not a JSON object")
                continue
            self._on_frame(frame)
            if self.kicked:
                self._stop.set()
                return

    def _on_frame(self, frame: dict) -> None:
        cmd = frame.get("cmd")
        headers = _object(frame, "headers")
        rid = str(headers.get("req_id", ""))
        body = _object(frame, "body")
        if not cmd:  # an ack: of a ping, or of something a worker sent and waits for
            if rid.startswith("ping"):
                self._missed_pings = 0
            waiter = self._acks.get(rid)
            if waiter is not None:
                waiter[1].update(frame)
                waiter[0].set()
            return
        received = datetime.now(UTC).isoformat()
        if cmd == "aibot_msg_callback":
            message = normalise(body, self.name, datetime.now(UTC))
            if message is None:
                threading.Thread(target=self._answer_unreadable, args=(rid, body), daemon=True).start()
                return
            message.reply_context = {"req_id": rid, "received": received}
            _, is_new = self.bot.receive(message)
            if is_new and self.stream_after is not None:
                timer = threading.Timer(self.stream_after, self._still_working, (rid,))
                timer.daemon = True
                timer.start()
            return
        if cmd == "aibot_event_callback":
            self._on_event(rid, body, received)
            return
        log.info("wecom long connection: frame %s ignored", cmd)

    def _on_event(self, rid: str, body: dict, received: str) -> None:
        event = _object(body, "event")
        kind = event.get("eventtype", "")
        user = (body.get("from") or {}).get("userid", "")
        chat_id = body.get("chatid") or f"single:{user}"
        chat_type = "group" if body.get("chattype") == "group" else "single"
        msgid = str(body.get("msgid") or f"{kind}:{user}:{body.get('create_time', '')}")
        if kind == "disconnected_event":
            self.kicked = (
                "另一个小编实例用同一个机器人建立了长连接，企业微信断开了这一个（disconnected_event）。"
            )
            log.error("wecom long connection taken over by another copy of the bot; this one stops")
            self._release()
            return
        if kind == "enter_chat":
            text, key, context = "", f"enter:{msgid}", {"req_id": rid, "received": received, "welcome": True}
        elif kind == "template_card_event":
            card = event.get("template_card_event") or {}
            text = str(card.get("event_key", ""))
            if not text or text.startswith("xiaobian:"):
                return  # the grey "done" button of an updated card
            key = f"card:{msgid}"
            context = {"req_id": rid, "received": received, "card_task_id": card.get("task_id", "")}
        else:
            log.info("wecom long connection: event %s ignored", kind or "(none)")
            return
        self.bot.receive(
            Message(
                platform="wecom",
                tenant="",
                chat_id=chat_id,
                chat_type=chat_type,
                sender=Person(user, user),
                text=text,
                message_id=key,
                time=datetime.now(UTC),
                channel=self.name,
                addressed=True,
                kind="action" if kind == "template_card_event" else "text",
                reply_context=context,
            )
        )

    # -- sending ---------------------------------------------------------------------------------
    def _send(self, conn, frame: dict) -> None:
        with self._send_lock:
            conn.send(json.dumps(frame, ensure_ascii=False))

    def _request(self, cmd: str, body: dict, rid: str | None = None) -> dict:
        """Send one frame and wait for its ack (the frame that answers its req_id)."""
        conn = self._conn
        if conn is None or not self.connected.is_set():
            if self.kicked:
                raise DeliveryError("another copy of the bot holds the connection", retry_after=60)
            raise DeliveryError("long connection is not up", retry_after=5)
        rid = rid or req_id(cmd)
        event, answer = threading.Event(), dict[str, object]()
        self._acks[rid] = (event, answer)
        try:
            self._send(conn, {"cmd": cmd, "headers": {"req_id": rid}, "body": body})
            if not event.wait(self.ack_timeout):
                raise DeliveryError(f"no ack for {cmd} in time")
            if answer.get("dropped"):
                raise DeliveryError("connection dropped before the ack")
            return answer
        except OSError as exc:
            raise DeliveryError(f"send failed: {type(exc).__name__}") from None
        except Exception as exc:
            if type(exc).__module__.startswith("websockets"):
                raise DeliveryError(f"send failed: {type(exc).__name__}") from None
            raise
        finally:
            self._acks.pop(rid, None)

    def _fail_waiters(self) -> None:
        for event, answer in list(self._acks.values()):
            answer["dropped"] = True
            event.set()

    def _respond(self, rid: str, cmd: str, body: dict) -> dict:
        """Answer a callback's req_id; answers to one req_id go one at a time."""
        lock = self._req_locks.setdefault(rid, threading.Lock())
        with lock:
            return self._request(cmd, body, rid)

    def _stream_id(self, rid: str) -> str:
        n = self._streams.get(rid, 0)
        return f"xb-{hashlib.sha1(rid.encode()).hexdigest()[:16]}" + (f"-{n}" if n else "")

    def _still_working(self, rid: str) -> None:
        """The answer is not ready after ``stream_after`` seconds: open the stream with a note."""
        lock = self._req_locks.setdefault(rid, threading.Lock())
        with lock:
            if rid in self._streams or not self.connected.is_set():
                return
            stream = {"id": self._stream_id(rid), "finish": False, "content": WORKING}
            try:
                self._request("aibot_respond_msg", {"msgtype": "stream", "stream": stream}, rid)
            except DeliveryError as exc:
                log.info("wecom: could not open the stream early (%s)", exc)

    def _answer_unreadable(self, rid: str, body: dict) -> None:
        stream = {
            "id": self._stream_id(rid),
            "finish": True,
            "content": "小编目前只读文字消息，请把要求用文字发给我。",
        }
        try:
            self._respond(rid, "aibot_respond_msg", {"msgtype": "stream", "stream": stream})
        except DeliveryError as exc:
            log.info("wecom: could not answer a non-text message (%s)", exc)

    def upload_image(self, path: str) -> str:
        """Upload an image over the connection (init, chunks, finish); return its media_id."""
        data = Path(path).read_bytes()
        chunks = [data[i : i + CHUNK] for i in range(0, len(data), CHUNK)] or [b""]
        if len(chunks) > 100:
            raise DeliveryError("image too large for WeCom (100 chunks of 512 KB)", retryable=False)
        init = self._request(
            "aibot_upload_media_init",
            {
                "type": "image",
                "filename": Path(path).name,
                "total_size": len(data),
                "total_chunks": len(chunks),
                "md5": hashlib.md5(data).hexdigest(),
            },
        )
        upload_id = (init.get("body") or {}).get("upload_id")
        if init.get("errcode", 0) or not upload_id:
            raise DeliveryError(f"upload refused: {init.get('errcode')} {init.get('errmsg', '')}")
        for index, chunk in enumerate(chunks):
            ack = self._request(
                "aibot_upload_media_chunk",
                {
                    "upload_id": upload_id,
                    "chunk_index": index,
                    "base64_data": base64.b64encode(chunk).decode(),
                },
            )
            if ack.get("errcode", 0):
                raise DeliveryError(f"upload chunk refused: {ack.get('errcode')} {ack.get('errmsg', '')}")
        done = self._request("aibot_upload_media_finish", {"upload_id": upload_id})
        media_id = (done.get("body") or {}).get("media_id")
        if done.get("errcode", 0) or not media_id:
            raise DeliveryError(f"upload not finished: {done.get('errcode')} {done.get('errmsg', '')}")
        return media_id

    # -- delivery ------------------------------------------------------------------------------
    def deliver(self, item: OutboxItem) -> None:
        reply = item.reply
        context = item.target.get("context", {})
        rid = context.get("req_id", "")
        age = (
            (datetime.now(UTC) - datetime.fromisoformat(context["received"])).total_seconds()
            if context.get("received")
            else None
        )
        images = [a.path for a in reply.images()]
        text = markdown(reply, with_buttons=not reply.buttons, with_attachments=not images)
        chat = item.target["chat_id"].removeprefix("single:")
        if item.kind == "reply" and rid and age is not None:
            if context.get("welcome"):
                if age < EVENT_WINDOW and self._answered(
                    rid, "aibot_respond_welcome_msg", {"msgtype": "text", "text": {"content": plain(reply)}}
                ):
                    return
            elif context.get("card_task_id"):
                if (
                    age < EVENT_WINDOW
                    and reply.tone in ("ok", "info")
                    and self._answered(
                        rid,
                        "aibot_respond_update_msg",
                        {
                            "response_type": "update_template_card",
                            "template_card": outcome_card(reply, context["card_task_id"]),
                        },
                    )
                ):
                    self._send_images(chat, images)
                    return
            elif age < RESPOND_WINDOW:
                parts = split_bytes(text, STREAM_LIMIT)
                if self._answer_stream(rid, parts[0], reply, f"xb{item.id}"):
                    for part in parts[1:]:
                        self._send_msg(chat, {"msgtype": "markdown", "markdown": {"content": part}})
                    self._send_images(chat, images)
                    return
        for part in split_bytes(text, STREAM_LIMIT):
            self._send_msg(chat, {"msgtype": "markdown", "markdown": {"content": part}})
        if reply.buttons:
            self._send_msg(
                chat, {"msgtype": "template_card", "template_card": template_card(reply, f"xb{item.id}")}
            )
        self._send_images(chat, images)

    def _answered(self, rid: str, cmd: str, body: dict) -> bool:
        answer = self._respond(rid, cmd, body)
        if answer.get("errcode", 0) == 0:
            return True
        log.warning(
            "%s refused (%s %s); sending as a new message",
            cmd,
            answer.get("errcode"),
            answer.get("errmsg", ""),
        )
        return False

    def _answer_stream(self, rid: str, content: str, reply: Reply, task_id: str) -> bool:
        lock = self._req_locks.setdefault(rid, threading.Lock())
        with lock:
            stream = {"id": self._stream_id(rid), "finish": True, "content": content}
            body = {"msgtype": "stream", "stream": stream}
            if reply.buttons:
                body = {
                    "msgtype": "stream_with_template_card",
                    "stream": stream,
                    "template_card": template_card(reply, task_id),
                }
            answer = self._request("aibot_respond_msg", body, rid)
            if answer.get("errcode", 0) == 0:
                self._streams[rid] = self._streams.get(rid, 0) + 1
                self._forget_old()
                return True
        log.warning("aibot_respond_msg refused (%s); sending as a new message", answer.get("errcode"))
        return False

    def _forget_old(self, keep: int = 2000) -> None:
        """Per-callback state lives as long as a req_id is answerable; keep only the newest."""
        for table in (self._streams, self._req_locks):
            while len(table) > keep:
                table.pop(next(iter(table)))

    def _send_msg(self, chat: str, body: dict) -> None:
        answer = self._request("aibot_send_msg", {"chatid": chat, **body})
        code = answer.get("errcode", 0)
        if code == 45009:
            raise DeliveryError("45009 rate limited", retry_after=30, rate_limited=True)
        if code:
            raise DeliveryError(f"{code} {answer.get('errmsg', '')}")

    def _send_images(self, chat: str, paths: list[str]) -> None:
        for path in paths:
            self._send_msg(chat, {"msgtype": "image", "image": {"media_id": self.upload_image(path)}})

    def push_scope(self) -> PushScope:
        # The AI bot's chats are recorded without a tenant (its callbacks carry none).
        return PushScope(platform="wecom", tenant="")

    def has_connection(self) -> bool:
        return True

    def status(self) -> dict:
        return {
            "on": True,
            "mode": "long-connection",
            "connected": self.connected.is_set(),
            "healthy": self.connected.is_set() and not self.kicked,
            "error": self.kicked or self.error,
            "connections": self.connections,
        }


class SubscribeError(Exception):
    pass
