"""Channels: each turns a platform's traffic into :class:`bot.models.Message` and renders replies back."""
