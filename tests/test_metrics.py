"""Numbers: entry, lookups, periods, feasibility, import, pushes, isolation, the 公众号 adapter."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from handlers.metrics import analytics
from handlers.metrics.importer import import_csv
from handlers.shared.numbers import NumberError, parse_number
from handlers.shared.time import days as dates
from storage import metrics as store
from tests.fakes.wechat_mp import FakeWeChatMP
from tests.support import TestBot


@pytest.mark.parametrize(
    "text, value",
    [
        ("1.2万", "12000"),
        ("5w", "50000"),
        ("3k", "3000"),
        ("12,034", "12034"),
        ("三千", "3000"),
        ("两万五", "25000"),
        ("１２３", "123"),
        ("1.5亿", "150000000"),
        ("十二", "12"),
    ],
)
def test_units(text, value):
    assert parse_number(text) == (Decimal(value), False)


def test_percent_and_nonsense():
    assert parse_number("32.5%") == (Decimal("32.5"), True)
    for bad in ("abc", "1,2,3", "", "万万"):
        with pytest.raises(NumberError):
            parse_number(bad)


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_entry_echoes_and_refuses(testbot):
    text = testbot.ask("记录 抖音 粉丝 1.2万 播放 5.3w 点赞 3200")
    assert "抖音（主账号）11月22日" in text and "粉丝 12,000 · 播放 53,000 · 点赞 3,200" in text
    assert "11月21日" in testbot.ask("记录 抖音 粉丝 11800 昨天")
    assert "11月20日" in testbot.ask("记录 抖音 粉丝 11700 11-20")
    assert "11月20日" in testbot.ask("记录 抖音 粉丝 11700 周五")  # weeks start on Monday: this Friday
    assert "11月13日" in testbot.ask("记录 抖音 粉丝 11600 上周五")
    assert "不能是负数" in testbot.ask("记录 抖音 粉丝 -5")
    assert "是不是「粉丝」" in testbot.ask("记录 抖音 粉死 100")
    assert "抖音没有「在看」" in testbot.ask("记录 抖音 在看 5")
    assert "应是整数" in testbot.ask("记录 抖音 粉丝 1.23456万")
    assert "不能记录将来" in testbot.ask("记录 抖音 粉丝 100 2026-12-01")
    assert "带上 %" in testbot.ask("记录 抖音 完播率 30")
    assert "完播率 32.50%" in testbot.ask("记录 抖音 完播率 32.5%")
    assert "第一个词应是平台" in testbot.ask("记录 粉丝 100")
    assert "「粉丝」后面要跟一个数字" in testbot.ask("记录 抖音 粉丝")


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_correction_keeps_history(testbot):
    testbot.ask("记录 公众号 粉丝 9000")
    assert "由 9,000 改为 9,100" in testbot.ask("记录 公众号 粉丝 9100")
    db = testbot.bot.db
    account = store.accounts(db, testbot.team().id, "wechat")[0]
    assert [e["value"] for e in store.history(db, account["id"], "followers", date(2026, 11, 22))] == [
        9000,
        9100,
    ]


def test_two_accounts_on_one_platform(testbot):
    testbot.ask("记录 抖音 粉丝 1000")
    testbot.ask("记录 抖音:门店号 粉丝 200")
    text = testbot.ask("数据 抖音")
    assert "抖音 · 主账号" in text and "抖音 · 门店号" in text
    assert "门店号" in testbot.ask("数据 门店号") and "主账号" not in testbot.ask("数据 门店号")


def _fill(
    db, team_id, platform, start: date, days: int, daily_gain: int, name="主账号", level0=1000, extra=None
):
    account = store.ensure_account(db, team_id, platform, name, now=datetime(2026, 11, 22, tzinfo=UTC))
    level = level0
    for i in range(days):
        d = start + timedelta(days=i)
        level += daily_gain(i) if callable(daily_gain) else daily_gain
        store.record(db, account["id"], d, "followers", level, source="demo", by="t", now=datetime.now(UTC))
        for key, value in (extra or {}).items():
            store.record(db, account["id"], d, key, value, source="demo", by="t", now=datetime.now(UTC))
    return account


def test_periods_at_month_and_year_boundaries():
    assert dates.period("上月", date(2027, 1, 5))[:2] == (date(2026, 12, 1), date(2026, 12, 31))
    assert dates.period("本月", date(2027, 1, 5))[:2] == (date(2027, 1, 1), date(2027, 1, 5))
    assert dates.period("本周", date(2027, 1, 1))[:2] == (date(2026, 12, 28), date(2027, 1, 1))
    assert dates.period("上周", date(2027, 1, 1))[:2] == (date(2026, 12, 21), date(2026, 12, 27))
    assert dates.period("近30天", date(2026, 3, 1))[:2] == (date(2026, 1, 31), date(2026, 3, 1))
    assert dates.parse_day("12-31", date(2027, 1, 2)) == date(2026, 12, 31)
    assert dates.period("下个月", date(2026, 1, 1)) is None


def test_period_totals_across_a_year_boundary(db_path):
    tb = TestBot(db_path, threads=0)
    try:
        tb.ask("我是谁")
        team = tb.team()
        account = _fill(tb.bot.db, team.id, "wechat", date(2026, 12, 20), 20, 10, extra={"reads": 100})
        # Dec 28 – Jan 3 against the 7 days before
        assert (
            analytics.period_total(tb.bot.db, account["id"], "reads", date(2026, 12, 28), date(2027, 1, 3))
            == 700
        )
        assert (
            analytics.period_total(
                tb.bot.db, account["id"], "followers", date(2026, 12, 28), date(2027, 1, 3)
            )
            == 70
        )
        assert (
            analytics.period_total(tb.bot.db, account["id"], "reads", date(2026, 12, 21), date(2026, 12, 27))
            == 700
        )
    finally:
        tb.close()


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_lookup_compares_with_previous_equal_period(clockbot, clock):
    clockbot.ask("我是谁")
    team = clockbot.team()
    _fill(
        clockbot.bot.db,
        team.id,
        "wechat",
        date(2026, 10, 1),
        53,
        10,
        extra={"reads": 1000, "delivered": 10000, "likes": 50},
    )
    text = clockbot.ask("数据 公众号 本月")
    assert "本月数据（11/1–11/22，对比 10/1–10/22）" in text  # the same days of the month before
    assert "阅读合计 22,000  对比前期 +0（+0.0%）" in text
    assert "打开率 10.00%（阅读 22,000 ÷ 送达 22万，按两项都有数据的 11/1–11/22 共 22 天）" in text
    assert "互动率 5.00%（点赞+评论+转发+收藏 1,100 ÷ 阅读 22,000）" in text
    assert "不是时间段" in clockbot.ask("数据 公众号 下辈子")


def test_an_empty_period_says_whether_the_one_before_it_has_numbers(clockbot):
    clockbot.ask("记录 抖音 粉丝 1200")
    text = clockbot.ask("数据 抖音 上周")  # nothing last week, nor the week before
    assert "还没有数据，前一期也没有可以显示的数据" in text and "下面是前一期" not in text
    assert "已记录" in clockbot.ask("记录 小红书 10天前 阅读 1000")
    text = clockbot.ask("数据 小红书 近7天")  # nothing this week; ten days ago is in the span before
    assert "还没有数据，下面是前一期" in text and "阅读" in text


# 179 daily gains: 60 × +5, 60 × +10, 58 × +15, 1 × +20, interleaved. Sorted: median (90th) +10,
# p75 (between the 134th and 135th) +15, best +20; the last 30 days average +10.
GAINS = [0] + [(5, 10, 15)[i % 3] for i in range(174)] + [5, 10, 20, 5, 10]


def known_history(i):
    return GAINS[i]


def _target(db, team_id, account_id, goal, days, metric="followers", mode="level", today=date(2026, 11, 22)):
    tid = store.add_target(
        db,
        team_id=team_id,
        account_id=account_id,
        metric=metric,
        mode=mode,
        target=goal,
        base=0,
        start_day=today,
        deadline=today + timedelta(days=days),
        by="boss",
        now=datetime.now(UTC),
    )
    return next(t for t in store.targets(db, team_id) if t.id == tid)


@pytest.mark.parametrize(
    "pace_per_day, verdict",
    [(10, "realistic"), (18, "stretch"), (25, "hard"), (40, "unrealistic")],
)
def test_feasibility_verdicts(db_path, pace_per_day, verdict):
    tb = TestBot(db_path, threads=0)
    try:
        tb.ask("我是谁")
        team = tb.team()
        today = date(2026, 11, 22)
        account = _fill(tb.bot.db, team.id, "wechat", today - timedelta(days=180), 180, known_history)
        current = store.latest(tb.bot.db, account["id"], "followers", on_or_before=today)[1]
        t = _target(tb.bot.db, team.id, account["id"], current + pace_per_day * 30, 30)
        f = analytics.feasibility(tb.bot.db, t, today)
        assert (f.stats.median, f.stats.p75, f.stats.best) == (10, 15, 20)
        assert f.verdict == verdict and f.required == pace_per_day
    finally:
        tb.close()


def test_feasibility_without_enough_history(testbot):
    testbot.ask("我是谁")
    team = testbot.team()
    account = _fill(testbot.bot.db, team.id, "wechat", date(2026, 11, 12), 10, 10)
    t = _target(testbot.bot.db, team.id, account["id"], 5000, 30)
    assert analytics.feasibility(testbot.bot.db, t, date(2026, 11, 22)).verdict == "no_history"


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_kpi_summary_in_chat_says_it_in_numbers(clockbot):
    clockbot.ask("我是谁")
    team = clockbot.team()
    _fill(clockbot.bot.db, team.id, "wechat", date(2026, 5, 26), 180, known_history)
    assert "只有经理或管理员可以使用" in clockbot.ask("汇总")
    assert "设定或删除目标需要经理" in clockbot.ask("目标 公众号 粉丝 20000 截止 12月31日")
    text = clockbot.ask("目标 公众号 粉丝 20000 截止 12月31日", user="boss")
    assert "目标 #1 已设定" in text and "不现实" in text
    summary = clockbot.ask("汇总", user="boss")
    # current 1000 + sum(GAINS) = 2,790; (20,000 - 2,790) / 39 days = 441.3 a day = 22.1 × the best day (+20);
    # at the p75 pace (+15) the goal would be 2,790 + 15 × 39 = 3,375
    for words in (
        "当前 2,790",
        "需要日均净增 +441",
        "近30天日均净增 +10",
        "中位数 +10，p75 +15，最好的一天 +20",
        "22.1 倍",
        "要达成：把目标调到约 3,375",
    ):
        assert words in summary, words
    assert "本群目标（1 个）" in clockbot.ask("目标")
    assert "已删除目标 #1" in clockbot.ask("目标 删除 1", user="boss")
    assert "已经过去了" in clockbot.ask("目标 公众号 粉丝 20000 截止 昨天", user="boss")
    assert "请写截止日期" in clockbot.ask("目标 公众号 粉丝 20000", user="boss")


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_growth_and_total_targets(clockbot):
    clockbot.ask("记录 抖音 粉丝 1.2万 播放 1万")
    text = clockbot.ask("目标 抖音 粉丝 +5000 截止 12月31日", user="boss")
    assert "粉丝增长 5,000" in text and "还差 5,000" in text
    text = clockbot.ask("目标 抖音 播放 100万 截止 12月31日", user="boss")
    assert "播放累计 100万" in text and "当前 10,000" in text


CSV = """日期,粉丝数,新增粉丝数,播放量(次),点赞,备注
2026-11-18,"12,000",120,5.3万,3200,ok
2026/11/19,12100,100,48000,2900,
20261120,12150,50,-,3000,
2026年11月21日,12300,150,坏数,3100,
不是日期,1,1,1,1,
"""


def test_csv_import_is_idempotent_and_reports_bad_rows(testbot):
    testbot.ask("我是谁")
    team = testbot.team()
    db = testbot.bot.db
    now = datetime(2026, 11, 22, 6, tzinfo=UTC)
    dry = import_csv(
        db, team.id, CSV.encode("gbk"), today=date(2026, 11, 22), now=now, platform="抖音", dry_run=True
    )
    assert dry.new == 14 and store.accounts(db, team.id) == []  # nothing written
    first = import_csv(db, team.id, CSV.encode("utf-8"), today=date(2026, 11, 22), now=now, platform="抖音")
    assert first.new == 14 and first.changed == 0
    assert any("不是日期" in s for s in first.skipped) and any("坏数" in s for s in first.skipped)
    assert first.ignored_columns == ["备注"] and first.columns["播放量(次)"] == "plays"
    again = import_csv(db, team.id, CSV.encode("utf-8"), today=date(2026, 11, 22), now=now, platform="抖音")
    assert (again.new, again.changed, again.same) == (0, 0, 14)
    account = store.accounts(db, team.id, "douyin")[0]
    assert store.series(db, account["id"], "plays", date(2026, 11, 18), date(2026, 11, 18)) == {
        date(2026, 11, 18): 53000
    }


def test_import_cli(tmp_path, cli):
    path = tmp_path / "export.csv"
    path.write_text(CSV, encoding="utf-8")
    db = str(tmp_path / "x.db")

    def run(*args):
        return cli("import-metrics", str(path), "--db", db, *args)

    assert "找不到团队" in run("--team", "内容组", "--platform", "抖音").stderr  # never a new team
    cli("chat", "--db", db, "--team", "内容组", stdin="我是谁\n")

    out = run("--team", "内容组", "--platform", "抖音", "--dry-run")
    assert "预演（没有写入）" in out.stdout and "新增 14 个数值" in out.stdout, out.stderr
    out = run("--team", "内容组", "--platform", "抖音")
    assert "导入完成" in out.stdout and "跳过 2 处" in out.stdout
    assert "未变 14 个" in run("--team", "内容组", "--platform", "抖音").stdout
    assert "请用 --platform" in run("--team", "内容组").stderr


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_daily_push_says_so_when_a_day_has_no_data(clockbot, clock):
    clockbot.ask("记录 抖音 粉丝 1000 前天")
    assert "已订阅日报" in clockbot.ask("订阅 日报 09:30")
    clock.set(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))  # Monday 09:30: yesterday (Sunday) has no data
    assert clockbot.tick() == 1
    push = [i for i in clockbot.channel.sent if i.kind == "daily_report"][0].reply
    assert push.title == "日报：11月22日" and "11月22日没有数据：抖音·主账号" in push.body
    assert "12,000" not in push.body


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_daily_push_with_numbers_and_kpi(clockbot, clock):
    clockbot.ask("记录 抖音 粉丝 1000 昨天")
    clockbot.ask("记录 抖音 粉丝 1100 播放 5000")
    clockbot.ask("目标 抖音 粉丝 2000 截止 12月31日", user="boss")
    clockbot.ask("订阅 日报 09:30")
    clock.set(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))
    clockbot.tick()
    push = [i for i in clockbot.channel.sent if i.kind == "daily_report"][0].reply
    assert "粉丝 1,100（净增 +100）" in push.body and "播放 5,000" in push.body
    assert "**KPI**" in push.body and "历史数据不足" in push.body


def test_weekly_subscription_and_cancel(clockbot):
    assert "已订阅周报" in clockbot.ask("订阅 周报 周一 09:30")
    assert "周报：每周一 09:30" in clockbot.ask("订阅")
    assert "已取消周报" in clockbot.ask("取消订阅 周报")
    assert "不是可订阅的内容" in clockbot.ask("订阅 月报")


def test_team_isolation(testbot):
    testbot.ask("记录 抖音 粉丝 1.2万", team="team-a")
    testbot.ask("目标 抖音 粉丝 2万 截止 12月31日", team="team-a", user="boss")
    assert "还没有数据" in testbot.ask("数据 抖音", team="team-b")
    assert "本群还没有目标" in testbot.ask("目标", team="team-b")
    assert "还没有目标" in testbot.ask("汇总", team="team-b", user="boss")
    assert "没有找到" in testbot.ask("目标 删除 1", team="team-b", user="boss")
    assert "12,000" in testbot.ask("数据 抖音", team="team-a")


def test_chart_png(testbot):
    testbot.ask("记录 抖音 粉丝 1000 前天")
    testbot.ask("记录 抖音 粉丝 1100 昨天")
    (reply,) = testbot.say("图表 抖音 粉丝 近7天")
    assert reply.attachments and reply.attachments[0].media_type == "image/png"
    with open(reply.attachments[0].path, "rb") as f:
        assert f.read(8) == b"\x89PNG\r\n\x1a\n"
    assert "不认识的指标" in testbot.ask("图表 抖音 粉死")


@pytest.fixture
def mp():
    fake = FakeWeChatMP()
    yield fake
    fake.close()


def test_wechat_pull_backfills_in_spans_and_refreshes_token_once(db_path, mp):
    from tests.support import FakeClock

    clock = FakeClock(datetime(2026, 11, 22, 2, 40, tzinfo=UTC))  # 10:40 in Shanghai
    env = {"WECHAT_MP_APP_ID": mp.appid, "WECHAT_MP_APP_SECRET": mp.secret, "WECHAT_MP_API_BASE": mp.url}
    tb = TestBot(db_path, clock=clock, threads=0, env=env)
    try:
        assert "已绑定公众号" in tb.ask("绑定公众号", user="boss")
        assert tb.tick() == 1
        account = store.accounts(tb.bot.db, tb.team().id, "wechat")[0]
        data = store.series(tb.bot.db, account["id"], "followers", date(2026, 10, 1), date(2026, 11, 22))
        assert min(data) == date(2026, 10, 23) and max(data) == date(2026, 11, 21) and len(data) == 30
        assert all(
            (date.fromisoformat(e) - date.fromisoformat(b)).days < {"getuserread": 3}.get(ep, 7)
            for ep, b, e in mp.calls
        )
        assert mp.token_requests == 1
        # next day: only yesterday is pulled; the token expired meanwhile and is refreshed once
        mp.expire_next = True
        calls_before = len(mp.calls)
        clock.set(datetime(2026, 11, 23, 2, 30, tzinfo=UTC))
        assert tb.tick() == 1
        assert {c[1] for c in mp.calls[calls_before:]} == {"2026-11-22"}
        # the cached token passed its 2-hour expiry overnight (2), then the server revoked it early (3)
        assert mp.token_requests == 3
        reads = store.series(tb.bot.db, account["id"], "reads", date(2026, 11, 22), date(2026, 11, 22))
        assert reads and list(reads.values())[0] > 900
    finally:
        tb.close()


def test_wechat_pull_gives_up_after_one_refresh_and_says_so(db_path, mp):
    from tests.support import FakeClock

    clock = FakeClock(datetime(2026, 11, 22, 2, 40, tzinfo=UTC))
    env = {"WECHAT_MP_APP_ID": mp.appid, "WECHAT_MP_APP_SECRET": mp.secret, "WECHAT_MP_API_BASE": mp.url}
    tb = TestBot(db_path, clock=clock, threads=0, env=env)
    try:
        mp.refuse_all = True
        tb.ask("绑定公众号", user="boss")
        tb.tick()
        assert mp.token_requests == 2  # the first token, and one refresh: no loop
        push = [i for i in tb.channel.sent if i.kind == "wechat_pull"][0].reply
        assert "公众号数据拉取失败" in push.title and "42001" in push.body
    finally:
        tb.close()


def test_wechat_bind_needs_configuration(testbot):
    assert "还没有配置公众号接口" in testbot.ask("绑定公众号", user="boss")


@pytest.mark.now("2026-12-01T09:00:00+08:00")
def test_numbers_say_what_they_are(clockbot):
    """Issue 15: as-of dates, like-with-like rates, a month with no data yet, absurd numbers, targets."""
    clockbot.ask("记录 抖音 粉丝 12000 播放 5000 11-20")
    clockbot.ask("记录 抖音 粉丝 12100 11-21")
    text = clockbot.ask("数据 抖音")
    assert "抖音 · 主账号（截至 11月21日）" in text and "截至 12月1日" not in text
    for day in ("11-26", "11-27", "11-28", "11-29", "11-30"):
        clockbot.ask(f"记录 公众号 阅读 500 {day}")
    clockbot.ask("记录 公众号 送达 2000 11-29")
    clockbot.ask("记录 公众号 送达 2000 11-30")
    text = clockbot.ask("数据 公众号 近5天")
    assert "打开率 25.00%（阅读 1,000 ÷ 送达 4,000，按两项都有数据的 11/29–11/30 共 2 天）" in text
    text = clockbot.ask("数据 全部 本月")  # the 1st of the month
    assert "本月还没有数据" in text and "前一期（11/1–11/30）：" in text and "阅读合计 2,500" in text
    assert "大得不合常理" in clockbot.ask("记录 抖音 粉丝 99999999999999999999")
    assert "抖音没有「在看」这个指标" in clockbot.ask("目标 抖音 在看 100 截止 12月31日", user="boss")
    assert "已经是 12,100" in clockbot.ask("目标 抖音 粉丝 10000 截止 12月31日", user="boss")
    clockbot.ask("目标 抖音 粉丝 20000 截止 12月31日", user="boss")
    text = clockbot.ask("目标 抖音 粉丝 30000 截止 下个月底", user="boss")
    assert "1月31日截止" in text and "替换了原来的目标 #1（粉丝 20,000，12月31日截止）" in text


@pytest.mark.parametrize(
    "platform, header, row, expect",
    [
        (
            "公众号",
            "时间,新关注人数,取消关注人数,净增关注人数,累积关注人数",
            "2026-11-20,120,20,100,15000",
            {"new_followers": 120, "unfollows": 20, "net_followers": 100, "followers": 15000},
        ),
        (
            "抖音",
            "日期,粉丝总量,粉丝增量,播放量",
            '2026-11-20,"12,000",150,5.3万',
            {"followers": 12000, "net_followers": 150, "plays": 53000},
        ),
        (
            "小红书",
            "日期,小眼睛,点赞,收藏,评论",
            "2026/11/20,3200,210,88,17",
            {"reads": 3200, "likes": 210, "favorites": 88, "comments": 17},
        ),
    ],
)
def test_real_export_headers_are_understood(testbot, platform, header, row, expect):
    testbot.ask("我是谁")
    team = testbot.team()
    db = testbot.bot.db
    for encoding in ("utf-8", "gbk"):
        report = import_csv(
            db,
            team.id,
            f"{header}\n{row}\n".encode(encoding),
            today=date(2026, 11, 22),
            now=datetime(2026, 11, 22, 6, tzinfo=UTC),
            platform=platform,
        )
        assert report.skipped == [], report.skipped
    (account,) = store.accounts(db, team.id)
    for key, value in expect.items():
        assert store.latest(db, account["id"], key, on_or_before=date(2026, 11, 20))[1] == value, key


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_a_number_10x_off_or_a_falling_total_is_asked_not_saved(clockbot):
    clockbot.ask("记录 抖音 粉丝 12000 11-20")
    (question,) = clockbot.say("记录 抖音 粉丝 1.2k 11-21")
    text = question.to_text()
    assert "先确认一下" in text and "只剩不到十分之一" in text and "还没保存" in text
    assert question.buttons[0].command == "记录 抖音 粉丝 1.2k 11-21 确认"
    assert "11月21日" not in clockbot.ask("数据 抖音").split("截至")[1][:8]  # nothing was saved
    assert "已记录" in clockbot.ask("确认")
    assert "没有等你确认的数据" in clockbot.ask("确认")
    assert "一下涨了" in clockbot.ask("记录 抖音 粉丝 1.2亿")
    assert "已记录" in clockbot.ask("记录 抖音 粉丝 1.2亿 确认")  # the button's command
    assert "已记录" in clockbot.ask("记录 抖音 粉丝 119,000,000")  # a small fall in 粉丝 is normal
    for day in ("11-18", "11-19", "11-20", "11-21"):
        clockbot.ask(f"记录 公众号 阅读 1000 {day}")
    assert "近 30 天通常在 1,000 左右" in clockbot.ask("记录 公众号 阅读 5万")


def test_xlsx_export_imports_like_csv(testbot, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["日期", "粉丝总量", "粉丝增量", "播放量"])
    sheet.append([datetime(2026, 11, 20), 12000, 150, 53000])
    sheet.append(["2026-11-21", 12100, 100, "5.5万"])
    path = tmp_path / "douyin.xlsx"
    book.save(path)
    testbot.ask("我是谁")
    team = testbot.team()
    report = import_csv(
        testbot.bot.db,
        team.id,
        path.read_bytes(),
        today=date(2026, 11, 22),
        now=datetime(2026, 11, 22, 6, tzinfo=UTC),
        platform="抖音",
    )
    assert report.new == 6 and report.skipped == []
    (account,) = store.accounts(testbot.bot.db, team.id)
    assert store.latest(testbot.bot.db, account["id"], "plays", on_or_before=date(2026, 11, 21))[1] == 55000


def test_chart_draws_chinese_with_the_bundled_font(testbot, recwarn):
    """No glyph is missing for a Chinese title and axis labels: the font ships with the package."""
    testbot.ask("记录 抖音:门店号 粉丝 1.2万 前天")
    testbot.ask("记录 抖音:门店号 粉丝 1.25万 昨天")
    (reply,) = testbot.say("图表 抖音:门店号 粉丝 近7天")
    assert reply.attachments and "英文" not in reply.to_text()
    missing = [w for w in recwarn.list if "missing from" in str(w.message) or "Glyph" in str(w.message)]
    assert missing == []
    from matplotlib import font_manager

    assert "Xiaobian Sans" in {f.name for f in font_manager.fontManager.ttflist}


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_weekly_report_card_carries_a_small_chart(clockbot, clock):
    for day in ("11-16", "11-18", "11-20", "11-22"):
        clockbot.ask(f"记录 抖音 粉丝 {12000 + int(day[-2:]) * 10} {day}")
    assert "已订阅周报" in clockbot.ask("订阅 周报 周一 09:30")
    clock.set(datetime(2026, 11, 23, 1, 30, tzinfo=UTC))  # Monday 09:30 in Shanghai
    assert clockbot.tick() == 1
    (push,) = [i for i in clockbot.channel.sent if i.kind == "weekly_report"]
    (chart,) = push.reply.attachments
    assert chart.media_type == "image/png" and "抖音" in push.reply.to_text()


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_an_export_sent_in_the_chat_is_rehearsed_then_imported(testbot):
    export = "日期,粉丝总量,粉丝增量,播放量\n2026-11-20,12000,150,5.3万\n2026-11-21,12100,100,4.8万\n".encode(
        "gbk"
    )
    testbot.channel.files["f1"] = export
    text = testbot.ask(
        "导入",
        user="xiaowang",
        chat_type="single",
        kind="file",
        files=[{"key": "f1", "name": "抖音数据.csv"}],
    )
    assert "预演：抖音数据.csv" in text and "还没有写入" in text and "新增 6" in text
    assert "还没有数据" in testbot.ask("数据 抖音", user="xiaowang")  # nothing written yet
    text = testbot.ask("确认导入", user="xiaowang")
    assert "已导入：抖音数据.csv" in text
    assert "12,100" in testbot.ask("数据 抖音", user="xiaowang")
    assert "没有等你确认的导入" in testbot.ask("确认导入", user="xiaowang")
    # a file that does not say its platform: asked, then answered with 导入 <平台>
    testbot.channel.files["f2"] = "日期,粉丝数\n2026-11-20,500\n".encode()
    testbot.ask("记录 公众号 粉丝 400 11-19", user="xiaowang")  # now the team has two platforms
    text = testbot.ask("导入", user="xiaowang", kind="file", files=[{"key": "f2", "name": "export.csv"}])
    assert "是哪个平台的数据" in text
    assert "预演：export.csv" in testbot.ask("导入 公众号", user="xiaowang")
    assert "已导入" in testbot.ask("确认导入", user="xiaowang")
    text = testbot.ask("导入", user="xiaowang", kind="file", files=[{"key": "gone", "name": "x.csv"}])
    assert "文件已过期" in text


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_per_post_export_is_kept_apart_from_daily_data(testbot, cli, tmp_path):
    export = (
        "作品名称,发布时间,播放量,点赞,评论\n"
        "热可可的三种喝法,2026-11-18 20:00,5.3万,3200,120\n"
        "冬季新品预告,2026/11/20 18:30,12000,800,40\n"
    )
    testbot.ask("我是谁")
    team = testbot.team()
    report = import_csv(
        testbot.bot.db,
        team.id,
        export.encode("gbk"),
        today=date(2026, 11, 22),
        now=datetime(2026, 11, 22, 6, tzinfo=UTC),
        platform="抖音",
    )
    assert report.per_post and report.new == 2 and report.skipped == []
    again = import_csv(
        testbot.bot.db,
        team.id,
        export.encode(),
        today=date(2026, 11, 22),
        now=datetime(2026, 11, 22, 6, tzinfo=UTC),
        platform="抖音",
    )
    assert again.same == 2  # importing twice counts nothing twice
    text = testbot.ask("作品 抖音")
    assert "《热可可的三种喝法》 播放 53,000" in text and text.index("热可可") < text.index("冬季新品")
    assert "累计" in text
    assert "还没有数据" in testbot.ask("数据 抖音")  # lifetime totals are not daily activity


@pytest.mark.now("2026-11-22T14:00:00+08:00")
def test_import_rehearsal_points_at_a_10x_jump(testbot):
    testbot.ask("我是谁")
    team = testbot.team()
    export = "日期,粉丝总量\n2026-11-19,12000\n2026-11-20,1200\n2026-11-21,12100\n".encode()
    report = import_csv(
        testbot.bot.db,
        team.id,
        export,
        today=date(2026, 11, 22),
        now=datetime(2026, 11, 22, 6, tzinfo=UTC),
        platform="抖音",
        dry_run=True,
    )
    assert "请核对 2 处" in report.text() and "第 3 行「粉丝总量」：1,200" in report.text()


@pytest.mark.now("2026-11-30T09:00:00+08:00")  # a Monday
def test_week_and_month_periods_compare_like_with_like(clockbot):
    for day in ("11-23", "11-24", "11-30"):
        clockbot.ask(f"记录 抖音 播放 1000 {day}")
    assert "本周数据（11/30–11/30，对比 11/23–11/23）" in clockbot.ask("数据 抖音 本周")
    assert "上周数据（11/23–11/29，对比 11/16–11/22）" in clockbot.ask("数据 抖音 上周")
    assert "上月数据（10/1–10/31，对比 9/1–9/30）" in clockbot.ask(
        "数据 抖音 上月"
    ) or "上月" in clockbot.ask("数据 抖音 上月")


def test_platform_is_not_guessed_from_letters_inside_a_file_name(testbot):
    """「attachment.csv」 holds "tt" (头条) and 「study.xlsx」 "dy" (抖音): neither names a platform."""
    testbot.ask("记录 抖音 粉丝 100 11-19", user="xiaowang")
    testbot.ask("记录 公众号 粉丝 400 11-19", user="xiaowang")
    testbot.channel.files["f9"] = "日期,粉丝数\n2026-11-20,500\n".encode()
    text = testbot.ask("导入", user="xiaowang", kind="file", files=[{"key": "f9", "name": "attachment.csv"}])
    assert "是哪个平台的数据" in text
    testbot.channel.files["f10"] = "日期,粉丝数\n2026-11-20,500\n".encode()
    text = testbot.ask("导入", user="xiaowang", kind="file", files=[{"key": "f10", "name": "dy_2026-11.csv"}])
    assert "预演：dy_2026-11.csv（抖音）" in text


@pytest.mark.fixed_dates
def test_each_kind_of_period_is_compared_like_with_like():
    """The kind of a period, not its Chinese word, picks what it is compared with."""
    today = date(2027, 3, 31)
    assert dates.period("上月", today).previous()[:2] == (date(2027, 1, 1), date(2027, 1, 31))
    assert dates.period("本月", today).previous()[:2] == (date(2027, 2, 1), date(2027, 2, 28))  # capped
    assert dates.period("本月", date(2027, 3, 5)).earlier()[:2] == (date(2027, 2, 1), date(2027, 2, 28))
    assert dates.period("本周", today).previous()[:2] == (date(2027, 3, 22), date(2027, 3, 24))
    assert dates.period("近30天", today).previous()[:2] == (date(2027, 1, 31), date(2027, 3, 1))
    assert dates.period("上月", today).earlier().previous()[:2] == (date(2026, 12, 1), date(2026, 12, 31))
