"""The Flask app: health, and the webhook routes of every channel that is on."""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask, Response, g, jsonify, request

from bot.engine import Bot

log = logging.getLogger(__name__)


def create_app(bot: Bot | None = None) -> Flask:
    """Build the web app around a bot (one is built from the environment when none is given).

    Channels with webhooks contribute their blueprints; the app itself only answers
    ``/healthz``. Request handlers never do the work: they record and acknowledge.
    """
    if bot is None:
        from bot.root import build_bot

        bot = build_bot()
    app = Flask("xiaobian")
    app.config["MAX_CONTENT_LENGTH"] = 1 * 1024 * 1024
    app.extensions["xiaobian"] = bot

    @app.get("/healthz")
    def healthz():
        data = bot.health()
        return jsonify(data), (200 if data["ok"] else 503)

    @app.get("/metrics")
    def metrics():
        return Response(bot.metrics.render(), mimetype="text/plain; version=0.0.4; charset=utf-8")

    @app.before_request
    def started():
        g.xiaobian_started = time.perf_counter()

    @app.after_request
    def measured(response):
        route = request.url_rule.rule if request.url_rule is not None else "unknown"
        if route not in ("/healthz", "/metrics"):
            elapsed = time.perf_counter() - g.get("xiaobian_started", time.perf_counter())
            bot.metrics.ack.labels(route).observe(elapsed)
            if response.status_code in (400, 403, 413):
                bot.metrics.refused.labels(route, str(response.status_code)).inc()
        return response

    for channel in bot.channels.values():
        bp = channel.blueprint()
        if bp is not None:
            app.register_blueprint(bp)
    return app


class HttpServer:
    """The production WSGI server (waitress) on a thread, stoppable without a traceback."""

    def __init__(self, app: Flask, host: str, port: int, threads: int = 8):
        from waitress.server import create_server

        self._server = create_server(app, host=host, port=port, threads=threads)
        self._closing = False
        self._thread = threading.Thread(target=self._run, name="xiaobian-http", daemon=True)

    @property
    def port(self) -> int:
        return self._server.effective_port

    def _run(self) -> None:
        try:
            self._server.run()
        except OSError:
            if not self._closing:
                raise

    def start(self) -> HttpServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listening socket and every open connection from inside the serving loop
        (woken through waitress's trigger), so the loop ends at once instead of at its next
        one-second select timeout; then let the task threads finish."""
        self._closing = True
        server = self._server

        def close_all() -> None:
            for dispatcher in list(server._map.values()):
                if dispatcher is not server.trigger:
                    dispatcher.close()
            server.close()  # the trigger last: this thunk runs in its read handler

        if self._thread.is_alive():
            try:
                server.trigger.pull_trigger(close_all)
            except OSError:
                # The trigger is gone: wasyncore closes a dispatcher whose handler raised, the
                # trigger included. Close from this thread; the loop ends at its next timeout.
                log.warning("http server trigger closed; stopping from outside the loop")
                close_all()
            self._thread.join(timeout=5)
        else:
            server.close()
        server.task_dispatcher.shutdown(timeout=5)
