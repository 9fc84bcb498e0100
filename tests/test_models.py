"""Message.to_dict is written by hand for speed; it must stay the same as dataclasses.asdict."""

from dataclasses import asdict, fields
from datetime import UTC, datetime

import pytest

from bot.models import Message, Person

pytestmark = pytest.mark.date_free


def test_to_dict_matches_asdict_and_round_trips():
    message = Message(
        platform="feishu",
        chat_id="oc_1",
        sender=Person("ou_1", "张三"),
        text="帮助",
        message_id="om_1",
        time=datetime(2026, 12, 1, 12, 0, tzinfo=UTC),
        channel="feishu",
        mentions=[Person("ou_2", "李四")],
        reply_context={"message_id": "om_1", "nested": [1, {"a": "b"}]},
        files=[{"key": "k", "name": "n.csv"}],
    )
    expected = asdict(message)
    expected["time"] = message.time.isoformat()
    data = message.to_dict()
    assert data == expected and set(data) == {f.name for f in fields(Message)}
    data["reply_context"]["nested"][1]["a"] = "changed"  # a copy, not the message's own dict
    assert message.reply_context["nested"][1]["a"] == "b"
    assert Message.from_dict(message.to_dict()) == message
