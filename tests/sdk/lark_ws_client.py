"""lark-oapi's own long-connection client against our fake (run with the SDK's interpreter).

Usage: python lark_ws_client.py DOMAIN APP_ID APP_SECRET
Prints one JSON line per event the SDK hands to the app; the test reads them.
"""

import json
import sys

import lark_oapi as lark


def main() -> None:
    domain, app_id, app_secret = sys.argv[1:4]

    def on_message(data) -> None:
        print(
            json.dumps({"event_type": data.header.event_type, "event": data.event}, ensure_ascii=False),
            flush=True,
        )

    handler = (
        lark.EventDispatcherHandler.builder("", "")
        .register_p2_customized_event("im.message.receive_v1", on_message)
        .build()
    )
    client = lark.ws.Client(
        app_id, app_secret, event_handler=handler, domain=domain, log_level=lark.LogLevel.DEBUG
    )
    print(json.dumps({"started": True}), flush=True)
    client.start()


if __name__ == "__main__":
    main()
