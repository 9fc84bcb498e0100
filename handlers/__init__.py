"""The business: one module per capability. Importing this package declares every command."""

from handlers import help, team  # noqa: F401
