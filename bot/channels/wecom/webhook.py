"""WeCom's JSON webhooks (the group robot's URL, an AI bot's ``response_url``): POST, then judge
the ``errcode`` that comes back with HTTP 200 — 45009 is a wait, anything else a failure."""

from __future__ import annotations

from bot.channels.base import DeliveryError
from bot.channels.http import post_json


def post_checked(url: str, payload: dict) -> dict:
    """POST ``payload`` to a WeCom webhook; the answer, or DeliveryError naming the errcode."""
    data = post_json(url, payload)
    code = data.get("errcode", 0)
    if code == 45009:
        raise DeliveryError("45009 rate limited", retry_after=30, rate_limited=True)
    if code:
        raise DeliveryError(f"{code} {data.get('errmsg', '')}", retryable=False)
    return data
