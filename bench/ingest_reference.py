"""The reference for bench/ingest.py: lark-oapi's own Flask adapter and event dispatcher, one SQLite
insert per event, on waitress with 8 threads. Runs in .sdk-venv (lark-oapi, flask, waitress).

Usage: python bench/ingest_reference.py PORT DB ENCRYPT_KEY VERIFICATION_TOKEN
"""

import sqlite3
import sys
import threading

import lark_oapi as lark
from flask import Flask
from lark_oapi.adapter.flask import parse_req, parse_resp
from waitress import serve

port, db_path, encrypt_key, token = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
local = threading.local()


def conn() -> sqlite3.Connection:
    c = getattr(local, "conn", None)
    if c is None:
        c = local.conn = sqlite3.connect(db_path, timeout=10, isolation_level=None)
        c.execute("PRAGMA journal_mode = WAL")
        c.execute("PRAGMA synchronous = NORMAL")
        c.execute("CREATE TABLE IF NOT EXISTS events (id TEXT PRIMARY KEY, body TEXT)")
    return c


def on_message(data) -> None:
    conn().execute(
        "INSERT OR IGNORE INTO events VALUES (?, ?)",
        [data.event.message.message_id, data.event.message.content],
    )


handler = (
    lark.EventDispatcherHandler.builder(encrypt_key, token, lark.LogLevel.ERROR)
    .register_p2_im_message_receive_v1(on_message)
    .build()
)
app = Flask("reference")


@app.post("/feishu/events")
def events():
    return parse_resp(handler.do(parse_req()))


serve(app, host="127.0.0.1", port=int(port), threads=8, _quiet=True)
