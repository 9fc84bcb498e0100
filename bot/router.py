"""From a message's text to a command, its arguments and the handler's replies."""

from __future__ import annotations

import difflib
import logging
import traceback

from bot.context import Context
from bot.errors import Denied, NotFound, UsageError
from bot.models import Reply, as_replies
from bot.registry import ROLE_NAMES, ROLE_RANK, CommandSpec, Registry
from bot.textnorm import fold, split_prefix
from storage import teams
from storage.db import is_busy, write_tx

log = logging.getLogger(__name__)


def _is_ascii_word(word: str) -> bool:
    return word.isascii() and word[-1:].isalnum()


def resolve(registry: Registry, text: str) -> tuple[CommandSpec | None, int, int]:
    """Find the command a text starts with: ``(spec, start, end)`` of the command word.

    The longest name or alias wins (``提醒列表`` over ``提醒``). A Chinese word may run
    straight into its arguments (``提醒我明天…``); an ASCII one must end at a non-letter.
    """
    start, rest = split_prefix(text)
    lower = rest.lower()
    best: tuple[str, CommandSpec] | None = None
    for word, spec in registry.words.items():
        if not lower.startswith(word):
            continue
        nxt = lower[len(word) : len(word) + 1]
        if _is_ascii_word(word) and nxt.isascii() and nxt.isalnum():
            continue
        if best is None or len(word) > len(best[0]):
            best = (word, spec)
    if best is None:
        return None, start, start
    return best[1], start, start + len(best[0])


def suggest(registry: Registry, text: str, limit: int = 3) -> list[str]:
    """Command names close to what was typed, best first."""
    _, rest = split_prefix(text)
    rest = rest.strip().lower()
    if not rest:
        return []
    token = rest.split()[0]
    scored: dict[str, float] = {}
    for word, spec in registry.words.items():
        if spec.hidden:
            continue
        ratio = max(
            difflib.SequenceMatcher(None, token, word).ratio(),
            difflib.SequenceMatcher(None, rest[: len(word)], word).ratio(),
        )
        if ratio >= 0.5 and ratio > scored.get(spec.name, 0):
            scored[spec.name] = ratio
    return [name for name, _ in sorted(scored.items(), key=lambda kv: -kv[1])[:limit]]


def usage_reply(spec: CommandSpec, reason: str, example: str | None = None) -> Reply:
    example = example or (spec.examples[0] if spec.examples else spec.usage)
    return Reply(
        title=f"「{spec.name}」的用法不对",
        body=f"{reason}\n\n用法：{spec.usage}\n例如：{example}",
        tone="warn",
        note=f"发送「帮助 {spec.name}」查看完整说明。",
    )


def denied_reply(ctx: Context, spec: CommandSpec) -> Reply:
    allowed = [r for r, rank in ROLE_RANK.items() if rank >= ROLE_RANK[spec.role]]
    who = "或".join(ROLE_NAMES[r] for r in allowed)
    holders = teams.people_with_role(ctx.db, ctx.team_id, tuple(allowed))
    names = "、".join(p["name"] or p["user_id"] for p in holders[:5])
    body = f"「{spec.name}」只有{who}可以使用，你在本群的角色是{ROLE_NAMES[ctx.role]}。"
    body += f"\n本群的{who}：{names}。" if names else "\n本群还没有人担任这个角色。"
    body += "\n管理员可以发送「授权 @某人 经理」授予角色。"
    return Reply(title="没有权限", body=body, tone="warn")


def unknown_reply(registry: Registry, text: str) -> Reply:
    options = suggest(registry, text)
    _, rest = split_prefix(text)
    shown = rest.strip()[:20]
    if options:
        body = "你是不是想用：" + "、".join(f"「{o}」" for o in options) + "？"
        body += f"\n\n发送「帮助 {options[0]}」查看用法，或「帮助」查看全部命令。"
    else:
        body = "发送「帮助」查看全部命令。"
    return Reply(title=f"没有听懂「{shown}」", body=body, tone="warn")


def greeting_reply() -> Reply:
    return Reply(
        title="我在",
        body="我是小编，帮你写稿、提醒、看数据。发送「帮助」查看全部命令，例如「帮助 草稿」。",
    )


def plan(registry: Registry, ctx: Context) -> list[Reply] | None:
    """Resolve the command of ``ctx.message`` and fill ``ctx``'s command and arguments.

    Returns replies when the message is answered without running a handler (a greeting, an
    unknown command, a refusal); None when :func:`execute` should run the handler. Reads only.
    """
    text = ctx.message.text
    spec, start, end = resolve(registry, text)
    raw_args = text[end:] if spec else ""
    if spec is None:
        _, rest = split_prefix(text)
        if not rest.strip():
            return [greeting_reply()]
        for intent in registry.intents:
            found = intent.func(rest)
            if found:
                name, raw_args = found
                spec = registry.commands[name]
                break
        else:
            return [unknown_reply(registry, text)]
    ctx.command = spec
    ctx.command_word = text[start:end] if end > start else ""
    ctx.raw_args = raw_args.strip().lstrip(":：").strip()
    ctx.args = fold(ctx.raw_args).strip()
    if not ctx.has_role(spec.role):
        return [denied_reply(ctx, spec)]
    return None


def prepare(ctx: Context) -> None:
    """Run the command's slow step (outside any transaction); a failure leaves ``ctx.prepared`` None."""
    spec = ctx.command
    if spec is None or spec.prepare is None:
        return
    try:
        ctx.prepared = spec.prepare(ctx)
    except Exception:
        log.exception("prepare step of %s failed on inbox #%s", spec.name, ctx.inbox_id)
        ctx.prepared = None


def execute(ctx: Context) -> tuple[list[Reply], str | None]:
    """Run the planned handler in a savepoint; map its exceptions to replies.

    Returns the replies and, when the handler failed unexpectedly, the error text for the
    inbox row (its writes are undone).
    """
    spec = ctx.command
    if spec is None:
        raise RuntimeError("execute() runs a command that plan() chose")
    try:
        with write_tx(ctx.db):
            result = spec.func(ctx)
        replies = as_replies(result)
        if not replies:
            replies = [Reply(body="好的。", tone="ok")]
        return replies, None
    except UsageError as exc:
        return [usage_reply(spec, exc.reason, exc.example)], None
    except Denied as exc:
        return [Reply(title="没有权限", body=exc.reason, tone="warn")], None
    except NotFound as exc:
        return [Reply(title="没有找到", body=exc.reason, tone="warn")], None
    except Exception as exc:
        if is_busy(exc):  # lost the race for the write lock: the engine runs the handler again
            raise
        error = traceback.format_exc()
        log.error("handler %s failed on inbox #%s:\n%s", spec.name, ctx.inbox_id, error)
        return [
            Reply(
                title="出错了",
                body=f"处理「{spec.name}」时出了意外，已记录（编号 #{ctx.inbox_id}）。请稍后再试，或告诉管理员这个编号。",
                tone="error",
            )
        ], error
