"""Which adapter each channel uses, from the environment (prefix ``YINGJI_CHANNEL_``).

A channel with no settings is simply absent: its deliveries fail as "渠道未配置" and fall back to another
channel of the recipient. ``YINGJI_CHANNEL_FAKE=true`` installs the in-process fake for every channel.
``YINGJI_CHANNEL_SANDBOX`` (``auto`` | ``on`` | ``off``) fills every channel left unconfigured with the
demo sandbox gateway (see ``sandbox.py``): ``auto`` only while the demo data set is loaded.
"""

from __future__ import annotations

from typing import Any

from pydantic_settings import BaseSettings, SettingsConfigDict

from yingji.channels.area_broadcast import AreaBroadcast
from yingji.channels.email import SmtpEmail
from yingji.channels.fake import FakeChannel
from yingji.channels.loudspeaker import Loudspeaker
from yingji.channels.sms import SmsGateway
from yingji.channels.webhook import Webhook


class ChannelSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YINGJI_CHANNEL_", extra="ignore")

    fake: bool = False
    sandbox: str = "auto"
    sms_url: str = ""
    sms_format: str = "json"  # aliyun / tencent / json
    sms_access_key: str = ""
    sms_secret: str = ""
    sms_sign_name: str = ""
    sms_template: str = ""
    sms_app_id: str = ""
    sms_batch: int = 1  # recipients per request (``json`` format only); 1: one per request
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_from: str = ""
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_batch: int = 1  # messages per connection
    webhook_secret: str = ""
    broadcast_url: str = ""
    broadcast_voice: str = "cmn"
    broadcast_batch: int = 1  # loudspeakers per group broadcast
    area_broadcast_url: str = ""  # cell broadcast / county emergency-broadcast platform


def sandbox_enabled(s: ChannelSettings, *, demo_loaded: bool) -> bool:
    """``on``: always; ``auto``: only with the demo data set loaded (a production database never has
    it, so production never gets the sandbox by accident); anything else: never."""
    mode = s.sandbox.strip().lower()
    return mode in ("on", "true", "1") or (mode == "auto" and demo_loaded)


def from_settings(settings: ChannelSettings | None = None, *, demo_loaded: bool = False) -> dict[str, Any]:
    s = settings or ChannelSettings()
    found = _real(s)
    if sandbox_enabled(s, demo_loaded=demo_loaded):
        from yingji.channels import sandbox

        for name, channel in sandbox.channels().items():
            found.setdefault(name, channel)
    return found


def _real(s: ChannelSettings) -> dict[str, Any]:
    if s.fake:
        return {name: FakeChannel(name) for name in ("sms", "email", "webhook", "loudspeaker")}
    found: dict[str, Any] = {}
    if s.sms_url:
        found["sms"] = SmsGateway(
            url=s.sms_url,
            format=s.sms_format,
            access_key=s.sms_access_key,
            secret=s.sms_secret,
            sign_name=s.sms_sign_name,
            template=s.sms_template,
            app_id=s.sms_app_id,
            batch=s.sms_batch,
        )
    if s.smtp_host and s.smtp_from:
        found["email"] = SmtpEmail(
            host=s.smtp_host,
            port=s.smtp_port,
            sender=s.smtp_from,
            username=s.smtp_username,
            password=s.smtp_password,
            starttls=s.smtp_starttls,
            batch=s.smtp_batch,
        )
    if s.webhook_secret:
        found["webhook"] = Webhook(secret=s.webhook_secret)
    if s.broadcast_url:
        found["loudspeaker"] = Loudspeaker(endpoint=s.broadcast_url, voice=s.broadcast_voice, batch=s.broadcast_batch)
    if s.area_broadcast_url:
        found["area_broadcast"] = AreaBroadcast(url=s.area_broadcast_url)
    return found
