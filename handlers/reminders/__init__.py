"""Reminders and the publishing rhythm: plain-language times, reminders, slots and the week view.

Pure core: ``rules`` (a reading to a schedule rule and back to words), over the shared
``handlers.shared.time.parse`` (a phrase to a reading, in ordered passes) and ``shared.rhythm``
(slot days, lead times, occurrences).
Commands: ``reminder_commands`` (提醒 …), ``calendar_commands`` (档期, 排期); ``tools`` is
``xiaobian parse-time``.
"""

from __future__ import annotations


def register(registry) -> None:
    from handlers.reminders import calendar_commands, reminder_commands, tools

    for module in (reminder_commands, calendar_commands):
        registry.add_module(module)
    registry.add_tool(tools.PARSE_TIME)
