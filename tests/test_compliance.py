"""The compliance checker: terms found however they are disguised, exemptions left alone."""

import json

import pytest

from handlers.drafting.compliance import check, measure, rewrite
from handlers.shared import platforms


def texts(findings):
    return [f.text for f in findings]


@pytest.mark.parametrize(
    "text, hidden",
    [
        ("这是最好的热可可", "最好"),
        ("这是最 好的热可可", "最 好"),
        ("这是最　好的热可可", "最　好"),  # full-width space
        ("这是最😊好的热可可", "最😊好"),
        ("这是最\u200b好的热可可", "最\u200b好"),
        ("品质 ＮＯ．１", "ＮＯ．１"),
        ("品质 No.1", "No.1"),
        ("国 家 级 认证", "国 家 级"),
    ],
)
def test_disguised_terms_are_found_where_they_stand(text, hidden):
    findings = check(text)
    assert hidden in texts(findings)
    f = next(f for f in findings if f.text == hidden)
    assert text[f.start : f.end] == hidden
    assert f.severity == "high" and f.reason and f.suggestion


@pytest.mark.parametrize(
    "text",
    [
        "第一步：打开包装",
        "这是我第一次喝",
        "最近天气冷",
        "首个工作日记得打卡",
        "最后提醒：明天截止",
        "最新消息",
        "首先说明",
    ],
)
def test_exemptions_are_left_alone(text):
    assert check(text) == []


def test_categories_and_severity():
    found = {f.category for f in check("国家级品质，销量第一，根治失眠，稳赚不赔，仅此一次")}
    assert {"first_authority", "ranking", "medical", "finance", "false_urgency"} <= found


def test_time_limit_with_dates_is_fine_without_is_flagged():
    assert check("限时优惠，11月25日至11月30日") == []
    assert [f.category for f in check("限时优惠，手慢无")] == ["false_urgency"]


def test_diversion_is_strict_on_xiaohongshu_and_natural_on_wechat():
    xhs = check("加微信领券，电话13812345678", platforms.lookup("小红书"))
    assert {f.severity for f in xhs} == {"high"} and "13812345678" in texts(xhs)
    assert check("关注公众号，微信搜索我们", platforms.lookup("公众号")) == []
    assert [f.severity for f in check("加微信领券")] == ["low"]


def test_title_party_and_length():
    findings = check("震惊！99%的人不知道\n正文", None)
    assert {f.category for f in findings} == {"title_party"}
    long_title = "冬" * 25
    found = check("正文", platforms.lookup("小红书"), title=long_title)
    length = [f for f in found if f.category == "length"]
    assert length and length[0].start is None and "20" in length[0].reason


def test_platform_counting_rules():
    weibo = platforms.lookup("微博")
    assert measure("abcd", weibo) == 2  # ASCII counts half on Weibo
    assert measure("热可可😊", platforms.lookup("小红书")) == 5  # emoji counts 2


def test_rewrite_replaces_plain_suggestions():
    text = "这是最好的热可可"
    assert rewrite(text, check(text)) == "这是很好的热可可"


def test_cli_json_offsets_into_text_as_given(cli):
    text = "全網最😊好，ＮＯ．１"
    out = cli("check", text, "--json")
    data = json.loads(out.stdout)
    assert data["findings"], out.stderr
    for f in data["findings"]:
        assert set(f) == {"start", "end", "text", "category", "severity", "reason", "suggestion"}
        if f["start"] is not None:
            assert text[f["start"] : f["end"]] == f["text"]


def test_cli_length_finding_has_null_offsets(cli):
    out = cli("check", "好" * 1200, "--platform", "小红书", "--json")
    (f,) = json.loads(out.stdout)["findings"]
    assert f["category"] == "length" and f["start"] is None and f["end"] is None


def test_cli_names_what_it_is_unsure_of(cli):
    data = json.loads(cli("check", "这款茶喝了让人精力充沛，效果看得见", "--json").stdout)
    assert data["findings"] == [] and data["doubts"] == ["这款茶喝了让人精力充沛，效果看得见"]
    out = cli("check", "这款茶喝了让人精力充沛，效果看得见")
    assert "没有发现已知的问题" in out.stdout and "请人工再看一眼" in out.stdout
    assert "没有发现问题" in cli("check", "冬天来一杯热可可").stdout


def test_check_command_in_chat(testbot):
    text = testbot.ask("检查 全网最好的热可可，销量第一！加微信领券 小红书")
    assert "高风险 3 处" in text and "「销量第一」" in text and "只是提醒" in text
    assert "没有发现问题" in testbot.ask("检查 第一步，先把牛奶加热")
    assert "用法" in testbot.ask("检查")


@pytest.mark.parametrize(
    "text",
    [
        "这是我们第12次参加展会",
        "第10届新品发布会",
        "从1%充到100%只需要19分钟",
        "100%纯棉，亲肤透气",
        "100%桑蚕丝面料",
    ],
)
def test_numbers_are_whole_tokens_and_measurements_are_not_claims(text):
    assert check(text) == []


@pytest.mark.parametrize(
    "text, found",
    [
        ("销量第1，好评如潮", "销量第1"),
        ("100%有效，无效退款", "100%有效"),
        ("全网第一的热可可", "全网第一"),
        ("好评率100%", "100%"),
    ],
)
def test_the_claims_next_to_them_are_still_found(text, found):
    assert found in texts(check(text))
