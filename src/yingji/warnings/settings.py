"""Settings of warning publication (prefix ``YINGJI_WARNINGS_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class WarningSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YINGJI_WARNINGS_", extra="ignore")

    # CAP sender (no spaces or commas) and the national-system sender code (6-digit area code + 3-digit
    # agency code + 3 + 2 digits): replace the placeholder with the code assigned by the 12379 system.
    sender: str = "yjj.liujiang.gov.cn"
    sender_code: str = "45020600000000"
    sender_name: str = "柳江区应急管理局"
    public_base_url: str = "http://127.0.0.1:8000"
    # Upstream CAP / national-format feeds polled by the ``warnings.poll_feeds`` job, comma-separated.
    feeds: str = ""
    # Alarms that open a warning draft without a click (the draft still needs sign-off): comma-separated
    # ``<sensor kind>:<lowest level>``, e.g. ``water_level:red,rain_gauge:red``; ``*`` stands for any kind.
    # Empty (the default): drafts from alarms only by a person's click on the alarm.
    auto_draft_from_alarms: str = ""
    delivery_max_attempts: int = 5
    delivery_backoff_s: int = 30
    delivery_lease_s: int = 60


@lru_cache
def settings() -> WarningSettings:
    return WarningSettings()
