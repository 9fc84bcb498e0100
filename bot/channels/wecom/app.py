"""WeCom self-built app (自建应用): 1:1 chats with the app at ``GET/POST /wecom/app``.

Encrypted XML callbacks (WeCom does not deliver group messages to apps); replies and pushes
through ``message/send`` with wechatpy's enterprise client, its token in SQLite, an expired
token refreshed once. A reply with buttons goes as a template card whose button keys are the
commands; pressing one comes back as a ``template_card_event`` and runs that command.
"""

from __future__ import annotations

import json
import logging
import urllib.parse
import urllib.request
from datetime import UTC, datetime

import xmltodict
from flask import Blueprint, Response, request

from bot.channels.base import Channel, DeliveryDeferred, DeliveryError, FileUnavailable, OutboxItem
from bot.channels.pace import Pace
from bot.channels.wecom.crypto import CryptoError, WeComCrypto, verify_url_response
from bot.channels.wecom.render import APP_LIMIT, markdown, split_bytes, template_card
from bot.models import Message, Person
from bot.push_route import PushScope
from bot.wechatpy_support import KVSession, call_once_refreshing, rebased

log = logging.getLogger(__name__)
IMAGE_LIMIT = 2 * 1024 * 1024  # WeCom's limit for an image upload
FILE_LIMIT = 5 * 1024 * 1024  # an export bigger than this is not a day-by-day metrics file
OFFICIAL = "https://qyapi.weixin.qq.com"
# WeCom drops (silently) more than 30 app messages a minute to one member: at most 25 go in any
# minute (5 at once, then one every 3 s), counted across every worker process.
MEMBER_GAP, MEMBER_BURST = 3.0, 5


class WeComAppChannel(Channel):
    name = "wecom_app"
    platform = "wecom"

    def __init__(self, config):
        self.corp_id = config.get("WECOM_CORP_ID")
        self.agent_id = int(config.get("WECOM_AGENT_ID"))
        self.secret = config.get("WECOM_APP_SECRET")
        self.base = config.get("WECOM_API_BASE") or OFFICIAL
        self.crypto = WeComCrypto(
            config.get("WECOM_APP_TOKEN"), config.get("WECOM_APP_AES_KEY"), self.corp_id
        )
        self._client = None
        # durable: a restart must not forget what went out this minute (WeCom drops the excess silently)
        self.member_pace = Pace("wecom:member", gap=MEMBER_GAP, burst=MEMBER_BURST, durable=True)

    # -- the request path --------------------------------------------------------------------
    def blueprint(self):
        bp = Blueprint("wecom_app", __name__)

        @bp.get("/wecom/app")
        def verify():
            return verify_url_response(self.crypto, request.args, "wecom app", log)

        @bp.post("/wecom/app")
        def callback():
            a = request.args
            raw = request.get_data(cache=False)
            try:
                if b"<!DOCTYPE" in raw.upper() or b"<!ENTITY" in raw.upper():
                    raise ValueError("DTDs are not accepted")
                outer = xmltodict.parse(raw)["xml"]
                inner = xmltodict.parse(
                    self.crypto.open(
                        a.get("msg_signature", ""),
                        a.get("timestamp", ""),
                        a.get("nonce", ""),
                        outer["Encrypt"],
                    )
                )["xml"]
            except CryptoError as exc:
                log.warning("wecom app callback refused: %s", exc)
                return Response("forbidden", status=403 if exc.forbidden else 400)
            except Exception as exc:  # expat errors, missing keys, wrong types
                log.warning("wecom app callback malformed: %s", type(exc).__name__)
                return Response("bad request", status=400)
            message = self.normalise(inner)
            if message is not None:
                self.bot.receive(message)
            return Response("", status=200)

        return bp

    def normalise(self, msg: dict) -> Message | None:
        user = msg.get("FromUserName", "")
        kind = msg.get("MsgType")
        if kind == "text":
            text, key = msg.get("Content", ""), msg.get("MsgId")
        elif kind == "event" and msg.get("Event") == "template_card_event":
            text, key = msg.get("EventKey", ""), f"card:{user}:{msg.get('CreateTime')}:{msg.get('TaskId')}"
        elif kind == "event" and msg.get("Event") == "enter_agent":
            text, key = "", f"enter:{user}:{msg.get('CreateTime')}"
        elif kind == "file" and msg.get("MediaId"):  # an export to import: a dry run first
            text, key = "导入", msg.get("MsgId") or f"{user}:{msg.get('CreateTime')}"
        elif kind in ("image", "voice", "video", "file", "location", "link"):
            text, key = "[非文字消息]", msg.get("MsgId") or f"{user}:{msg.get('CreateTime')}"
        else:
            return None
        return Message(
            platform="wecom",
            tenant=self.corp_id,
            chat_id=f"app:{user}",
            chat_type="single",
            sender=Person(user, user),
            text=text or "",
            message_id=str(key or f"{user}:{msg.get('CreateTime')}"),
            time=datetime.now(UTC),
            channel=self.name,
            addressed=True,
            kind="action" if kind == "event" else ("file" if text == "导入" and kind == "file" else "text"),
            files=[{"key": msg["MediaId"], "name": msg.get("FileName") or msg.get("Title") or "文件"}]
            if kind == "file" and msg.get("MediaId")
            else [],
        )

    def fetch_file(self, message: Message, file: dict) -> bytes:
        """``GET /cgi-bin/media/get``: the file's bytes; a stale token is refreshed once. The URL is never logged."""
        for attempt in range(2):
            client = self.client()
            try:
                token = client.fetch_access_token()["access_token"] if attempt else client.access_token
                query = urllib.parse.urlencode({"access_token": token, "media_id": file["key"]})
                with urllib.request.urlopen(f"{self.base}/cgi-bin/media/get?{query}", timeout=20) as resp:
                    data = resp.read(FILE_LIMIT + 1)
                    kind = resp.headers.get("Content-Type", "")
            except Exception as exc:  # network or token trouble: say so, never the URL
                raise FileUnavailable(f"企业微信没有给出文件（{type(exc).__name__}），请重新发送。") from None
            if kind.startswith(("application/json", "text/plain")):
                try:
                    code = json.loads(data).get("errcode")
                except ValueError:
                    code = None
                if code in (40001, 40014, 42001) and attempt == 0:
                    continue
                raise FileUnavailable(f"企业微信没有给出文件（错误码 {code}），文件可能已过期，请重新发送。")
            if len(data) > FILE_LIMIT:
                raise FileUnavailable("文件超过 5 MB，请只导出需要的日期范围。")
            return data
        raise FileUnavailable("企业微信两次拒绝了访问令牌，请稍后再发。")

    # -- sending -------------------------------------------------------------------------------
    def client(self):
        if self._client is None:
            from wechatpy.enterprise import WeChatClient

            cls = rebased(
                WeChatClient,
                OFFICIAL,
                self.base,
                "/cgi-bin/gettoken",
                lambda c: {"corpid": c.corp_id, "corpsecret": c.secret},
            )
            self._client = cls(
                self.corp_id,
                self.secret,
                session=KVSession(lambda: self.bot.db, self.bot.now, "wecom_app"),
                timeout=10,
                auto_retry=False,
            )
        return self._client

    def _throttle(self, user: str) -> None:
        wait = self.member_pace.take(self.bot.db, f"{self.corp_id}:{self.agent_id}:{user}", max_wait=0.0)
        if wait > 0:
            raise DeliveryDeferred("per-member rate limit", retry_after=wait)

    def deliver(self, item: OutboxItem) -> None:
        from wechatpy.exceptions import WeChatClientException

        user = item.target["chat_id"].removeprefix("app:")
        if item.reply.buttons:
            messages = [
                {"msgtype": "template_card", "template_card": template_card(item.reply, f"xb{item.id}")}
            ]
        else:
            images = item.reply.images(limit=IMAGE_LIMIT)
            messages = [
                {"msgtype": "markdown", "markdown": {"content": part}}
                for part in split_bytes(markdown(item.reply, with_attachments=not images), APP_LIMIT)
            ]
            messages += [{"msgtype": "image", "image": {"path": a.path}} for a in images]

        def send(body: dict) -> None:
            self._throttle(user)  # before an image's upload: a deferred part is not uploaded twice
            if (
                body["msgtype"] == "image" and "path" in body["image"]
            ):  # upload first: media/upload → media_id
                with open(body["image"]["path"], "rb") as f:
                    try:
                        uploaded = call_once_refreshing(
                            self.client(),
                            "post",
                            "media/upload",
                            params={"type": "image"},
                            files={"media": f},
                        )
                    except WeChatClientException as exc:
                        raise self._error(exc) from None
                    except OSError as exc:
                        raise DeliveryError(f"network: {type(exc).__name__}") from None
                body = {"msgtype": "image", "image": {"media_id": uploaded["media_id"]}}
            payload = {
                "touser": user,
                "agentid": self.agent_id,
                "enable_duplicate_check": 1,
                "duplicate_check_interval": 1800,
                **body,
            }
            try:
                call_once_refreshing(self.client(), "post", "message/send", data=payload)
            except WeChatClientException as exc:
                raise self._error(exc) from None
            except OSError as exc:
                raise DeliveryError(f"network: {type(exc).__name__}") from None

        self.send_in_parts(item, messages, send)

    @staticmethod
    def _error(exc) -> DeliveryError:
        code = exc.errcode
        if code == 45009:
            return DeliveryError("45009 rate limited", retry_after=60, rate_limited=True)
        if code == 60020:
            log.error(
                "WeCom refused the send with 60020: this server's public IP is not in the app's 企业可信IP list. "
                "Open 企业微信管理后台 → 应用管理 → the app → 企业可信IP, add the server's egress IP, then retry."
            )
            return DeliveryError("60020 server IP not in 企业可信IP", retryable=False)
        if code in (40001, 40014, 42001):
            return DeliveryError(f"{code} token refused again after one refresh", retryable=False)
        if code is None or code in (-1,):
            return DeliveryError(f"WeCom busy or HTTP error ({code})")
        return DeliveryError(f"{code} {exc.errmsg}", retryable=False)

    def push_scope(self) -> PushScope:
        return PushScope(platform="wecom", tenant=self.corp_id)

    def status(self) -> dict:
        return {"on": True, "agent_id": self.agent_id}
