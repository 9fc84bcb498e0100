"""WeCom callback crypto (self-built app XML and AI bot JSON), on wechatpy's cipher.

Signature: sha1 of the sorted token, timestamp, nonce and ciphertext, compared in constant
time. Any malformed input raises :class:`CryptoError` (never a bare decoding error), so the
webhook answers 403/400 and never 500.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import struct
import time

from wechatpy.crypto import PrpCrypto


class CryptoError(Exception):
    """Signature, key or payload did not check out. ``forbidden``: a signature or receiver mismatch."""

    def __init__(self, message: str, *, forbidden: bool = True):
        super().__init__(message)
        self.forbidden = forbidden


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    joined = "".join(sorted([token, timestamp, nonce, encrypt]))
    return hashlib.sha1(joined.encode("utf-8", "surrogatepass")).hexdigest()


class WeComCrypto:
    """``receive_id`` is the corp id for a self-built app, the empty string for an AI bot."""

    def __init__(self, token: str, aes_key: str, receive_id: str):
        try:
            key = base64.b64decode(aes_key + "=")
        except (binascii.Error, ValueError):
            raise ValueError("EncodingAESKey is not base64") from None
        if len(key) != 32:
            raise ValueError("EncodingAESKey must be 43 characters (32 bytes)")
        self.token = token
        self.key = key
        self.receive_id = receive_id

    def check(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> None:
        expected = signature(self.token, timestamp, nonce, encrypt)
        given = (
            (msg_signature or "").lower().encode("utf-8", "replace")
        )  # compare_digest wants ASCII or bytes
        if not hmac.compare_digest(expected.encode(), given):
            raise CryptoError("bad signature")

    def decrypt(self, encrypt: str) -> str:
        """Decrypt a ciphertext; the receiver id inside must be ours."""
        try:
            raw = PrpCrypto(self.key).cipher.decrypt(base64.b64decode(encrypt, validate=True))
            pad = raw[-1]
            if not 1 <= pad <= 32 or raw[-pad:] != bytes([pad]) * pad:
                raise ValueError("bad padding")
            content = raw[16:-pad]
            (length,) = struct.unpack(">I", content[:4])
            if length > len(content) - 4:
                raise ValueError("bad length")
            text = content[4 : 4 + length].decode("utf-8")
            receiver = content[4 + length :].decode("utf-8")
        except (binascii.Error, ValueError, struct.error, UnicodeDecodeError, IndexError) as exc:
            raise CryptoError(f"cannot decrypt: {type(exc).__name__}", forbidden=False) from None
        if not hmac.compare_digest(receiver.encode(), self.receive_id.encode()):
            raise CryptoError("receiver id mismatch")
        return text

    def verify_url(self, msg_signature: str, timestamp: str, nonce: str, echostr: str) -> str:
        """URL verification: check the signature over ``echostr`` and return its plaintext."""
        self.check(msg_signature, timestamp, nonce, echostr)
        return self.decrypt(echostr)

    def open(self, msg_signature: str, timestamp: str, nonce: str, encrypt: str) -> str:
        """Check and decrypt one callback body's ciphertext."""
        self.check(msg_signature, timestamp, nonce, encrypt)
        return self.decrypt(encrypt)

    def seal(self, plaintext: str) -> str:
        return PrpCrypto(self.key).encrypt(plaintext, self.receive_id).decode("ascii")

    def seal_json(self, obj: dict, *, nonce: str | None = None, timestamp: str | None = None) -> dict:
        """An AI bot passive reply: ``{"encrypt", "msgsignature", "timestamp", "nonce"}``."""
        nonce = nonce or secrets.token_hex(8)
        timestamp = timestamp or str(int(time.time()))
        encrypt = self.seal(json.dumps(obj, ensure_ascii=False))
        return {
            "encrypt": encrypt,
            "msgsignature": signature(self.token, timestamp, nonce, encrypt),
            "timestamp": int(timestamp),
            "nonce": nonce,
        }


def verify_url_response(crypto: WeComCrypto, args, label: str, log):
    """The answer to WeCom's URL verification GET: the plaintext, or 403/400."""
    from flask import Response

    try:
        plain = crypto.verify_url(
            args.get("msg_signature", ""),
            args.get("timestamp", ""),
            args.get("nonce", ""),
            args.get("echostr", ""),
        )
    except CryptoError as exc:
        log.warning("%s url verification refused: %s", label, exc)
        return Response("forbidden", status=403 if exc.forbidden else 400)
    return Response(plain, mimetype="text/plain")


def media_key(aeskey: str) -> bytes:
    """A media file's AES key as bytes: base64 with or without its padding (43 or 44 characters)."""
    try:
        key = base64.b64decode(aeskey + "=" * (-len(aeskey) % 4))
    except (binascii.Error, ValueError):
        raise CryptoError("media aeskey is not base64", forbidden=False) from None
    if len(key) != 32:
        raise CryptoError("media aeskey is not 32 bytes", forbidden=False)
    return key


def decrypt_media(data: bytes, key: bytes) -> bytes:
    """A file the AI bot was sent: AES-256-CBC, IV = the key's first 16 bytes, PKCS#7 padded to 32."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    if not data or len(data) % 16:
        raise CryptoError("media is not whole AES blocks", forbidden=False)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    raw = decryptor.update(data) + decryptor.finalize()
    pad = raw[-1]
    if not 1 <= pad <= 32 or raw[-pad:] != bytes([pad]) * pad:
        raise CryptoError("media padding", forbidden=False)
    return raw[:-pad]


def encrypt_media(data: bytes, key: bytes) -> bytes:
    """The inverse of :func:`decrypt_media` (the fakes use it)."""
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    pad = 32 - len(data) % 32
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return encryptor.update(data + bytes([pad]) * pad) + encryptor.finalize()
