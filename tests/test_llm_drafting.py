"""The model writes when configured; every misbehaviour ends repaired or shown, never hidden."""

import pytest

from tests.fakes.llm import FakeModel
from tests.support import TestBot


@pytest.fixture
def model():
    fake = FakeModel()
    yield fake
    fake.close()


def _bot(db_path, env):
    return TestBot(db_path, env={"XIAOBIAN_LLM_TIMEOUT": "0.5", **env})


@pytest.fixture
def llmbot(db_path, model):
    tb = _bot(
        db_path,
        {
            "XIAOBIAN_LLM_BASE_URL": model.url,
            "XIAOBIAN_LLM_MODEL": "fake-1",
            "XIAOBIAN_LLM_API_KEY": "sk-test",
        },
    )
    yield tb
    tb.close()


def _draft_row(tb, number=1):
    return tb.bot.db.execute("SELECT body, title, extra FROM drafts WHERE number = ?", [number]).fetchone()


def test_the_model_writes_from_the_brief_and_the_prompt_carries_the_platform_and_facts(llmbot, model):
    (reply,) = llmbot.say("草稿 小红书 热可可 卖点=低糖 价格=18元 活动=12月每周三第二杯半价")
    assert (
        ("生成方式", "模型") in reply.fields and "18元" in reply.body and "12月每周三第二杯半价" in reply.body
    )
    request = model.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer sk-test"
    prompt = request["body"]["messages"][1]["content"]
    assert "小红书" in prompt and "标题 不超过 20 字" in prompt and "#话题" in prompt
    assert "必须原样保留的信息：" in prompt and "18元" in prompt.split("必须原样保留的信息：")[1]
    assert "正文" in prompt and "每行以「✅」开头" in prompt  # the platform's shape, not only its limits
    assert "都原样保留了" in reply.body and len(model.requests) == 1  # nothing to repair


def test_the_teams_approved_drafts_are_its_voice(llmbot, model):
    llmbot.ask("草稿 小红书 热可可 价格=18元")
    llmbot.ask("修改 1 正文=冬天的第一杯热可可，18元，我们自己也天天喝。")
    llmbot.ask("提审 1")
    assert "已通过" in llmbot.ask("通过 1", user="boss")
    llmbot.ask("草稿 小红书 姜汁红茶 价格=16元")
    assert "我们自己也天天喝" in model.prompts()[-1]


def test_malformed_json_is_asked_again(llmbot, model):
    model.script = ["malformed", "ok"]
    (reply,) = llmbot.say("草稿 微博 热可可 价格=18元")
    assert ("生成方式", "模型") in reply.fields and "18元" in reply.body
    assert "格式不对，已让它重写" in reply.note and len(model.requests) == 2
    assert "不是合法 JSON" in model.requests[1]["body"]["messages"][-1]["content"]


def test_a_fenced_answer_with_words_around_it_is_read(llmbot, model):
    model.script = ["fenced"]
    (reply,) = llmbot.say("草稿 微博 热可可 价格=18元")
    assert ("生成方式", "模型") in reply.fields and "给你一份清楚的介绍" in reply.body


@pytest.mark.parametrize(
    ("misbehaviour", "asked"),
    [
        ("too_long", "最多 1000 字"),
        ("risky", "最好"),
        ("drop_price", "漏掉了这些信息"),
        ("too_short", "小红书通常在 120–800 字"),  # the shape, not only the hard limit
    ],
)
def test_each_misbehaviour_is_repaired_in_one_round(llmbot, model, misbehaviour, asked):
    model.script = [misbehaviour, "ok"]
    (reply,) = llmbot.say("草稿 小红书 热可可 价格=18元")
    repair = model.requests[1]["body"]["messages"][-1]["content"]
    assert "检查发现这些问题" in repair and asked in repair
    assert "都已改好" in reply.note and reply.tone == "ok"
    body, _, _ = _draft_row(llmbot)
    assert "18元" in body and "最好" not in body and len(body) <= 1000


def test_what_the_repair_did_not_fix_is_shown(llmbot, model):
    model.script = ["risky", "risky"]
    (reply,) = llmbot.say("草稿 小红书 热可可 价格=18元")
    assert "「最好」" in reply.body and reply.tone == "warn" and "还剩下面这些" in reply.note


def test_a_dropped_price_that_stays_dropped_is_listed(llmbot, model):
    model.script = ["drop_price", "drop_price"]
    (reply,) = llmbot.say("草稿 小红书 热可可 价格=18元 活动=周三半价")
    assert "没写进这一版" in reply.body and "「18元」" in reply.body and reply.tone == "warn"


def test_too_long_after_the_repair_is_a_visible_finding_not_a_silent_cut(llmbot, model):
    model.script = ["too_long", "too_long"]
    (reply,) = llmbot.say("草稿 小红书 热可可 价格=18元")
    body, _, _ = _draft_row(llmbot)
    assert len(body) > 1000 and "最多 1000 字" in reply.body and reply.tone == "warn"


@pytest.mark.parametrize(
    ("script", "said"),
    [(["slow"], "秒内没有回答"), (["error"], "HTTP 500"), (["malformed", "malformed"], "不是合法 JSON")],
)
def test_a_model_that_fails_leaves_an_outline_and_says_why(llmbot, model, script, said):
    model.script = list(script)
    (reply,) = llmbot.say("草稿 小红书 冬季新品热可可 卖点=低糖,现磨 价格=18元")
    assert ("生成方式", "提纲") in reply.fields and said in reply.note and "写稿模型没用上" in reply.note
    assert "18元" in reply.body and "【待补充" in reply.body


def test_video_scenes_come_through(llmbot):
    llmbot.ask("草稿 抖音 热可可 价格=18元")
    body, _, extra = _draft_row(llmbot)
    assert "【开头 3 秒】热可可，三秒看懂" in body and "产品特写" in extra


def test_adapting_pasted_text_with_the_model(llmbot, model):
    replies = llmbot.say("改写 微博 抖音\n# 桂花拿铁上市\n12月8日起，桂花拿铁在126家门店上市，中杯26元。")
    assert len(replies) == 2 and all(("生成方式", "模型") in r.fields for r in replies)
    assert "原文" in model.prompts()[0] and "26元" in model.prompts()[0]
    assert all("26元" in r.body for r in replies)


def test_a_preset_is_one_variable(db_path, model):
    tb = _bot(
        db_path,
        {"XIAOBIAN_LLM": "deepseek", "XIAOBIAN_LLM_API_KEY": "sk-d", "XIAOBIAN_LLM_BASE_URL": model.url},
    )
    try:
        (reply,) = tb.say("草稿 微博 热可可 价格=18元")
        sent = model.requests[0]["body"]
        assert sent["model"] == "deepseek-chat" and sent["response_format"] == {"type": "json_object"}
        assert ("生成方式", "模型") in reply.fields
    finally:
        tb.close()


@pytest.mark.parametrize(
    ("env", "said"),
    [
        ({"XIAOBIAN_LLM": "deepseek"}, "需要 XIAOBIAN_LLM_API_KEY"),
        ({"XIAOBIAN_LLM": "gpt9"}, "不是已知的模型预设"),
        ({"XIAOBIAN_LLM": "doubao", "XIAOBIAN_LLM_API_KEY": "sk-never-shown-42"}, "推理接入点"),
    ],
)
def test_a_preset_that_cannot_run_says_what_is_missing(db_path, env, said):
    tb = _bot(db_path, env)
    try:
        (reply,) = tb.say("草稿 微博 热可可 价格=18元")
        assert said in reply.note and ("生成方式", "提纲") in reply.fields
        assert "sk-never-shown-42" not in reply.to_text()  # the key is never echoed
    finally:
        tb.close()


@pytest.mark.now("2026-11-22T21:00:00+08:00")
def test_the_best_performing_posts_lead_the_voice(llmbot, model):
    """Two published notes; the export says the older one did three times better: it comes first,
    with its result, though newest-first would have put the other one there."""
    for n, (topic, body) in enumerate(
        (
            ("热可可", "冬天的第一杯热可可，我们自己也天天喝。"),
            ("姜汁红茶", "姜汁红茶暖手又暖胃，下午来一杯。"),
        ),
        1,
    ):
        llmbot.ask(f"草稿 小红书 {topic} 价格=18元")
        llmbot.ask(f"修改 {n} 标题={topic}上新 正文={body}")
        llmbot.ask(f"提审 {n}")
        assert "已通过" in llmbot.ask(f"通过 {n}", user="boss")
        assert "已发布" in llmbot.ask(f"已发布 {n}")
    llmbot.channel.files["f1"] = (
        "笔记标题,发布时间,阅读\n热可可上新,2026-11-22 12:00,30000\n姜汁红茶上新,2026-11-22 19:00,10000\n".encode()
    )
    llmbot.ask("导入 小红书", kind="file", files=[{"key": "f1", "name": "笔记数据.csv"}])
    assert "对上了稿件：2 篇" in llmbot.ask("确认导入")
    llmbot.ask("草稿 小红书 肉桂拿铁 价格=28元")
    voice = model.prompts()[-1].split("效果好的在前")[1]
    assert voice.index("我们自己也天天喝") < voice.index("暖手又暖胃")
    assert "（效果：账号中位数的 1.5 倍）" in voice
