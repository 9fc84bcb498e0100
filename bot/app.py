"""The Flask app: health, and the webhook routes of every channel that is on."""

from __future__ import annotations

from flask import Flask, jsonify

from bot.engine import Bot


def create_app(bot: Bot | None = None) -> Flask:
    """Build the web app around a bot (one is built from the environment when none is given).

    Channels with webhooks contribute their blueprints; the app itself only answers
    ``/healthz``. Request handlers never do the work: they record and acknowledge.
    """
    if bot is None:
        from bot.service import build_bot

        bot = build_bot()
    app = Flask("xiaobian")
    app.config["MAX_CONTENT_LENGTH"] = 1 * 1024 * 1024
    app.extensions["xiaobian"] = bot

    @app.get("/healthz")
    def healthz():
        data = bot.health()
        return jsonify(data), (200 if data["ok"] else 503)

    for channel in bot.channels.values():
        bp = channel.blueprint()
        if bp is not None:
            app.register_blueprint(bp)
    return app
