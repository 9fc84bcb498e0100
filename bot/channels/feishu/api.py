"""A small Feishu Open API client: tenant token in SQLite, one refetch on an invalid token,
rate limits honoured, at most 5 messages a second to one chat."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.error
import urllib.request
import uuid as uuidlib
from collections.abc import Callable
from datetime import timedelta
from typing import TypeVar

from bot.channels.base import DeliveryError
from bot.channels.pace import Pace
from storage import kv

log = logging.getLogger(__name__)
OFFICIAL = "https://open.feishu.cn"
INVALID_TOKEN = (99991663, 99991661, 99991668)
RATE_LIMITED = 99991400
TOKEN_KEY = "feishu:tenant_token"
T = TypeVar("T")
# 5 a second per chat (shared by all bots in it), 50 a second per app. The gaps are wider than the
# limits: sends booked by several machines reach Feishu with more spread than one process's.
CHAT_GAP = 0.25
APP_GAP, APP_BURST = 0.025, 2  # at most 42 in any second (40 sustained): room for network jitter


class FeishuApi:
    def __init__(self, config, db, clock):
        self.app_id = config.get("FEISHU_APP_ID")
        self.app_secret = config.get("FEISHU_APP_SECRET")
        self.base = (config.get("FEISHU_API_BASE") or OFFICIAL).rstrip("/")
        self._db, self.clock = db, clock
        self.chat_pace = Pace("feishu:chat", gap=CHAT_GAP)
        self.app_pace = Pace("feishu:app", gap=APP_GAP, burst=APP_BURST)
        self._open_id_memo: tuple[str, float] | None = None
        self._refreshing = threading.Lock()

    # -- HTTP ----------------------------------------------------------------------------------
    def _http(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict | None = None,
        timeout: float = 10,
    ) -> tuple[int, dict, dict]:
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {}, method=method)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return resp.status, json.loads(resp.read() or b"{}"), _lower(resp.headers)
        except urllib.error.HTTPError as exc:
            try:
                data = json.loads(exc.read() or b"{}")
            except ValueError:
                data = {}
            return exc.code, data, _lower(exc.headers or {})
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise DeliveryError(f"network: {type(exc).__name__}") from None

    def token(self, *, fresh: bool = False) -> str:
        """The tenant access token, fetched when missing, expired or ``fresh`` is asked."""
        db = self._db()
        if not fresh:
            cached = kv.get(db, TOKEN_KEY, now=self.clock())
            if cached:
                return cached
        status, data, _ = self._http(
            "POST",
            "/open-apis/auth/v3/tenant_access_token/internal",
            body=json.dumps({"app_id": self.app_id, "app_secret": self.app_secret}).encode(),
            headers={"Content-Type": "application/json; charset=utf-8"},
        )
        if status != 200 or data.get("code") != 0:
            raise DeliveryError(
                f"tenant token refused: {data.get('code')} {data.get('msg', '')}", retryable=status >= 500
            )
        expires = int(data.get("expire", 7200))
        kv.put(
            db,
            TOKEN_KEY,
            data["tenant_access_token"],
            expires_at=self.clock() + timedelta(seconds=max(expires - 300, 60)),
        )
        return data["tenant_access_token"]

    def _with_token(self, attempt: Callable[[str], tuple[object, T]]) -> T:
        """Run ``attempt(token)``, which returns the platform's code and a result. When the code says
        the token is invalid (revoked, or expired before our copy did), the token is dropped and
        ``attempt`` runs once more with a fresh one: the one token-retry rule of every call here."""
        for fresh in (False, True):
            code, result = attempt(self.token(fresh=fresh))
            if code not in INVALID_TOKEN:
                return result
            kv.delete(self._db(), TOKEN_KEY)
        raise DeliveryError("tenant token refused twice", retryable=False)

    def call(
        self,
        method: str,
        path: str,
        payload: dict | None = None,
        *,
        raw: bytes | None = None,
        content_type: str = "application/json; charset=utf-8",
        chat_id: str | None = None,
    ) -> dict:
        """One API call with the token (see :meth:`_with_token`); rate limits and errors become
        :class:`DeliveryError` saying whether and when to try again."""
        body = (
            raw
            if raw is not None
            else (json.dumps(payload, ensure_ascii=False).encode() if payload else None)
        )

        def attempt(token: str):
            headers = {"Authorization": f"Bearer {token}", "Content-Type": content_type}
            if chat_id is not None:  # paced last, just before the request: nothing slow in between
                self._pace(chat_id)
            status, data, resp_headers = self._http(method, path, body=body, headers=headers)
            return data.get("code"), (status, data, resp_headers)

        status, data, resp_headers = self._with_token(attempt)
        code = data.get("code")
        if status == 429 or code == RATE_LIMITED:
            reset = resp_headers.get("x-ogw-ratelimit-reset") or resp_headers.get("retry-after")
            try:
                wait = min(float(reset), 3600.0) if reset is not None else 2.0
            except ValueError:
                wait = 2.0
            raise DeliveryError(
                f"rate limited ({code or status})", retry_after=max(wait, 0.5), rate_limited=True
            )
        if status >= 500:
            raise DeliveryError(f"HTTP {status}")
        if code != 0:
            raise DeliveryError(f"{code} {data.get('msg', '')}", retryable=False)
        return data.get("data", {})

    def _pace(self, chat_id: str) -> None:
        """Keep Feishu's per-chat and per-app rates (shared by every worker, see :mod:`bot.channels.pace`)."""
        db = self._db()
        self.chat_pace.sleep(db, chat_id)
        self.app_pace.sleep(db, self.app_id or "")

    # -- messages --------------------------------------------------------------------------------
    def send_card(self, chat_id: str, card: dict, uuid: str) -> dict:
        return self.call(
            "POST",
            "/open-apis/im/v1/messages?receive_id_type=chat_id",
            {
                "receive_id": chat_id,
                "msg_type": "interactive",
                "content": json.dumps(card, ensure_ascii=False),
                "uuid": uuid,
            },
            chat_id=chat_id,
        )

    def reply_card(self, chat_id: str, message_id: str, card: dict, uuid: str) -> dict:
        return self.call(
            "POST",
            f"/open-apis/im/v1/messages/{message_id}/reply",
            {"msg_type": "interactive", "content": json.dumps(card, ensure_ascii=False), "uuid": uuid},
            chat_id=chat_id,
        )

    def update_card(self, message_id: str, card: dict) -> dict:
        return self.call(
            "PATCH",
            f"/open-apis/im/v1/messages/{message_id}",
            {"content": json.dumps(card, ensure_ascii=False)},
        )

    def cached_bot_open_id(self) -> str | None:
        """The bot's open_id if known, without any network call (for the request path).

        Held in memory for ten minutes (it never changes for an app): no query per event."""
        held = self._open_id_memo
        if held is not None and time.monotonic() < held[1]:
            return held[0]
        value = kv.get(self._db(), "feishu:bot_open_id", now=self.clock())
        if value:
            self._open_id_memo = (value, time.monotonic() + 600)
        return value

    def refresh_bot_open_id_later(self) -> None:
        """Fetch the bot's open_id on a background thread (one at a time)."""
        if self._refreshing.acquire(blocking=False):

            def run():
                try:
                    self.bot_open_id()
                except Exception as exc:  # a background nicety: the next message asks again
                    log.info("feishu: could not fetch the bot's open_id now (%s)", type(exc).__name__)
                finally:
                    self._refreshing.release()

            threading.Thread(target=run, name="xiaobian-feishu-botinfo", daemon=True).start()

    def bot_open_id(self) -> str | None:
        """The bot's own open_id (to recognise its @mention), cached for a day."""
        db = self._db()
        cached = kv.get(db, "feishu:bot_open_id", now=self.clock())
        if cached:
            return cached

        def attempt(token: str):
            status, data, _ = self._http(
                "GET", "/open-apis/bot/v3/info", headers={"Authorization": f"Bearer {token}"}
            )
            return data.get("code"), (status, data)

        try:
            status, data = self._with_token(attempt)
        except DeliveryError as exc:
            log.warning("feishu bot info unavailable: %s", exc)
            return None
        open_id = (data.get("bot") or {}).get("open_id") if status == 200 and data.get("code") == 0 else None
        if open_id:
            kv.put(db, "feishu:bot_open_id", open_id, expires_at=self.clock() + timedelta(days=1))
        return open_id

    def download_resource(self, message_id: str, file_key: str, *, limit: int) -> bytes:
        """A file sent in a message (``GET /im/v1/messages/{id}/resources/{key}?type=file``), at most ``limit`` bytes."""

        def attempt(token: str) -> tuple[object, bytes]:
            req = urllib.request.Request(
                f"{self.base}/open-apis/im/v1/messages/{message_id}/resources/{file_key}?type=file",
                headers={"Authorization": f"Bearer {token}"},
            )
            try:
                with urllib.request.urlopen(req, timeout=20) as resp:
                    return 0, resp.read(limit + 1)
            except urllib.error.HTTPError as exc:
                try:
                    code = json.loads(exc.read() or b"{}").get("code")
                except (ValueError, AttributeError):
                    code = None
                if code in INVALID_TOKEN:
                    return code, b""
                raise DeliveryError(f"http {exc.code} code {code}", retryable=False) from None
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                raise DeliveryError(f"network: {type(exc).__name__}") from None

        data = self._with_token(attempt)
        if len(data) > limit:
            raise DeliveryError("too large", retryable=False)
        return data

    def upload_image(self, path: str) -> str:
        """Upload a PNG for use in a card; returns its image_key."""
        boundary = uuidlib.uuid4().hex
        with open(path, "rb") as f:
            data = f.read()
        parts = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="image_type"\r\n\r\nmessage\r\n'
                f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="chart.png"\r\n'
                f"Content-Type: image/png\r\n\r\n"
            ).encode()
            + data
            + f"\r\n--{boundary}--\r\n".encode()
        )
        result = self.call(
            "POST",
            "/open-apis/im/v1/images",
            raw=parts,
            content_type=f"multipart/form-data; boundary={boundary}",
        )
        return result["image_key"]


def _lower(headers) -> dict[str, str]:
    """Response headers with lower-case names: HTTP header names are case-insensitive."""
    return {str(k).lower(): v for k, v in headers.items()}
