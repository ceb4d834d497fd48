"""Shared pieces of the warning pages: page sizes, the status tabs, the labels for the templates."""

from __future__ import annotations

from typing import Any

from yingji.warnings.enums import (
    CHANNEL_LABELS,
    LEVEL_LABELS,
    MSG_TYPE_LABELS,
    RECIPIENT_LABELS,
    STATUS_LABELS,
)
from yingji.warnings.standards import event_types

PAGE_SIZE = 30
VILLAGES_PER_PAGE = 50
TABS = [("", "全部"), ("draft", "草稿"), ("submitted", "待审核"), ("approved", "已签发"), ("published", "已发布")]


def labels() -> dict[str, Any]:
    return {
        "level_labels": LEVEL_LABELS,
        "status_labels": STATUS_LABELS,
        "msg_type_labels": MSG_TYPE_LABELS,
        "channel_labels": CHANNEL_LABELS,
        "recipient_labels": RECIPIENT_LABELS,
        "event_types": event_types(),
    }
