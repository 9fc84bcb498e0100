"""Feishu event crypto and signatures: decryption, the request signature, the custom-bot sign."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


class FeishuCryptoError(Exception):
    pass


def decrypt(encrypt: str, encrypt_key: str) -> str:
    """``{"encrypt": …}`` → the JSON text. AES-256-CBC, key sha256(encrypt_key), IV the first 16 bytes."""
    try:
        raw = base64.b64decode(encrypt, validate=True)
        if len(raw) < 32 or len(raw) % 16:
            raise ValueError("length")
        key = hashlib.sha256(encrypt_key.encode("utf-8")).digest()
        decryptor = Cipher(algorithms.AES(key), modes.CBC(raw[:16])).decryptor()
        padded = decryptor.update(raw[16:]) + decryptor.finalize()
        pad = padded[-1]
        if not 1 <= pad <= 16 or padded[-pad:] != bytes([pad]) * pad:
            raise ValueError("padding")
        return padded[:-pad].decode("utf-8")
    except (binascii.Error, ValueError, UnicodeDecodeError, TypeError) as exc:
        raise FeishuCryptoError(f"cannot decrypt: {exc}") from None


def encrypt(plaintext: str, encrypt_key: str, iv: bytes) -> str:
    """The inverse of :func:`decrypt` (for the fake platform in tests)."""
    key = hashlib.sha256(encrypt_key.encode("utf-8")).digest()
    data = plaintext.encode("utf-8")
    pad = 16 - len(data) % 16
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return base64.b64encode(iv + encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()).decode()


def request_signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    """``X-Lark-Signature``: sha256 over timestamp + nonce + key + the raw body (a plain hash, not an HMAC)."""
    return hashlib.sha256(timestamp.encode() + nonce.encode() + encrypt_key.encode() + body).hexdigest()


def signature_ok(given: str, timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> bool:
    expected = request_signature(timestamp, nonce, encrypt_key, body).encode()
    # bytes on both sides: compare_digest refuses a str with non-ASCII characters
    return hmac.compare_digest(expected, (given or "").lower().encode("utf-8", "replace"))


def custom_bot_sign(timestamp: int, secret: str) -> str:
    """The custom bot's ``sign``: base64(hmac_sha256(key=f"{timestamp}\\n{secret}", msg=b""))."""
    digest = hmac.new(f"{timestamp}\n{secret}".encode(), b"", hashlib.sha256).digest()
    return base64.b64encode(digest).decode()
