"""The optional model: used when configured, checked like any draft, and never a single point of failure."""

import pytest

from tests.fakes.llm import FakeModel
from tests.support import TestBot


@pytest.fixture
def model():
    fake = FakeModel()
    yield fake
    fake.close()


@pytest.fixture
def llmbot(db_path, model):
    env = {
        "XIAOBIAN_LLM_BASE_URL": model.url,
        "XIAOBIAN_LLM_MODEL": "fake-1",
        "XIAOBIAN_LLM_API_KEY": "sk-test",
        "XIAOBIAN_LLM_TIMEOUT": "0.5",
    }
    tb = TestBot(db_path, env=env)
    yield tb
    tb.close()


def test_model_writes_the_draft(llmbot, model):
    (reply,) = llmbot.say("草稿 小红书 热可可 卖点=低糖")
    assert "模型写的热可可" in reply.body and "#热可可" in reply.body
    assert ("生成方式", "模型") in reply.fields
    request = model.requests[0]
    assert request["path"] == "/v1/chat/completions" and request["auth"] == "Bearer sk-test"
    assert request["body"]["model"] == "fake-1" and "小红书" in request["body"]["messages"][-1]["content"]


def test_model_video_script_is_kept(llmbot):
    llmbot.ask("草稿 抖音 热可可")
    extra = llmbot.bot.db.execute("SELECT extra FROM drafts WHERE number = 1").fetchone()[0]
    assert "模型口播" in extra


def test_failed_check_on_model_output_is_shown(llmbot, model):
    model.mode = "risky"
    (reply,) = llmbot.say("草稿 小红书 热可可")
    assert "最好" in reply.body and "「最好」" in reply.body and reply.tone == "warn"


@pytest.mark.parametrize("mode", ["error", "slow", "garbage"])
def test_templates_take_over_on_any_model_failure(llmbot, model, mode):
    model.mode = mode
    (reply,) = llmbot.say("草稿 小红书 冬季新品热可可 卖点=低糖,现磨")
    assert "模型写的" not in reply.body
    assert "已用模板生成" in reply.note and "低糖" in reply.body
    assert any(label == "生成方式" and value.startswith("模板") for label, value in reply.fields)


def test_adapt_uses_the_model_too(llmbot):
    llmbot.ask("草稿 小红书 热可可")
    replies = llmbot.say("改写 1 微博")
    assert "这是模型为热可可写的正文" in replies[0].body
