"""Declaring commands, natural-language intents, scheduled job kinds, demo seeders and CLI tools.

One decorator gives a command its routing (name and aliases), its help (usage, examples,
docstring) and its permission (the lowest role allowed)::

    @command("提醒列表", aliases=("reminders",), group="提醒与排期",
             usage="提醒列表", examples=("提醒列表",))
    def list_reminders(ctx):
        \"\"\"列出本群还在等待的提醒。\"\"\"
        ...

Declaring only marks the function. Nothing is registered by importing a module: each capability's
``register(registry)`` adds its command modules with :meth:`Registry.add_module`, and the
composition root (``bot.root``) calls every capability's ``register``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

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

    @cached_property
    def summary(self) -> str:
        return self.help.splitlines()[0] if self.help else ""

    @cached_property
    def help(self) -> str:
        """The docstring, cleaned once (「帮助」 lists every command's first line on each call)."""
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
class Tool:
    """A ``xiaobian`` subcommand a capability offers (``parse-time``, ``check``, ``import-metrics``).

    ``configure(parser)`` adds its arguments; ``run(args, open_bot)`` does the work and returns the
    exit code. ``open_bot()`` builds the configured bot (the caller's to close) for tools that need
    the database; a tool that does not call it never opens one.
    """

    name: str
    help: str
    configure: Callable
    run: Callable


@dataclass
class Registry:
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    words: dict[str, CommandSpec] = field(default_factory=dict)
    intents: list[Intent] = field(default_factory=list)
    jobs: dict[str, Callable] = field(default_factory=dict)
    job_prepares: dict[str, Callable] = field(default_factory=dict)
    seeders: list[Callable] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    tools: dict[str, Tool] = field(default_factory=dict)

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

    def add_intent(self, func: Callable, priority: int = 50) -> None:
        self.intents.append(Intent(func, priority))
        self.intents.sort(key=lambda i: i.priority)

    def add_job(self, kind: str, func: Callable, prepare: Callable | None = None) -> None:
        if kind in self.jobs and self.jobs[kind] is not func:
            raise ValueError(f"job kind {kind!r} is taken by {self.jobs[kind].__qualname__}")
        self.jobs[kind] = func
        if prepare is not None:
            self.job_prepares[kind] = prepare

    def add_tool(self, tool: Tool) -> None:
        if tool.name in self.tools:
            raise ValueError(f"tool {tool.name!r} is declared twice")
        self.tools[tool.name] = tool

    def add_module(self, module) -> None:
        """Add everything a module declared with the decorators below, in the order it was written.

        Declaring has no side effect: a module's commands exist only in the registries that add it.
        Only the module's own functions count, not those it imported.
        """
        for value in list(vars(module).values()):
            if getattr(value, "__module__", None) == module.__name__:
                self.add_declared(value)

    def add_declared(self, func: Callable) -> None:
        """Add what one function was declared as (a command, an intent, a job, a demo seeder)."""
        for what, args in getattr(func, DECLARED, ()):
            if what == "command":
                self.add(CommandSpec(func=func, **args))
            elif what == "intent":
                self.add_intent(func, **args)
            elif what == "job":
                self.add_job(func=func, **args)
            elif what == "demo_seeder":
                self.seeders.append(func)

    def get(self, word: str) -> CommandSpec | None:
        return self.words.get(word.lower())


DECLARED = "__xiaobian_declared__"


def _declare(func: Callable, what: str, **args) -> Callable:
    setattr(func, DECLARED, (*getattr(func, DECLARED, ()), (what, args)))
    return func


def command(
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
    """Declare a command: its routing, help and permission. ``Registry.add_module`` picks it up."""
    args = dict(
        name=name,
        aliases=tuple(aliases),
        group=group,
        role=role,
        usage=usage,
        examples=tuple(examples),
        hidden=hidden,
        prepare=prepare,
    )
    return lambda func: _declare(func, "command", **args)


def intent(priority: int = 50):
    """Declare a matcher for text that names no command; lower priorities are asked first."""
    return lambda func: _declare(func, "intent", priority=priority)


def job(kind: str, *, prepare: Callable | None = None):
    """Declare the function that fires a scheduled row of ``kind``.

    The job is called with a :class:`bot.context.JobContext` and returns replies to push.
    ``prepare(ctx)`` does slow work (network) before the fire's transaction; its result reaches
    the job as ``ctx.prepared``.
    """
    return lambda func: _declare(func, "job", kind=kind, prepare=prepare)


def demo_seeder(func: Callable) -> Callable:
    """Declare a function that adds a capability's demo data to the demo team (given a
    :class:`bot.context.JobContext` for the new team)."""
    return _declare(func, "demo_seeder")
