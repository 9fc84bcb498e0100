"""A local fake of an OpenAI-compatible chat completions endpoint, on loopback, that can misbehave.

``script`` is the list of behaviours for the next calls, one per call (``ok`` when it runs out):

- ``ok``: a JSON draft that keeps every fact the prompt lists and fits the platform's limits;
- ``too_long``: the body repeated past the platform's limit;
- ``too_short``: a body shorter than the platform's usual length (the shape it was given ignored);
- ``risky``: a 极限词 (「最好的」) in the body;
- ``drop_price``: the facts with 元 left out;
- ``malformed``: words instead of JSON;
- ``fenced``: the JSON inside a ```json block with words around it;
- ``slow``: answers after 2 s (past the client's timeout);
- ``error``: HTTP 500.
"""

from __future__ import annotations

import json
import re
import time

from tests.fakes.base import JsonHandler, base_url, serve, stop


class FakeModel:
    def __init__(self):
        self.script: list[str] = []
        self.requests: list[dict] = []
        fake = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(
                    {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
                )
                mode = fake.script.pop(0) if fake.script else "ok"
                if mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    return
                if mode == "slow":
                    time.sleep(2)
                content = fake.answer(body, mode)
                data = json.dumps({"choices": [{"message": {"role": "assistant", "content": content}}]})
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(data.encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout case)

        self.server = serve(Handler)

    @property
    def url(self) -> str:
        return f"{base_url(self.server)}/v1"

    def prompts(self) -> list[str]:
        return [r["body"]["messages"][1]["content"] for r in self.requests]

    def answer(self, request: dict, mode: str) -> str:
        if mode == "malformed":
            return "好的，下面是稿子：标题是热可可，正文……"
        prompt = request["messages"][1]["content"]
        material = prompt.split("<<<", 1)[1].split(">>>", 1)[0].strip()
        topic = re.sub(r"^(主题：|# )", "", material.split("\n", 1)[0])[:14]
        keep = (
            prompt.split("必须原样保留的信息：", 1)[1].split("\n", 1)[0].split("；")
            if "必须原样保留的信息：" in prompt
            else []
        )
        if mode == "drop_price":
            keep = [k for k in keep if "元" not in k]
        body = f"{topic}，给你一份清楚的介绍。" + "".join(f"{k}。" for k in keep) + "欢迎来试试。"
        if mode == "risky":
            body = "这是最好的选择。" + body
        if mode == "too_long":
            limit = int(re.search(r"正文不超过 (\d+) 字", prompt).group(1))
            body = body + "细节很多，慢慢说。" * (limit // 8 + 10)
        usual = re.search(r"(\d+)–(\d+) 字", prompt)  # a model that follows the shape it is given
        while usual and mode not in ("too_long", "too_short") and len(body) < int(usual.group(1)):
            body += "\n冬天来一杯，暖暖的。"
        data = {
            "title": f"{topic}",
            "titles": [f"{topic}，看这里"],
            "body": body,
            "tags": [topic[:6], "新品"],
            "summary": f"{topic}的介绍",
            "cover_text": topic[:8],
        }
        if "形式：video" in prompt:
            data["hook"] = f"{topic}，三秒看懂"
            lines = [f"{k}，记下来。" for k in keep] or [f"{topic}，给你一份清楚的介绍。"]
            lines += ["冬天来一杯热的，暖手也暖心。", "门店和小程序都能买到。", "喜欢的话告诉我们你的口味。"]
            data["scenes"] = [
                {"画面": "产品特写", "字幕": [keep[i][:12]] if i < len(keep) else [], "口播": line}
                for i, line in enumerate(lines[:6])
            ]
            data["cta"] = "关注我们"
        text = json.dumps(data, ensure_ascii=False)
        if mode == "fenced":
            return "好的：\n```json\n" + text + "\n```\n希望有帮助。"
        return text

    def close(self) -> None:
        stop(self.server)
