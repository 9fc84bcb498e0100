"""A local fake of an OpenAI-compatible chat completions endpoint, on loopback."""

from __future__ import annotations

import json
import time

from tests.fakes.base import JsonHandler, base_url, serve, stop


class FakeModel:
    """``mode``: ok | risky | error | slow | garbage. Records the requests it got."""

    def __init__(self):
        self.mode = "ok"
        self.requests: list[dict] = []
        fake = self

        class Handler(JsonHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append(
                    {"path": self.path, "auth": self.headers.get("Authorization"), "body": body}
                )
                if fake.mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    return
                if fake.mode == "slow":
                    time.sleep(2)
                content = fake.answer(body)
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

    def answer(self, request: dict) -> str:
        if self.mode == "garbage":
            return "抱歉，我不能输出 JSON。"
        prompt = request["messages"][-1]["content"]
        topic = prompt.split("主题：", 1)[1].split("\n", 1)[0]
        best = "最好的" if self.mode == "risky" else ""
        data = {
            "titles": [f"模型写的{topic}", f"{topic}的另一种标题"],
            "body": f"这是模型为{topic}写的{best}正文。",
            "tags": [topic, "模型"],
            "script": {
                "hook": f"{topic}来了",
                "scenes": [{"画面": "特写", "口播": "模型口播"}],
                "cta": "关注",
            },
        }
        return "```json\n" + json.dumps(data, ensure_ascii=False) + "\n```"

    def close(self) -> None:
        stop(self.server)
