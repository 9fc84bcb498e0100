"""What every local fake platform shares: a quiet JSON request handler and a loopback server in a thread."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonHandler(BaseHTTPRequestHandler):
    """A request handler for the fakes: no access log, JSON in and out."""

    def log_message(self, *args) -> None:
        pass

    def body_bytes(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def body_json(self):
        return json.loads(self.body_bytes() or b"null")

    def reply(self, data, status: int = 200, headers: dict | None = None) -> None:
        body = json.dumps(data).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout case)


def serve(handler: type[BaseHTTPRequestHandler]) -> ThreadingHTTPServer:
    """Start ``handler`` on a free loopback port in a daemon thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def base_url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def stop(server: ThreadingHTTPServer) -> None:
    """Stop at once: ``shutdown`` only asks the serving loop to end, which it notices when its
    ``select`` (half a second) returns; a connection to the port makes it return now. The loop
    ends without serving that connection once the request to stop is seen."""
    ending = threading.Thread(target=server.shutdown, daemon=True)
    ending.start()
    while ending.is_alive():
        try:
            socket.create_connection(server.server_address[:2], timeout=0.2).close()
        except OSError:
            pass
        ending.join(0.01)
    server.server_close()
