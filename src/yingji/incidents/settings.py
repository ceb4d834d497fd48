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
    # The duty day runs from this Beijing time to the same time next day (交接班); before it, yesterday's
    # roster is still on duty.
    duty_day_starts: str = "08:30"
    # An overdue report tells the duty officers at once, and the leader on duty after this many minutes.
    overdue_leader_grace_minutes: int = 30
    # A TOML file with the county's own per-person needs table (the shape of incidents/data/relief_needs.toml);
    # empty: the shipped table.
    relief_needs: str = ""
    # The impact estimate counts the stock of warehouses that can drive to the affected area within this time.
    needs_reach_minutes: int = 120
    # A dispatch order still unacknowledged this many minutes after it was sent is escalated to the duty room.
    order_ack_minutes: int = 10
    # A directory of the district's own drill scenarios (one TOML file each, the shape of
    # incidents/data/drill_scenarios/*.toml), offered beside the shipped ones; a file of the same name wins.
    drill_scenarios: str = ""


@lru_cache
def settings() -> IncidentSettings:
    return IncidentSettings()
