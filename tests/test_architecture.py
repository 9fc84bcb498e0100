"""The house rules, checked on the source: who may import whom, and no import cycles.

- ``storage/`` imports nothing of ours but ``storage``.
- ``handlers/`` never imports a channel, the engine, the web app, the CLI or the composition root.
- Pure modules (listed below) import no registry, no context, no channel and call only
  storage functions that read.
- Command modules import pure modules, never the other way round.
- No cycle among our modules, counting imports inside functions (a lazy import hides a cycle from
  Python, not from this test).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.date_free

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage")

PURE = {
    "handlers.shared.numbers",
    "handlers.shared.platforms",
    "handlers.shared.results",
    "handlers.shared.matching",
    "handlers.drafting.brief",
    "handlers.drafting.facts",
    "handlers.drafting.article",
    "handlers.drafting.extract",
    "handlers.drafting.outline",
    "handlers.drafting.version",
    "handlers.drafting.writer",
    "handlers.drafting.data_files",
    "handlers.drafting.slots",
    "handlers.drafting.titles",
    "handlers.drafting.compliance",
    "handlers.drafting.llm",
    "handlers.shared.draft_workflow",
    "handlers.drafting.render",
    "handlers.reminders.rules",
    "handlers.shared.rhythm",
    "handlers.shared.vocab",
    "handlers.metrics.analytics",
    "handlers.metrics.charts",
    "handlers.metrics.wechat_mp",
}
PURE_PREFIXES = ("handlers.shared.time",)
FORBIDDEN_FOR_HANDLERS = (
    "bot.channels",
    "bot.engine",
    "bot.app",
    "bot.cli",
    "bot.root",
    "bot.dispatcher",
    "bot.demo",
)
FORBIDDEN_FOR_PURE = ("bot.registry", "bot.context", "bot.router", "storage.db")
# Storage functions a pure module may call: they only read.
READS = re.compile(
    r"^(get|list|find|latest|last|series|count|accounts|team_templates|disabled|template_results|published|of_team)"
)


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _is_pure(name: str) -> bool:
    return name in PURE or name.startswith(PURE_PREFIXES)


def _is_command_module(name: str) -> bool:
    leaf = name.rsplit(".", 1)[-1]
    return name.startswith("handlers.") and (leaf.endswith("_commands") or leaf.endswith("_command"))


def _imports(name: str) -> list[tuple[str, ast.AST]]:
    """Our modules that ``name`` imports anywhere in its source (a from-import of a submodule counts as it)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PACKAGES:
                    out.append((alias.name, node))
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in PACKAGES:
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                out.append((sub if sub in MODULES else node.module, node))
    return out


def _storage_aliases(name: str) -> dict[str, str]:
    """Local names bound to storage modules in ``name``: ``store`` → ``storage.metrics``."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    aliases = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "storage":
            for alias in node.names:
                aliases[alias.asname or alias.name] = f"storage.{alias.name}"
    return aliases


def test_every_module_compiles_and_is_found():
    assert "handlers.drafting.writer" in MODULES and "storage.metrics" in MODULES
    for path in MODULES.values():
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


def test_a_capability_imports_only_itself_shared_storage_and_the_engine_seams():
    """drafting, reminders, metrics and team share through ``handlers.shared`` (time words and
    formats, days, metric vocabulary, the draft workflow, results), never one another; shared
    imports no capability."""
    bad = []
    for name in MODULES:
        parts = name.split(".")
        if parts[0] != "handlers" or len(parts) < 2 or parts[1] in ("__init__",):
            continue
        if name == "handlers":
            continue
        own = parts[1]
        for target, _ in _imports(name):
            t = target.split(".")
            if t[0] != "handlers" or len(t) < 2:
                continue
            if t[1] not in (own, "shared"):
                bad.append(f"{name} imports {target}")
    assert bad == []


def test_storage_imports_only_storage():
    bad = [
        f"{name} imports {target}"
        for name in MODULES
        if name.startswith("storage")
        for target, _ in _imports(name)
        if not target.startswith("storage")
    ]
    assert bad == []


def test_a_command_module_imports_no_other_command_module():
    """What two command modules share lives in a helper beside them (drafting.access,
    metrics.accounts), so each command module can be read, moved or split alone."""
    bad = [
        f"{name} imports {target}"
        for name in MODULES
        if _is_command_module(name)
        for target, _ in _imports(name)
        if _is_command_module(target) and target != name
    ]
    assert bad == []


def test_storage_functions_open_no_transaction():
    """The engine and the dispatcher own transactions (the table in storage/db.py); a storage
    function runs in its caller's."""
    bad = [
        f"{name}: {word}"
        for name in MODULES
        if name.startswith("storage.") and name not in ("storage.db", "storage.backend")
        for word in _opens_transaction(MODULES[name].read_text(encoding="utf-8"))
    ]
    assert bad == []


def _opens_transaction(source: str) -> list[str]:
    """The words in ``source`` that open a transaction."""
    return [w for w in ("write_tx(", "read_then_write_tx(", "_transaction(", "BEGIN") if w in source]


def test_handlers_know_no_platform_and_no_engine():
    bad = [
        f"{name} imports {target}"
        for name in MODULES
        if name.startswith("handlers")
        for target, _ in _imports(name)
        if target.startswith(FORBIDDEN_FOR_HANDLERS)
    ]
    assert bad == []


def test_pure_modules_have_no_registry_context_or_writes():
    bad = []
    for name in MODULES:
        if not _is_pure(name):
            continue
        for target, _ in _imports(name):
            if target.startswith(FORBIDDEN_FOR_PURE) or _is_command_module(target):
                bad.append(f"{name} imports {target}")
        aliases = _storage_aliases(name)
        tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id in aliases
                and not READS.match(node.func.attr)
            ):
                bad.append(f"{name} calls {aliases[node.func.value.id]}.{node.func.attr} (a write?)")
    assert bad == []


def find_cycles(graph: dict[str, set[str]]) -> list[str]:
    """Each back edge of a depth-first walk, as ``a → b → a``."""
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(" → ".join([*path[path.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return cycles


def test_no_import_cycles():
    graph = {name: {t for t, _ in _imports(name) if t in MODULES and t != name} for name in MODULES}
    assert find_cycles(graph) == []


def test_the_checks_catch_what_they_should():
    assert find_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a → b → c → a"]
    assert find_cycles({"a": {"b", "c"}, "b": {"c"}, "c": set()}) == []
    assert _is_command_module("handlers.drafting.draft_commands")
    assert not _is_pure("handlers.drafting.draft_commands")
    assert _is_pure("handlers.shared.time.parse.clock")
    assert READS.match("series") and not READS.match("record") and not READS.match("create")
    assert _opens_transaction("    with write_tx(db):\n        db.execute(sql)") == ["write_tx("]
    assert _opens_transaction("    db.execute('UPDATE teams SET name = ?', [name])") == []
    assert _is_command_module("handlers.metrics.record_commands") and not _is_command_module(
        "handlers.metrics.accounts"
    )


def test_jobs_prepares_and_seeders_take_a_job_context_not_the_engine():
    """One contract for scheduled work: ``f(ctx: JobContext)`` — team, row, due, late, local now,
    database, config; never the engine (``bot``)."""
    import inspect

    from bot.root import build_registry

    registry = build_registry()
    funcs = [*registry.jobs.values(), *registry.job_prepares.values(), *registry.seeders]
    assert len(funcs) >= 14
    bad = []
    for func in funcs:
        params = list(inspect.signature(func).parameters.values())
        if len(params) != 1 or params[0].name != "ctx" or "JobContext" not in str(params[0].annotation):
            bad.append(f"{func.__module__}.{func.__qualname__}{inspect.signature(func)}")
    assert bad == []
