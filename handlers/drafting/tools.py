"""``xiaobian check``, ``xiaobian draft`` and ``xiaobian adapt``: the chat's drafting on the command line.

Each runs the same code as the chat command (``compliance.check``, ``writer.write``).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from bot.registry import Tool
from handlers.drafting import compliance, form, writer
from handlers.drafting.brief import BriefError, parse_brief
from handlers.drafting.version import SOURCE_LABEL
from handlers.shared import platforms


def configure(parser) -> None:
    parser.add_argument("text", help="文案；用 - 从标准输入读")
    parser.add_argument("--platform", help="平台，如 小红书、douyin")
    parser.add_argument("--json", action="store_true", help='输出 {"findings": [...]}')


def run(args, open_bot) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    profile = None
    if args.platform:
        profile = platforms.lookup(args.platform)
        if profile is None:
            print(f"不认识的平台：{args.platform}。可选：{platforms.names()}", file=sys.stderr)
            return 2
    findings = compliance.check(text, profile)
    unsure = compliance.doubts(text, findings, limit=1000)
    if args.json:
        data = {"findings": [f.to_json() for f in findings], "doubts": unsure}
        print(json.dumps(data, ensure_ascii=False))
        return 0
    if not findings and not unsure:
        print("没有发现问题。")
        return 0
    if findings:
        print(f"发现 {len(findings)} 处可能的问题：")
        print("\n".join(compliance.summary_lines(findings, limit=1000)))
    else:
        print("没有发现已知的问题。")
    if unsure:
        print(compliance.DOUBT_HEADING)
        print("\n".join(f"· 「{sentence}」" for sentence in unsure))
    return 0


CHECK = Tool("check", "检查文案的广告法和平台规则问题", configure, run)


# -- xiaobian draft / xiaobian adapt ------------------------------------------------------------------


def _profiles(names: str) -> list[dict] | None:
    found = []
    for name in re.split(r"[,，、\s]+", names.strip()):
        if not name:
            continue
        p = platforms.lookup(name)
        if p is None:
            print(f"不认识的平台：{name}。可选：{platforms.names()}", file=sys.stderr)
            return None
        if p not in found:
            found.append(p)
    return found or None


def _print_versions(versions, as_json: bool, *, many: bool) -> None:
    if as_json:
        data = [{**v.to_json(), "form": form.check(v, platforms.profiles()[v.platform])} for v in versions]
        print(json.dumps(data if many else data[0], ensure_ascii=False, indent=2))
        return
    for v in versions:
        name = platforms.profiles()[v.platform]["name"]
        judged = form.check(v, platforms.profiles()[v.platform])
        print(f"===== {name}（{SOURCE_LABEL[v.source]}）")
        if v.title:
            print(f"标题：{v.title}")
        if v.summary:
            print(f"摘要：{v.summary}")
        print(v.body)
        if v.tags:
            print(" ".join(v.tags))
        if v.dropped_facts:
            print("没写进这一版：" + "、".join(f.text for f in v.dropped_facts))
        for note in v.notes:
            print(f"（{note}）")
        for problem in judged["problems"]:
            print(f"形式：{problem}")
        if v.findings:
            print("\n".join(compliance.summary_lines(v.findings, limit=20)))
        print()


def configure_draft(parser) -> None:
    parser.add_argument("brief", help="简报：主题 卖点=a,b 价格=… 活动=…；用 - 从标准输入读")
    parser.add_argument("--platform", required=True, help="平台，如 小红书；多个用逗号隔开")
    parser.add_argument(
        "--json", action="store_true", help="输出 JSON：platform, title, body, tags, summary …"
    )
    parser.add_argument("--offline", action="store_true", help="不调用写稿模型")


def run_draft(args, open_bot) -> int:
    profiles = _profiles(args.platform)
    if profiles is None:
        return 2
    text = sys.stdin.read() if args.brief == "-" else args.brief
    try:
        task = writer.from_brief(parse_brief(text))
    except BriefError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return _write_and_print(args, open_bot, task, profiles, many=len(profiles) > 1)


def configure_adapt(parser) -> None:
    parser.add_argument("file", help="原文文件（UTF-8 文本或 Markdown）；用 - 从标准输入读")
    parser.add_argument("--to", required=True, help="目标平台，多个用逗号隔开，如 微博,小红书,抖音,公众号")
    parser.add_argument("--json", action="store_true", help="输出 JSON 数组，每个平台一项")
    parser.add_argument("--offline", action="store_true", help="不调用写稿模型")


def run_adapt(args, open_bot) -> int:
    profiles = _profiles(args.to)
    if profiles is None:
        return 2
    if args.file == "-":
        text = sys.stdin.read()
    else:
        path = Path(args.file)
        if not path.is_file():
            print(f"找不到文件：{path}", file=sys.stderr)
            return 2
        text = path.read_text(encoding="utf-8-sig")
    if len(text.strip()) < 10:
        print("原文太短，没有可以改写的内容。", file=sys.stderr)
        return 2
    return _write_and_print(args, open_bot, writer.from_text(text), profiles, many=True)


def _write_and_print(args, open_bot, task, profiles, *, many: bool) -> int:
    bot = open_bot()
    try:
        versions = [writer.write(task, p, bot.config, use_model=not args.offline) for p in profiles]
    finally:
        bot.close()
    _print_versions(versions, args.json, many=many)
    return 0


DRAFT = Tool("draft", "按平台写稿（与群里的「草稿」相同）", configure_draft, run_draft)
ADAPT = Tool("adapt", "把一篇原文改写到其他平台（与群里的「改写」相同）", configure_adapt, run_adapt)
