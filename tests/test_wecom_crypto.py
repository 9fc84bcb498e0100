"""WeCom crypto against the official vectors in shared/platforms.md."""

import pytest
import xmltodict

from bot.channels.wecom.crypto import CryptoError, WeComCrypto, signature
from bot.channels.wecom.render import split_bytes

pytestmark = pytest.mark.date_free

TOKEN, KEY, CORP = "QDG6eK", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C", "wx5823bf96d3bd56c7"
ECHO = "P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ=="
ENCRYPT = (
    "RypEvHKD8QQKFhvQ6QleEB4J58tiPdvo+rtK1I9qca6aM/wvqnLSV5zEPeusUiX5L5X/0lWfrf0QADHHhGd3QczcdCUpj911L3vg3W/sYYvuJTs3"
    "TUUkSUXxaccAS0qhxchrRYt66wiSpGLYL42aM6A8dTT+6k4aSknmPj48kzJs8qLjvd4Xgpue06DOdnLxAUHzM6+kDZ+HMZfJYuR+LtwGc2hgf5gs"
    "ijff0ekUNXZiqATP7PF5mZxZ3Izoun1s4zG4LUMnvw2r+KqCKIw+3IQH03v+BCA9nMELNqbSf6tiWSrXJB3LAVGUcallcrw8V2t9EL4EhzJWrQUa"
    "x5wLVMNS0+rUPA3k22Ncx4XXZS9o0MBH27Bo6BpNelZpS+/uh9KsNlY6bHCmJU9p8g7m3fVKn28H3KDYA5Pl/T8Z1ptDAVe0lXdQ2YoyyH2uyPIG"
    "HBZZIs2pDBS8R07+qN+E7Q=="
)


def test_official_url_verification_vector():
    crypto = WeComCrypto(TOKEN, KEY, CORP)
    plain = crypto.verify_url("5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", ECHO)
    assert plain == "1616140317555161061"


def test_official_message_vector():
    crypto = WeComCrypto(TOKEN, KEY, CORP)
    xml = crypto.open("477715d11cdb4164915debcba66cb864d751f3e6", "1409659813", "1372623149", ENCRYPT)
    msg = xmltodict.parse(xml)["xml"]
    assert (msg["FromUserName"], msg["Content"], msg["MsgId"], msg["AgentID"]) == (
        "mycreate",
        "hello",
        "4561255354251345929",
        "218",
    )


def test_bad_signature_wrong_corp_and_garbage_are_crypto_errors():
    crypto = WeComCrypto(TOKEN, KEY, CORP)
    with pytest.raises(CryptoError) as err:
        crypto.verify_url("0" * 40, "1409659589", "263014780", ECHO)
    assert err.value.forbidden
    with pytest.raises(CryptoError) as err:
        WeComCrypto(TOKEN, KEY, "wrongcorp").verify_url(
            "5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3", "1409659589", "263014780", ECHO
        )
    assert err.value.forbidden
    for garbage in ("not base64!!", "", "AAAA", ECHO[:-8]):
        sig = signature(TOKEN, "1", "2", garbage)
        with pytest.raises(CryptoError):
            crypto.open(sig, "1", "2", garbage)


def test_ai_bot_round_trip_with_empty_receiver():
    crypto = WeComCrypto(TOKEN, KEY, "")
    sealed = crypto.seal_json(
        {"msgtype": "stream", "stream": {"id": "x", "finish": True, "content": "你好"}},
        nonce="n1",
        timestamp="100",
    )
    assert crypto.open(sealed["msgsignature"], "100", "n1", sealed["encrypt"]).startswith(
        '{"msgtype": "stream"'
    )
    with pytest.raises(CryptoError):
        WeComCrypto(TOKEN, KEY, CORP).open(sealed["msgsignature"], "100", "n1", sealed["encrypt"])


def test_split_bytes_keeps_characters_and_order():
    text = "\n".join(f"第{i}行：" + "数据" * 50 for i in range(40))
    parts = split_bytes(text, 2048)
    assert all(len(p.encode("utf-8")) <= 2048 for p in parts)
    assert "\n".join(parts) == text
    long_line = "汉" * 3000
    parts = split_bytes(long_line, 2048)
    assert "".join(parts) == long_line and all(len(p.encode()) <= 2048 for p in parts)
