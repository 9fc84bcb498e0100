"""Feishu (飞书): the self-built app (``channel``: HTTP events or long connection, cards and buttons),
its REST client (``api``), the custom bot for pushes (``custom_bot``), event ``crypto`` and card ``render``."""
