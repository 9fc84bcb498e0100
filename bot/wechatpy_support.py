"""wechatpy, fitted for xiaobian: tokens in SQLite, a configurable API base, no unbounded retry.

wechatpy keeps a token's expiry only in memory and, with ``auto_retry``, retries an expired
token without limit; clients made here keep the token in the kv table with its expiry, never
retry by themselves, and send requests to ``base`` instead of Tencent's host (for local fakes).
"""

from __future__ import annotations

from datetime import timedelta

from storage import kv

TOKEN_ERRORS = (40001, 40014, 42001)


class KVSession:
    """wechatpy's session interface (get/set/delete) over the kv table; ``db`` is a callable."""

    def __init__(self, db, clock, prefix: str):
        self._db, self.clock, self.prefix = db, clock, prefix

    def get(self, key, default=None):
        value = kv.get(self._db(), f"{self.prefix}:{key}", now=self.clock())
        return value if value is not None else default

    def set(self, key, value, ttl=None):
        expires = self.clock() + timedelta(seconds=max(int(ttl) - 60, 1)) if ttl else None
        kv.put(self._db(), f"{self.prefix}:{key}", str(value), expires_at=expires)

    def delete(self, key):
        kv.delete(self._db(), f"{self.prefix}:{key}")


def rebased(client_class, official: str, base: str, token_url: str, token_params):
    """A subclass of a wechatpy client whose requests go to ``base`` instead of ``official``."""
    base = base.rstrip("/")

    def swap(url: str) -> str:
        return base + url[len(official) :] if url.startswith(official) else url

    class Client(client_class):
        def _request(self, method, url_or_endpoint, **kwargs):
            if kwargs.get("api_base_url"):
                kwargs["api_base_url"] = swap(kwargs["api_base_url"])
            else:
                kwargs["api_base_url"] = swap(self.API_BASE_URL)
            return super()._request(method, swap(url_or_endpoint), **kwargs)

        def fetch_access_token(self):
            return self._fetch_access_token(url=base + token_url, params=token_params(self))

    return Client


def call_once_refreshing(client, method: str, endpoint: str, **kwargs):
    """One API call; on an expired or invalid token, drop it and try exactly once more."""
    from wechatpy.exceptions import WeChatClientException

    for attempt in (1, 2):
        try:
            return getattr(client, method)(endpoint, **kwargs)
        except WeChatClientException as exc:
            if exc.errcode in TOKEN_ERRORS and attempt == 1:
                client.session.delete(client.access_token_key)
                continue
            raise
    raise AssertionError("unreachable")
