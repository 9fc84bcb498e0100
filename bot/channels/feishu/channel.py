"""Feishu self-built app: events by long connection (default) or HTTP, replies as cards.

- Long connection (``FEISHU_MODE=ws``): our own client of Feishu's WebSocket protocol
  (:mod:`bot.channels.feishu.longconn`). Each event or card callback is recorded (the same
  normaliser as the HTTP path) and acked at once; a card press gets its toast in the ack.
- HTTP events (``FEISHU_MODE=webhook``, ``POST /feishu/events``): url_verification, decryption,
  the signature over the raw body in constant time, a freshness window, the verification token.
- Replies answer the triggering message; a button press updates the pressed card with the
  outcome; pushes go to the chat. Every send carries a ``uuid`` derived from the outbox row.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime

from flask import Blueprint, Response, jsonify, request

from bot.channels import leases
from bot.channels.base import Channel, DeliveryError, FileUnavailable, OutboxItem
from bot.channels.feishu.api import FeishuApi
from bot.channels.feishu.crypto import FeishuCryptoError, decrypt, signature_ok
from bot.channels.feishu.longconn import LongConnection
from bot.channels.feishu.render import cards, outcome_card
from bot.models import Message, Person
from bot.push_route import PushScope
from storage.db import dialect

log = logging.getLogger(__name__)
PLATFORM = "feishu"
FRESHNESS = 300  # seconds either side of the request timestamp


def _post_text(content: dict) -> str:
    """Flatten a rich-text (post) message's content to text; @ tags become their keys."""
    body = content
    if "content" not in body:  # {"zh_cn": {...}}
        body = next((v for v in content.values() if isinstance(v, dict) and "content" in v), {})
    parts = [body.get("title", "")]
    for paragraph in body.get("content", []):
        line = []
        for el in paragraph:
            tag = el.get("tag")
            if tag in ("text", "a"):
                line.append(el.get("text", ""))
            elif tag == "at":
                line.append(
                    el.get("user_id", "")
                    if el.get("user_id", "").startswith("@_")
                    else f"@{el.get('user_name', '')}"
                )
        parts.append("".join(line))
    return "\n".join(p for p in parts if p)


def message_from_event(payload: dict, bot_open_id: str | None, channel: str) -> Message | None:
    """An ``im.message.receive_v1`` event as a Message; None for bots' messages and unreadable types."""
    header, event = payload.get("header", {}), payload.get("event", {})
    sender = event.get("sender", {})
    if sender.get("sender_type") != "user":
        return None
    msg = event.get("message", {})
    try:
        content = json.loads(msg.get("content") or "{}")
    except ValueError:
        content = {}
    if msg.get("message_type") == "text":
        text = content.get("text", "")
    elif msg.get("message_type") == "post":
        text = _post_text(content)
    elif msg.get("message_type") == "file" and content.get("file_key"):
        text = "导入"  # a file sent to the bot is an export to import (a dry run first)
    else:
        text = "[非文字消息]"
    addressed = msg.get("chat_type") == "p2p"
    mentions = []
    for m in msg.get("mentions") or []:
        open_id = (m.get("id") or {}).get("open_id", "")
        key = m.get("key", "")
        if (
            bot_open_id
            and open_id == bot_open_id
            or (not bot_open_id and m.get("name") in ("小编", "xiaobian"))
        ):
            text = text.replace(key, " ")
            addressed = True
        else:
            text = text.replace(key, f"@{m.get('name', '')}")
            mentions.append(Person(open_id, m.get("name", "")))
    if not bot_open_id and not addressed and msg.get("chat_type") == "group":
        addressed = bool(
            msg.get("mentions")
        )  # without the bot's id, Feishu only sends @ messages to it anyway
    open_id = sender.get("sender_id", {}).get("open_id", "")
    return Message(
        platform=PLATFORM,
        tenant=header.get("tenant_key", ""),
        chat_id=msg.get("chat_id", ""),
        chat_type="group" if msg.get("chat_type") == "group" else "single",
        sender=Person(open_id, ""),
        text=re.sub(r"\s+", " ", text).strip(),
        message_id=msg.get("message_id", header.get("event_id", "")),
        time=datetime.now(UTC),
        channel=channel,
        mentions=mentions,
        addressed=addressed,
        reply_context={"message_id": msg.get("message_id", "")},
        kind="file" if msg.get("message_type") == "file" and content.get("file_key") else "text",
        files=[{"key": content["file_key"], "name": content.get("file_name", "")}]
        if msg.get("message_type") == "file" and content.get("file_key")
        else [],
    )


def action_from_event(payload: dict, channel: str) -> Message | None:
    """A ``card.action.trigger`` (a button press) as the command it carries."""
    header, event = payload.get("header", {}), payload.get("event", {})
    value = (event.get("action") or {}).get("value") or {}
    command = value.get("command") if isinstance(value, dict) else None
    if not command:
        return None
    context = event.get("context", {})
    operator = (event.get("operator") or {}).get("open_id", "")
    return Message(
        platform=PLATFORM,
        tenant=header.get("tenant_key", "") or event.get("operator", {}).get("tenant_key", ""),
        chat_id=context.get("open_chat_id", ""),
        chat_type="group",
        sender=Person(operator, ""),
        text=str(command),
        message_id=f"card:{header.get('event_id') or event.get('token', '')}",
        time=datetime.now(UTC),
        channel=channel,
        kind="action",
        reply_context={"card_message_id": context.get("open_message_id", "")},
    )


FILE_LIMIT = 5 * 1024 * 1024  # an export bigger than this is not a day-by-day metrics file


class FeishuChannel(Channel):
    name = "feishu"
    platform = PLATFORM

    def fetch_file(self, message: Message, file: dict) -> bytes:
        try:
            return self.api.download_resource(message.message_id, file["key"], limit=FILE_LIMIT)
        except DeliveryError as exc:
            reason = "文件超过 5 MB" if "too large" in str(exc) else "飞书没有给出文件"
            raise FileUnavailable(
                f"{reason}（{exc}）。请重新发送，或用 xiaobian import-metrics 导入。"
            ) from None

    def __init__(self, config):
        self.config = config
        self.mode = config.get("FEISHU_MODE", "ws") or "ws"
        self.app_id = config.get("FEISHU_APP_ID")
        self.verification_token = config.get("FEISHU_VERIFICATION_TOKEN")
        self.encrypt_key = config.get("FEISHU_ENCRYPT_KEY")
        self._api: FeishuApi | None = None
        self.holder = leases.holder_id()
        self.long_conn: LongConnection | None = None
        self._renew: threading.Event | None = None

    def bind(self, bot) -> None:
        super().bind(bot)
        self._api = FeishuApi(self.config, lambda: bot.db, bot.now)

    @property
    def api(self) -> FeishuApi:
        """The Open API client (there once the channel is added to a bot)."""
        if self._api is None:
            raise RuntimeError("the Feishu channel is not bound to a bot yet")
        return self._api

    # -- events (both modes) ---------------------------------------------------------------------
    def on_event(self, payload: dict) -> dict:
        """Record one event; return what Feishu should get back (a toast for a button press)."""
        event_type = payload.get("header", {}).get("event_type", "")
        if event_type == "im.message.receive_v1":
            bot_open_id = self.api.cached_bot_open_id()  # never a network call while Feishu waits for the ack
            if bot_open_id is None:
                self.api.refresh_bot_open_id_later()
            message = message_from_event(payload, bot_open_id, self.name)
            if message is not None and message.message_id:
                self.bot.receive(message)
            return {}
        if event_type == "card.action.trigger":
            message = action_from_event(payload, self.name)
            if message is None:
                return {"toast": {"type": "warning", "content": "这个按钮没有可执行的命令"}}
            self.bot.receive(message)
            return {"toast": {"type": "info", "content": f"小编收到：{message.text}"}}
        return {}

    # -- HTTP events ------------------------------------------------------------------------------
    def blueprint(self):
        if self.mode != "webhook":
            return None
        bp = Blueprint("feishu", __name__)

        @bp.post("/feishu/events")
        def events():
            raw = request.get_data(cache=False)
            try:
                outer = json.loads(raw)
                if not isinstance(outer, dict):
                    raise ValueError("not an object")
            except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested beyond reason
                return Response("bad request", status=400)
            signed = request.headers.get("X-Lark-Signature")
            if self.encrypt_key:
                if signed:
                    ts = request.headers.get("X-Lark-Request-Timestamp", "")
                    nonce = request.headers.get("X-Lark-Request-Nonce", "")
                    fresh = (
                        ts.isascii()
                        and ts.isdigit()
                        and len(ts) <= 12
                        and abs(time.time() - int(ts)) <= FRESHNESS
                    )
                    if not fresh:
                        log.warning("feishu event refused: stale or missing timestamp")
                        return Response("forbidden", status=403)
                    if not signature_ok(signed, ts, nonce, self.encrypt_key, raw):
                        log.warning("feishu event refused: bad signature")
                        return Response("forbidden", status=403)
                if "encrypt" in outer:
                    try:
                        payload = json.loads(decrypt(outer["encrypt"], self.encrypt_key))
                    except (FeishuCryptoError, ValueError, TypeError, RecursionError):
                        log.warning("feishu event refused: cannot decrypt")
                        return Response("bad request", status=400)
                else:
                    payload = outer
                is_challenge = payload.get("type") == "url_verification"
                if not signed and not is_challenge:
                    log.warning("feishu event refused: unsigned event")
                    return Response("forbidden", status=403)
            else:
                payload = outer
            if not isinstance(payload, dict):
                return Response("bad request", status=400)
            if payload.get("type") == "url_verification":
                if payload.get("token") != self.verification_token:
                    return Response("forbidden", status=403)
                return jsonify({"challenge": payload.get("challenge", "")})
            header = payload.get("header")
            if payload.get("schema") != "2.0" or not isinstance(header, dict):
                return Response("bad request", status=400)
            if header.get("token") != self.verification_token:
                log.warning("feishu event refused: wrong verification token")
                return Response("forbidden", status=403)
            answer = json.dumps(self.on_event(payload), ensure_ascii=False)
            return Response(answer, mimetype="application/json")

        return bp

    # -- long connection ---------------------------------------------------------------------------
    def start(self, bot) -> None:
        self.api.bot_open_id()
        if self.mode != "ws":
            return
        # Feishu hands each event to one of the app's open connections. On SQLite a second copy
        # (a laptop with its own file) would silently take some of them: one holder. On PostgreSQL
        # every instance records into the one shared inbox, so each machine keeps a connection.
        leased = dialect(bot.db) != "postgresql"
        if leased:
            leases.acquire(bot.db, f"feishu_ws:{self.app_id}", self.holder, bot.now())
        self.long_conn = LongConnection(
            self.api.base, self.app_id, self.config.get("FEISHU_APP_SECRET"), self.on_long_conn_payload
        )
        self.long_conn.start()
        if leased:
            self._renew = renew = threading.Event()
            threading.Thread(
                target=self._keep_lease, args=(renew,), name="xiaobian-feishu-lease", daemon=True
            ).start()

    def on_long_conn_payload(self, kind: str, payload: dict) -> dict | None:
        """One event or card callback from the long connection: record it; a card gets its toast."""
        if kind == "card" and "header" not in payload:
            payload = {"schema": "2.0", "header": {"event_type": "card.action.trigger"}, "event": payload}
        return self.on_event(payload) or None

    def _keep_lease(self, renew: threading.Event) -> None:
        while not renew.wait(leases.LEASE_SECONDS / 3):
            try:
                leases.acquire(self.bot.db, f"feishu_ws:{self.app_id}", self.holder, self.bot.now())
            except Exception:
                log.exception("feishu long connection lease not renewed")

    def stop(self) -> None:
        if self.long_conn is not None:
            self.long_conn.stop()
        if self._renew is not None:
            self._renew.set()
            leases.release(self.bot.db, f"feishu_ws:{self.app_id}", self.holder, self.bot.now())

    # -- delivery ----------------------------------------------------------------------------------
    def deliver(self, item: OutboxItem) -> None:
        context = item.target.get("context", {})
        chat_id = item.target["chat_id"]
        if item.kind == "reply" and context.get("card_message_id"):
            if item.reply.tone in ("ok", "info"):
                self.api.update_card(context["card_message_id"], outcome_card(item.reply))
                return
            # a refusal or an error: answer beside the card and leave its buttons for someone who may press them
            context = {"message_id": context["card_message_id"]}
        sendable = item.reply.images()
        images = [self.api.upload_image(a.path) for a in sendable]
        reply = item.reply
        lost = [a for a in reply.attachments if a.media_type.startswith("image/") and a not in sendable]
        if lost:  # a chart whose file is gone: say so rather than drop it quietly
            missing = "、".join(a.name or "图表" for a in lost)
            reply = replace(
                reply, note=" ".join(x for x in (reply.note, f"（{missing} 没能附上：图片文件已不在）") if x)
            )
        for i, c in enumerate(cards(reply, images=images)):
            uuid = f"xb{item.id}p{i}"
            if item.kind == "reply" and context.get("message_id"):
                try:
                    self.api.reply_card(chat_id, context["message_id"], c, uuid)
                    continue
                except DeliveryError as exc:
                    if exc.retryable:
                        raise
                    log.warning("feishu reply refused (%s); sending to the chat instead", exc)
            self.api.send_card(chat_id, c, uuid)

    def push_scope(self) -> PushScope:
        return PushScope(platform=PLATFORM)

    def prepare_web(self) -> None:
        if self.mode == "webhook":
            self.api.refresh_bot_open_id_later()

    def has_connection(self) -> bool:
        return self.mode == "ws"

    def status(self) -> dict:
        if self.mode == "ws" and self.long_conn is not None:
            return {"on": True, "mode": "long-connection", **self.long_conn.status()}
        return {"on": True, "mode": self.mode}
