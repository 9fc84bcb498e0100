"""The engine: configuration, models, the command registry and router, workers, channels, CLI.

It knows no business; capabilities live in :mod:`handlers`.
"""
