"""The business, one package per capability; it knows no platform.

Each capability (``drafting``, ``reminders``, ``metrics``, ``team``) has pure modules and thin
command modules, and exposes ``register(registry)``. Importing this package registers nothing:
the composition root (``bot.root.build_registry``) calls :func:`register`.

The dependency rule (checked by ``tests/test_architecture.py``): command modules → pure modules →
storage; pure modules import no registry, no channel and write nothing; no import cycles.
"""

from __future__ import annotations

CAPABILITIES = ("drafting", "reminders", "metrics", "team")


def register(registry) -> None:
    """Add every capability's commands, intents, jobs, demo seeders and tools to ``registry``."""
    import importlib

    for name in CAPABILITIES:
        importlib.import_module(f"handlers.{name}").register(registry)
