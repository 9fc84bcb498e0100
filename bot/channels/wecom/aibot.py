"""WeCom AI bot (智能机器人), webhook mode: ``GET/POST /wecom/bot``.

A message is verified, decrypted, recorded in the inbox and answered at once with an
encrypted stream reply. If the handler finishes within ``fast_wait`` the answer is complete
(``finish: true``); otherwise WeCom polls with stream-refresh callbacks and each poll returns
what is ready. The reply rows in the outbox are "delivered" by being shown in the stream; if
WeCom stops polling, the worker falls back to one POST to the message's ``response_url``.
Re-deliveries of a message find it in the inbox and get the same stream, never a second reply.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import re
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

from flask import Blueprint, Response, request

from bot.channels.base import Channel, DeliveryDeferred, DeliveryError, FileUnavailable, OutboxItem
from bot.channels.wecom.crypto import CryptoError, WeComCrypto, decrypt_media, media_key, verify_url_response
from bot.channels.wecom.render import markdown
from bot.channels.wecom.webhook import post_checked
from bot.models import Message, Person, Reply
from storage import inbox, kv, outbox

log = logging.getLogger(__name__)
PLATFORM = "wecom"
STREAM_WINDOW = 330  # seconds WeCom keeps polling a stream (6 minutes, with margin)
STREAM_LIMIT = 20_000  # bytes of markdown in one stream answer
_MENTION = re.compile(r"@(\S+)")


def stream_id(msgid: str) -> str:
    return f"xb-{msgid}"[:64]


def normalise(body: dict, channel: str, now: datetime) -> Message | None:
    """An AI bot callback body as a Message (text, mixed or a button event); None for other types."""
    msgtype = body.get("msgtype")
    sender = body.get("from", {}).get("userid", "")
    chattype = "group" if body.get("chattype") == "group" else "single"
    chat_id = body.get("chatid") or f"single:{sender}"
    if msgtype == "text":
        text = body.get("text", {}).get("content", "")
    elif msgtype == "mixed":
        items = body.get("mixed", {}).get("msg_item", [])
        text = " ".join(i.get("text", {}).get("content", "") for i in items if i.get("msgtype") == "text")
    elif msgtype == "voice":
        text = body.get("voice", {}).get("content", "")
    elif msgtype == "file" and body.get("file", {}).get("url"):
        text = "导入"  # an export to import: a dry run first
    else:
        return None
    if chattype == "group":
        text = re.sub(r"^\s*@\S+\s*", "", text, count=1)  # the bot's own @mention opens a group message
    mentions = [Person(name, name) for name in _MENTION.findall(text)]
    msgid = str(body.get("msgid") or f"{sender}:{body.get('create_time', '')}")
    return Message(
        platform=PLATFORM,
        tenant="",
        chat_id=chat_id,
        chat_type=chattype,
        sender=Person(sender, sender),
        text=text.strip(),
        message_id=msgid,
        time=now,
        channel=channel,
        mentions=mentions,
        addressed=True,
        reply_context={"stream_id": stream_id(msgid), "response_url": body.get("response_url", "")},
        kind="file" if msgtype == "file" else "text",
        files=[
            {
                "key": body["file"]["url"],
                "name": body["file"].get("filename") or body["file"].get("name") or "文件",
                "aeskey": body["file"].get("aeskey", ""),
            }
        ]
        if msgtype == "file"
        else [],
    )


IMAGE_LIMIT = 2 * 1024 * 1024  # one image in a stream's msg_item
FILE_LIMIT = 5 * 1024 * 1024  # an export bigger than this is not a day-by-day metrics file


def fetch_media(file: dict, fallback_key: bytes | None) -> bytes:
    """Download a file the AI bot was sent and decrypt it (its own aeskey, else the callback key)."""
    try:
        key = media_key(file["aeskey"]) if file.get("aeskey") else fallback_key
        if key is None:
            raise FileUnavailable("文件没有带解密密钥，请重新发送。")
        with urllib.request.urlopen(file["key"], timeout=20) as resp:
            data = resp.read(FILE_LIMIT + 1)
    except FileUnavailable:
        raise
    except (CryptoError, OSError, ValueError) as exc:
        raise FileUnavailable(f"文件没有取到（{type(exc).__name__}），链接可能已过期，请重新发送。") from None
    if len(data) > FILE_LIMIT:
        raise FileUnavailable("文件超过 5 MB，请只导出需要的日期范围。")
    try:
        return decrypt_media(data, key)
    except CryptoError:
        raise FileUnavailable("文件解不开（密钥不对或文件不完整），请重新发送。") from None


class WeComBotChannel(Channel):
    name = "wecom_bot"
    platform = PLATFORM

    def __init__(self, config, *, fast_wait: float = 0.4, http_post=None):
        self.crypto = WeComCrypto(config.get("WECOM_BOT_TOKEN"), config.get("WECOM_BOT_AES_KEY"), "")
        self.fast_wait = fast_wait
        self._post = http_post or post_checked

    def fetch_file(self, message: Message, file: dict) -> bytes:
        return fetch_media(file, self.crypto.key)

    # -- the request path --------------------------------------------------------------------
    def blueprint(self):
        bp = Blueprint("wecom_bot", __name__)

        @bp.get("/wecom/bot")
        def verify():
            return verify_url_response(self.crypto, request.args, "wecom bot", log)

        @bp.post("/wecom/bot")
        def callback():
            args = request.args
            try:
                payload = json.loads(request.get_data(cache=False) or b"null")
                encrypt = payload["encrypt"]
                if not isinstance(encrypt, str):
                    raise TypeError("encrypt")
                body = json.loads(
                    self.crypto.open(
                        args.get("msg_signature", ""),
                        args.get("timestamp", ""),
                        args.get("nonce", ""),
                        encrypt,
                    )
                )
                if not isinstance(body, dict):
                    raise TypeError("body")
            except CryptoError as exc:
                log.warning("wecom bot callback refused: %s", exc)
                return Response("forbidden", status=403 if exc.forbidden else 400)
            except (ValueError, KeyError, TypeError, RecursionError) as exc:
                log.warning("wecom bot callback malformed: %s", type(exc).__name__)
                return Response("bad request", status=400)
            return self._answer(body, args.get("nonce", ""), args.get("timestamp", ""))

        return bp

    def _reply(self, obj: dict, nonce: str, timestamp: str) -> Response:
        sealed = self.crypto.seal_json(obj, nonce=nonce or None, timestamp=timestamp or None)
        return Response(json.dumps(sealed), mimetype="application/json")

    def _answer(self, body: dict, nonce: str, timestamp: str) -> Response:
        if body.get("msgtype") == "stream":
            return self._reply(self.stream(body.get("stream", {}).get("id", "")), nonce, timestamp)
        if body.get("msgtype") == "event":
            return Response("", status=200)  # enter_chat and others: nothing to record
        message = normalise(body, self.name, datetime.now(UTC))
        if message is None:
            text = "小编目前只读文字消息，请把要求用文字发给我。"
            sid = stream_id(str(body.get("msgid", "x")))
            return self._reply(
                {"msgtype": "stream", "stream": {"id": sid, "finish": True, "content": text}},
                nonce,
                timestamp,
            )
        self.bot.receive(message)
        sid = message.reply_context["stream_id"]
        deadline = time.monotonic() + self.fast_wait
        _, finish = self.stream_content(sid, mark=False)
        while not finish and time.monotonic() < deadline:
            time.sleep(0.02)
            _, finish = self.stream_content(sid, mark=False)
        return self._reply(self.stream(sid), nonce, timestamp)

    def stream(self, sid: str) -> dict:
        """The stream reply for ``sid``: its text, and once complete its charts as ``msg_item`` images."""
        content, finish = self.stream_content(sid)
        stream = {"id": sid, "finish": finish, "content": content}
        if finish:
            images = self._images(sid)
            if images:
                stream["msg_item"] = images
        return {"msgtype": "stream", "stream": stream}

    def _images(self, sid: str) -> list[dict]:
        row = inbox.find(self.bot.db, PLATFORM, sid[3:]) if sid.startswith("xb-") else None
        if row is None:
            return []
        items = []
        for r in outbox.for_inbox(self.bot.db, row["id"]):
            for a in Reply.from_dict(json.loads(r["reply"])).images(limit=IMAGE_LIMIT):
                raw = Path(a.path).read_bytes()
                items.append(
                    {
                        "msgtype": "image",
                        "image": {
                            "base64": base64.b64encode(raw).decode(),
                            "md5": hashlib.md5(raw).hexdigest(),
                        },
                    }
                )
        return items[:10]

    def stream_content(self, sid: str, *, mark: bool = True) -> tuple[str, bool]:
        """What a stream shows now, and whether it is complete. Marks the stream closed when complete."""
        db = self.bot.db
        if not sid.startswith("xb-"):
            return "", True
        row = inbox.find(db, PLATFORM, sid[3:])
        if row is None:
            return "", True
        done = row["status"] in ("done", "ignored", "failed")
        rows = outbox.for_inbox(db, row["id"])
        content = "\n\n---\n\n".join(
            markdown(Reply.from_dict(json.loads(r["reply"])), with_attachments=False) for r in rows
        )
        if len(content.encode("utf-8")) > STREAM_LIMIT:
            content = (
                content.encode("utf-8")[: STREAM_LIMIT - 60].decode("utf-8", "ignore")
                + "\n\n（内容较长，已截断）"
            )
        if done and mark:
            kv.put(db, f"wecom_stream:{row['id']}", "closed", expires_at=self.bot.now() + timedelta(days=1))
        return content or "小编正在处理…", done

    # -- delivery ------------------------------------------------------------------------------
    def deliver(self, item: OutboxItem) -> None:
        db = self.bot.db
        state = kv.get(db, f"wecom_stream:{item.inbox_id}", now=self.bot.now())
        if state in ("closed", "fallback"):
            return  # shown in the stream (or already sent through response_url)
        age = (self.bot.now() - datetime.fromisoformat(item.created_at)).total_seconds()
        if age < STREAM_WINDOW:
            raise DeliveryDeferred("waiting for WeCom to pull the stream", retry_after=3)
        url = item.target.get("context", {}).get("response_url")
        if not url:
            raise DeliveryError("stream expired and the message had no response_url", retryable=False)
        if item.inbox_id is None:
            raise DeliveryError(
                "a stream answer belongs to a message, and this row has none", retryable=False
            )
        rows = outbox.for_inbox(db, item.inbox_id)
        content = "\n\n---\n\n".join(markdown(Reply.from_dict(json.loads(r["reply"]))) for r in rows)
        self._post(url, {"msgtype": "markdown", "markdown": {"content": content}})
        kv.put(db, f"wecom_stream:{item.inbox_id}", "fallback", expires_at=self.bot.now() + timedelta(days=1))

    def status(self) -> dict:
        return {"on": True, "mode": "webhook"}
