"""The review workflow of a draft as data: states and their names, actions, who may take them."""

from __future__ import annotations

from storage.drafts import Draft

STATUS_LABELS = {
    "draft": "草稿",
    "review": "审核中",
    "approved": "已通过",
    "returned": "已退回",
    "scheduled": "已排期",
    "published": "已发布",
    "archived": "已归档",
}
LABELS = STATUS_LABELS
PUBLISH_KIND = "publish_due"
# action: (states it may start from, state it leads to, who: author|manager)
TRANSITIONS = {
    "submit": ({"draft", "returned"}, "review", "author"),
    "approve": ({"review"}, "approved", "manager"),
    "reject": ({"review"}, "returned", "manager"),
    "schedule": ({"approved", "scheduled"}, "scheduled", "author"),
    "publish": ({"approved", "scheduled"}, "published", "author"),
    "archive": ({"draft", "returned", "approved", "scheduled", "published"}, "archived", "author"),
}
ACTION_NAMES = {
    "create": "创建",
    "edit": "修改",
    "submit": "提审",
    "approve": "通过",
    "reject": "退回",
    "schedule": "定时",
    "publish": "发布",
    "archive": "归档",
    "adapt": "改写自",
}


def status_label(draft: Draft) -> str:
    """The Chinese name of a draft's state (审核中, 已通过 …)."""
    return STATUS_LABELS[draft.status]
