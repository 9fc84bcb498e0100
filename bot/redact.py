"""Secrets never reach a log line: every logger's records, third-party ones included, at every level.

:func:`install` wraps the logging record factory, so the masking happens once, when a record is
made (only for levels that are on), before any handler, filter or formatter sees it. It masks

- the configured secret values themselves (app secrets, tokens, AES keys, webhook keys), and
- the shapes secrets travel in: ``access_token=…``, ``corpsecret=…``, ``key=…`` in query strings,
  ``"app_secret": "…"``-style JSON fields, ``Authorization: Bearer …``, Feishu hook tokens in paths.

A traceback attached to a record is formatted and masked too (exception texts carry URLs).
"""

from __future__ import annotations

import logging
import re
import threading
import traceback
from collections.abc import Iterable

MASK = "***"
_NAMES = (
    r"corpsecret|secret|app_?secret|appsecret|access_?token|tenant_access_token|refresh_token|token|"
    r"key|api_?key|sign|signature|msg_signature|encoding_?aes_?key|aes_?key|encrypt_?key|password|ticket|"
    r"response_code"
)
_QUERY = re.compile(rf"(?i)\b({_NAMES})=([^&\s\"'<>]+)")
_JSON = re.compile(rf"(?i)([\"']({_NAMES})[\"']\s*:\s*[\"'])([^\"']+)([\"'])")
_BEARER = re.compile(r"(?i)(bearer\s+)([A-Za-z0-9._~+/=-]{6,})")
_HOOK = re.compile(r"(/open-apis/bot/v2/hook/)([\w-]+)")

_values: set[str] = set()
_lock = threading.Lock()
_installed = False


def redact(text: str) -> str:
    """``text`` with every known secret value and secret-shaped field masked."""
    for value in sorted(_values, key=len, reverse=True):
        if value in text:
            text = text.replace(value, MASK)
    text = _QUERY.sub(lambda m: f"{m.group(1)}={MASK}", text)
    text = _JSON.sub(lambda m: f"{m.group(1)}{MASK}{m.group(4)}", text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{MASK}", text)
    return _HOOK.sub(lambda m: f"{m.group(1)}{MASK}", text)


def add_secrets(values: Iterable[str | None]) -> None:
    """Mask these exact values wherever they appear (short values are too common to mask safely)."""
    with _lock:
        _values.update(v for v in values if v and len(v) >= 6)


def install(values: Iterable[str | None] = ()) -> None:
    """Mask secrets in every log record from now on (idempotent)."""
    global _installed
    add_secrets(values)
    with _lock:
        if _installed:
            return
        _installed = True
        previous = logging.getLogRecordFactory()

    def factory(*args, **kwargs) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a broken format string: leave it to logging to report
            return record
        masked = redact(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
        return record

    logging.setLogRecordFactory(factory)


def secret_values(env: dict[str, str], words: Iterable[str]) -> list[str]:
    """The values of the variables whose names contain one of ``words`` (SECRET, TOKEN, …)."""
    return [value for name, value in env.items() if any(w in name.upper() for w in words) and value]
