"""The ``xiaobian`` command line: chat, demo, serve, worker, and tools."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from pathlib import Path

from bot import config as config_mod

log = logging.getLogger("xiaobian")

EXIT_WORDS = {"退出", "exit", "quit", ":q"}


def _setup_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper(), logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def _load_config(args) -> config_mod.Config:
    try:
        cfg = config_mod.load()
    except config_mod.ConfigError as exc:
        print(f"配置错误：{exc}", file=sys.stderr)
        raise SystemExit(2) from None
    if getattr(args, "db", None):
        cfg.db_path = args.db
    return cfg


def _console_session(cfg, team: str, user: str, user_name: str, banner: str | None = None, bot=None) -> int:
    from bot.channels.console import ConsoleChannel
    from bot.root import build_bot

    bot = bot or build_bot(cfg)
    channel = bot.add_channel(ConsoleChannel(team))
    bot.start(workers=2)
    interactive = sys.stdin.isatty()
    try:
        if interactive:
            _enable_history()
            print(
                banner
                or f"小编控制台：团队「{team}」，你是「{user_name or user}」。输入「帮助」开始，Ctrl-D 退出。\n"
            )
        while True:
            try:
                line = input("你> ") if interactive else sys.stdin.readline()
            except EOFError:
                break
            if not interactive and line == "":
                break
            line = line.strip()
            if not line:
                continue
            if interactive and line in EXIT_WORDS:
                break
            message = channel.make_message(line, user=user, user_name=user_name, now=bot.now())
            inbox_id, _ = bot.receive(message)
            try:
                bot.wait_for(inbox_id, timeout=30)
            except TimeoutError:
                print("（小编还在处理，回复稍后显示）", file=sys.stderr)
    except KeyboardInterrupt:
        print()
    finally:
        bot.close()
    return 0


def _enable_history() -> None:
    try:
        import atexit
        import readline
    except ImportError:  # pragma: no cover - not on every platform
        return
    path = Path(os.path.expanduser("~/.xiaobian_history"))
    try:
        readline.read_history_file(path)
    except OSError:
        pass
    readline.set_history_length(1000)
    atexit.register(lambda: _save_history(readline, path))


def _save_history(readline, path: Path) -> None:
    try:
        readline.write_history_file(path)
    except OSError:
        pass


def cmd_chat(args) -> int:
    cfg = _load_config(args)
    return _console_session(cfg, args.team, args.user, args.name or args.user)


def cmd_demo(args) -> int:
    from bot import demo
    from bot.root import build_bot

    cfg = _load_config(args)
    bot = build_bot(cfg)
    team = demo.seed(bot)
    people = {u: (n, r) for u, n, r in demo.DEMO_PEOPLE}
    name, role = people.get(args.user, (args.user, "member"))
    from bot.registry import ROLE_NAMES

    banner = demo.BANNER.format(team=team.name, name=name, role=ROLE_NAMES.get(role, role))
    if not sys.stdin.isatty():
        print(banner)
    return _console_session(cfg, demo.DEMO_TEAM, args.user, name, banner=banner, bot=bot)


def _wait_for_signal(stop: threading.Event | None = None) -> None:
    stop = stop or threading.Event()

    def handler(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    while not stop.is_set():
        stop.wait(1.0)


def cmd_serve(args) -> int:
    """The web tier acks at once, whatever the workers do; answering runs in a supervised worker
    process (restarted when it dies) that takes the workers lease as soon as it is free."""
    from bot.app import HttpServer, create_app
    from bot.root import build_bot
    from bot.supervisor import WorkerSupervisor, worker_argv, worker_env

    cfg = _load_config(args)
    bot = build_bot(cfg)
    try:
        server = HttpServer(create_app(bot), args.host, args.port, threads=args.threads)
    except OSError as exc:
        print(f"启动失败：端口 {args.host}:{args.port} 用不了（{exc.strerror or exc}）", file=sys.stderr)
        bot.close()
        return 3
    server.start()
    for channel in bot.channels.values():
        channel.prepare_web()
    supervisor = WorkerSupervisor(worker_argv(cfg.db_path, args.log_level), worker_env(cfg.db_path))
    bot.wake_elsewhere = supervisor.wake
    bot.require_workers = True
    bot.health_extras["worker_process"] = supervisor.status
    supervisor.start()
    log.info(
        "serving on http://%s:%s (channels: %s)", args.host, server.port, ", ".join(cfg.channels) or "none"
    )
    try:
        _wait_for_signal()
    finally:
        log.info("stopping")
        server.stop()
        supervisor.stop()
        bot.close()
    return 0


def _read_wakes(bot, stop: threading.Event) -> None:
    """Under ``serve``: a byte on standard input is a new message; its end means serve is gone."""
    while True:
        try:
            data = os.read(0, 4096)
        except OSError:
            data = b""
        if not data:
            log.warning("serve has gone away; this worker process stops")
            stop.set()
            return
        bot.wake()


def cmd_worker(args) -> int:
    """Workers and the dispatcher (and the long connections). Never exits because another process
    holds the workers lease: it waits, and takes over the moment that holder is gone."""
    from bot.root import build_bot

    cfg = _load_config(args)
    bot = build_bot(cfg)
    stop = threading.Event()
    if args.supervised:
        bot.commit_poll_idle = 1.0  # serve wakes this process through its pipe
        threading.Thread(target=_read_wakes, args=(bot, stop), name="xiaobian-wakes", daemon=True).start()
    bot.start(wait_for_lease=True)
    log.info("worker running (channels: %s)", ", ".join(cfg.channels) or "none")
    try:
        _wait_for_signal(stop)
    finally:
        bot.close()
    return 0


def cmd_migrate(args) -> int:
    """Bring the database to this version's schema (serve and worker also do it on start)."""
    from storage import backend
    from storage.db import SchemaTooNew, connect, migrate, schema_version

    cfg = _load_config(args)
    try:
        db = connect(cfg.db_path)
        applied = migrate(db)
    except (SchemaTooNew, backend.DatabaseUnavailable) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    except Exception as exc:  # a bad URL, a file that is not a database
        print(f"打不开数据库 {backend.redacted(cfg.db_path)}：{type(exc).__name__}", file=sys.stderr)
        return 2
    where = backend.redacted(cfg.db_path)
    if applied:
        print(f"{where}：已升级到结构版本 {schema_version(db)}（这次应用了 {', '.join(map(str, applied))}）")
    else:
        print(f"{where}：已经是最新的结构版本 {schema_version(db)}")
    db.close()
    return 0


def cmd_copy_db(args) -> int:
    """Copy every row from one database to an empty one (SQLite → PostgreSQL), then verify."""
    from storage import backend
    from storage.copy import copy_database, verify
    from storage.db import connect, migrate, write_tx

    for url in (args.src, args.dst):
        if url in ("", "-"):
            print(
                "用法：xiaobian copy-db 源 目标，例如 xiaobian copy-db xiaobian.db postgresql://用户@主机/库名",
                file=sys.stderr,
            )
            return 2
    if not backend.is_postgres(args.src) and not os.path.exists(backend.sqlite_path(args.src)):
        print(f"源数据库 {args.src} 不存在（copy-db 不会替你新建一个空的源）", file=sys.stderr)
        return 2
    try:
        src, dst = connect(args.src), connect(args.dst)
    except Exception as exc:
        print(f"打不开数据库：{type(exc).__name__}：{backend.redacted(str(exc))[:200]}", file=sys.stderr)
        return 2
    try:
        migrate(src)
        migrate(dst)
        with write_tx(dst):  # all rows or none
            copied = copy_database(src, dst)
        different = verify(src, dst)
    except RuntimeError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    total = sum(n for n, _ in copied.values())
    print(
        f"从 {backend.redacted(args.src)} 复制到 {backend.redacted(args.dst)}：{len(copied)} 张表，{total} 行"
    )
    for table, (n, digest) in copied.items():
        print(f"  {table:20s} {n:8d} 行  sha256 {digest[:16]}")
    if different:
        print("校验不一致的表：" + "、".join(different), file=sys.stderr)
        return 1
    print("两边的行数和校验和都一致。")
    return 0


def cmd_outbox(args) -> int:
    """List what waits or died in the outbox; resend dead rows."""
    import json as json_mod

    from bot.models import Reply
    from storage import outbox
    from storage.db import Store, write_tx

    cfg = _load_config(args)
    store = Store(cfg.db_path)
    db = store.db
    try:
        if args.action == "retry":
            target = (args.ids or [""])[0]
            if target == "all":
                ids = None
            elif args.ids and all(i.lstrip("#").isdigit() for i in args.ids):
                ids = [int(i.lstrip("#")) for i in args.ids]
            else:
                print(
                    "用法：xiaobian outbox retry 编号 [编号…]，或 xiaobian outbox retry all", file=sys.stderr
                )
                return 2
            from datetime import UTC, datetime

            with write_tx(db):
                done = outbox.resend(db, ids, now=datetime.now(UTC))
            missing = sorted(set(ids or []) - set(done))
            if done:
                print(
                    f"已重新排队 {len(done)} 条："
                    + "、".join(f"#{i}" for i in done)
                    + "（运行中的 serve/worker 会马上发送）"
                )
            if missing:
                print("这些编号不是投递失败的消息：" + "、".join(f"#{i}" for i in missing), file=sys.stderr)
                return 2
            if not done:
                print("没有投递失败的消息需要重发。")
            return 0
        counts = outbox.counts(db)
        print(
            "发件箱：待发 {pending} · 发送中 {sending} · 已发 {sent} · 失败 {dead}".format(
                **{k: counts.get(k, 0) for k in ("pending", "sending", "sent", "dead")}
            )
        )
        statuses = ("dead",) if args.dead else ("pending", "sending", "dead")
        label = {"pending": "待发", "sending": "发送中", "dead": "失败"}
        for row in outbox.listing(db, statuses, limit=args.limit):
            title = Reply.from_dict(json_mod.loads(row["reply"])).title or "（无标题）"
            kind = {"reply": "回复", "push": "推送", "notice": "通知"}.get(row["kind"], row["kind"])
            print(
                f"#{row['id']} {label[row['status']]} {kind} {row['channel']} {row['chat_key']} "
                f"写入 {row['created_at'][:19]} 尝试 {row['attempts']} 次 「{title[:20]}」"
                + (f" 原因：{row['last_error'][:120]}" if row["last_error"] else "")
            )
        if counts.get("dead"):
            print("重发：xiaobian outbox retry 编号，或 xiaobian outbox retry all")
        return 0
    finally:
        store.close()


def _tool_runner(tool):
    """Run a capability's tool with a way to open the configured bot (only if it needs one)."""

    def run(args) -> int:
        from bot.root import build_bot

        return tool.run(args, lambda: build_bot(_load_config(args)))

    return run


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="xiaobian", description="小编：新媒体团队的群聊助手")
    parser.add_argument("--log-level", default=os.environ.get("XIAOBIAN_LOG_LEVEL", "INFO"))
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p):
        p.add_argument("--db", help="SQLite 文件或 postgresql://…（默认读 XIAOBIAN_DB，或 ./xiaobian.db）")
        return p

    chat = with_db(sub.add_parser("chat", help="在终端里和小编对话"))
    chat.add_argument("--team", default="my-team", help="团队（控制台上的群）名，默认 my-team")
    chat.add_argument("--as", dest="user", default="me", help="以哪个用户 ID 发言，默认 me")
    chat.add_argument("--name", default="", help="显示名")
    chat.set_defaults(func=cmd_chat, quiet=True)

    demo = with_db(sub.add_parser("demo", help="打开带演示数据的控制台"))
    demo.add_argument(
        "--as",
        dest="user",
        default="laoban",
        help="演示身份：laoban（管理员）、lijingli（经理）、xiaowang（成员）",
    )
    demo.set_defaults(func=cmd_demo, quiet=True)

    serve = with_db(sub.add_parser("serve", help="运行 Web 服务、工作线程和调度器"))
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--threads", type=int, default=8)
    serve.set_defaults(func=cmd_serve, quiet=False)

    worker = with_db(sub.add_parser("worker", help="只运行工作线程和调度器"))
    worker.add_argument("--supervised", action="store_true", help=argparse.SUPPRESS)
    worker.set_defaults(func=cmd_worker, quiet=False)

    mig = with_db(sub.add_parser("migrate", help="把数据库升级到这个版本的结构"))
    mig.set_defaults(func=cmd_migrate, quiet=True)

    copy = sub.add_parser(
        "copy-db", help="把数据从一个库完整复制到另一个空库（如 SQLite → PostgreSQL），并校验"
    )
    copy.add_argument("src", help="源：SQLite 文件路径，或 postgresql://…")
    copy.add_argument("dst", help="目标（空库）：postgresql://…，或 SQLite 文件路径")
    copy.set_defaults(func=cmd_copy_db, quiet=True)

    box = with_db(sub.add_parser("outbox", help="查看发件箱（待发、失败的消息），重发失败的消息"))
    box.add_argument("action", nargs="?", choices=["list", "retry"], default="list")
    box.add_argument("ids", nargs="*", help="retry 的编号，或 all")
    box.add_argument("--dead", action="store_true", help="只看投递失败的")
    box.add_argument("--limit", type=int, default=50)
    box.set_defaults(func=cmd_outbox, quiet=True)

    from bot.root import build_registry

    for tool in build_registry().tools.values():
        p = with_db(sub.add_parser(tool.name, help=tool.help))
        tool.configure(p)
        p.set_defaults(func=_tool_runner(tool), quiet=True)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _setup_logging(
        "WARNING" if getattr(args, "quiet", False) and args.log_level == "INFO" else args.log_level
    )
    from storage.backend import DatabaseUnavailable

    try:
        return args.func(args) or 0
    except DatabaseUnavailable as exc:  # serve, worker, chat, demo… on a database that does not open
        print(str(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
