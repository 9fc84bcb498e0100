"""Drafting: briefs to platform drafts, adaptation, headlines, the compliance check, the review workflow.

Pure core (no registry, no storage writes, no platform): ``brief`` (a brief and its fields),
``facts`` (facts to keep word for word), ``article`` (a source text read: title, sentences, key
terms), ``writer`` (who writes a version), ``llm`` (the model, its presets, the repair round),
``outline`` (提纲 without a model), ``extract`` (adaptation from the source's own sentences),
``version`` (one platform's version), ``slots``, ``titles`` (the headline library), ``compliance``
(the checker), ``workflow`` (states and actions), ``render`` (a draft as chat text).
Commands: ``draft_commands`` (草稿, 改写), ``workflow_commands`` (草稿箱 to 归档), ``publish_commands``
(定时, 已发布, 效果), ``title_commands``, ``check_command``, over ``access`` (a draft by number, who may
act, the transition); ``demo`` seeds the demo team;
``tools`` is ``xiaobian check``, ``xiaobian draft`` and ``xiaobian adapt``.
"""

from __future__ import annotations


def register(registry) -> None:
    from handlers.drafting import (
        check_command,
        demo,
        draft_commands,
        publish_commands,
        title_commands,
        tools,
        workflow_commands,
    )

    for module in (draft_commands, workflow_commands, publish_commands, title_commands, check_command, demo):
        registry.add_module(module)
    for tool in (tools.CHECK, tools.DRAFT, tools.ADAPT):
        registry.add_tool(tool)
