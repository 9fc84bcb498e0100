"""Declaring commands, natural-language intents, scheduled job kinds and demo seeders.

One decorator gives a command its routing (name and aliases), its help (usage, examples,
docstring) and its permission (the lowest role allowed)::

    @command("提醒列表", aliases=("reminders",), group="提醒与排期",
             usage="提醒列表", examples=("提醒列表",))
    def list_reminders(ctx):
        \"\"\"列出本群还在等待的提醒。\"\"\"
        ...
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

ROLE_RANK = {"member": 0, "manager": 1, "admin": 2}
ROLE_NAMES = {"member": "成员", "manager": "经理", "admin": "管理员"}


@dataclass
class CommandSpec:
    name: str
    func: Callable
    aliases: tuple[str, ...] = ()
    group: str = "基础"
    role: str = "member"
    usage: str = ""
    examples: tuple[str, ...] = ()
    hidden: bool = False
    prepare: Callable | None = None  # slow work (a model call) run before the handler's transaction

    @property
    def summary(self) -> str:
        return self.help.splitlines()[0] if self.help else ""

    @property
    def help(self) -> str:
        return inspect.cleandoc(self.func.__doc__ or "")

    @property
    def words(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Intent:
    """A matcher for text that names no command (``每周三下午3点提醒大家交选题``)."""

    func: Callable[[str], tuple[str, str] | None]
    priority: int = 50


@dataclass
class Registry:
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    words: dict[str, CommandSpec] = field(default_factory=dict)
    intents: list[Intent] = field(default_factory=list)
    jobs: dict[str, Callable] = field(default_factory=dict)
    job_prepares: dict[str, Callable] = field(default_factory=dict)
    seeders: list[Callable] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)

    def add(self, spec: CommandSpec) -> None:
        if spec.role not in ROLE_RANK:
            raise ValueError(f"{spec.name}: unknown role {spec.role!r}")
        if not spec.usage or not spec.examples or not spec.help:
            raise ValueError(f"{spec.name}: a command needs a usage line, an example and a docstring")
        for word in spec.words:
            key = word.lower()
            if key in self.words and self.words[key] is not spec:
                raise ValueError(f"command word {word!r} is taken by {self.words[key].name}")
            self.words[key] = spec
        self.commands[spec.name] = spec
        if spec.group not in self.groups:
            self.groups.append(spec.group)

    def command(
        self,
        name: str,
        *,
        aliases: tuple[str, ...] = (),
        group: str = "基础",
        role: str = "member",
        usage: str,
        examples: tuple[str, ...],
        hidden: bool = False,
        prepare: Callable | None = None,
    ):
        def decorate(func):
            self.add(
                CommandSpec(name, func, tuple(aliases), group, role, usage, tuple(examples), hidden, prepare)
            )
            return func

        return decorate

    def intent(self, priority: int = 50):
        def decorate(func):
            self.intents.append(Intent(func, priority))
            self.intents.sort(key=lambda i: i.priority)
            return func

        return decorate

    def job(self, kind: str, *, prepare: Callable | None = None):
        """Declare the function that fires a scheduled row of ``kind``.

        ``prepare(bot, team, row, now)`` does slow work (network) before the fire's
        transaction; its result reaches the job as ``prepared``.
        """

        def decorate(func):
            self.jobs[kind] = func
            if prepare is not None:
                self.job_prepares[kind] = prepare
            return func

        return decorate

    def demo_seeder(self, func):
        """Declare a function that adds a capability's demo data to the demo team."""
        self.seeders.append(func)
        return func

    def get(self, word: str) -> CommandSpec | None:
        return self.words.get(word.lower())


# The registry every handler module declares into.
default = Registry()
command = default.command
intent = default.intent
job = default.job
demo_seeder = default.demo_seeder


def load_handlers() -> Registry:
    """Import the handler package so every command is declared; return the default registry."""
    import handlers  # noqa: F401

    return default
