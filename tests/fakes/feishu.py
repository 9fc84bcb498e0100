"""A local fake of Feishu: the Open API the bot calls, and an event pusher that signs, encrypts and re-pushes."""

from __future__ import annotations

import json
import os
import re
import secrets
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

from bot.channels.feishu.crypto import custom_bot_sign, encrypt, request_signature
from tests.fakes.base import JsonHandler, base_url, serve, stop

BOT_OPEN_ID = "ou_bot_xiaobian"
# The bot's environment for this fake's app in webhook mode (the fake's own credentials).
WEBHOOK_ENV = {
    "FEISHU_APP_ID": "cli_test",
    "FEISHU_APP_SECRET": "feishu-secret",
    "FEISHU_MODE": "webhook",
    "FEISHU_VERIFICATION_TOKEN": "verify-token",
    "FEISHU_ENCRYPT_KEY": "encrypt-key",
}
CARD_LIMIT = 30 * 1024


class FakeFeishu:
    def __init__(
        self, app_id="cli_test", app_secret="feishu-secret", hook_token="hook-abc", hook_secret="hook-sign"
    ):
        self.app_id, self.app_secret = app_id, app_secret
        self.hook_token, self.hook_secret = hook_token, hook_secret
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.messages: list[dict] = []  # created or replied messages (one per accepted uuid)
        self.updates: list[dict] = []  # PATCHed cards
        self.hook: list[dict] = []
        self.images = 0
        self.uuids: dict[str, dict] = {}
        self.rate_limit_next = 0
        self.chat_times: dict[str, list[float]] = {}
        self.qps_violations = 0  # sends beyond 5 in a second to one chat
        self.app_qps_violations = 0  # sends beyond 50 in a second from the app
        self.app_times: list[float] = []
        self.files: dict[tuple[str, str], bytes] = {}  # (message_id, file_key) → bytes
        self.lock = threading.Lock()
        self.long_conn = None  # a FakeFeishuWs once start_long_conn() is called
        fake = self

        class Handler(JsonHandler):
            def _authorised(self) -> bool:
                token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                return token in fake.tokens

            def do_GET(self):
                if self.path == "/open-apis/bot/v3/info":
                    if not self._authorised():
                        return self.reply({"code": 99991663, "msg": "invalid token"})
                    return self.reply({"code": 0, "bot": {"open_id": BOT_OPEN_ID, "app_name": "小编"}})
                m = re.fullmatch(
                    r"/open-apis/im/v1/messages/([\w-]+)/resources/([\w-]+)\?type=file", self.path
                )
                if m:  # a file sent in a message: the raw bytes, as Feishu serves them
                    if not self._authorised():
                        return self.reply({"code": 99991663, "msg": "invalid token"}, 400)
                    data = fake.files.get((m.group(1), m.group(2)))
                    if data is None:
                        return self.reply({"code": 234003, "msg": "file not found"}, 404)
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return None
                self.reply({"code": 404}, 404)

            def do_PATCH(self):
                body = self._json()
                if not self._authorised():
                    return self.reply({"code": 99991663, "msg": "invalid token"})
                card = json.loads(body["content"])
                with fake.lock:
                    fake.updates.append({"message_id": self.path.rsplit("/", 1)[-1], "card": card})
                self.reply({"code": 0, "data": {}})

            def _json(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                return (
                    json.loads(raw)
                    if raw and self.headers.get("Content-Type", "").startswith("application/json")
                    else raw
                )

            def do_POST(self):
                url = urlparse(self.path)
                body = self._json()
                if url.path == "/callback/ws/endpoint" and fake.long_conn is not None:
                    return self.reply(fake.long_conn.endpoint(body if isinstance(body, dict) else {}))
                if url.path == "/open-apis/auth/v3/tenant_access_token/internal":
                    if body != {"app_id": fake.app_id, "app_secret": fake.app_secret}:
                        return self.reply({"code": 10014, "msg": "app secret invalid"})
                    with fake.lock:
                        fake.token_requests += 1
                        token = f"t-{fake.token_requests}"
                        fake.tokens.add(token)
                    return self.reply({"code": 0, "tenant_access_token": token, "expire": 7200})
                if url.path.startswith("/open-apis/bot/v2/hook/"):
                    if url.path.rsplit("/", 1)[-1] != fake.hook_token:
                        return self.reply(
                            {"code": 19001, "msg": "param invalid: incoming webhook access token invalid"}
                        )
                    ts = int(body.get("timestamp", 0))
                    if fake.hook_secret and (
                        abs(time.time() - ts) > 3600
                        or body.get("sign") != custom_bot_sign(ts, fake.hook_secret)
                    ):
                        return self.reply(
                            {"code": 19021, "msg": "sign match fail or timestamp is not within one hour"}
                        )
                    with fake.lock:
                        fake.hook.append(body)
                    return self.reply({"code": 0, "msg": "success"})
                if not self._authorised():
                    return self.reply({"code": 99991663, "msg": "invalid access token"})
                if url.path == "/open-apis/im/v1/images":
                    with fake.lock:
                        fake.images += 1
                        n = fake.images
                    return self.reply({"code": 0, "data": {"image_key": f"img_{n}"}})
                if url.path == "/open-apis/im/v1/messages" or url.path.endswith("/reply"):
                    with fake.lock:
                        if fake.rate_limit_next:
                            fake.rate_limit_next -= 1
                            return self.reply(
                                {"code": 99991400, "msg": "request trigger frequency limit"},
                                429,
                                {"X-OGW-RateLimit-Reset": "1"},  # header names are case-insensitive
                            )
                        if body.get("uuid") in fake.uuids:
                            return self.reply({"code": 0, "data": fake.uuids[body["uuid"]]})
                    card = json.loads(body["content"])
                    if (
                        len(body["content"].encode()) > CARD_LIMIT
                        or card.get("schema") != "2.0"
                        or "header" not in card
                        or "elements" not in card.get("body", {})
                    ):
                        return self.reply({"code": 230099, "msg": "invalid card"})
                    if url.path.endswith("/reply"):
                        chat = "reply"
                        target = {"reply_to": url.path.split("/")[-2]}
                    else:
                        chat = body["receive_id"]
                        target = {"chat_id": chat}
                    now = time.monotonic()
                    with fake.lock:
                        times = [t for t in fake.chat_times.get(chat, []) if now - t < 1.0] + [now]
                        fake.chat_times[chat] = times
                        if len(times) > 5:
                            fake.qps_violations += 1
                        fake.app_times = [t for t in fake.app_times if now - t < 1.0] + [now]
                        if len(fake.app_times) > 50:
                            fake.app_qps_violations += 1
                        message = {
                            "message_id": f"om_{len(fake.messages) + 1}",
                            **target,
                            "card": card,
                            "uuid": body.get("uuid"),
                            "at": now,  # when it was accepted (a reply's chat is the caller's to know)
                        }
                        fake.messages.append(message)
                        fake.uuids[body.get("uuid")] = {"message_id": message["message_id"]}
                    return self.reply({"code": 0, "data": {"message_id": message["message_id"]}})
                self.reply({"code": 404}, 404)

        self.http = serve(Handler)

    @property
    def api(self) -> str:
        return f"{base_url(self.http)}"

    def hook_url(self) -> str:
        return f"{self.api}/open-apis/bot/v2/hook/{self.hook_token}"

    def invalidate_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def start_long_conn(self, **kwargs):
        """The long-connection server: its endpoint is served here, its WebSocket on a port of its own."""
        from tests.fakes.feishu_ws import FakeFeishuWs

        self.long_conn = FakeFeishuWs(self.app_id, self.app_secret, **kwargs)
        return self.long_conn

    def close(self) -> None:
        stop(self.http)
        if self.long_conn is not None:
            self.long_conn.close()

    # -- events ----------------------------------------------------------------------------------
    @staticmethod
    def message_event(
        text: str,
        *,
        message_id: str,
        chat_id="oc_group1",
        sender="ou_zhang",
        chat_type="group",
        mention_bot=True,
        others=(),
        token="verify-token",
        tenant="tenant-1",
        sender_type="user",
        message_type="text",
        content=None,
    ) -> dict:
        mentions = []
        if mention_bot:
            mentions.append({"key": "@_user_1", "id": {"open_id": BOT_OPEN_ID}, "name": "小编"})
            text = "@_user_1 " + text
        for i, (open_id, name) in enumerate(others, start=2):
            mentions.append({"key": f"@_user_{i}", "id": {"open_id": open_id}, "name": name})
        return {
            "schema": "2.0",
            "header": {
                "event_id": secrets.token_hex(8),
                "event_type": "im.message.receive_v1",
                "create_time": str(int(time.time() * 1000)),
                "token": token,
                "app_id": "cli_test",
                "tenant_key": tenant,
            },
            "event": {
                "sender": {"sender_id": {"open_id": sender}, "sender_type": sender_type},
                "message": {
                    "message_id": message_id,
                    "chat_id": chat_id,
                    "chat_type": chat_type,
                    "message_type": message_type,
                    "content": json.dumps(
                        content if content is not None else {"text": text}, ensure_ascii=False
                    ),
                    "mentions": mentions,
                },
            },
        }

    @staticmethod
    def card_action(
        command: str, *, open_message_id: str, operator="ou_li", chat_id="oc_group1", token="verify-token"
    ) -> dict:
        return {
            "schema": "2.0",
            "header": {
                "event_id": secrets.token_hex(8),
                "event_type": "card.action.trigger",
                "token": token,
                "tenant_key": "tenant-1",
                "app_id": "cli_test",
            },
            "event": {
                "operator": {"open_id": operator},
                "action": {"value": {"command": command}, "tag": "button"},
                "context": {"open_message_id": open_message_id, "open_chat_id": chat_id},
            },
        }

    @staticmethod
    def push(
        base: str,
        payload: dict | bytes,
        *,
        encrypt_key: str | None = "encrypt-key",
        sign: bool = True,
        timestamp: int | None = None,
        forge: bool = False,
        timeout: float = 10,
    ) -> tuple[int, dict | None]:
        """POST an event as Feishu does (encrypted and signed when a key is set)."""
        if isinstance(payload, bytes):
            raw = payload
        elif encrypt_key:
            raw = json.dumps(
                {"encrypt": encrypt(json.dumps(payload, ensure_ascii=False), encrypt_key, os.urandom(16))}
            ).encode()
        else:
            raw = json.dumps(payload, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if encrypt_key and sign:
            ts = str(timestamp if timestamp is not None else int(time.time()))
            nonce = secrets.token_hex(6)
            signature = request_signature(ts, nonce, encrypt_key, raw)
            if forge:
                signature = "0" * 64
            headers.update(
                {"X-Lark-Request-Timestamp": ts, "X-Lark-Request-Nonce": nonce, "X-Lark-Signature": signature}
            )
        req = urllib.request.Request(f"{base}/feishu/events", data=raw, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                data = resp.read()
                return resp.status, (json.loads(data) if data else None)
        except urllib.error.HTTPError as exc:
            return exc.code, None


class EventPusher:
    """Feishu's event delivery: each event POSTed to the webhook from a pool of connections; one that
    gets no 200 within 3 s (refused, reset, timed out, 5xx) is pushed again later, as Feishu re-pushes
    (its 15 s / 5 min / 1 h / 6 h schedule compressed to ``retry_every`` seconds), until ``deadline``."""

    def __init__(
        self,
        base: str,
        events: list[dict],
        *,
        rate: float = 300.0,
        connections: int = 8,
        retry_every: float = 0.3,
        deadline: float = 90.0,
    ):
        import queue

        self.base, self.rate, self.retry_every = base, rate, retry_every
        self.acked: set[str] = set()
        self.attempts = 0
        self.failures = 0
        self.lock = threading.Lock()
        self._queue: queue.Queue = queue.Queue()
        self._deadline = time.monotonic() + deadline
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(connections)]
        self._start = time.monotonic()
        for i, event in enumerate(events):
            self._queue.put((self._start + i / rate, event))
        self._pending = len(events)

    def start(self) -> EventPusher:
        for t in self._threads:
            t.start()
        return self

    def _run(self) -> None:
        import queue

        while time.monotonic() < self._deadline:
            try:
                due, event = self._queue.get(timeout=0.1)
            except queue.Empty:
                if self.done():
                    return
                continue
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
            key = event["event"]["message"]["message_id"]
            try:
                status, _ = FakeFeishu.push(self.base, event, timeout=3)
            except Exception:  # refused, reset, timed out, cut short: not acked
                status = 0
            with self.lock:
                self.attempts += 1
                if status == 200:
                    self.acked.add(key)
                    self._pending -= 1
                    continue
                self.failures += 1
            self._queue.put((time.monotonic() + self.retry_every, event))

    def done(self) -> bool:
        with self.lock:
            return self._pending <= 0

    def join(self, timeout: float) -> None:
        end = time.monotonic() + timeout
        for t in self._threads:
            t.join(max(0.0, end - time.monotonic()))
