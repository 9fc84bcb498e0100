"""Exceptions a handler raises to answer the user instead of returning a reply."""

from __future__ import annotations


class UsageError(Exception):
    """The arguments do not parse: the router answers with ``reason``, the usage and an example.

    ``example`` overrides the command's first example when a more fitting one exists.
    """

    def __init__(self, reason: str, *, example: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.example = example


class Denied(Exception):
    """The person may not do this; ``reason`` says who can."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NotFound(Exception):
    """What the command names does not exist in this team (a draft number, a reminder)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason
