"""WeCom's official Python SDK (wecom-aibot-python-sdk) against our fake (run with the SDK's interpreter).

Usage: python wecom_ws_client.py WS_URL BOT_ID SECRET PUSH_CHATID
Answers a text with a finished stream, enter_chat with a welcome, a card press with a card update,
and pushes one markdown message once authenticated. Prints one JSON line per thing it saw.
"""

import asyncio
import json
import sys

import aibot.ws
from aibot import WSClient
from aibot.types import WSClientOptions

# The SDK always passes a TLS context, which websockets refuses for the fake's plain ws:// URL.
# Only the transport changes; every frame is the SDK's own.
aibot.ws._SSL_CONTEXT = None


def say(**data) -> None:
    print(json.dumps(data, ensure_ascii=False), flush=True)


async def main() -> None:
    url, bot_id, secret, chatid = sys.argv[1:5]
    client = WSClient(WSClientOptions(bot_id=bot_id, secret=secret, ws_url=url, heartbeat_interval=300))

    async def on_text(frame):
        say(seen="text", content=frame["body"]["text"]["content"])
        await client.reply_stream(frame, "sdk-stream-1", "收到", finish=True)

    async def on_enter(frame):
        say(seen="enter_chat")
        await client.reply_welcome(frame, {"msgtype": "text", "text": {"content": "欢迎"}})

    async def on_card(frame):
        task_id = frame["body"]["event"]["template_card_event"]["task_id"]
        say(seen="template_card_event", task_id=task_id)
        card = {
            "card_type": "button_interaction",
            "main_title": {"title": "已处理"},
            "task_id": task_id,
            "button_list": [{"text": "已处理", "style": 4, "key": "done"}],
        }
        await client.update_template_card(frame, card)

    async def on_authenticated():
        say(seen="authenticated")
        await client.send_message(chatid, {"msgtype": "markdown", "markdown": {"content": "你好"}})

    client.on("message.text", on_text)
    client.on("event.enter_chat", on_enter)
    client.on("event.template_card_event", on_card)
    client.on("authenticated", on_authenticated)
    client.on("event.disconnected_event", lambda frame: say(seen="disconnected_event"))
    await client.connect()
    while True:
        await asyncio.sleep(3600)


if __name__ == "__main__":
    asyncio.run(main())
