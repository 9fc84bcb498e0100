"""``xiaobian check``: the compliance check on the command line, the same as in chat."""

from __future__ import annotations

import json
import sys

from bot.registry import Tool
from handlers.drafting import compliance
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
    if args.json:
        print(json.dumps({"findings": [f.to_json() for f in findings]}, ensure_ascii=False))
        return 0
    if not findings:
        print("没有发现问题。")
        return 0
    print(f"发现 {len(findings)} 处可能的问题：")
    print("\n".join(compliance.summary_lines(findings, limit=1000)))
    return 0


CHECK = Tool("check", "检查文案的广告法和平台规则问题", configure, run)
