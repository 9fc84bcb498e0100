"""Feishu crypto against the official vectors in shared/platforms.md."""

import os

import pytest

from bot.channels.feishu.crypto import FeishuCryptoError, custom_bot_sign, decrypt, encrypt, signature_ok
from bot.channels.feishu.render import CARD_LIMIT, cards, size
from bot.models import Button, Reply

pytestmark = pytest.mark.date_free


def test_official_decryption_vector():
    assert decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=", "test key") == "hello world"


def test_official_custom_bot_signature_vector():
    assert custom_bot_sign(100, "demo") == "jquNHnVOwmDRfw+vqTIrY5dooJAgi5EcRtLsQE4wfXg="


def test_round_trip_and_garbage():
    sealed = encrypt('{"a": "飞书"}', "k", os.urandom(16))
    assert decrypt(sealed, "k") == '{"a": "飞书"}'
    for bad in ("not base64", "", "AAAA", sealed[:-4] + "AAAA"):
        with pytest.raises(FeishuCryptoError):
            decrypt(bad, "k")
    with pytest.raises(FeishuCryptoError):
        decrypt(sealed, "another key")


def test_request_signature_is_over_raw_bytes():
    import hashlib

    body = b'{"encrypt":"x"}'
    sig = hashlib.sha256(b"1700000000" + b"nonce" + b"key" + body).hexdigest()
    assert signature_ok(sig, "1700000000", "nonce", "key", body)
    assert not signature_ok(sig, "1700000000", "nonce", "key", body + b" ")


def test_cards_split_under_the_limit_and_keep_buttons_last():
    reply = Reply(
        title="长",
        body="\n".join(f"第{i}行 " + "内容" * 200 for i in range(120)),
        buttons=[Button("通过", "通过 1", "primary")],
        tone="ok",
    )
    parts = cards(reply)
    assert len(parts) > 1 and all(size(c) <= CARD_LIMIT for c in parts)
    assert all(c["header"]["template"] == "green" for c in parts)
    last = parts[-1]["body"]["elements"]
    assert last[-1]["tag"] == "button" and last[-1]["behaviors"][0]["value"] == {"command": "通过 1"}
    assert not any(e["tag"] == "button" for e in parts[0]["body"]["elements"])
