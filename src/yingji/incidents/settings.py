"""Settings of the incidents capability (prefix ``YINGJI_INCIDENTS_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic_settings import BaseSettings, SettingsConfigDict


class IncidentSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YINGJI_INCIDENTS_", extra="ignore")

    # A TOML file with the county's own natural-disaster response triggers (the shape of
    # incidents/data/relief_response_national.toml); empty: the national plan's thresholds.
    relief_triggers: str = ""
    # The reporting-deadline table (incidents/data/report_rules/<name>.toml): "national", or a province's.
    report_rules: str = "national"


@lru_cache
def settings() -> IncidentSettings:
    return IncidentSettings()
