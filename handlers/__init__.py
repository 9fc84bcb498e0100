"""The business: one module per capability. Importing this package declares every command."""

from handlers import calendar, compliance, drafts, help, reminders, team, titles  # noqa: F401
