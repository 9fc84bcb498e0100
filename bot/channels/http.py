"""Plain JSON-over-HTTP for webhook pushes: network and HTTP failures as DeliveryError."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from bot.channels.base import DeliveryError


def post_json(url: str, payload: dict, *, timeout: float = 10) -> dict:
    """POST ``payload``; return the decoded JSON answer (the caller judges its code)."""
    req = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as exc:
        raise DeliveryError(f"HTTP {exc.code}", retryable=exc.code >= 500 or exc.code == 429) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise DeliveryError(f"network: {type(exc).__name__}") from None
    except ValueError:
        raise DeliveryError("the answer is not JSON") from None
