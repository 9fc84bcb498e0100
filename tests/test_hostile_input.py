"""Every webhook answers malformed, forged or oversized input with 400/403/413, never a 5xx.

Hypothesis fuzzes the query string, headers and body of each route (the shapes that once gave
500s are pinned as explicit examples: a timestamp of 「²」 or 400 digits, a non-ASCII signature,
100,000 nested brackets, 「é」 in a WeCom query).
"""

import json

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot import config as config_mod
from bot.app import create_app
from bot.root import build_bot
from tests.fakes.wecom import AES_KEY, CORP, TOKEN

pytestmark = pytest.mark.date_free

ENV = {
    "WECOM_BOT_TOKEN": TOKEN,
    "WECOM_BOT_AES_KEY": AES_KEY,
    "WECOM_CORP_ID": CORP,
    "WECOM_AGENT_ID": "1000002",
    "WECOM_APP_SECRET": "app-secret",
    "WECOM_APP_TOKEN": TOKEN,
    "WECOM_APP_AES_KEY": AES_KEY,
    "FEISHU_APP_ID": "cli_test",
    "FEISHU_APP_SECRET": "feishu-secret",
    "FEISHU_MODE": "webhook",
    "FEISHU_VERIFICATION_TOKEN": "verify-token",
    "FEISHU_ENCRYPT_KEY": "encrypt-key",
    "FEISHU_API_BASE": "http://127.0.0.1:9",  # nothing listens: the routes must not need it
}
ROUTES = ["/wecom/bot", "/wecom/app", "/feishu/events"]
QUERY_KEYS = ["msg_signature", "timestamp", "nonce", "echostr", "x"]
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
latin1 = st.text(st.characters(max_codepoint=255, exclude_characters="\r\n\x00"), max_size=60)
odd_numbers = st.sampled_from(["²", "9" * 400, "-1", "", "1e9", "١٢٣", str(2**70)])
bodies = st.one_of(
    st.binary(max_size=400),
    st.recursive(
        st.none() | st.booleans() | st.integers() | text,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
        max_leaves=12,
    ).map(lambda v: json.dumps(v).encode()),
    st.builds(lambda v: json.dumps({"encrypt": v}).encode(), text | st.integers()),
    st.builds(lambda v: f"<xml><Encrypt>{v}</Encrypt></xml>".encode(), text),
    st.sampled_from([b"[" * 100_000, b"{" * 50_000, b"<a>" * 20_000, b"\xff\xfe\x00", b'{"schema":"2.0"}']),
)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    db = str(tmp_path_factory.mktemp("hostile") / "x.db")
    bot = build_bot(config_mod.load({"XIAOBIAN_DB": db, **ENV}))
    app = create_app(bot)
    yield app.test_client()
    bot.store.close()


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    route=st.sampled_from(ROUTES),
    method=st.sampled_from(["GET", "POST"]),
    query=st.dictionaries(st.sampled_from(QUERY_KEYS), text | odd_numbers, max_size=5),
    headers=st.dictionaries(
        st.sampled_from(
            ["X-Lark-Signature", "X-Lark-Request-Timestamp", "X-Lark-Request-Nonce", "Content-Type"]
        ),
        latin1 | odd_numbers,
        max_size=4,
    ),
    body=bodies,
)
@example(
    route="/feishu/events",
    method="POST",
    query={},
    headers={"X-Lark-Signature": "x", "X-Lark-Request-Timestamp": "²", "X-Lark-Request-Nonce": "n"},
    body=b'{"encrypt":"x"}',
)
@example(
    route="/feishu/events",
    method="POST",
    query={},
    headers={"X-Lark-Signature": "é" * 64, "X-Lark-Request-Timestamp": "9" * 400},
    body=b"{}",
)
@example(route="/feishu/events", method="POST", query={}, headers={}, body=b"[" * 100_000)
@example(
    route="/wecom/bot",
    method="GET",
    query={"msg_signature": "é", "timestamp": "é", "echostr": "é"},
    headers={},
    body=b"",
)
@example(
    route="/wecom/app", method="GET", query={"msg_signature": "ß" * 40, "echostr": "x"}, headers={}, body=b""
)
@example(route="/wecom/bot", method="POST", query={"msg_signature": "ü"}, headers={}, body=b"[" * 100_000)
def test_no_request_gets_a_server_error(client, route, method, query, headers, body):
    response = client.open(route, method=method, query_string=query, headers=headers, data=body)
    assert response.status_code in (200, 400, 403, 405, 413), (response.status_code, response.data[:200])
    assert b"Traceback" not in response.data


def test_an_oversized_body_is_413(client):
    assert client.post("/feishu/events", data=b"{" + b" " * (2 * 1024 * 1024) + b"}").status_code == 413
