"""Talking to the bot: help, routing, suggestions, roles, bad input."""

from bot.models import Reply
from bot.registry import command
from bot.root import build_registry
from tests.support import TestBot


def test_help_lists_commands_by_group(testbot):
    text = testbot.ask("帮助")
    assert "小编能做的事" in text
    assert "帮助（help）" in text and "授权（grant）" in text
    headings = [line for line in text.splitlines() if line in ("内容", "提醒与排期", "数据", "团队", "基础")]
    assert headings == ["内容", "提醒与排期", "数据", "团队", "基础"]


def test_help_explains_itself(testbot):
    text = testbot.ask("帮助 帮助")
    assert "帮助：帮助" in text
    assert "用法：帮助 [命令]" in text
    assert "例子：" in text and "谁可以用：所有人" in text


def test_help_for_unknown_command_suggests(testbot):
    text = testbot.ask("帮助 授全")
    assert "没有「授全」这个命令" in text and "授权" in text


def test_full_width_routes_like_half_width(testbot):
    full = testbot.ask("／帮助　授权")
    half = testbot.ask("/帮助 授权")
    assert full == half
    assert "帮助：授权" in full


def test_prefixes_and_aliases(testbot):
    assert "帮助：授权" in testbot.ask("!help grant")
    assert "帮助：授权" in testbot.ask("  ！ HELP   grant ")
    assert "帮助：我是谁" in testbot.ask("帮助我是谁")  # Chinese command runs into its argument


def test_ascii_alias_needs_word_boundary(testbot):
    text = testbot.ask("helpme")
    assert "没有听懂" in text


def test_unknown_command_gets_did_you_mean(testbot):
    text = testbot.ask("帮肋")
    assert "没有听懂「帮肋」" in text and "「帮助」" in text
    assert "「帮助」" in testbot.ask("hlep")


def test_unknown_without_close_match_points_to_help(testbot):
    text = testbot.ask("今天天气怎么样呀朋友们")
    assert "没有听懂" in text and "发送「帮助」查看全部命令" in text


def test_only_mention_gets_greeting(testbot):
    assert "我在" in testbot.ask("   ")


def test_group_text_not_addressed_is_ignored_but_recorded(testbot):
    from storage import inbox

    msg = testbot.message("大家好", addressed=False)
    assert testbot.send(msg) == []
    row = testbot.bot.db.execute(
        "SELECT status FROM inbox WHERE message_key = ?", [msg.message_id]
    ).fetchone()
    assert row[0] == "ignored"
    assert inbox.depth(testbot.bot.db) == 0


def test_private_chat_is_always_addressed(testbot):
    assert "我在" in testbot.ask("", chat_type="single", addressed=True, team="dm-xiaowang")


def test_member_cannot_grant_and_is_told_who_can(testbot):
    testbot.ask("我是谁", user="boss", name="老板")  # the bootstrap admin speaks once
    text = testbot.ask("授权 @xiaoli 经理", user="xiaowang")
    assert "没有权限" in text and "只有管理员可以使用" in text
    assert "老板" in text


def test_admin_grants_and_revokes(testbot):
    assert "xiaoli 现在是本群的经理" in testbot.ask("授权 @xiaoli 经理", user="boss")
    assert "角色：经理" in testbot.ask("我是谁", user="xiaoli")
    assert "现在是普通成员" in testbot.ask("撤销授权 @xiaoli", user="boss")
    assert "角色：成员" in testbot.ask("我是谁", user="xiaoli")


def test_grant_with_bad_role_explains_with_example(testbot):
    text = testbot.ask("授权 @xiaoli 老大", user="boss")
    assert "角色「老大」不认识" in text
    assert "用法：授权 @某人 经理|管理员|成员" in text and "例如：授权 @张三 经理" in text
    assert "没有 @" not in text
    assert "请用 @ 指明" in testbot.ask("授权 经理", user="boss")


def test_roles_are_per_team(testbot):
    testbot.ask("授权 @xiaoli 管理员", user="boss", team="team-a")
    assert "角色：管理员" in testbot.ask("我是谁", user="xiaoli", team="team-a")
    assert "角色：成员" in testbot.ask("我是谁", user="xiaoli", team="team-b")


def test_bootstrap_admin_cannot_be_demoted_in_chat(testbot):
    testbot.ask("授权 @xiaoli 管理员", user="boss")
    text = testbot.ask("授权 @boss 成员", user="xiaoli")
    assert "XIAOBIAN_ADMINS" in text
    assert "角色：管理员" in testbot.ask("我是谁", user="boss")


def test_time_zone_setting(testbot):
    assert "Asia/Tokyo" in testbot.ask("设置 时区 东京", user="boss")
    assert "本群时区：Asia/Tokyo" in testbot.ask("我是谁")
    text = testbot.ask("设置 时区 火星", user="boss")
    assert "不是有效的时区名" in text and "例如：设置 时区 Asia/Shanghai" in text


def _registry_with_manager_command(calls):
    """The real registry plus one manager-only command and one that crashes."""
    reg = build_registry()

    @command(
        "审批",
        aliases=("approve-test",),
        group="测试",
        role="manager",
        usage="审批 <号>",
        examples=("审批 1",),
    )
    def approve(ctx):
        """经理专用的测试命令。"""
        calls.append(ctx.args)
        return Reply(body=f"审批了 {ctx.args}", tone="ok")

    @command("崩溃", group="测试", usage="崩溃", examples=("崩溃",))
    def crash(ctx):
        """一个会出错的测试命令：先写库，再抛异常。"""
        from storage import teams

        teams.set_team_tz(ctx.db, ctx.team_id, "Asia/Tokyo")
        raise RuntimeError("kaboom")

    reg.add_declared(approve)
    reg.add_declared(crash)
    return reg


def test_member_cannot_run_manager_command(db_path):
    calls = []
    tb = TestBot(db_path, registry=_registry_with_manager_command(calls))
    try:
        tb.ask("授权 @li 经理", user="boss")
        text = tb.ask("审批 3", user="xiaowang")
        assert "只有经理或管理员可以使用" in text and "li" in text
        assert calls == []
        assert "审批了 3" in tb.ask("审批 3", user="li")
        assert "审批了 3" in tb.ask("审批 3", user="boss")
        assert calls == ["3", "3"]
    finally:
        tb.close()


def test_handler_crash_answers_rolls_back_and_records(db_path):
    tb = TestBot(db_path, registry=_registry_with_manager_command([]))
    try:
        text = tb.ask("崩溃")
        assert "出错了" in text and "编号 #" in text
        assert tb.team().tz == "Asia/Shanghai"  # the handler's write was rolled back
        row = tb.bot.db.execute("SELECT status, error FROM inbox ORDER BY id DESC LIMIT 1").fetchone()
        assert row[0] == "done" and "kaboom" in row[1]
        assert "帮助" in tb.ask("帮助")  # and the bot keeps serving
    finally:
        tb.close()


def test_push_webhook_urls_are_read_by_their_channels(testbot):
    """推送 绑定 knows no platform: each push channel says which URLs are its own."""
    text = testbot.ask(
        "推送 绑定 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12345678", user="boss"
    )
    assert "已绑定企业微信群机器人" in text and "abcd…5678" in text and "abcdefgh12345678" not in text
    text = testbot.ask("推送 绑定 https://open.feishu.cn/open-apis/bot/v2/hook/tok-1234567890ab", user="boss")
    assert "已绑定飞书自定义机器人" in text and "签名校验" in text
    assert "认不出这个地址" in testbot.ask("推送 绑定 https://example.com/hook", user="boss")
    assert "不需要签名密钥" in testbot.ask(
        "推送 绑定 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abcdefgh12345678 s3", user="boss"
    )
    stored = testbot.bot.db.execute("SELECT payload FROM inbox ORDER BY id").fetchall()
    assert all("abcdefgh12345678" not in row[0] for row in stored)
