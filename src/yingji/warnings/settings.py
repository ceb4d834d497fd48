"""Settings of warning publication (prefix ``YINGJI_WARNINGS_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.orm import Session


class WarningSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YINGJI_WARNINGS_", extra="ignore")

    # CAP sender (no spaces or commas) and the national-system sender code (6-digit area code + 3-digit
    # agency code + 3 + 2 digits): replace the placeholder with the code assigned by the 12379 system.
    sender: str = "yjj.liujiang.gov.cn"
    sender_code: str = "45020600000000"
    # The bureau's name as the public reads it; empty: "<district>应急管理局" from the loaded district.
    sender_name: str = ""
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


def sender_name(db: Session) -> str:
    """Who signs public warnings: the configured name, else the bureau of the district in the database."""
    configured = settings().sender_name.strip()
    if configured:
        return configured
    from yingji.geo import service as geo_service  # here, so that settings stay importable on their own

    district = geo_service.root(db=db)
    return f"{district.name}应急管理局" if district is not None else "应急管理局"
