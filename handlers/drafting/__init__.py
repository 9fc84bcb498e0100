"""Drafting: briefs to platform drafts, adaptation, headlines, the compliance check, the review workflow.

Pure core (no registry, no storage writes, no platform): ``compose`` (briefs and template drafts),
``slots``, ``titles`` (the headline library), ``compliance`` (the checker), ``llm`` (the optional
model), ``workflow`` (states and actions), ``render`` (a draft as chat text).
Commands: ``draft_commands``, ``title_commands``, ``check_command``; ``demo`` seeds the demo team;
``tools`` is ``xiaobian check``.
"""

from __future__ import annotations


def register(registry) -> None:
    from handlers.drafting import check_command, demo, draft_commands, title_commands, tools

    for module in (draft_commands, title_commands, check_command, demo):
        registry.add_module(module)
    registry.add_tool(tools.CHECK)
