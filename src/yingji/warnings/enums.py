"""Enumerations of warning publication, with their Chinese labels kept here for the UI."""

from enum import StrEnum


class Level(StrEnum):
    red = "red"
    orange = "orange"
    yellow = "yellow"
    blue = "blue"


LEVEL_LABELS = {
    Level.red: "一级（红色）",
    Level.orange: "二级（橙色）",
    Level.yellow: "三级（黄色）",
    Level.blue: "四级（蓝色）",
}
LEVEL_COLOURS = {Level.red: "#d62728", Level.orange: "#ff7f0e", Level.yellow: "#e6c200", Level.blue: "#1f77b4"}


class Status(StrEnum):
    draft = "draft"
    submitted = "submitted"
    approved = "approved"
    published = "published"
    superseded = "superseded"  # a later Update or Cancel of the same chain was published
    rejected = "rejected"
    received = "received"  # from an upstream feed: stored and shown, not re-published by us


STATUS_LABELS = {
    Status.draft: "草稿",
    Status.submitted: "待审核",
    Status.approved: "已签发",
    Status.published: "已发布",
    Status.superseded: "已被更新/解除",
    Status.rejected: "已退回",
    Status.received: "上级来文",
}


class MsgType(StrEnum):
    alert = "Alert"
    update = "Update"
    cancel = "Cancel"


MSG_TYPE_LABELS = {MsgType.alert: "发布", MsgType.update: "更新", MsgType.cancel: "解除"}


class Channel(StrEnum):
    sms = "sms"
    email = "email"
    webhook = "webhook"
    loudspeaker = "loudspeaker"


CHANNEL_LABELS = {
    Channel.sms: "短信",
    Channel.email: "电子邮件",
    Channel.webhook: "推送接口（电视/广播/显示屏）",
    Channel.loudspeaker: "农村大喇叭",
}


class RecipientKind(StrEnum):
    subscriber = "subscriber"
    info_officer = "info_officer"
    cadre = "cadre"
    loudspeaker = "loudspeaker"
    school = "school"
    hospital = "hospital"
    enterprise = "enterprise"
    screen = "screen"
    # Named by another capability (``publish_to_audience``): households a hazard point threatens, its monitors.
    threatened = "threatened"
    monitor = "monitor"


RECIPIENT_LABELS = {
    RecipientKind.subscriber: "订阅群众",
    RecipientKind.info_officer: "灾害信息员",
    RecipientKind.cadre: "镇村干部",
    RecipientKind.loudspeaker: "农村大喇叭",
    RecipientKind.school: "学校",
    RecipientKind.hospital: "医院",
    RecipientKind.enterprise: "企业",
    RecipientKind.screen: "公共显示屏",
    RecipientKind.threatened: "受威胁群众",
    RecipientKind.monitor: "群测群防监测员",
}

# Kinds of receiving point kept in this capability's own table (the rest come from registry and subscribers).
POINT_KINDS = (RecipientKind.loudspeaker, RecipientKind.school, RecipientKind.hospital, RecipientKind.screen)


class DeliveryStatus(StrEnum):
    pending = "pending"
    sending = "sending"
    sent = "sent"
    failed = "failed"


DELIVERY_LABELS = {
    DeliveryStatus.pending: "待发送",
    DeliveryStatus.sending: "发送中",
    DeliveryStatus.sent: "已送达",
    DeliveryStatus.failed: "失败",
}


class SubscriberStatus(StrEnum):
    pending = "pending"
    active = "active"
    unsubscribed = "unsubscribed"
