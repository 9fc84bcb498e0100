"""A local fake of the WeChat 公众号 API (token + datacube), enforcing span limits and token expiry."""

from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import parse_qs, urlparse

from tests.fakes.base import JsonHandler, base_url, serve, stop

SPANS = {"getusersummary": 7, "getusercumulate": 7, "getuserread": 3}


class FakeWeChatMP:
    def __init__(self, appid="wxfake", secret="s3cret"):
        self.appid, self.secret = appid, secret
        self.tokens: set[str] = set()
        self.token_requests = 0
        self.calls: list[tuple[str, str, str]] = []
        self.expire_next = False
        self.refuse_all = False
        fake = self

        class Handler(JsonHandler):
            def do_GET(self):
                url = urlparse(self.path)
                q = parse_qs(url.query)
                if url.path == "/cgi-bin/token":
                    if q.get("appid") != [fake.appid] or q.get("secret") != [fake.secret]:
                        return self.reply({"errcode": 40013, "errmsg": "invalid appid"})
                    fake.token_requests += 1
                    token = f"tok-{fake.token_requests}"
                    fake.tokens.add(token)
                    return self.reply({"access_token": token, "expires_in": 7200})
                self.reply({"errcode": 404, "errmsg": "not found"})

            def do_POST(self):
                url = urlparse(self.path)
                token = parse_qs(url.query).get("access_token", [""])[0]
                if fake.expire_next:
                    fake.expire_next = False
                    fake.tokens.clear()
                if token not in fake.tokens or fake.refuse_all:
                    return self.reply({"errcode": 42001, "errmsg": "access_token expired"})
                endpoint = url.path.rsplit("/", 1)[-1]
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                start, end = date.fromisoformat(body["begin_date"]), date.fromisoformat(body["end_date"])
                fake.calls.append((endpoint, body["begin_date"], body["end_date"]))
                if (end - start).days + 1 > SPANS.get(endpoint, 1) or end < start:
                    return self.reply({"errcode": 61500, "errmsg": "date range error"})
                days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
                self.reply({"list": [fake.row(endpoint, d) for d in days]})

        self.server = serve(Handler)

    @property
    def url(self) -> str:
        return f"{base_url(self.server)}"

    @staticmethod
    def row(endpoint: str, d: date) -> dict:
        n = d.toordinal() % 100
        if endpoint == "getusersummary":
            return {"ref_date": d.isoformat(), "user_source": 0, "new_user": 20 + n % 7, "cancel_user": 3}
        if endpoint == "getusercumulate":
            return {"ref_date": d.isoformat(), "cumulate_user": 10000 + n}
        return {
            "ref_date": d.isoformat(),
            "user_source": 0,
            "int_page_read_count": 900 + n,
            "share_count": 12,
            "add_to_fav_count": 5,
        }

    def close(self):
        stop(self.server)
