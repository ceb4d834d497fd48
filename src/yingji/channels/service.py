"""What other capabilities ask of the channels: which adapters are configured, and a text message to a
phone that must not be lost (queued in the caller's transaction, sent by the outbox with retries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from yingji.channels.base import DeliveryResult, Message, Recipient, batch_limit, each
from yingji.channels.fake import FakeChannel
from yingji.core import outbox
from yingji.core.actor import Actor, require
from yingji.core.outbox import OutboxMessage

# What other capabilities and the composition root may call: the one SMS path, the adapters' installation (by the
# composition root), the sandbox switch, and how many recipients a channel takes in one request (batch_limit,
# each: the warnings worker's batches).
__all__ = [
    "DeliveryResult", "LABELS", "Message", "Recipient", "SMS_TOPIC", "batch_limit", "configured", "each",
    "enqueue_sms", "install", "installed", "is_sandbox", "note_demo_loaded",
]

SMS_TOPIC = "channels.sms"


_demo_loaded = {"value": False}


def note_demo_loaded(loaded: bool) -> None:
    """Told at start-up (``yingji serve`` / ``worker``) whether the demo data set is loaded: the sandbox
    gateway (演示通道) fills unconfigured channels only then, unless switched on explicitly."""
    _demo_loaded["value"] = bool(loaded)


_installed: dict[str, Any] = {}


def install(adapters: dict[str, Any]) -> None:
    """The composition root hands the adapters to use (tests: fakes); an empty dict falls back to the
    adapters the settings name."""
    _installed.clear()
    _installed.update(adapters)


def installed() -> dict[str, Any]:
    return _installed


def configured(channels: dict[str, Any] | None = None) -> dict[str, Any]:
    """The adapters in use: ``channels`` if given, else those installed by the composition root, else
    those the settings name."""
    if channels is not None:
        return channels
    from yingji.channels.config import from_settings

    return _installed or from_settings(demo_loaded=_demo_loaded["value"])


def is_sandbox(channel: Any) -> bool:
    return bool(getattr(channel, "sandbox", False))


def enqueue_sms(
    db: Session, *, phone: str, headline: str, text: str, key: str, max_attempts: int = 8, sensitive: bool = False
) -> None:
    """Queues one SMS, the one SMS path of every capability; the same ``key`` is queued (and sent) once.
    ``sensitive`` (confirmation codes, a dispatch order's signing link): the text is not shown on the channels
    page."""
    payload = {"phone": phone, "headline": headline, "text": text}
    if sensitive:
        payload["sensitive"] = True
    outbox.enqueue(db, topic=SMS_TOPIC, payload=payload, key=key, max_attempts=max_attempts)


@dataclass(frozen=True)
class ChannelStatus:
    name: str
    label: str
    configured: bool
    adapter: str  # what is used, without secrets
    settings: str  # the environment variables that configure it


LABELS = {"sms": "短信", "email": "电子邮件", "webhook": "推送接口（电视、广播、显示屏）", "loudspeaker": "农村大喇叭",
          "area_broadcast": "区域广播（小区广播、应急广播平台）"}
SETTINGS = {
    "sms": "YINGJI_CHANNEL_SMS_URL, _SMS_FORMAT (aliyun / tencent / json), _SMS_ACCESS_KEY, _SMS_SECRET …",
    "email": "YINGJI_CHANNEL_SMTP_HOST, _SMTP_PORT, _SMTP_FROM, _SMTP_USERNAME, _SMTP_PASSWORD",
    "webhook": "YINGJI_CHANNEL_WEBHOOK_SECRET",
    "loudspeaker": "YINGJI_CHANNEL_BROADCAST_URL, _BROADCAST_VOICE, _BROADCAST_BATCH",
    "area_broadcast": "YINGJI_CHANNEL_AREA_BROADCAST_URL",
}
SANDBOX_SETTING = "YINGJI_CHANNEL_SANDBOX=auto|on|off"


# How the page names an adapter and its settings (the environment variables are in the deployment docs).
ADAPTER_LABELS = {"SmsGateway": "短信网关", "SmtpEmail": "邮件服务器", "Webhook": "推送地址", "Loudspeaker": "广播平台",
                  "AreaBroadcast": "区域广播平台"}
ATTR_LABELS = {"format": "接口格式", "url": "地址", "host": "主机", "endpoint": "地址", "voice": "语音"}
FORMAT_LABELS = {"aliyun": "阿里云", "tencent": "腾讯云", "json": "通用"}


def _adapter(channel: Any) -> str:
    if is_sandbox(channel):
        return "演示通道（Yingji 内置沙箱网关，只记录，不真实发送）"
    if isinstance(channel, FakeChannel):
        return "演示用假渠道（只记录，不发送）"
    name = type(channel).__name__
    parts = [ADAPTER_LABELS.get(name, name)]
    for attr in ("format", "url", "host", "endpoint", "voice"):
        value = getattr(channel, attr, None)
        if value:
            # Gateways are shown by host only: their URLs may carry keys.
            shown = urlsplit(value).netloc if attr in ("url", "endpoint") else FORMAT_LABELS.get(value, value)
            parts.append(f"{ATTR_LABELS[attr]}：{shown}")
    return "，".join(parts)


def status(*, actor: Actor) -> list[ChannelStatus]:
    """Which channels are in use and how, for the people who run the platform (no secrets shown)."""
    require(actor, "channels.read")
    found = configured()
    return [
        ChannelStatus(name, LABELS[name], name in found, _adapter(found[name]) if name in found else "", SETTINGS[name])
        for name in LABELS
    ]


def recent_sms(*, db: Session, actor: Actor, limit: int = 20) -> list[OutboxMessage]:
    """The latest queued text messages (sent, waiting or failed), with their last error."""
    require(actor, "channels.read")
    q = select(OutboxMessage).where(OutboxMessage.topic == SMS_TOPIC).order_by(OutboxMessage.id.desc())
    return list(db.scalars(q.limit(limit)))
