"""The team: roles and settings, the push webhook, help.

Commands only: ``team_commands`` (授权, 成员, 设置 …), ``push_commands`` (推送), ``help_command`` (帮助).
"""

from __future__ import annotations


def register(registry) -> None:
    from handlers.team import help_command, push_commands, team_commands

    for module in (team_commands, push_commands, help_command):
        registry.add_module(module)
