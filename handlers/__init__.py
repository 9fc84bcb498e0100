"""The business: one module per capability. Importing this package declares every command."""

from handlers import calendar, help, reminders, team  # noqa: F401
