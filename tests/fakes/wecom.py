"""A local fake of WeCom, on loopback, behaving as documented.

- API (``/cgi-bin/gettoken``, ``/cgi-bin/message/send``): tokens that can be revoked (42001),
  rate limits (45009), app messages beyond 30 a minute to one member dropped silently (errcode 0),
  the trusted-IP refusal (60020);
- group robot webhook (``/cgi-bin/webhook/send?key=``), 20 messages a minute;
- ``response_url`` endpoints;
- a callback driver that encrypts, signs and POSTs like WeCom, re-delivers, and polls streams;
- a WebSocket server for the AI bot long connection (subscribe, ping, callbacks, respond, send).
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlencode, urlparse

from bot.channels.wecom.crypto import WeComCrypto, signature
from tests.fakes.base import JsonHandler, base_url, serve, stop

TOKEN, AES_KEY, CORP = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"


class FakeWeCom:
    def __init__(self, corp_id=CORP, secret="app-secret", bot_id="bot-1", bot_secret="bot-secret"):
        self.corp_id, self.secret = corp_id, secret
        self.bot_id, self.bot_secret = bot_id, bot_secret
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.sent: list[dict] = []  # message/send payloads accepted
        self.robot: list[dict] = []  # group robot payloads accepted
        self.responses: list[dict] = []  # response_url posts
        self.fail_next: list[int] = []  # errcodes to answer the next message/send calls with
        self.robot_times: list[float] = []
        # WeCom drops app messages beyond 30 a minute to one member without an error: (count, seconds)
        self.member_limit = (30, 60.0)
        self.member_times: dict[str, list[float]] = {}
        self.dropped: list[dict] = []  # accepted with errcode 0, never shown to the member
        self.media: dict[str, bytes] = {}  # media_id → bytes, for media/get
        self.uploads: dict[str, bytes] = {}  # media_id → the multipart body media/upload got
        # id → AES-encrypted bytes, as the AI bot's file urls serve them
        self.aibot_media: dict[str, bytes] = {}
        self.lock = threading.Lock()
        fake = self

        class Handler(JsonHandler):
            def do_GET(self):
                url = urlparse(self.path)
                q = parse_qs(url.query)
                if url.path == "/cgi-bin/gettoken":
                    if q.get("corpid") != [fake.corp_id] or q.get("corpsecret") != [fake.secret]:
                        return self.reply({"errcode": 40001, "errmsg": "invalid credential"})
                    with fake.lock:
                        fake.token_requests += 1
                        token = f"tok-{fake.token_requests}"
                        fake.tokens.add(token)
                    return self.reply({"errcode": 0, "access_token": token, "expires_in": 7200})
                if url.path.startswith("/aibot-media/"):  # a file the AI bot was sent: encrypted bytes
                    data = fake.aibot_media.get(url.path.rsplit("/", 1)[-1])
                    if data is None:
                        return self.reply({"errcode": 404}, 404)
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.end_headers()
                    self.wfile.write(data)
                    return None
                # a file a person sent the app: raw bytes, or JSON on error
                if url.path == "/cgi-bin/media/get":
                    if q.get("access_token", [""])[0] not in fake.tokens:
                        return self.reply({"errcode": 42001, "errmsg": "access_token expired"})
                    data = fake.media.get(q.get("media_id", [""])[0])
                    if data is None:
                        return self.reply({"errcode": 40007, "errmsg": "invalid media_id"})
                    self.send_response(200)
                    self.send_header("Content-Type", "application/octet-stream")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                    return None
                self.reply({"errcode": 404})

            def do_POST(self):
                url = urlparse(self.path)
                q = parse_qs(url.query)
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if url.path == "/cgi-bin/media/upload":  # multipart with a "media" part
                    if q.get("access_token", [""])[0] not in fake.tokens:
                        return self.reply({"errcode": 42001, "errmsg": "access_token expired"})
                    if q.get("type") != ["image"] or b'name="media"' not in raw or b"\x89PNG" not in raw:
                        return self.reply({"errcode": 40004, "errmsg": "invalid media type"})
                    with fake.lock:
                        media_id = f"img-{len(fake.uploads) + 1}"
                        fake.uploads[media_id] = raw
                    return self.reply({"errcode": 0, "type": "image", "media_id": media_id})
                body = json.loads(raw or b"{}")
                if url.path == "/cgi-bin/message/send":
                    if q.get("access_token", [""])[0] not in fake.tokens:
                        return self.reply({"errcode": 42001, "errmsg": "access_token expired"})
                    with fake.lock:
                        code = fake.fail_next.pop(0) if fake.fail_next else 0
                    if code:
                        return self.reply({"errcode": code, "errmsg": "fake error"})
                    content = json.dumps(body, ensure_ascii=False)
                    if body.get("msgtype") == "markdown" and len(body["markdown"]["content"].encode()) > 2048:
                        return self.reply({"errcode": 40058, "errmsg": "content exceeds 2048 bytes"})
                    now = time.monotonic()
                    count, window = fake.member_limit
                    with fake.lock:
                        times = fake.member_times.setdefault(body.get("touser", ""), [])
                        times[:] = [t for t in times if now - t < window]
                        if len(times) >= count:
                            fake.dropped.append(json.loads(content))  # silently: errcode 0
                        else:
                            times.append(now)
                            fake.sent.append(json.loads(content))
                    return self.reply({"errcode": 0, "errmsg": "ok", "msgid": secrets.token_hex(4)})
                if url.path == "/cgi-bin/webhook/send":
                    if q.get("key", [""])[0] != "robot-key-123456789":
                        return self.reply({"errcode": 93000, "errmsg": "invalid webhook url"})
                    if (
                        body.get("msgtype") == "image"
                    ):  # base64 of the raw bytes, md5 of the raw bytes, ≤ 2 MB
                        import base64
                        import hashlib

                        raw = base64.b64decode(body["image"]["base64"])
                        if len(raw) > 2 * 1024 * 1024:
                            return self.reply({"errcode": 40009, "errmsg": "invalid image size"})
                        if hashlib.md5(raw).hexdigest() != body["image"]["md5"]:
                            return self.reply({"errcode": 40008, "errmsg": "invalid md5"})
                    now = time.monotonic()
                    with fake.lock:
                        fake.robot_times = [t for t in fake.robot_times if now - t < 60]
                        if len(fake.robot_times) >= 20:
                            return self.reply({"errcode": 45009, "errmsg": "api freq out of limit"})
                        fake.robot_times.append(now)
                        fake.robot.append(body)
                    return self.reply({"errcode": 0, "errmsg": "ok"})
                if url.path.startswith("/response/"):
                    with fake.lock:
                        fake.responses.append({"id": url.path.rsplit("/", 1)[-1], **body})
                    return self.reply({"errcode": 0})
                self.reply({"errcode": 404})

        self.http = serve(Handler)
        self.ws = None

    @property
    def api(self) -> str:
        return f"{base_url(self.http)}"

    def robot_url(self, key="robot-key-123456789") -> str:
        return f"{self.api}/cgi-bin/webhook/send?key={key}"

    def revoke_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    # -- callbacks -------------------------------------------------------------------------------
    def _signed(self, crypto: WeComCrypto, plaintext: str) -> tuple[dict, str]:
        timestamp, nonce = str(int(time.time())), secrets.token_hex(5)
        encrypt = crypto.seal(plaintext)
        params = {
            "msg_signature": signature(crypto.token, timestamp, nonce, encrypt),
            "timestamp": timestamp,
            "nonce": nonce,
        }
        return params, encrypt

    @staticmethod
    def _post(url: str, data: bytes, content_type: str) -> tuple[int, bytes]:
        req = urllib.request.Request(url, data=data, headers={"Content-Type": content_type}, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def bot_callback(self, base: str, body: dict, *, token=TOKEN, key=AES_KEY) -> tuple[int, dict | None]:
        """POST an AI bot callback as WeCom does; return the status and the decrypted passive reply."""
        crypto = WeComCrypto(token, key, "")
        params, encrypt = self._signed(crypto, json.dumps(body, ensure_ascii=False))
        status, raw = self._post(
            f"{base}/wecom/bot?{urlencode(params)}",
            json.dumps({"encrypt": encrypt}).encode(),
            "application/json",
        )
        if status != 200 or not raw:
            return status, None
        sealed = json.loads(raw)
        plain = WeComCrypto(TOKEN, AES_KEY, "").open(
            sealed["msgsignature"], str(sealed["timestamp"]), sealed["nonce"], sealed["encrypt"]
        )
        return status, json.loads(plain)

    def bot_message(
        self,
        text: str,
        *,
        msgid: str,
        chatid="chat-1",
        user="zhangsan",
        chattype="group",
        response_url: str | None = None,
    ) -> dict:
        body = {
            "msgid": msgid,
            "aibotid": self.bot_id,
            "chattype": chattype,
            "from": {"userid": user},
            "response_url": response_url or f"{self.api}/response/{msgid}",
            "msgtype": "text",
            "text": {"content": text},
        }
        if chattype == "group":
            body["chatid"] = chatid
        return body

    def finished(self, base: str, answer: dict) -> dict:
        """The answer once its stream is finished, as a member's client shows it: the callback's own
        when the bot answered within its fast wait, else the last of the stream refreshes (a slow
        handler, a busy machine: WeCom keeps pulling, and so does this)."""
        if answer["stream"]["finish"]:
            return answer
        return self.poll_stream(base, answer["stream"]["id"], tries=300)[-1]

    def poll_stream(
        self, base: str, stream_id: str, *, tries: int = 100, interval: float = 0.05
    ) -> list[dict]:
        """Stream-refresh callbacks until ``finish``; return every answer."""
        answers = []
        for i in range(tries):
            _, answer = self.bot_callback(
                base, {"msgid": f"refresh-{stream_id}-{i}", "msgtype": "stream", "stream": {"id": stream_id}}
            )
            answers.append(answer)
            if answer["stream"]["finish"]:
                break
            time.sleep(interval)
        return answers

    def app_callback(self, base: str, inner: dict, *, token=TOKEN, key=AES_KEY, corp=CORP) -> int:
        import xmltodict

        crypto = WeComCrypto(token, key, corp)
        params, encrypt = self._signed(crypto, xmltodict.unparse({"xml": inner}))
        outer = xmltodict.unparse({"xml": {"ToUserName": corp, "Encrypt": encrypt, "AgentID": "1000002"}})
        status, _ = self._post(f"{base}/wecom/app?{urlencode(params)}", outer.encode(), "text/xml")
        return status

    # -- long connection ---------------------------------------------------------------------------
    def start_ws(self, **kwargs) -> FakeWeComWs:
        self.ws = FakeWeComWs(self.bot_id, self.bot_secret, **kwargs)
        return self.ws

    def close(self) -> None:
        stop(self.http)
        if self.ws:
            self.ws.close()


class FakeWeComWs:
    """``wss://openws.work.weixin.qq.com`` on loopback (plain ws), as the official SDKs see it.

    Every command is acked with a frame that has no ``cmd``: ``{headers: {req_id}, errcode, errmsg}``
    (plus ``body`` with ``upload_id`` / ``media_id`` for media uploads). A second subscription for
    the same bot kicks the first connection with a ``disconnected_event`` and closes it. Welcome
    messages and card updates later than ``event_window`` seconds after their event are refused,
    ``aibot_send_msg`` with ``msgtype: text`` is refused with 40008, stream content over 20,480
    bytes with 40058 (codes for the stand-in; the real codes for the last two are unconfirmed).
    """

    LATE = 40099  # our stand-in code for "too late to answer this event"

    def __init__(self, bot_id: str, secret: str, *, event_window: float = 5.0):
        from websockets.sync.server import serve as ws_serve

        self.bot_id, self.secret = bot_id, secret
        self.event_window = event_window
        self.frames: list[dict] = []  # frames the bot sent (after subscribe)
        self.subscribe_frames: list[dict] = []
        self.subscribes = 0
        self.connections: list = []
        self.errcodes: dict[str, int] = {}  # cmd -> errcode to answer with
        self.silent = False  # pings go unanswered
        self.pushed_at: dict[str, float] = {}  # req_id of a pushed callback -> when
        self.uploads: dict[str, dict] = {}
        self.media: dict[str, bytes] = {}
        self.lock = threading.Lock()
        self.server = ws_serve(self._handle, "127.0.0.1", 0)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self.server.socket.getsockname()[1]}"

    def _ack(self, conn, frame: dict, errcode: int = 0, body: dict | None = None) -> None:
        answer = {
            "headers": {"req_id": frame.get("headers", {}).get("req_id", "")},
            "errcode": errcode,
            "errmsg": "ok" if errcode == 0 else "error",
        }
        if body is not None:
            answer["body"] = body
        conn.send(json.dumps(answer, ensure_ascii=False))

    def _handle(self, conn) -> None:
        first = json.loads(conn.recv(timeout=10))
        ok = first.get("cmd") == "aibot_subscribe" and first.get("body") == {
            "bot_id": self.bot_id,
            "secret": self.secret,
        }
        self._ack(conn, first, 0 if ok else 40001)
        if not ok:
            return
        with self.lock:
            self.subscribe_frames.append(first)
            self.subscribes += 1
            older, self.connections = self.connections, [conn]
        for old in older:  # one connection per bot: the newest wins
            try:
                old.send(
                    json.dumps(
                        {
                            "cmd": "aibot_event_callback",
                            "headers": {"req_id": secrets.token_hex(6)},
                            "body": {
                                "msgid": secrets.token_hex(6),
                                "aibotid": self.bot_id,
                                "msgtype": "event",
                                "create_time": int(time.time()),
                                "event": {"eventtype": "disconnected_event"},
                            },
                        }
                    )
                )
                old.close()
            except Exception:
                pass
        try:
            for raw in conn:
                frame = json.loads(raw)
                with self.lock:
                    self.frames.append({**frame, "_at": time.monotonic()})
                self._answer(conn, frame)
        except Exception:
            return
        finally:
            with self.lock:
                if conn in self.connections:
                    self.connections.remove(conn)

    def _answer(self, conn, frame: dict) -> None:
        cmd, body = frame.get("cmd"), frame.get("body") or {}
        rid = frame.get("headers", {}).get("req_id", "")
        if cmd == "ping":
            if not self.silent:
                self._ack(conn, frame)
            return
        code = self.errcodes.get(cmd, 0)
        if cmd in ("aibot_respond_welcome_msg", "aibot_respond_update_msg"):
            pushed = self.pushed_at.get(rid)
            if pushed is None or time.monotonic() - pushed > self.event_window:
                code = code or self.LATE
        if cmd == "aibot_send_msg" and body.get("msgtype") == "text":
            code = 40008
        stream = body.get("stream") or {}
        if len(str(stream.get("content", "")).encode()) > 20480:
            code = 40058
        if cmd == "aibot_upload_media_init":
            upload_id = secrets.token_hex(6)
            with self.lock:
                self.uploads[upload_id] = {**body, "chunks": {}}
            return self._ack(conn, frame, code, {"upload_id": upload_id})
        if cmd == "aibot_upload_media_chunk":
            upload = self.uploads.get(body.get("upload_id"))
            if upload is None or not 0 <= body.get("chunk_index", -1) < upload["total_chunks"]:
                return self._ack(conn, frame, 40058)
            upload["chunks"][body["chunk_index"]] = base64.b64decode(body["base64_data"])
            return self._ack(conn, frame, code)
        if cmd == "aibot_upload_media_finish":
            upload = self.uploads.get(body.get("upload_id"))
            data = b"".join(upload["chunks"][i] for i in sorted(upload["chunks"])) if upload else b""
            if (
                upload is None
                or len(data) != upload["total_size"]
                or hashlib.md5(data).hexdigest() != upload["md5"]
            ):
                return self._ack(conn, frame, 40058)
            media_id = f"media-{secrets.token_hex(4)}"
            self.media[media_id] = data
            return self._ack(conn, frame, code, {"media_id": media_id})
        self._ack(conn, frame, code)

    def _push(self, cmd: str, body: dict) -> str:
        rid = f"{cmd}_{secrets.token_hex(6)}"
        with self.lock:
            conns = list(self.connections)
            self.pushed_at[rid] = time.monotonic()
        for conn in conns[-1:]:
            conn.send(json.dumps({"cmd": cmd, "headers": {"req_id": rid}, "body": body}, ensure_ascii=False))
        return rid

    def push_message(self, body: dict) -> str:
        return self._push("aibot_msg_callback", body)

    def push_event(self, eventtype: str, *, user="zhangsan", chatid=None, **event) -> str:
        body = {
            "msgid": secrets.token_hex(8),
            "create_time": int(time.time()),
            "aibotid": self.bot_id,
            "chattype": "group" if chatid else "single",
            "from": {"userid": user},
            "msgtype": "event",
            "event": {"eventtype": eventtype, **({eventtype: event} if event else {})},
        }
        if chatid:
            body["chatid"] = chatid
        return self._push("aibot_event_callback", body)

    def drop(self) -> None:
        with self.lock:
            conns, self.connections = self.connections, []
        for c in conns:
            c.close()

    def sent(self, cmd: str) -> list[dict]:
        with self.lock:
            return [f for f in self.frames if f.get("cmd") == cmd]

    def close(self) -> None:
        self.drop()
        self.server.shutdown()
